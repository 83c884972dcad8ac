"""Shared test helpers: where the project, the bundled corpus and the shared samples are, the small
dump and dataset config most end-to-end tests start from, and the command-line runner.

Constants live here (or in a folder's conftest.py), never in a test module: test modules import
from conftest, not from each other.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus_tools.cli import app

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "raw" / "mfa_telegram_2025-04-03_05.txt"
SAMPLES = ROOT.parent / "shared" / "samples"

# A telegram-text dump of three posts: a post shown in both renderings, a forward with media, a reply
# (its quote is not post text), interface strings, and a forward header with no post after it.
DUMP = """\
🇷🇺🇳🇪 On April 3, the minister met his colleague #RussiaNiger
They discussed cooperation in many fields, see https://mid.ru/en/1
They discussed cooperation in many fields, see https://mid.ru/en/1
Forwarded from MoD Russia
Today, on 4 April, the ministry reported the strike.
A second paragraph of the forwarded report, long.
A second paragraph of the forwarded report, long.
Please open Telegram to view this post
VIEW IN TELEGRAM
Russian MFA 🇷🇺
🇷🇺🇳🇪 On April 3, the minister met his colleague #RussiaNiger They discussed…
A reply to that post, asking @MFARussia a question
It has a body paragraph that repeats below.
It has a body paragraph that repeats below.
Forwarded from Nobody
"""

# The dataset.toml of a dataset whose one input is DUMP, at raw/dump.txt (see make_project).
CONFIG = """\
[package]
name = "test-dataset"
title = "A test dataset"
description = "Three posts."
version = "1.2.3"
keywords = ["test"]
[[package.licenses]]
name = "CC-BY-4.0"
path = "https://creativecommons.org/licenses/by/4.0/"
[convert]
format = "telegram-text"
channel = "MFARussia"
period = "2025-04-03/2025-04-05"
[[inputs]]
path = "raw/dump.txt"
title = "A dump"
"""


def make_project(root: Path, config: str = CONFIG) -> Path:
    """A dataset folder, not built yet: raw/dump.txt (DUMP) and dataset.toml (``config``)."""
    (root / "raw").mkdir(parents=True)
    (root / "raw" / "dump.txt").write_text(DUMP, encoding="utf-8")
    (root / "dataset.toml").write_text(config, encoding="utf-8")
    return root


# Every test converts with a pseudonym key, as a researcher's build does (module fixtures too, so
# it is set when this file is read); a test of what happens without one removes it.
TEST_KEY = "corpus-tools test suite key: not a secret"
os.environ["CORPUS_TOOLS_PSEUDONYM_KEY"] = TEST_KEY


@pytest.fixture
def project(tmp_path):
    """The test's folder as a dataset folder (see make_project), not built yet."""
    return make_project(tmp_path)


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


_runner = CliRunner()


def invoke(*args):
    """Run ``corpus-tools ARGS...`` in this process (each argument made a string): the click Result."""
    return _runner.invoke(app, [str(a) for a in args])


def spark_missing() -> str | None:
    """Why the spark engine cannot run here (no pyspark, no Java), or None."""
    import importlib.util
    import shutil

    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (make test EXTRAS=test,spark)"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java for Spark"
    return None


def require_spark() -> None:
    """Skip the test without pyspark or Java, or fail it when CORPUS_TOOLS_REQUIRE_SPARK is set (CI)."""
    missing = spark_missing()
    if missing:
        if os.environ.get("CORPUS_TOOLS_REQUIRE_SPARK"):
            pytest.fail(f"CORPUS_TOOLS_REQUIRE_SPARK is set but {missing}")
        pytest.skip(missing)


@pytest.fixture(scope="session")
def spark_engine():
    """The spark engine on local[2], its session started once per test process (Spark allows one
    per process). Skips without pyspark or Java, unless CORPUS_TOOLS_REQUIRE_SPARK is set (CI)."""
    require_spark()
    from corpus_tools.core.engine import Engine, spark_session

    engine = Engine("spark", "local[2]", {"spark.sql.shuffle.partitions": "2"})
    spark_session(engine)
    return engine
