"""package.schemadiff: each kind of metadata or schema change needs the bump the Data Package Version
recipe gives it."""

import copy

import pytest

from corpus_tools.package.versioning.schemadiff import descriptor_changes
from corpus_tools.package.versioning.semver import Level

SCHEMA = {
    "fields": [
        {"name": "post_id", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "text", "type": "string", "description": "The text."},
        {"name": "views", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
    ],
    "primaryKey": ["post_id"],
    "missingValues": [],
}
DESCRIPTOR = {
    "name": "pkg", "id": "u-1", "title": "T", "description": "D", "version": "1.0.0", "created": "2026-01-01T00:00:00Z",
    "keywords": ["k"], "licenses": [{"name": "CC-BY-4.0"}],
    "resources": [
        {"name": "posts", "path": "data/posts.parquet", "format": "parquet", "hash": "sha256:aa", "schema": SCHEMA},
        {"name": "tags", "path": "data/tags.parquet", "format": "parquet", "hash": "sha256:bb",
         "schema": {"fields": [{"name": "post_id", "type": "string"}],
                    "foreignKeys": [{"fields": ["post_id"], "reference": {"resource": "posts", "fields": ["post_id"]}}]}},
    ],
}


def field(descriptor, name, table=0):
    return next(f for f in descriptor["resources"][table]["schema"]["fields"] if f["name"] == name)


def add_field(d):
    d["resources"][0]["schema"]["fields"].append({"name": "lang", "type": "string"})


def reorder(d):
    fields = d["resources"][0]["schema"]["fields"]
    fields[1], fields[2] = fields[2], fields[1]


EDITS = [
    # (what, edit, level, words the change is reported with)
    ("package renamed", lambda d: d.update(name="other"), Level.MAJOR, "name changed"),
    ("package id changed", lambda d: d.update(id="u-2"), Level.MAJOR, "id changed"),
    ("licence changed", lambda d: d.update(licenses=[{"name": "CC0-1.0"}]), Level.MAJOR, "licenses changed"),
    ("resource removed", lambda d: d["resources"].pop(1), Level.MAJOR, "tags: resource removed"),
    ("format changed", lambda d: d["resources"][1].update(format="csv"), Level.MAJOR, "tags: format changed"),
    ("field added", add_field, Level.MAJOR, "posts: field lang added"),
    ("field removed", lambda d: d["resources"][0]["schema"]["fields"].pop(1), Level.MAJOR, "field text removed"),
    ("fields reordered", reorder, Level.MAJOR, "fields reordered"),
    ("type changed", lambda d: field(d, "views").update(type="number"), Level.MAJOR, "posts.views: type"),
    ("format added", lambda d: field(d, "text").update(format="email"), Level.MAJOR, "posts.text: format"),
    ("required added", lambda d: field(d, "text").update(constraints={"required": True}), Level.MAJOR, "required"),
    ("minimum raised", lambda d: field(d, "views")["constraints"].update(minimum=1), Level.MAJOR, "minimum 0 -> 1"),
    ("maximum added", lambda d: field(d, "views")["constraints"].update(maximum=9), Level.MAJOR, "maximum None -> 9"),
    ("enum narrowed", lambda d: field(d, "kind")["constraints"].update(enum=["a"]), Level.MAJOR, "enum"),
    ("pattern added", lambda d: field(d, "text").update(constraints={"pattern": "x"}), Level.MAJOR, "pattern"),
    ("primary key changed", lambda d: d["resources"][0]["schema"].update(primaryKey=["text"]), Level.MAJOR, "primaryKey"),
    ("missing values changed", lambda d: d["resources"][0]["schema"].update(missingValues=[""]), Level.MAJOR, "missingValues"),
    ("foreign key added", lambda d: d["resources"][0]["schema"].update(
        foreignKeys=[{"fields": ["text"], "reference": {"resource": "tags", "fields": ["post_id"]}}]),
     Level.MAJOR, "foreign key ['text'] added"),
    ("resource added", lambda d: d["resources"].append({"name": "new", "path": "n.csv"}), Level.MINOR, "new: resource added"),
    ("required dropped", lambda d: field(d, "post_id")["constraints"].pop("required"), Level.MINOR, "required True -> None"),
    ("unique dropped", lambda d: field(d, "post_id")["constraints"].pop("unique"), Level.MINOR, "unique"),
    ("minimum lowered", lambda d: field(d, "views")["constraints"].update(minimum=-1), Level.MINOR, "minimum 0 -> -1"),
    ("minimum dropped", lambda d: field(d, "views").pop("constraints"), Level.MINOR, "minimum 0 -> None"),
    ("enum widened", lambda d: field(d, "kind")["constraints"].update(enum=["a", "b", "c"]), Level.MINOR, "enum"),
    ("foreign key dropped", lambda d: d["resources"][1]["schema"].pop("foreignKeys"), Level.MINOR, "foreign key"),
    ("title changed", lambda d: d.update(title="New"), Level.PATCH, "title changed"),
    ("keywords changed", lambda d: d.update(keywords=["k", "l"]), Level.PATCH, "keywords changed"),
    ("field description", lambda d: field(d, "text").update(description="Better."), Level.PATCH, "description changed"),
    ("resource description", lambda d: d["resources"][0].update(description="x"), Level.PATCH, "description"),
    ("resource moved", lambda d: d["resources"][0].update(path="posts.parquet"), Level.NONE, "moved from data/posts"),
]


@pytest.mark.parametrize(("edit", "level", "words"), [e[1:] for e in EDITS], ids=[e[0] for e in EDITS])
def test_each_change_needs_its_bump(edit, level, words):
    new = copy.deepcopy(DESCRIPTOR)
    edit(new)
    changes = descriptor_changes(DESCRIPTOR, new)
    assert max(c.level for c in changes) is level, changes
    assert any(words in str(c) for c in changes), [str(c) for c in changes]


def test_version_created_and_hashes_are_not_changes():
    new = copy.deepcopy(DESCRIPTOR)
    new.update(version="1.1.0", created="2027-01-01T00:00:00Z")
    new["resources"][0].update(hash="sha256:cc", _bytes=12)
    assert descriptor_changes(DESCRIPTOR, new) == []


def test_csv_twins_report_arrival_not_each_schema_change():
    old = copy.deepcopy(DESCRIPTOR)
    old["resources"].append({"name": "posts-csv", "path": "data/posts.csv.gz", "format": "csv",
                             "schema": copy.deepcopy(SCHEMA)})
    new = copy.deepcopy(old)
    add_field(new)
    new["resources"][2]["schema"]["fields"].append({"name": "lang", "type": "string"})
    assert [str(c) for c in descriptor_changes(old, new)] == ["posts: field lang added (major)"]
