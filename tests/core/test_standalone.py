"""core.standalone without Java: the port probe, the web UI poll, and a cluster that cannot start
failing at once with its log, not after the timeout. (tests/package/test_build_spark.py starts a
real one and builds against it.)"""

from __future__ import annotations

import socket
import time

import pytest

from corpus_tools.core import standalone


def test_a_free_port_can_be_listened_on():
    port = standalone.free_port()
    with socket.socket() as server:
        server.bind((standalone.LOOPBACK, port))
        server.listen()
        assert standalone.free_port() != port


def test_no_web_ui_means_no_count_of_workers():
    assert standalone.alive_workers(standalone.free_port()) is None


def test_a_master_that_exits_stops_the_start_with_its_log(tmp_path, monkeypatch):
    fake = tmp_path / "spark-class"
    fake.write_text("#!/bin/sh\necho 'Error: JAVA_HOME is not set' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(standalone, "_spark_class", lambda: str(fake))
    started = time.monotonic()
    with pytest.raises(standalone.ClusterError) as raised:
        with standalone.loopback_cluster(tmp_path, timeout=60):
            pytest.fail("the block ran without a cluster")
    assert time.monotonic() - started < 10
    message = str(raised.value)
    assert message.startswith("the master did not come up on loopback: a process ended (exit 1)")
    assert "master.log" in message and "JAVA_HOME is not set" in message
