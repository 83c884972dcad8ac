import json

import pyarrow as pa
import pytest

from corpus_tools.core.records import Post
from corpus_tools.core.schema import ForeignKey, load_schemas, schema_dir
from corpus_tools.errors import UsageError


def test_every_table_is_declared_and_posts_come_first():
    schemas = load_schemas()
    assert list(schemas) == ["posts", "countries", "hashtags", "links", "mentions", "poll_options", "polls",
                             "post_sources", "reactions", "rejects"]


def test_arrow_schema_is_derived_from_the_declaration():
    posts = load_schemas()["posts"]
    declared = json.loads((schema_dir() / "posts.schema.json").read_text())
    assert posts.arrow.names == [f["name"] for f in declared["fields"]]
    assert posts.arrow.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert posts.arrow.field("post_id").type == pa.string() and not posts.arrow.field("post_id").nullable
    assert posts.arrow.field("source_line_start").type == pa.int64()
    assert posts.arrow.field("has_media").type == pa.bool_()
    assert posts.required == ["post_id", "channel", "text", "has_media", "views_approximate", "is_truncated",
                              "source_file"]


def test_every_posts_column_is_a_post_field():
    fields = set(Post.__dataclass_fields__)
    assert set(load_schemas()["posts"].field_names) <= fields


def test_side_tables_reference_posts():
    for name, schema in load_schemas().items():
        if name not in ("posts", "rejects"):
            assert schema.foreign_keys == [ForeignKey(fields=["post_id"], resource="posts", target_fields=["post_id"])]


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "unreadable schema"), ('{"fields": [{"name": "a", "type": "geopoint"}]}', "has type 'geopoint'"),
     ('{"fields": []}', "declares no fields")],
)
def test_bad_schema_files_are_usage_errors(tmp_path, content, message):
    (tmp_path / "posts.schema.json").write_text(content)
    with pytest.raises(UsageError, match=message):
        load_schemas(tmp_path)


# Table Schema type -> the Python type a record field of that column holds.
PYTHON_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "datetime": "datetime",
                "date": "date"}
# Post fields after the columns: the side tables' entities, and what the privacy step reads
ENTITY_LISTS = {"hashtags", "mentions", "countries", "links", "reactions", "poll", "author_unidentified"}
NAMED_BY_STEPS = {"post_id"}  # required in the table, None until convert's ids step names the post


def test_post_fields_are_the_posts_columns_by_name_and_type():
    """Post mirrors schemas/posts.schema.json: the same columns in the same order, each of the declared
    type and nullable exactly when the column is (a test, so any drift between the two fails here)."""
    schema = load_schemas()["posts"]
    fields = {name: f for name, f in Post.__dataclass_fields__.items() if name not in ENTITY_LISTS}
    assert list(fields) == schema.field_names
    for column in schema.fields:
        annotation = fields[column["name"]].type.replace(" ", "")
        python = PYTHON_TYPES[column["type"]]
        required = column.get("constraints", {}).get("required") and column["name"] not in NAMED_BY_STEPS
        assert annotation == (python if required else f"{python}|None"), column["name"]


def test_side_table_rows_have_the_declared_columns():
    from datetime import UTC, datetime

    from corpus_tools.convert.merge import written_tables
    from corpus_tools.convert.tables import table_rows
    from corpus_tools.core.records import Link, Mention, Poll, PollOption, Reject

    post = Post(channel="c", text="#a @user 🇷🇺 x.org", source_file="f", post_id="c/1",
                published_at=datetime(2025, 4, 3, tzinfo=UTC), hashtags=[(0, "a")],
                mentions=[Mention(3, "@user", username="user")], countries=[(9, "RU")],
                links=[Link("x.org", offset=12)], reactions=[("👍", 2)],
                poll=Poll("Q?", [PollOption("yes", votes=1)], total_voters=1))
    rows = list(table_rows(post)) + list(table_rows(Reject("f", "line 1", "why", "raw")))
    schemas = load_schemas()
    # every table convert writes from records gets a row (post_sources is made by the merge pass)
    assert sorted(table for table, _ in rows) == sorted(written_tables(schemas))
    for table, row in rows:
        expected = schemas[table].field_names
        assert set(row) >= set(expected) if table == "posts" else list(row) == expected, table
