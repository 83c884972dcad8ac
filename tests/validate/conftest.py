"""A small valid dataset to plant defects in, written as `convert` writes a folder of tables.

Two channels numbered by message id, platform dates in April 2025 rising within each channel, one
reply, one edited post, one media-only post with an empty text, hashtags pointing at posts.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus_tools.core.schema import load_schemas
from corpus_tools.package.descriptor import package_descriptor, table_resource
from corpus_tools.validate.run import validate

SCHEMAS = load_schemas()
COVERAGE = "2025-04-01/2025-04-30"
TEXTS = {
    "alpha/1": "Foreign Minister met his counterpart in Moscow\nThey discussed trade and energy cooperation for next year.",
    "alpha/2": "The embassy opened a new cultural centre with an exhibition of contemporary photography.",
    "alpha/3": "Statement on the situation in the region: all parties must return to negotiations now.",
    "alpha/4": "Read the full interview with the spokeswoman about sanctions and their effect on farmers.",
    "alpha/5": "",
    "beta/1": "Weather in the capital delayed the arrival of the delegation by several hours today.",
    "beta/2": "A joint communiqué was signed after two days of consultations on maritime security.",
    "beta/3": "Schoolchildren from twelve countries took part in the annual mathematics olympiad.",
}


def moment(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 4, day, hour, minute, tzinfo=UTC)


def clean_posts() -> list[dict]:
    rows = []
    for k, (post_id, text) in enumerate(TEXTS.items()):
        channel, message = post_id.split("/")
        rows.append({name: None for name in SCHEMAS["posts"].field_names} | {
            "post_id": post_id, "channel": channel, "message_id": message, "text": text,
            "published_at": moment(3 + int(message) // 3, 8 + int(message)), "date_precision": "second",
            "date_source": "platform", "has_media": text == "", "media_type": "photo" if text == "" else None,
            "views": 100 * (k + 1), "views_approximate": False, "forwards": k, "is_truncated": False,
            "source_file": "export.json"})
    rows[2]["reply_to_post_id"] = "alpha/1"
    rows[1]["edited_at"] = moment(4, 12)
    return rows


def clean_tables() -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
    tables["posts"] = clean_posts()
    tables["hashtags"] = [{"post_id": "alpha/1", "offset": 0, "hashtag": "diplomacy"},
                          {"post_id": "beta/2", "offset": 3, "hashtag": "sea"}]
    return tables


def write_tables(folder: Path, tables: dict[str, list[dict]], *, period: str | None = COVERAGE,
                 loose: bool = False) -> Path:
    """Write every declared table (``loose``: every column nullable, as DuckDB or polars write them)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, schema in SCHEMAS.items():
        arrow = pa.schema([f.with_nullable(True) for f in schema.arrow]) if loose else schema.arrow
        pq.write_table(pa.Table.from_pylist(tables[name], schema=arrow), folder / f"{name}.parquet")
    (folder / "manifest.json").write_text(json.dumps({"options": {"period": period}}))
    return folder


def write_package(folder: Path, *, coverage: str | None = COVERAGE) -> Path:
    """A datapackage.json beside the tables of ``folder``, with their hashes."""
    resources = [table_resource(name, folder / f"{name}.parquet", f"{name}.parquet", schema)
                 for name, schema in SCHEMAS.items()]
    descriptor = package_descriptor(metadata={"name": "t", "title": "T", "description": "D"}, version="1.0.0",
                                    created="2025-05-01T00:00:00Z", sources=[], resources=resources,
                                    temporal_coverage=coverage)
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor))
    return path


@pytest.fixture
def tables():
    """A fresh copy of the clean tables, to plant a defect in."""
    return copy.deepcopy(clean_tables())


@pytest.fixture
def package(tmp_path, tables):
    """The clean tables in the test's folder with a datapackage.json: its path."""
    write_tables(tmp_path, tables)
    return write_package(tmp_path)


def run(path: Path, **options):
    return validate(path, now=datetime(2026, 11, 28, tzinfo=UTC), **options)


def failed(result) -> set[str]:
    return {r.spec.id for r in result.results if r.failed}


def result_of(result, check_id: str):
    return next(r for r in result.results if r.spec.id == check_id)


# --- defects to plant in the clean tables (each returns the post ids it touched) ----------------------

def post_row(tables, post_id):
    return next(r for r in tables["posts"] if r["post_id"] == post_id)


def unmerged_renderings(tables):
    row = post_row(tables, "alpha/1")
    row["text"] = row["text"] + "\n" + row["text"]  # both renderings of the post, one after the other
    return {"alpha/1"}


def near_duplicate_pair(tables):
    post_row(tables, "beta/3")["text"] = post_row(tables, "alpha/4")["text"] + " Today."
    return {"alpha/4", "beta/3"}
