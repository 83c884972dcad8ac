"""package.ordering: side tables are stored sorted by their key and declare it; the posts keep their
sources' order and declare only as much of it as holds; an empty table is left as it is."""

import pyarrow as pa
import pyarrow.parquet as pq

from corpus_tools.core.schema import TableSchema
from corpus_tools.convert.parquet import RowGroupWriter
from corpus_tools.package import ordering
from corpus_tools.package.ordering import order_table

TAGS = TableSchema("hashtags", {"fields": [{"name": "post_id", "type": "string"}, {"name": "offset", "type": "integer"}],
                                "primaryKey": ["post_id", "offset"]})
POSTS = TableSchema("posts", {"fields": [{"name": "post_id", "type": "string"}, {"name": "source_file", "type": "string"},
                                         {"name": "source_line_start", "type": "integer"}], "primaryKey": ["post_id"]})


def write(path, schema, rows):
    pq.write_table(pa.Table.from_pylist(rows, schema=schema.arrow), path)
    return path


def declared(path):
    meta = pq.ParquetFile(path).metadata
    return [c.column_index for c in meta.row_group(0).sorting_columns] if meta.num_row_groups else None


def test_a_side_table_is_sorted_by_its_key(tmp_path):
    path = write(tmp_path / "t.parquet", TAGS, [{"post_id": "b", "offset": 1}, {"post_id": "a", "offset": 9},
                                                {"post_id": "a", "offset": 2}])
    assert order_table(path, TAGS) == ["post_id", "offset"] and declared(path) == [0, 1]
    assert pq.read_table(path).to_pylist() == [{"post_id": "a", "offset": 2}, {"post_id": "a", "offset": 9},
                                                {"post_id": "b", "offset": 1}]


def test_posts_keep_their_order_and_declare_what_holds(tmp_path):
    rows = [{"post_id": "z", "source_file": "a.json", "source_line_start": 1},
            {"post_id": "y", "source_file": "a.json", "source_line_start": 7},
            {"post_id": "x", "source_file": "b.json", "source_line_start": 3}]
    path = write(tmp_path / "p.parquet", POSTS, rows)
    assert order_table(path, POSTS) == ["source_file", "source_line_start"] and declared(path) == [1, 2]
    files_only = write(tmp_path / "q.parquet", POSTS, [rows[0], rows[2], {**rows[1], "source_file": "b.json", "source_line_start": 2}])
    assert order_table(files_only, POSTS) == ["source_file"] and declared(files_only) == [1]
    inputs_out_of_name_order = write(tmp_path / "r.parquet", POSTS, [rows[2], rows[0]])
    before = inputs_out_of_name_order.read_bytes()
    assert order_table(inputs_out_of_name_order, POSTS) == [] and inputs_out_of_name_order.read_bytes() == before
    assert [r["post_id"] for r in pq.read_table(path).to_pylist()] == ["z", "y", "x"]  # never reordered


def test_an_empty_table_is_left_as_it_is(tmp_path):
    path = tmp_path / "e.parquet"
    pq.ParquetWriter(path, TAGS.arrow).close()  # as convert writes an empty table: no row group
    before = path.read_bytes()
    assert order_table(path, TAGS) == [] and path.read_bytes() == before
    assert pq.ParquetFile(path).metadata.num_row_groups == 0


def write_declaring(path, rows, sorting):
    """Posts written as convert's join writes them when asked for an order (``posts_order``)."""
    writer = RowGroupWriter(path, POSTS.arrow, sorting=sorting)
    writer.add(pa.RecordBatch.from_pylist(rows, schema=POSTS.arrow))
    writer.close()
    return path


def test_posts_that_declare_the_order_that_holds_are_not_written_again(tmp_path):
    rows = [{"post_id": "z", "source_file": "a.json", "source_line_start": 1},
            {"post_id": "y", "source_file": "a.json", "source_line_start": 7}]
    path = write_declaring(tmp_path / "p.parquet", rows, ["source_file", "source_line_start"])
    before = path.stat()
    assert order_table(path, POSTS) == ["source_file", "source_line_start"] and declared(path) == [1, 2]
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    rewritten = write(tmp_path / "q.parquet", POSTS, rows)
    order_table(rewritten, POSTS)
    assert path.read_bytes() == rewritten.read_bytes()  # the same bytes as declaring it by a rewrite


def test_posts_that_declare_an_order_that_does_not_hold_are_written_with_what_holds(tmp_path):
    rows = [{"post_id": "z", "source_file": "b.json", "source_line_start": 1},
            {"post_id": "y", "source_file": "a.json", "source_line_start": 7}]
    wrong = write_declaring(tmp_path / "p.parquet", rows, ["source_file", "source_line_start"])
    assert order_table(wrong, POSTS) == [] and declared(wrong) == []
    assert wrong.read_bytes() == write_declaring(tmp_path / "q.parquet", rows, []).read_bytes()  # as if undeclared
    partly = write_declaring(tmp_path / "r.parquet", [rows[1], {**rows[0], "source_file": "a.json"}],
                             ["source_file", "source_line_start"])
    assert order_table(partly, POSTS) == ["source_file"] and declared(partly) == [1]


def test_a_side_table_written_in_order_and_declaring_it_is_not_written_again(tmp_path):
    """As the spark engine writes the side tables a build publishes: sorted by the key, declared."""
    rows = [{"post_id": "a", "offset": 2}, {"post_id": "a", "offset": 9}, {"post_id": "b", "offset": 1}]
    path = tmp_path / "t.parquet"
    writer = RowGroupWriter(path, TAGS.arrow, sorting=["post_id", "offset"])
    writer.add(pa.RecordBatch.from_pylist(rows, schema=TAGS.arrow))
    writer.close()
    before = path.stat()
    assert order_table(path, TAGS) == ["post_id", "offset"]
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    sorted_here = write(tmp_path / "u.parquet", TAGS, rows[::-1])
    order_table(sorted_here, TAGS)
    assert path.read_bytes() == sorted_here.read_bytes()  # the bytes a sort in memory writes


def test_the_order_is_checked_across_batches(tmp_path, monkeypatch):
    """sorted_prefix reads a batch at a time: a break in the order between two batches counts too."""
    monkeypatch.setattr(ordering, "ROW_GROUP_SIZE", 2)
    ordered = [("a", 1), ("a", 2), ("a", 3), ("b", 0), ("b", 5)]
    cases = {"all": (ordered, ["post_id", "offset"]), "offset breaks at a batch's edge": (
        [("a", 1), ("a", 3), ("a", 2), ("b", 0), ("b", 5)], ["post_id"]), "post_id breaks at a batch's edge": (
        [("a", 1), ("b", 3), ("a", 4), ("b", 0)], []), "a null comes last": ([("a", 1), ("a", None), ("b", 0)], ["post_id", "offset"]),
        "not first": ([("a", 0), ("a", None), ("a", 1)], ["post_id"])}
    for name, (pairs, held) in cases.items():
        path = write(tmp_path / "t.parquet", TAGS, [{"post_id": p, "offset": o} for p, o in pairs])
        assert ordering.sorted_prefix(path, ["post_id", "offset"]) == held, name
