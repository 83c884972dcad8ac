"""Running the suites with GX: each table's frame is let go once its checkpoint has run."""

import gc
import weakref

import pandas as pd

from corpus_tools.core.schema import load_schemas
from corpus_tools.validate.config import load_config
from corpus_tools.validate.gx_run import run_suites
from corpus_tools.validate.suites import families


def test_no_frame_outlives_its_checkpoint():
    # GX's pandas execution engine caches each batch's dataframe for the life of its data source,
    # and GX keeps the context alive: at a million posts that held 400 MB to the end of the build.
    schemas = load_schemas()
    specs = [s for family in families(schemas, load_config(None)) for s in family.specs()
             if s.table in ("hashtags", "links") and s.id.endswith(".not_null")]
    by_table = {t: [s for s in specs if s.table == t] for t in ("hashtags", "links")}
    frames = []

    def frame(table):
        made = pd.DataFrame({c: ["x", "y"] for s in by_table[table] for c in s.columns})
        frames.append(weakref.ref(made))
        return made

    found = run_suites(frame, by_table, parameters={}, examples=3)
    gc.collect()
    assert set(found) == {s.id for s in specs} and all(r["success"] for r in found.values())
    assert len(frames) == 2 and all(ref() is None for ref in frames)
