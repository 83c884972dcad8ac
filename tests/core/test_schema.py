import json

import pyarrow as pa
import pytest

from corpus_tools.core.records import Post
from corpus_tools.core.schema import load_schemas, schema_dir
from corpus_tools.errors import UsageError


def test_every_table_is_declared_and_posts_come_first():
    schemas = load_schemas()
    assert list(schemas) == ["posts", "countries", "hashtags", "links", "mentions", "reactions", "rejects"]


def test_arrow_schema_is_derived_from_the_declaration():
    posts = load_schemas()["posts"]
    declared = json.loads((schema_dir() / "posts.schema.json").read_text())
    assert posts.arrow.names == [f["name"] for f in declared["fields"]]
    assert posts.arrow.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert posts.arrow.field("post_id").type == pa.string() and not posts.arrow.field("post_id").nullable
    assert posts.arrow.field("source_line_start").type == pa.int64()
    assert posts.arrow.field("has_media").type == pa.bool_()
    assert posts.required == ["post_id", "channel", "text", "has_media", "is_truncated", "source_file"]


def test_every_posts_column_is_a_post_field():
    fields = set(Post.__dataclass_fields__)
    assert set(load_schemas()["posts"].field_names) <= fields


def test_side_tables_reference_posts():
    for name, schema in load_schemas().items():
        if name not in ("posts", "rejects"):
            assert schema.foreign_keys == [{"fields": ["post_id"],
                                            "reference": {"resource": "posts", "fields": ["post_id"]}}]


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "unreadable schema"), ('{"fields": [{"name": "a", "type": "geopoint"}]}', "has type 'geopoint'"),
     ('{"fields": []}', "declares no fields")],
)
def test_bad_schema_files_are_usage_errors(tmp_path, content, message):
    (tmp_path / "posts.schema.json").write_text(content)
    with pytest.raises(UsageError, match=message):
        load_schemas(tmp_path)
