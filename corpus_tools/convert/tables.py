"""Turning records into table rows: which field of a post lands in which column of which table.

The posts table takes its columns straight from the declared schema (a column is the Post field of
the same name, so a post's ``vars()`` is its row); side tables get one row per entity, keyed by
post_id and the entity's offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..core.records import Post, Reject
from .steps.entities import country_name

Row = dict[str, Any]


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
    for reaction, count in post.reactions:
        yield "reactions", {"post_id": post.post_id, "reaction": reaction, "count": count}
    for link in post.links or []:
        if link.offset is not None:
            label = link.label if link.label != link.url else None
            yield "links", {"post_id": post.post_id, "offset": link.offset, "url": link.url, "label": label}


def reject_row(reject: Reject) -> Row:
    return {"source_file": reject.source_file, "location": reject.location,
            "reason": reject.reason, "raw": reject.raw}
