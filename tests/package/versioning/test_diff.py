"""package.versioning.diff: the difference between two package versions - which tables changed, at
which level - and how it is rendered."""

import copy
import hashlib

from corpus_tools.package.descriptor import PackageFiles
from corpus_tools.package.versioning.diff import diff_packages
from corpus_tools.package.versioning.semver import Level
from tests.package.versioning.conftest import NEW, OLD, write_columns

SCHEMA = {"fields": [{"name": "post_id", "type": "string"}, {"name": "text", "type": "string"},
                     {"name": "views", "type": "integer"}], "primaryKey": ["post_id"],
          "foreignKeys": [{"fields": ["text"], "reference": {"fields": ["post_id"]}}]}


def package(root, columns, version):
    root.mkdir()
    path = write_columns(root / "posts.parquet", columns)
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
