"""Synthetic corpora several synth test modules read: made once per session, never changed by a test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_tools.synth import synth


def export_posts(path: Path) -> dict[int, str]:
    """message id -> text of every post of a single-chat telegram-json export."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {m["id"]: "".join(e["text"] for e in m["text_entities"])
            for m in data["messages"] if m["type"] == "message"}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """A 3000-post telegram-json corpus with larger duplicate shares, and its truth."""
    path = tmp_path_factory.mktemp("synth") / "corpus.json"
    result = synth(path, posts=3000, format="telegram-json", seed=7, duplicates=0.04, near_duplicates=0.05)
    return path, result.truth


@pytest.fixture(scope="session")
def export(tmp_path_factory):
    """A 1500-post Telegram Desktop export: (path, parsed JSON, truth)."""
    path = tmp_path_factory.mktemp("tdesktop") / "result.json"
    result = synth(path, posts=1500, format="telegram-json", seed=11)
    return path, json.loads(path.read_text(encoding="utf-8")), result.truth


@pytest.fixture(scope="session")
def telethon(tmp_path_factory):
    """A 1500-post Telethon dump of the same seed: (path, its lines, truth)."""
    path = tmp_path_factory.mktemp("telethon") / "messages.jsonl"
    result = synth(path, posts=1500, format="telethon-jsonl", seed=11)
    return path, path.read_text(encoding="utf-8").splitlines(), result.truth


@pytest.fixture(scope="session")
def groups(tmp_path_factory):
    """Group chats (``--chat group``), name -> SynthResult: a single Telegram Desktop chat, a
    full-account export of three groups, and a Telethon dump of two (a basic group and a
    supergroup), each made in several segments."""
    folder = tmp_path_factory.mktemp("groups")
    made = {}
    for name, format, channels in (("single.json", "telegram-json", 1), ("account.json", "telegram-json", 3),
                                   ("groups.jsonl", "telethon-jsonl", 2)):
        made[name] = synth(folder / name, posts=1500, format=format, channels=channels, chat="group", seed=21,
                           segment_posts=500)
    return made
