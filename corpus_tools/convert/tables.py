"""Turning records into table rows, and writing them: which field of a post lands in which column of
which table.

The posts table takes its columns straight from the declared schema (a column is the Post field of
the same name, so a post's ``vars()`` is its row); side tables get one row per entity, keyed by
post_id and the entity's offset; a reject is a row of the rejects table. ``write_tables`` streams
records into one Parquet writer per declared table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path

import pyarrow as pa

from ..core.progress import progress
from ..core.records import Post, Record, Reject, Row
from ..core.schema import TableSchema
from .parquet import TableWriter
from .steps.entities import country_name


def side_rows(post: Post) -> Iterator[tuple[str, Row]]:
    """(table, row) for every entity of the post, in text order within each table."""
    for offset, tag in post.hashtags or []:
        yield "hashtags", {"post_id": post.post_id, "offset": offset, "hashtag": tag}
    for mention in post.mentions or []:
        yield "mentions", {"post_id": post.post_id, "offset": mention.offset, "shown_as": mention.shown_as,
                           "username": mention.username, "user_id": mention.user_id}
    for offset, code in post.countries or []:
        yield "countries", {"post_id": post.post_id, "offset": offset, "country_code": code,
                            "country_name": country_name(code)}
    for reaction, count, *rounded in post.reactions:
        yield "reactions", {"post_id": post.post_id, "reaction": reaction, "count": count,
                            "count_approximate": bool(rounded and rounded[0])}
    for link in post.links or []:
        if link.offset is not None:
            label = link.label if link.label != link.url else None
            yield "links", {"post_id": post.post_id, "offset": link.offset, "url": link.url, "label": label}


def poll_rows(post: Post) -> Iterator[tuple[str, Row]]:
    """(table, row) for a poll post: its row in polls and one per option in poll_options."""
    poll = post.poll
    if poll is None:
        return
    yield "polls", {"post_id": post.post_id, "question": poll.question, "closed": poll.closed,
                    "total_voters": poll.total_voters, "total_voters_approximate": poll.total_voters_approximate}
    for position, option in enumerate(poll.options):
        yield "poll_options", {"post_id": post.post_id, "position": position, "text": option.text,
                               "votes": option.votes, "percent": option.percent}


def reject_row(reject: Reject) -> Row:
    return {"source_file": reject.source_file, "location": reject.location,
            "reason": reject.reason, "raw": reject.raw}


def table_rows(record: Record) -> Iterator[tuple[str, Row]]:
    """(table, row) for every row a record gives: a post its row and its entities', a reject its own."""
    if isinstance(record, Post):
        yield "posts", vars(record)  # the writer takes the declared columns
        yield from side_rows(record)
        yield from poll_rows(record)
    else:
        yield "rejects", reject_row(record)


POST_ROW = "_post_row"  # in staged tables linked to the posts: the row of their post, for the merge pass


def linked_tables(schemas: dict[str, TableSchema]) -> list[str]:
    """The tables whose rows belong to a post (a foreign key to posts.post_id), posts aside."""
    return [name for name, schema in schemas.items() if name != "posts" and any(
        key.resource == "posts" and key.target_fields == ["post_id"] for key in schema.foreign_keys)]


def staged_arrow(schemas: dict[str, TableSchema]) -> dict[str, pa.Schema]:
    """The Arrow schema each table is first written with: the declared one, and for linked tables
    a POST_ROW column, so that the merge pass can keep the rows of the copy of a post it keeps."""
    linked = set(linked_tables(schemas))
    return {name: schema.arrow.append(pa.field(POST_ROW, pa.int64(), nullable=False)) if name in linked
            else schema.arrow for name, schema in schemas.items()}


def write_tables(records: Iterable[Record], out_dir: Path, schemas: dict[str, TableSchema], *,
                 show_progress: bool = True) -> dict[str, int]:
    """Stream records into one Parquet file per table in ``schemas`` (as ``staged_arrow``); return
    the row counts."""
    arrows = staged_arrow(schemas)
    writers = {name: TableWriter(out_dir / f"{name}.parquet", schema, arrow=arrows[name])
               for name, schema in schemas.items()}
    linked, post_row = set(linked_tables(schemas)), -1
    try:
        with progress("Converting", unit="records") if show_progress else nullcontext(lambda n: None) as advance:
            for count, record in enumerate(records, start=1):
                post_row += isinstance(record, Post)
                for table, row in table_rows(record):
                    if table in linked:
                        row[POST_ROW] = post_row
                    writers[table].append(row)
                if count % 1000 == 0:
                    advance(1000)
    finally:
        counts = {name: writer.close() for name, writer in writers.items()}
    return counts
