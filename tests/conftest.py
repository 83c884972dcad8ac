"""Shared test helpers: where the project, the bundled corpus and the shared samples are."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "raw" / "mfa_telegram_2025-04-03_05.txt"
SAMPLES = ROOT.parent / "shared" / "samples"


@pytest.fixture
def write(tmp_path):
    """Write a small input file in the test's folder: write("name.txt", "text") -> Path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
