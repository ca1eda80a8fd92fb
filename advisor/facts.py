"""Facts written once and used everywhere: plugin status, plan requirements and plugin lists.

Texts of the data files do not copy these facts; they reference them, and loading replaces
each reference with words made from the one place the fact is kept (`products.yaml`):

- `{{list:ID}}`: the names of the plugins a list of `lists` selects, such as the data sources
  that became standalone plugins in one Grafana release ("OpenTSDB, InfluxDB and Tempo");
- `{{needs:PRODUCT}}`: the plans a product requires ("Cloud Pro or Advanced, or a licence that
  includes the plugin", as the plans and their groups are worded);
- `{{status:PLUGIN}}`: what a plugin's status means for the reader, with its replacement.

The same module finds the plugins a text installs (one of the knowledge base's install commands
followed by an id, or "install `ID`"), so that loading can refuse a step that installs a plugin
that is not active. Every word these texts use comes from the knowledge base's
[`Wording`][advisor.model.Wording].
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from advisor.model import Plan, Plugin, PluginList, Wording

#: A reference to a fact kept elsewhere: `{{KIND:ID}}`.
REFERENCE = re.compile(r"\{\{\s*([a-z]+)\s*:\s*([^{}\s]+)\s*\}\}")

#: The kinds of reference a text may hold.
REFERENCE_KINDS = ("list", "needs", "status")

#: The wording of a knowledge base that words nothing: plain defaults.
NO_WORDING = Wording()

#: Options between the words of a command (`--pluginUrl X`, `-v`).
_OPTIONS = r"(?:--?[A-Za-z][\w-]*(?:[ =]\S+)?\s+)*"

#: A plugin id after an install command.
_ID = r"`?([a-z0-9][a-z0-9.-]*[a-z0-9])"


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


def needs_text(required: Iterable[Plan], all_plans: Iterable[Plan], wording: Wording = NO_WORDING) -> str:
    """Say which plans give access, grouped by deployment in the order the plans are listed.

    A deployment that the wording groups reads as its `every` text when all its plans are
    required, else its `some` text with their `short` names; any other plan reads as its
    `phrase` (else its name).

    >>> from advisor.model import PlanGroup
    >>> free, pro = Plan("free", "Free tier", "hosted", "Free"), Plan("pro", "Pro tier", "hosted", "Pro")
    >>> own = Plan("own", "Own", "self", phrase="a licence of your own")
    >>> hosted = Wording(plan_groups={"hosted": PlanGroup("any hosted plan", "the hosted {plans} plan")})
    >>> needs_text([pro, own], [free, pro, own], hosted)
    'the hosted Pro plan, or a licence of your own'
    >>> needs_text([free, pro], [free, pro, own], hosted)
    'any hosted plan'
    """
    required = list(required)
    every_plan = list(all_plans)
    parts: list[str] = []
    done: set[str] = set()
    for plan in required:
        group = wording.plan_groups.get(plan.deployment)
        if group is None:
            parts.append(plan.phrase or plan.name)
            continue
        if plan.deployment in done:
            continue
        done.add(plan.deployment)
        chosen = [p for p in required if p.deployment == plan.deployment]
        if len(chosen) == sum(p.deployment == plan.deployment for p in every_plan):
            parts.append(group.every)
        else:
            parts.append(group.some.replace("{plans}", join_words([p.short or p.name for p in chosen], "or")))
    if len(parts) <= 1:
        return "".join(parts)
    return ", or ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 2 else f"{parts[0]}, or {parts[1]}"


def _status(plugin: Plugin, wording: Wording, label: bool) -> str:
    said = wording.statuses.get(plugin.status)
    if said is None:
        return plugin.status
    if plugin.support_ends and (said.label_until if label else said.says_until):
        return (said.label_until if label else said.says_until).replace("{date}", plugin.support_ends)
    return said.label if label else said.says


def status_text(plugin: Plugin, plugins: Mapping[str, Plugin], wording: Wording = NO_WORDING) -> str:
    """Say what a plugin's status means and what to use instead (empty for an active plugin).

    >>> from advisor.model import StatusWording
    >>> old = Plugin("old-panel", "Old", "panel", "catalog", status="retired", replacement="new-panel")
    >>> wording = Wording(statuses={"retired": StatusWording("Retired", "is retired")})
    >>> status_text(old, {"new-panel": Plugin("new-panel", "New", "panel", "catalog")}, wording)
    'Old (`old-panel`) is retired: use New (`new-panel`) instead.'
    """
    if plugin.active:
        return ""
    said = f"{plugin.name} (`{plugin.id}`) {_status(plugin, wording, label=False)}"
    replacement = plugins.get(plugin.replacement or "")
    if replacement is not None:
        said += f": use {replacement.name} (`{replacement.id}`) instead"
    return said + "."


def status_label(plugin: Plugin, plugins: Mapping[str, Plugin], wording: Wording = NO_WORDING) -> str:
    """A plugin's status in a few words, with its replacement's name.

    >>> status_label(Plugin("a-panel", "A", "panel", "catalog"), {})
    'Active'
    """
    if plugin.active:
        return "Active"
    replacement = plugins.get(plugin.replacement or "")
    instead = f"; use {replacement.name} instead" if replacement is not None else ""
    return _status(plugin, wording, label=True) + instead


def not_active_text(plugin: Plugin, wording: Wording = NO_WORDING) -> str:
    """A validation message's words for a plugin that is not active, with its replacement's id."""
    replacement = f"; use {plugin.replacement!r} instead" if plugin.replacement else ""
    return f"plugin {plugin.id!r}, which {_status(plugin, wording, label=False)}{replacement}"


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
    """Replace every `{{KIND:ID}}` reference of a text by its words (`words[(kind, id)]`)."""
    return REFERENCE.sub(lambda match: words[(match.group(1), match.group(2))], text)


class PluginFinder:
    """Finds the plugin ids a text installs or names, by a knowledge base's install commands and id suffixes.

    >>> finder = PluginFinder(Wording(install_commands=("tool plugins install",), plugin_id_suffixes=("panel",)))
    >>> finder.installed("run `tool plugins install acme-clock-panel` and restart")
    ['acme-clock-panel']
    >>> finder.installed("install `{plugin_id}`"), finder.named("see `acme-map-panel`")
    ([], ['acme-map-panel'])
    """

    def __init__(self, wording: Wording) -> None:
        self._installs: list[re.Pattern[str]] = []
        for command in wording.install_commands:
            words = [re.escape(word) for word in command.split()]
            if words:
                self._installs.append(re.compile(r"\s+".join(words[:1] + [_OPTIONS + word for word in words[1:]]) + r"\s+" + _OPTIONS + _ID))
        self._named: re.Pattern[str] | None = None
        if wording.plugin_id_suffixes:
            suffixes = "|".join(re.escape(suffix) for suffix in wording.plugin_id_suffixes)
            plugin_id = rf"([a-z0-9][a-z0-9.-]*-(?:{suffixes}))"
            self._installs.append(re.compile(rf"\binstall(?:s|ing)?\s+(?:the\s+)?`{plugin_id}`", re.IGNORECASE))
            self._named = re.compile(rf"`{plugin_id}`")

    def installed(self, text: str) -> list[str]:
        """The plugin ids a text tells the reader to install, in order (placeholders are skipped)."""
        found: list[str] = []
        for pattern in self._installs:
            for match in pattern.finditer(text):
                if match.group(1) not in found:
                    found.append(match.group(1))
        return found

    def named(self, text: str) -> list[str]:
        """The plugin ids a text names in backticks (or installs), in order."""
        found = self.installed(text)
        if self._named is not None:
            for match in self._named.finditer(text):
                if match.group(1) not in found:
                    found.append(match.group(1))
        return found


def version_text(version: str) -> str:
    """A version as people write it: a trailing `.0` patch level left out.

    >>> version_text("12.3.0"), version_text("9.5.3"), version_text("13.0")
    ('12.3', '9.5.3', '13.0')
    """
    parts = version.split(".")
    return ".".join(parts[:2]) if len(parts) == 3 and parts[2] == "0" else version
