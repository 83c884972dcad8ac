"""Keeping references inside the dataset: a reply points to a post only if that post is in it.

Readers of sources with message ids set ``reply_to_post_id`` to the id the answered post would have.
Whether that post is in the dataset is known only once every input has been read (dumps are often
newest first, and several channels may reply to each other), so this runs on the written posts
table: ids that match no post are set to null (``reply_to_message_id`` keeps the raw reference).
Only the two id columns are read to decide; the table is rewritten row group by row group, so
memory stays bounded.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..core.schema import TableSchema
from .parquet import COMPRESSION


def drop_dangling_replies(path: Path, schema: TableSchema) -> int:
    """Null every ``reply_to_post_id`` in the posts table at ``path`` that names no post; return
    how many were nulled."""
    ids = pq.read_table(path, columns=["post_id", "reply_to_post_id"])
    replies = ids.column("reply_to_post_id")
    dangling = pc.and_(pc.is_valid(replies), pc.invert(pc.is_in(replies, value_set=ids.column("post_id"))))
    count = pc.sum(dangling).as_py() or 0
    if count == 0:
        return 0
    source = pq.ParquetFile(path)
    temp = path.with_name(f".{path.name}.rewrite")
    column = schema.arrow.get_field_index("reply_to_post_id")
    with pq.ParquetWriter(temp, schema.arrow, compression=COMPRESSION) as writer:
        offset = 0
        for group in range(source.num_row_groups):
            table = source.read_row_group(group)
            mask = dangling.slice(offset, table.num_rows)
            fixed = pc.if_else(mask, pa.scalar(None, pa.string()), table.column(column))
            table = table.set_column(column, schema.arrow.field(column), fixed)
            writer.write_table(table, row_group_size=table.num_rows)
            offset += table.num_rows
    os.replace(temp, path)
    return count
