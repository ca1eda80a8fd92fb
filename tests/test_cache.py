"""The compiled-knowledge-base cache cannot lie: keyed by content, checked on read, healed when
damaged, written atomically in the user's cache folder."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from advisor.compile import STALE_TEMPORARY_SECONDS, cache_dir, cache_file, cache_key, compile_kb, load_compiled
from advisor.load import load_knowledge_base

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the mini knowledge base, with a cache folder of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    folder = tmp_path / "kb"
    shutil.copytree(MINI, folder, ignore=shutil.ignore_patterns(".cache"))
    return folder


def fresh(kb: Path) -> dict:
    return json.loads(json.dumps(compile_kb(load_knowledge_base(kb))))


def test_a_same_length_edit_with_the_time_restored_is_seen(kb: Path) -> None:
    load_compiled(kb)
    questions = kb / "questions.yaml"
    before = questions.stat()
    text = questions.read_text(encoding="utf-8")
    assert "sleepy" in text
    questions.write_text(text.replace("sleepy", "dreamy"), encoding="utf-8")  # same length
    os.utime(questions, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p`, `rsync -a`, `touch -r` do
    assert questions.stat().st_size == before.st_size and questions.stat().st_mtime_ns == before.st_mtime_ns
    known = load_compiled(kb)["lexicon"]["known"]
    assert "dreami" in known or "dreamy" in known
    assert not any(word.startswith("sleep") for word in known)


@pytest.mark.parametrize("damage", ["truncate", "flip a byte", "wrong body, right key", "not json", "empty"])
def test_a_damaged_cache_is_rebuilt_never_trusted(kb: Path, damage: str) -> None:
    expected = load_compiled(kb)
    file = cache_file(kb)
    data = file.read_bytes()
    header, body = data.split(b"\n", 1)
    if damage == "truncate":
        file.write_bytes(data[: len(data) // 2])
    elif damage == "flip a byte":
        file.write_bytes(header + b"\n" + body.replace(b'"facts"', b'"facto"', 1))
    elif damage == "wrong body, right key":
        file.write_bytes(header + b"\n" + b'{"kb": {}}')
    elif damage == "not json":
        file.write_bytes(b"\x00\xff" * 100)
    else:
        file.write_bytes(b"")
    assert load_compiled(kb) == expected == fresh(kb)
    assert file.read_bytes() == data  # healed: written again


def test_the_key_follows_the_content_of_the_files_not_their_times(kb: Path) -> None:
    key = cache_key(kb)
    os.utime(kb / "concepts.yaml", (1, 1))
    assert cache_key(kb) == key
    with open(kb / "concepts.yaml", "a", encoding="utf-8") as file:
        file.write("\n")
    assert cache_key(kb) != key


def test_a_warm_call_answers_from_the_cache(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = load_compiled(kb)
    import advisor.load

    def refuse(*args: object) -> None:
        raise AssertionError("the YAML was loaded although the cache is fresh")

    monkeypatch.setattr(advisor.load, "load_knowledge_base", refuse)
    assert load_compiled(kb) == expected


def test_temporary_files_of_a_killed_write_are_cleaned(kb: Path) -> None:
    folder = cache_dir()
    folder.mkdir(parents=True)
    old = folder / ".compiled-killed.tmp"
    old.write_text("{", encoding="utf-8")
    os.utime(old, (time.time() - STALE_TEMPORARY_SECONDS - 60,) * 2)
    recent = folder / ".compiled-writing.tmp"  # another process may be writing it right now
    recent.write_text("{", encoding="utf-8")
    load_compiled(kb)
    assert not old.exists() and recent.exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted([recent.name, cache_file(kb).name])


def test_an_unwritable_cache_folder_still_gives_answers(kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_compiled(kb) == fresh(kb)
    assert load_compiled(kb) == fresh(kb)
