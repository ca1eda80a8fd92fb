"""Bundled knowledge bases by name, `--kb` before or after the subcommand, `ADVISOR_KB`, help from the data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.paths import bundled_kbs, default_kb_path, resolve_kb

ROOT = Path(__file__).parent.parent


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "advisor", *args], capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


def test_both_bundled_knowledge_bases_are_found_by_name() -> None:
    assert {"grafana", "alerting"} <= set(bundled_kbs())
    assert resolve_kb("alerting") == ROOT / "data" / "alerting"
    assert resolve_kb(str(ROOT / "data" / "grafana")) == ROOT / "data" / "grafana"


@pytest.mark.parametrize("args", [("--kb", "alerting", "ask"), ("ask", "--kb", "alerting")])
def test_kb_is_accepted_before_or_after_the_subcommand(args: tuple[str, ...]) -> None:
    result = run(*args, "mute alerts every sunday night", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["recommendation"]["concept"] == "mute-timing"


def test_advisor_kb_chooses_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_KB", "alerting")
    assert default_kb_path() == ROOT / "data" / "alerting"
    result = run("ask", "silence this alert for two hours", "--json", env={"ADVISOR_KB": "alerting"})
    assert json.loads(result.stdout)["recommendation"]["concept"] == "silence"


def test_help_names_the_knowledge_base_chosen() -> None:
    assert "Grafana: data sources, plugins and integrations" in " ".join(run("--help").stdout.split())
    assert "Grafana Alerting" in " ".join(run("--kb", "alerting", "--help").stdout.split())


def test_an_unknown_name_lists_the_bundled_ones() -> None:
    result = run("--kb", "nosuch", "validate")
    assert result.returncode == 2 and "bundled ones, by name: alerting, grafana" in result.stderr
