"""validate.source: what is validated - a datapackage.json or a folder of tables - and its file checks:
an unusable input is one line and exit 2, a hash or schema mismatch fails its check."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from tests.conftest import invoke
from tests.validate.conftest import write_package


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.parent / "nothing.json", "nothing.json: no such file or folder"),
    (lambda p: (p.write_text("{not json"), p)[1], "the data package descriptor is not JSON"),
    (lambda p: (p.write_text('{"name": "x"}'), p)[1], "not a Data Package descriptor"),
    (lambda p: (p.write_text(p.read_text().replace('"name": "links"', '"name": "lynx"')), p)[1], "no resource 'links'"),
    (lambda p: ((p.parent / "mentions.parquet").unlink(), p)[1], "mentions.parquet: missing"),
    (lambda p: ((p.parent / "reactions.parquet").write_bytes(b""), p)[1], "reactions.parquet: not a readable Parquet"),
    (lambda p: ((p.parent / "posts.parquet").write_text("PAR1 garbage"), p)[1], "posts.parquet: not a readable Parquet"),
], ids=["missing path", "not json", "no resources", "resource absent", "file missing", "empty file", "not parquet"])
def test_unusable_input_is_one_line_and_exit_2(package, make, message):
    result = invoke("validate", make(package))
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: ") and message in line and "Traceback" not in result.output


def test_a_hash_mismatch_fails_its_check(package):
    path = package.parent / "hashtags.parquet"
    table = pq.read_table(path)
    pq.write_table(table.slice(0, 1), path)  # other bytes, still a valid table
    result = invoke("validate", package)
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if x.startswith("FAILED (")]
    assert line.startswith("FAILED (error): hashtags.file.hash: hashtags.parquet: sha256 ")


def test_a_parquet_file_of_another_schema_fails_and_its_checks_are_skipped(package):
    pq.write_table(pq.read_table(package.parent / "hashtags.parquet"), package.parent / "links.parquet")
    write_package(package.parent)  # hashes as they now are: the schema is what is wrong
    result = invoke("validate", package)
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if x.startswith("FAILED (")]
    assert line.startswith("FAILED (error): links.file.schema: links.parquet: differs from the declared schema in url, label")
    assert "skipped: links.post_id.not_null, links.offset.not_null" in result.output
