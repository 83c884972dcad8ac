"""The command line: thin commands, one-line errors with the right exit code, documented options."""

import errno
import json
import pathlib
import re
import shutil

import pyarrow.parquet as pq
import pytest

from corpus_tools.errors import DataError
from corpus_tools.package import build as build_module
from tests.conftest import CONFIG, DUMP, ROOT, invoke, make_project


def test_convert_prints_the_accounting(tmp_path, write):
    result = invoke("convert", write("dump.txt", DUMP), "--out", tmp_path / "out", "--channel", "MFARussia",
                    "--period", "2025-04-03/2025-04-05")
    assert result.exit_code == 0, result.output
    assert "dump.txt (telegram-text): 3 posts, 1 rejects" in result.output
    assert "15 lines: post_text 6, merged_duplicate 3, interface_string 2, forward_header 1, reply_quote 2" in result.output
    assert ("tables: posts 3, countries 2, hashtags 1, links 1, mentions 1, poll_options 0, polls 0, post_sources 3, "
            "reactions 0, rejects 1") in result.output


@pytest.mark.parametrize(
    ("make_input", "extra", "message"),
    [
        (lambda tmp, write: tmp / "missing.txt", [], "missing.txt: no such file"),
        (lambda tmp, write: tmp, [], "is a directory"),
        (lambda tmp, write: write("e.txt", ""), [], "empty file"),
        (lambda tmp, write: write("b.bin", b"\x00\x01\x02binary"), [], "a binary file"),
        (lambda tmp, write: write("u.txt", ("ok\n" + "Привет\n" * 20).encode("cp1251")), ["--channel", "c"],
         r"u.txt:2: not UTF-8"),
        (lambda tmp, write: write("r.json", '{"messages_x": []}'), [], "not a Telegram Desktop export"),
        (lambda tmp, write: write("r.json", '{"name": "x", "messages": [{"id": 1, '), [], r"malformed JSON"),
        (lambda tmp, write: write("r.jsonl", '{"_": "Message"\n{"_": "Message"\n'), ["-f", "telethon-jsonl"],
         "no line is a JSON object"),
        (lambda tmp, write: write("r.csv", "a,b\n1,2\n"), ["-f", "csv"], "CSV header has no column 'id'"),
        (lambda tmp, write: write("d.txt", DUMP), ["--channel", "c", "--tz", "Mars/Base"], "not a time zone"),
        (lambda tmp, write: write("d.txt", DUMP), ["--channel", "c", "--column", "nope=x"], "unknown field 'nope'"),
        (lambda tmp, write: write("d.txt", DUMP), ["--channel", "c", "--column", "text"], "expected FIELD=COLUMN"),
        (lambda tmp, write: write("d.txt", DUMP), ["--format", "telegram-text"], "pass --channel"),
        (lambda tmp, write: write("d.txt", DUMP), ["--channel", "c", "--period", "x"], "expected START/END"),
        (lambda tmp, write: write("d.txt", DUMP), ["--channel", "c", "--format", "pdf"], "unknown format 'pdf'"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_no_output(tmp_path, write, make_input, extra, message):
    out = tmp_path / "out"
    result = invoke("convert", make_input(tmp_path, write), "--out", out, *extra)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and re.search(message, lines[0]), result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_build_failing_check_exits_1(project, monkeypatch):
    result = invoke("build", "--config", project / "dataset.toml")
    assert result.exit_code == 0, result.output
    assert "published test-dataset 1.2.3" in result.output

    def failing(directory, schemas, **options):
        raise DataError("check failed: planted")

    monkeypatch.setattr(build_module, "check_tables", failing)
    result = invoke("build", "--config", project / "dataset.toml")
    assert result.exit_code == 1 and result.output.strip() == "error: check failed: planted"


def test_a_build_failing_validation_prints_the_summary_and_writes_the_reports(tmp_path):
    """A channel that reposts one text: the build says which check failed, with example ids, as
    validate does, and leaves the JSON and JUnit reports for CI."""
    messages = [{"id": k, "type": "message", "date_unixtime": str(1743674400 + k), "text": "Same text."} for k in (1, 2)]
    project = make_project(tmp_path, CONFIG.replace('format = "telegram-text"', 'format = "telegram-json"')
                           .replace("raw/dump.txt", "raw/result.json"))
    (project / "raw" / "result.json").write_text(json.dumps({"name": "c", "type": "public_channel", "id": 4,
                                                             "messages": messages}))
    result = invoke("build", "--config", project / "dataset.toml")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].split() == ["TABLE", "FAMILY", "CHECKS", "PASSED", "ERRORS", "WARNINGS", "SKIPPED"]
    failed = [line for line in lines if line.startswith("FAILED (error)")]
    assert len(failed) == 1 and failed[0].startswith("FAILED (error): posts.text.exact_duplicates_in_channel")
    assert failed[0].endswith("e.g. 4/1, 4/2")
    assert lines[-1].startswith("error: validation failed at error severity: posts.text.exact_duplicates_in_channel")
    assert "--allow-invalid publishes anyway" in lines[-1]
    junit = (project / "reports" / "validation.junit.xml").read_text()
    assert 'name="posts.text.exact_duplicates_in_channel"' in junit and "<failure" in junit
    assert not (project / "datapackage.json").exists()


def test_internal_errors_are_one_line_unless_debug(tmp_path, write, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("corpus_tools.api.convert", broken)
    result = invoke("convert", write("d.txt", DUMP), "--out", tmp_path / "o", "--channel", "c")
    assert result.exit_code == 3 and "internal error: RuntimeError: boom" in result.output
    result = invoke("--debug", "convert", write("d.txt", DUMP), "--out", tmp_path / "o", "--channel", "c")
    assert isinstance(result.exception, RuntimeError)


class Py4JJavaError(Exception):
    """What py4j raises when a Spark job dies (its module is all corpus-tools looks at); its text
    comes from the JVM, which may be gone."""

    def __str__(self):
        if self.args[0] is None:
            raise ConnectionRefusedError(111, "Connection refused")
        return self.args[0]


Py4JJavaError.__module__ = "py4j.protocol"


SPARK_ERRORS = [
    ("An error occurred while calling o309.parquet.\n: org.apache.spark.SparkException: Job 5 cancelled because "
     "SparkContext was shut down\n\tat org.apache.spark.Foo(Foo.scala)", 2,
     "error: spark engine: a job failed (org.apache.spark.SparkException: Job 5 cancelled because SparkContext was "
     "shut down); give Spark more memory: spark.driver.memory"),
    ("An error occurred while calling o1.select.\n: [UNRESOLVED_COLUMN] no column `x`", 3,
     "internal error: Py4JJavaError"),  # a wrong plan is a bug, not the environment
    (None, 2, "error: spark engine: Spark's JVM stopped during a job (Py4JJavaError); give Spark more memory"),
]


@pytest.mark.parametrize(("message", "exit_code", "said"), SPARK_ERRORS)
def test_a_spark_job_short_of_memory_is_an_environment_error_not_a_bug(tmp_path, write, monkeypatch, message,
                                                                        exit_code, said):
    def failing(*args, **kwargs):
        raise Py4JJavaError(message)

    monkeypatch.setattr("corpus_tools.api.convert", failing)
    result = invoke("convert", write("d.txt", DUMP), "--out", tmp_path / "o", "--channel", "c")
    assert result.exit_code == exit_code and said in result.output and "Traceback" not in result.output


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.output.startswith("corpus-tools ")


def test_package_verify_and_diff(project):
    result = invoke("package", project, "--version", "1.0.0")
    assert result.exit_code == 0, result.output
    assert "first release of test-dataset\npublished test-dataset 1.0.0" in result.output
    old = project.parent / "v1"
    shutil.copytree(project, old)
    (project / "raw" / "dump.txt").write_text(DUMP.replace("MoD Russia", "MoD of Russia"))
    result = invoke("build", "--config", project / "dataset.toml")
    assert result.exit_code == 2 and "error: 1.0.0 is already published with other content: the change is patch" in result.output
    result = invoke("package", project, "--bump", "patch", "--archive")
    assert result.exit_code == 0, result.output
    assert "compared with 1.0.0: the change needs a patch version" in result.output
    assert "archive: " in result.output and (project / "dist" / "test-dataset-1.0.1.zip").is_file()
    result = invoke("verify", project / "datapackage.json")
    assert result.exit_code == 0 and result.output.startswith("verified test-dataset 1.0.1: 20 resources")
    result = invoke("diff", old, project, "--limit", "0")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Compared with 1.0.0: the change needs a **patch** version.")
    assert "- posts: 3 -> 3 rows; 0 added, 0 removed, 1 changed (patch)" in result.output
    assert ": forwarded_from" in result.output


@pytest.mark.parametrize(("damage", "code", "message"), [
    (lambda root: (root / "data" / "posts.parquet").unlink(), 2, "error: verify failed: data/posts.parquet: missing"),
    (lambda root: (root / "data" / "posts.csv.gz").write_bytes(b"x"), 1, "error: verify failed: data/posts.csv.gz: 1 bytes"),
])
def test_verify_exit_codes(tmp_path, damage, code, message):
    shutil.copy(ROOT / "datapackage.json", tmp_path)
    shutil.copytree(ROOT / "data", tmp_path / "data")
    damage(tmp_path)
    result = invoke("verify", tmp_path)
    assert result.exit_code == code and result.output.startswith(message) and len(result.output.splitlines()) == 1


def test_package_usage_error_is_one_line(tmp_path):
    result = invoke("package", tmp_path, "--bump", "minor", "--version", "1.0.0")
    assert result.exit_code == 2 and result.output == "error: give either --version X.Y.Z or --bump major|minor|patch\n"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_full_disk_is_one_line_exit_2(tmp_path, monkeypatch, workers):
    source = write_export(tmp_path / "result.json", 2)

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "posts.parquet")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    result = invoke("convert", source, "--out", tmp_path / "out", "--workers", workers)
    assert result.exit_code == 2 and result.output == "error: posts.parquet: No space left on device\n"
    assert not (tmp_path / "out" / "posts.parquet").exists() and not list((tmp_path / "out").glob(".staging-*"))


def test_a_folder_that_cannot_be_written_is_one_line_exit_2(tmp_path, monkeypatch):
    source = write_export(tmp_path / "result.json", 1)

    made = pathlib.Path.mkdir

    def refused(self, *args, **kwargs):  # tests run as root, for whom a chmod 0o555 folder is writable
        if self.name.startswith(".staging-"):
            raise PermissionError(errno.EROFS, "Read-only file system", str(self))
        return made(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "mkdir", refused)
    result = invoke("convert", source, "--out", tmp_path / "out")
    assert result.exit_code == 2 and result.output.startswith(f"error: {tmp_path / 'out' / '.staging-'}")
    assert result.output.endswith(": Read-only file system\n") and result.output.count("\n") == 1
    monkeypatch.undo()
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = invoke("convert", source, "--out", blocked / "out")
    assert result.exit_code == 2 and result.output.startswith(f"error: {blocked}") and result.output.count("\n") == 1


def write_export(path, count):
    messages = [{"id": k, "type": "message", "date_unixtime": str(1743674400 + k), "text": f"post {k}"}
                for k in range(1, count + 1)]
    path.write_text(json.dumps({"name": "c", "type": "public_channel", "id": 5, "messages": messages}))
    return path
