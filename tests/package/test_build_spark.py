"""build on a real Spark cluster: a standalone master and two workers on loopback, started with
pyspark's own ``spark-class``, and a dataset built against it from the command line, as a researcher
would on a cluster. It publishes the same package, byte for byte, as the local engine."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus_tools.core.standalone import ClusterError, loopback_cluster
from corpus_tools.synth import synth
from tests.conftest import TEST_KEY, require_spark

CONFIG = """\
[package]
name = "spark-dataset"
title = "A dataset built on Spark"
description = "Synthetic posts of a group chat."
version = "1.0.0"
[[package.licenses]]
name = "CC-BY-4.0"
[[inputs]]
path = "raw/chat.json"
title = "A synthetic group chat"
collected = 2025-05-01
[validation.severity]
"posts.text.exact_duplicates_in_channel" = "warning"
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A standalone master and two one-core workers on 127.0.0.1; its master URL."""
    require_spark()
    try:
        with loopback_cluster(tmp_path_factory.mktemp("cluster"), workers=2, cores=1, memory="1g") as running:
            yield running.master
    except ClusterError as error:
        pytest.fail(str(error))


def _project(root: Path, corpus: Path) -> Path:
    (root / "raw").mkdir(parents=True)
    shutil.copy(corpus, root / "raw" / "chat.json")
    (root / "dataset.toml").write_text(CONFIG, encoding="utf-8")
    return root


def _build(project: Path, *engine: str) -> subprocess.CompletedProcess:
    cli = Path(sys.executable).with_name("corpus-tools")
    env = {**os.environ, "CORPUS_TOOLS_PSEUDONYM_KEY": TEST_KEY, "SPARK_LOCAL_IP": "127.0.0.1", "CI": "1",
           "SOURCE_DATE_EPOCH": "1746057600"}  # one creation time for both builds
    return subprocess.run([str(cli), "build", "--config", str(project / "dataset.toml"), *engine], env=env,
                          capture_output=True, text=True, timeout=900)


def _published(project: Path) -> dict[str, str]:
    """sha256 of every published file but the reports (their timings and dates differ run to run)."""
    files = [p for p in project.rglob("*") if p.is_file() and "raw" not in p.parts and "reports" not in p.parts]
    return {p.relative_to(project).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_a_standalone_cluster_builds_the_same_package(cluster, tmp_path):
    corpus = tmp_path / "chat.json"
    synth(corpus, posts=600, format="telegram-json", seed=5, chat="group")
    local, spark = _project(tmp_path / "local", corpus), _project(tmp_path / "spark", corpus)
    built = [_build(local), _build(spark, "--engine", "spark", "--spark-master", cluster)]
    for run in built:
        assert run.returncode == 0, run.stdout + run.stderr
    assert "published spark-dataset 1.0.0" in built[1].stdout
    assert _published(spark) == _published(local)
    # the build's validation report too (built with Data Docs, whose run on an empty table is GX's own)
    reports = [json.loads((p / "reports" / "validation.json").read_text()) for p in (local, spark)]
    assert reports[1]["checks"] == reports[0]["checks"] and reports[1]["statistics"] == reports[0]["statistics"]
    validation = json.loads((spark / "datapackage.json").read_text())["validation"]
    assert validation["passed"] and "posts.text.exact_duplicates_in_channel" in validation["warnings"]
