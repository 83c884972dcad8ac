"""Shared by the package tests: a one-table package of CSV edge cases, the committed package's
descriptor and tables, and a fresh copy of the committed package to damage."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus_tools.core.schema import TableSchema
from corpus_tools.package.descriptor import PACKAGE_PROFILE, table_resource
from corpus_tools.package.exports import csv_resource, write_csv
from tests.conftest import ROOT

SCHEMA = TableSchema("things", {
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "text", "type": "string", "constraints": {"required": True}},
        {"name": "note", "type": "string"},
        {"name": "n", "type": "integer"},
        {"name": "x", "type": "number"},
        {"name": "flag", "type": "boolean"},
        {"name": "at", "type": "datetime"},
        {"name": "day", "type": "date"},
    ],
    "primaryKey": ["id"],
    "missingValues": [],
})
ROWS = [
    {"id": "a", "text": "", "note": None, "n": None, "x": None, "flag": None, "at": None, "day": None},
    {"id": "NA", "text": 'a "quote", a comma\nand a second line', "note": "", "n": -5, "x": 1.5, "flag": True,
     "at": datetime(2025, 4, 3, 12, 30, 1, 123456, tzinfo=UTC), "day": date(2025, 4, 3)},
    {"id": "c", "text": "🇷🇺 кириллица\r\nCRLF", "note": "NULL", "n": 2**40, "x": 1e-7, "flag": False,
     "at": datetime(2025, 4, 5, tzinfo=UTC), "day": date(2025, 4, 5)},
]


def edge_package(root):
    """A package of one table holding the edge cases (ROWS), as Parquet and CSV twin: its descriptor path."""
    (root / "data").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(ROWS, schema=SCHEMA.arrow), root / "data" / "things.parquet")
    write_csv(root / "data" / "things.parquet", root / "data" / "things.csv.gz", SCHEMA)
    resources = [table_resource("things", root / "data" / "things.parquet", "data/things.parquet", SCHEMA),
                 csv_resource("things", root / "data" / "things.csv.gz", "data/things.csv.gz", SCHEMA)]
    descriptor = {"$schema": PACKAGE_PROFILE, "name": "edge-cases", "resources": resources}
    (root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False))
    return root / "datapackage.json"


# --- the committed package -------------------------------------------------------------------------

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text())
TABLES = {r["name"]: ROOT / r["path"] for r in DESCRIPTOR["resources"] if r["format"] == "parquet"}


@pytest.fixture
def committed_package(tmp_path):
    """A copy of the committed package (descriptor and data folder) in the test's folder: its
    datapackage.json."""
    shutil.copy(ROOT / "datapackage.json", tmp_path)
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "datapackage.json"
