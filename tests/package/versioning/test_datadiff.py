"""package.versioning.datadiff: rows added, removed and changed by primary key, and the version level
each change needs."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus_tools.package.versioning.datadiff import diff_table
from corpus_tools.package.versioning.semver import Level
from tests.package.versioning.conftest import NEW, OLD, write_columns


def test_rows_are_matched_by_key(tmp_path):
    old, new = write_columns(tmp_path / "old.parquet", OLD), write_columns(tmp_path / "new.parquet", NEW)
    diff = diff_table("posts", old, new, key=["post_id"], referenced=True)
    assert (diff.old_rows, diff.new_rows) == (4, 4)
    assert diff.added == [("e",)] and diff.removed == [("b",)]
    # null vs "" is a change; null vs null and "" vs "" are not
    assert diff.changed == [(("a",), ["views"]), (("c",), ["text"]), (("d",), ["text"])]
    assert diff.level is Level.MAJOR  # posts are referenced: removing one breaks references


@pytest.mark.parametrize(("new", "referenced", "level"), [
    ({"post_id": ["a", "b", "c", "d", "e"], "text": ["x", "y", None, "", "z"], "views": [1, None, 3, 4, 5]}, False, Level.MINOR),
    ({"post_id": ["a", "b", "c"], "text": ["x", "y", None], "views": [1, None, 3]}, False, Level.PATCH),
    ({"post_id": ["a", "b", "c"], "text": ["x", "y", None], "views": [1, None, 3]}, True, Level.MAJOR),
    ({"post_id": ["a", "b", "c", "d"], "text": ["x", "y", None, "fixed"], "views": [1, None, 3, 4]}, True, Level.PATCH),
    (OLD, True, Level.NONE),
])
def test_level_of_a_data_change(tmp_path, new, referenced, level):
    old, new = write_columns(tmp_path / "old.parquet", OLD), write_columns(tmp_path / "new.parquet", new)
    diff = diff_table("t", old, new, key=["post_id"], referenced=referenced)
    assert diff.level is level


def test_composite_keys_and_tables_without_a_key(tmp_path):
    old = write_columns(tmp_path / "old.parquet", {"post_id": ["a", "a"], "offset": [0, 5], "tag": ["x", "y"]})
    new = write_columns(tmp_path / "new.parquet", {"post_id": ["a", "a"], "offset": [0, 7], "tag": ["z", "y"]})
    keyed = diff_table("hashtags", old, new, key=["post_id", "offset"])
    assert (keyed.added, keyed.removed, keyed.changed) == ([("a", 7)], [("a", 5)], [(("a", 0), ["tag"])])
    bag = diff_table("rejects", old, new, key=[])
    assert bag.added == [("a", 0, "z"), ("a", 7, "y")] and bag.removed == [("a", 0, "x"), ("a", 5, "y")]
    assert bag.changed == []


def test_empty_tables_compare(tmp_path):
    schema = pa.schema([("post_id", pa.string()), ("offset", pa.int64())])
    empty = tmp_path / "empty.parquet"
    pq.write_table(schema.empty_table(), empty)
    one = tmp_path / "one.parquet"
    pq.write_table(pa.table({"post_id": ["a"], "offset": [1]}, schema=schema), one)
    assert diff_table("mentions", empty, one, key=["post_id", "offset"]).added == [("a", 1)]
    assert diff_table("mentions", one, empty, key=["post_id", "offset"]).removed == [("a", 1)]
    assert not diff_table("mentions", empty, empty, key=["post_id", "offset"])
