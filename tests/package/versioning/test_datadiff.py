"""package.datadiff and package.diff: rows added, removed and changed by primary key, and how the
difference between two versions is rendered."""

import copy
import hashlib

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus_tools.package.descriptor import PackageFiles
from corpus_tools.package.versioning.datadiff import diff_table
from corpus_tools.package.versioning.diff import diff_packages
from corpus_tools.package.versioning.semver import Level

OLD = {"post_id": ["a", "b", "c", "d"], "text": ["x", "y", None, ""], "views": [1, None, 3, 4]}
NEW = {"post_id": ["a", "c", "d", "e"], "text": ["x", "", None, ""], "views": [2, 3, 4, None]}


def write(path, columns):
    pq.write_table(pa.table(columns), path)
    return path


def test_rows_are_matched_by_key(tmp_path):
    diff = diff_table("posts", write(tmp_path / "old.parquet", OLD), write(tmp_path / "new.parquet", NEW),
                      key=["post_id"], referenced=True)
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
    diff = diff_table("t", write(tmp_path / "old.parquet", OLD), write(tmp_path / "new.parquet", new),
                      key=["post_id"], referenced=referenced)
    assert diff.level is level


def test_composite_keys_and_tables_without_a_key(tmp_path):
    old = write(tmp_path / "old.parquet", {"post_id": ["a", "a"], "offset": [0, 5], "tag": ["x", "y"]})
    new = write(tmp_path / "new.parquet", {"post_id": ["a", "a"], "offset": [0, 7], "tag": ["z", "y"]})
    keyed = diff_table("hashtags", old, new, key=["post_id", "offset"])
    assert (keyed.added, keyed.removed, keyed.changed) == ([("a", 7)], [("a", 5)], [(("a", 0), ["tag"])])
    bag = diff_table("rejects", old, new, key=[])
    assert bag.added == [("a", 0, "z"), ("a", 7, "y")] and bag.removed == [("a", 0, "x"), ("a", 5, "y")]
    assert bag.changed == []


SCHEMA = {"fields": [{"name": "post_id", "type": "string"}, {"name": "text", "type": "string"},
                     {"name": "views", "type": "integer"}], "primaryKey": ["post_id"],
          "foreignKeys": [{"fields": ["text"], "reference": {"fields": ["post_id"]}}]}


def package(root, columns, version):
    root.mkdir()
    path = write(root / "posts.parquet", columns)
    resource = {"name": "posts", "path": "posts.parquet", "format": "parquet",
                "hash": "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest(), "schema": copy.deepcopy(SCHEMA)}
    return PackageFiles({"name": "p", "version": version, "resources": [resource]}, root)


def test_render_lists_added_removed_and_changed_posts(tmp_path):
    diff = diff_packages(package(tmp_path / "v1", OLD, "1.0.0"), package(tmp_path / "v2", NEW, "2.0.0"))
    assert diff.level is Level.MAJOR
    assert diff.render() == """\
Compared with 1.0.0: the change needs a **major** version.

Metadata and schema:

- no changes

Data:

- posts: 4 -> 4 rows; 1 added, 1 removed, 3 changed (major)
  - added: `e`
  - removed: `b`
  - changed:
    - `a`: views
    - `c`: text
    - `d`: text
"""
    assert "  - changed:\n    - `a`: views\n    - ... and 2 more\n" in diff.render(limit=1)


def test_unchanged_files_are_not_read(tmp_path):
    old = package(tmp_path / "v1", OLD, "1.0.0")
    (tmp_path / "v1" / "posts.parquet").unlink()  # same hash in both: nothing to compare
    diff = diff_packages(old, package(tmp_path / "v2", OLD, "1.0.0"))
    assert diff.level is Level.NONE and diff.tables == []


def test_a_changed_table_whose_old_file_is_gone_is_assumed_incompatible(tmp_path):
    old = package(tmp_path / "v1", OLD, "1.0.0")
    (tmp_path / "v1" / "posts.parquet").write_bytes(b"not the declared file")
    diff = diff_packages(old, package(tmp_path / "v2", NEW, "1.1.0"))
    assert diff.level is Level.MAJOR
    assert "cannot be compared" in diff.render()


def test_empty_tables_compare(tmp_path):
    schema = pa.schema([("post_id", pa.string()), ("offset", pa.int64())])
    empty = tmp_path / "empty.parquet"
    pq.write_table(schema.empty_table(), empty)
    one = tmp_path / "one.parquet"
    pq.write_table(pa.table({"post_id": ["a"], "offset": [1]}, schema=schema), one)
    assert diff_table("mentions", empty, one, key=["post_id", "offset"]).added == [("a", 1)]
    assert diff_table("mentions", one, empty, key=["post_id", "offset"]).removed == [("a", 1)]
    assert not diff_table("mentions", empty, empty, key=["post_id", "offset"])
