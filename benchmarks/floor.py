"""The floor for convert: the same Telegram Desktop export read and the same posts columns written
by bare pyarrow (ijson to stream the JSON, as convert does), with no normalisation, no entities,
no side tables and no checks. What convert costs above this is what corpus-tools adds.

    python benchmarks/floor.py INPUT.json OUT.parquet
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import ijson
import pyarrow as pa
import pyarrow.parquet as pq

from corpus_tools.convert.parquet import COMPRESSION, ROW_GROUP_SIZE
from corpus_tools.core.schema import load_schemas


def row(message: dict, channel: str, channel_id: str) -> dict:
    """The posts columns a Desktop message gives directly, taken as they are."""
    text = message.get("text", "")
    if not isinstance(text, str):
        text = "".join(p if isinstance(p, str) else p.get("text", "") for p in text)
    unix = message.get("date_unixtime")
    return {
        "post_id": f"{channel_id}/{message['id']}", "channel": channel, "channel_id": channel_id,
        "message_id": str(message["id"]), "text": text,
        "published_at": datetime.fromtimestamp(int(unix), tz=UTC) if unix else None,
        "published_local": message.get("date"), "author": message.get("author") or message.get("from"),
        "author_id": message.get("from_id"), "forwarded_from": message.get("forwarded_from"),
        "reply_to_message_id": str(message["reply_to_message_id"]) if "reply_to_message_id" in message else None,
        "has_media": bool(message.get("photo") or message.get("file")), "is_truncated": False,
        "source_file": "input.json",
    }


def main(source: Path, out: Path) -> None:
    schema = load_schemas()["posts"].arrow
    # A required flag the export does not state (views_approximate: a Desktop export's counts are exact)
    # is false, as convert writes it; the schema says which they are.
    flags = {f.name: False for f in schema if not f.nullable and pa.types.is_boolean(f.type)}
    rows: list[dict] = []
    header = {}
    with source.open("rb") as handle:  # the chat's name and id come before its messages
        for prefix, event, value in ijson.parse(handle):
            if prefix in ("name", "id") and event in ("string", "number"):
                header[prefix] = value
            elif prefix == "messages":
                break
    with source.open("rb") as handle, pq.ParquetWriter(out, schema, compression=COMPRESSION) as writer:
        channel, channel_id = str(header.get("name", "")), str(header.get("id", ""))
        for message in ijson.items(handle, "messages.item", use_float=True):
            if message.get("type") != "message":
                continue
            rows.append({**flags, **row(message, channel, channel_id)})
            if len(rows) >= ROW_GROUP_SIZE:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        writer.write_table(pa.Table.from_pylist(rows, schema=schema))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
