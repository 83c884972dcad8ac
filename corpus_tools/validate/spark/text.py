"""The posts' text on Spark: scanned once, batch by batch on the executors (``mapInArrow``), by the code
the local engine runs (``textscan.TextBatch`` and the families' per-batch functions), so that every
per-post fact of the text is the local one by construction.

Each post's row comes out with the columns it went in with, less its text, and these facts:

- ``text__hash``: the 64-bit hash of the text (as a signed long; null for a null text), which the
  exact duplicate checks group by;
- ``text__visible_chars`` (null for a null text), ``text__interface_string``, ``text__is_nfc``: the
  integrity family's columns;
- ``text__repetition``: the repetition family's column.

The text itself never leaves the executors.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa

FACTS = {"text__hash": "long", "text__visible_chars": "long", "text__interface_string": "string",
         "text__is_nfc": "boolean", "text__repetition": "string"}


def with_text_facts(posts: Any, config: Any) -> Any:
    """``posts`` (a Spark DataFrame with a ``text`` column) with the text replaced by its facts."""
    from pyspark.sql import types

    kinds = {"long": types.LongType(), "string": types.StringType(), "boolean": types.BooleanType()}
    schema = types.StructType([f for f in posts.schema.fields if f.name != "text"])
    for name, kind in FACTS.items():
        schema = schema.add(name, kinds[kind])
    return posts.mapInArrow(functools.partial(scan_batches, config=config), schema)


def scan_batches(batches: Iterator[pa.RecordBatch], *, config: Any) -> Iterator[pa.RecordBatch]:
    """The facts of each batch's texts, beside the batch's other columns (runs on an executor)."""
    from ..families.integrity import text_facts
    from ..families.repetition import Repetition
    from ..textscan import Scratch, TextBatch

    repetition, scratch = Repetition({}, config), Scratch()
    for batch in batches:
        scanned = TextBatch(batch.column(batch.schema.get_field_index("text")), start=0, scratch=scratch)
        visible, interface, nfc = text_facts(scanned)
        facts = [pa.array(scanned.hashes.view(np.int64), mask=scanned.nulls),
                 pa.array(visible, pa.int64(), mask=visible < 0), interface, nfc, repetition.reasons(scanned)]
        kept = [name for name in batch.schema.names if name != "text"]
        yield pa.RecordBatch.from_arrays([batch.column(name) for name in kept] + facts, names=kept + list(FACTS))
