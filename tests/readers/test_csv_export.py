"""Scraper CSV: 4CAT's Telegram columns by default, another scraper's through --column overrides."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from corpus_tools.convert.steps.ids import AssignPostIds
from corpus_tools.core.records import Post, Reject
from corpus_tools.errors import InputError, UsageError
from corpus_tools.readers.base import ReaderOptions
from corpus_tools.readers.csv_export import CsvReader, repeated_reactions
from corpus_tools.readers.timestamps import parse_zone

FOURCAT_HEADER = ["id", "thread_id", "chat", "author", "author_username", "author_name", "author_is_bot", "body",
                  "reply_to", "views", "reactions", "timestamp", "unix_timestamp", "timestamp_edited",
                  "unix_timestamp_edited", "author_forwarded_from_name", "author_forwarded_from_id",
                  "attachment_type"]


def csv_text(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def fourcat_row(number, body="hello", **fields):
    row = dict.fromkeys(FOURCAT_HEADER, "")
    row.update({"id": f"mfarussia-{number}", "thread_id": "mfarussia", "chat": "mfarussia", "author": "123",
                "author_name": "MFA", "body": body, "timestamp": "2025-04-03 13:00:00",
                "unix_timestamp": "1743674400"})
    row.update(fields)
    return [row[h] for h in FOURCAT_HEADER]


def read(write, text, **options):
    path = write("export.csv", text)
    reader = CsvReader(ReaderOptions(**options))
    records = list(AssignPostIds()(reader.read(path, path.name)))  # ids are named by convert's ids step
    return records, reader.stats[path.name]


def test_fourcat_rows(write):
    rows = [fourcat_row(1, "first, with comma\nand newline", views="1500", reactions="👍👍❤️",
                        attachment_type="photo", unix_timestamp_edited="1743678000"),
            fourcat_row(2, "reply", reply_to="1", author_forwarded_from_name="MoD Russia",
                        author_forwarded_from_id="555", attachment_type="url")]
    (first, second), stats = read(write, csv_text(FOURCAT_HEADER, rows))
    assert (first.post_id, first.channel, first.message_id) == ("mfarussia/1", "mfarussia", "1")
    assert first.text == "first, with comma\nand newline"
    assert first.published_at == datetime(2025, 4, 3, 10, tzinfo=UTC) and first.date_source == "platform"
    assert first.published_local == "2025-04-03 13:00:00"
    assert first.edited_at == datetime(2025, 4, 3, 11, tzinfo=UTC)
    assert (first.views, first.reactions, first.media_type) == (1500, [("👍", 2), ("❤️", 1)], "photo")
    assert (second.reply_to_post_id, second.forwarded_from, second.forwarded_from_id) == ("mfarussia/1", "MoD Russia", "555")
    assert second.media_type is None and not second.has_media  # a link preview is not media
    assert stats["record_usage"] == {"post": 2, "service": 0, "rejected": 0, "excluded": 0}


def test_another_scraper_through_column_overrides(write):
    header = ["msg_id", "channel_name", "message", "date", "views"]
    text = csv_text(header, [["10", "rybar", "Привет", "2025-04-03T10:00:00+00:00", "7"]])
    (post,), _ = read(write, text, columns={"message_id": "msg_id", "channel": "channel_name", "text": "message",
                                            "published_at": "date", "published_local": ""})
    assert (post.post_id, post.text, post.views) == ("rybar/10", "Привет", 7)
    assert post.published_at == datetime(2025, 4, 3, 10, tzinfo=UTC)


def test_local_time_only_needs_a_zone(write):
    header = ["id", "chat", "body", "timestamp"]
    text = csv_text(header, [["1", "c", "x", "2025-04-03 13:00:00"]])
    (post,), _ = read(write, text)
    assert post.published_at is None and post.published_local == "2025-04-03 13:00:00"
    (post,), _ = read(write, text, tz=parse_zone("Europe/Moscow"))
    assert post.published_at == datetime(2025, 4, 3, 10, tzinfo=UTC) and post.date_source == "platform_local"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [({"id": ""}, "missing id"), ({"unix_timestamp": "noon"}, "unparseable time 'noon'"),
     ({"views": "many"}, "views 'many' is not a number"), ({"views": "-3"}, "views '-3' is negative")],
)
def test_bad_rows_are_rejected(write, fields, reason):
    text = csv_text(FOURCAT_HEADER, [fourcat_row(1), fourcat_row(2, **fields)])
    records, stats = read(write, text)
    assert isinstance(records[0], Post) and isinstance(records[1], Reject)
    assert records[1].reason == reason and records[1].location == "line 3"
    assert stats["record_usage"] == {"post": 1, "service": 0, "rejected": 1, "excluded": 0}


def test_row_with_the_wrong_number_of_fields(write):
    text = csv_text(FOURCAT_HEADER, [fourcat_row(1)]) + "only,three,fields\n"
    records, _ = read(write, text)
    assert records[1].reason == f"row has 3 fields, the header {len(FOURCAT_HEADER)}"
    assert records[1].raw == "only,three,fields"


def test_header_without_the_needed_columns(write):
    with pytest.raises(InputError, match="no column 'body' for text; map one with columns text=COLUMN"):
        read(write, "id,chat,message\n1,c,x\n")


def test_unknown_override_field():
    with pytest.raises(UsageError, match="unknown field 'txt'"):
        CsvReader(ReaderOptions(columns={"txt": "message"}))


def test_repeated_reactions_with_joined_emoji():
    assert repeated_reactions("👍🏽👍🏽👨‍👩‍👧❤️") == [("👍🏽", 2), ("👨‍👩‍👧", 1), ("❤️", 1)]
    assert repeated_reactions("") == []
