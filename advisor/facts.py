"""Facts written once and used everywhere: plugin status, plan requirements and plugin lists.

Texts of the data files do not copy these facts; they reference them, and loading replaces
each reference with words made from the one place the fact is kept (`products.yaml`):

- `{{list:ID}}`: the names of the plugins a list of `lists` selects, such as the data sources
  that became standalone plugins in one Grafana release ("OpenTSDB, InfluxDB and Tempo");
- `{{needs:PRODUCT}}`: the plans a product requires ("Grafana Cloud Pro or Advanced, or a
  Grafana Enterprise licence that includes the plugin");
- `{{status:PLUGIN}}`: what a plugin's status means for the reader, with its replacement.

The same module finds the plugins a text installs (`grafana cli plugins install ID`, or
"install `ID`"), so that loading can refuse a step that installs a plugin that is not active.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from advisor.model import Plan, Plugin, PluginList

#: A reference to a fact kept elsewhere: `{{KIND:ID}}`.
REFERENCE = re.compile(r"\{\{\s*([a-z]+)\s*:\s*([^{}\s]+)\s*\}\}")

#: The kinds of reference a text may hold.
REFERENCE_KINDS = ("list", "needs", "status")

#: An install command naming a plugin id (backticks optional), or "install `ID`".
_INSTALLS = (
    re.compile(r"grafana(?:-cli| cli)\s+(?:--?[A-Za-z][\w-]*(?:[ =]\S+)?\s+)*plugins\s+install\s+`?([a-z0-9][a-z0-9.-]*[a-z0-9])"),
    re.compile(r"\binstall(?:s|ing)?\s+(?:the\s+)?`([a-z0-9][a-z0-9.-]*-(?:panel|datasource|app))`", re.IGNORECASE),
)

#: A backticked id that reads as a plugin id (`org-name-panel`, `...-datasource`, `...-app`).
_PLUGIN_ID = re.compile(r"`([a-z0-9][a-z0-9.-]*-(?:panel|datasource|app))`")


def join_words(items: Sequence[str], word: str = "and") -> str:
    """Join names as prose.

    >>> join_words(["A", "B", "C"])
    'A, B and C'
    >>> join_words(["Pro", "Advanced"], "or")
    'Pro or Advanced'
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def needs_text(required: Iterable[Plan], all_plans: Iterable[Plan]) -> str:
    """Say which plans give access, Grafana Cloud tiers first.

    Every Cloud tier listed reads "any Grafana Cloud plan"; some of them read "Grafana Cloud Pro
    or Advanced" (their `short` names); a self-hosted plan reads as its `phrase` (else its name).
    """
    required = list(required)
    cloud_all = [plan for plan in all_plans if plan.deployment == "cloud"]
    cloud = [plan for plan in required if plan.deployment == "cloud"]
    parts: list[str] = []
    if cloud and len(cloud) == len(cloud_all):
        parts.append("any Grafana Cloud plan")
    elif cloud:
        shorts = [plan.short or plan.name for plan in cloud]
        parts.append("Grafana Cloud " + join_words(shorts, "or") if all(plan.short for plan in cloud) else join_words(shorts, "or"))
    parts.extend(plan.phrase or plan.name for plan in required if plan.deployment != "cloud")
    if len(parts) <= 1:
        return "".join(parts)
    return ", or ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 2 else f"{parts[0]}, or {parts[1]}"


def status_text(plugin: Plugin, plugins: Mapping[str, Plugin]) -> str:
    """Say what a plugin's status means and what to use instead (empty for an active plugin).

    >>> old = Plugin("old-panel", "Old", "panel", "catalog", status="angular", replacement="new-panel")
    >>> status_text(old, {"new-panel": Plugin("new-panel", "New", "panel", "catalog")})
    'Old (`old-panel`) is an AngularJS plugin, which Grafana 12 and later do not load: use New (`new-panel`) instead.'
    """
    if plugin.active:
        return ""
    if plugin.status == "angular":
        said = f"{plugin.name} (`{plugin.id}`) is an AngularJS plugin, which Grafana 12 and later do not load"
    else:
        said = f"{plugin.name} (`{plugin.id}`) is deprecated"
        if plugin.support_ends:
            said += f" (critical fixes only; support ends on {plugin.support_ends})"
    replacement = plugins.get(plugin.replacement or "")
    if replacement is not None:
        said += f": use {replacement.name} (`{replacement.id}`) instead"
    return said + "."


def selects(plugin_list: PluginList, plugin: Plugin) -> bool:
    """Whether a list selects a plugin: each field of its `where` has one of the values given."""
    for name, values in plugin_list.where_fields.items():
        value = getattr(plugin, name, None)
        if value is None and name == "status":
            value = "active"
        if value not in values:
            return False
    return True


def list_names(plugin_list: PluginList, plugins: Iterable[Plugin]) -> list[str]:
    """The names of the plugins a list selects, in data order."""
    return [plugin.name for plugin in plugins if selects(plugin_list, plugin)]


def references(text: str) -> list[tuple[str, str]]:
    """The `(kind, id)` of each `{{KIND:ID}}` reference in a text, in order."""
    return [(match.group(1), match.group(2)) for match in REFERENCE.finditer(text)]


def expand(text: str, words: Mapping[tuple[str, str], str]) -> str:
    """Replace every reference of a text by its words (`words[(kind, id)]`)."""
    return REFERENCE.sub(lambda match: words[(match.group(1), match.group(2))], text)


def installed_plugins(text: str) -> list[str]:
    """The plugin ids a text tells the reader to install, in order (placeholders are skipped).

    >>> installed_plugins("run `grafana cli plugins install grafana-clock-panel` and restart")
    ['grafana-clock-panel']
    >>> installed_plugins("install `{plugin_id}`")
    []
    """
    found: list[str] = []
    for pattern in _INSTALLS:
        for match in pattern.finditer(text):
            if match.group(1) not in found:
                found.append(match.group(1))
    return found


def named_plugins(text: str) -> list[str]:
    """The plugin ids a text names in backticks (or installs), in order."""
    found = installed_plugins(text)
    for match in _PLUGIN_ID.finditer(text):
        if match.group(1) not in found:
            found.append(match.group(1))
    return found


#: How each way of shipping reads in a table.
SHIPPED_LABELS = {
    "built-in": "Built into Grafana",
    "preinstalled": "Pre-installed, updated on its own",
    "catalog": "Install from the catalog",
    "not bundled": "Install from the catalog (no longer bundled)",
}


def status_label(plugin: Plugin, plugins: Mapping[str, Plugin]) -> str:
    """A plugin's status in a few words, with its replacement's name.

    >>> status_label(Plugin("a-panel", "A", "panel", "catalog"), {})
    'Active'
    """
    replacement = plugins.get(plugin.replacement or "")
    instead = f"; use {replacement.name} instead" if replacement is not None else ""
    if plugin.status == "angular":
        return "AngularJS: Grafana 12 and later do not load it" + instead
    if plugin.status == "deprecated":
        ends = f", support ends on {plugin.support_ends}" if plugin.support_ends else ""
        return "Deprecated" + ends + instead
    return "Active"


def version_text(version: str) -> str:
    """A version as people write it: a trailing `.0` patch level left out.

    >>> version_text("12.3.0"), version_text("9.5.3"), version_text("13.0")
    ('12.3', '9.5.3', '13.0')
    """
    parts = version.split(".")
    return ".".join(parts[:2]) if len(parts) == 3 and parts[2] == "0" else version
