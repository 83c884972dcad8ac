"""Running the suites with GX in its own process: frames are let go once their checkpoint has run,
an empty table is answered as GX answers it, a failure in the GX process is reported, and specs
started early give what one run gives."""

import gc
import weakref
from datetime import UTC, datetime

import pyarrow as pa
import pytest

from corpus_tools.core.schema import load_schemas
from corpus_tools.validate.config import load_config
from corpus_tools.validate.gx_chunks import row_wise
from corpus_tools.validate.gx_run import EMPTY_TABLE_RESULT, GXProcess, check_result
from corpus_tools.validate.gx_worker import context, validate_table
from corpus_tools.validate.suites import families, suite_dict

SPECS = [s for family in families(load_schemas(), load_config(None)) for s in family.specs()]
PARAMETERS = {"now": datetime.now(UTC), "coverage_start": datetime(2025, 1, 1, tzinfo=UTC),
              "coverage_end": datetime(2026, 1, 1, tzinfo=UTC)}


def _empty_frame(table, specs):
    declared = load_schemas()[table].arrow
    names = list(dict.fromkeys(c for s in specs for c in s.columns))
    types = [declared.field(n).type if n in declared.names else pa.string() for n in names]
    return pa.table([pa.array([], type=t) for t in types], names=names)


def test_no_frame_outlives_its_checkpoint():
    # GX's pandas execution engine caches each batch's dataframe for the life of its data source,
    # and GX keeps the context alive: at a million posts that held 400 MB to the end of the build.
    gx_context = context(None)
    frames = []

    class Frame:  # what the worker is sent, as far as it is concerned: something with to_pandas()
        def __init__(self, specs):
            self.specs = specs

        def to_pandas(self):
            made = pa.table({c: ["x", "y"] for s in self.specs for c in s.columns}).to_pandas()
            frames.append(weakref.ref(made))
            return made

    for table in ("hashtags", "links"):
        specs = [s for s in SPECS if s.table == table and s.id.endswith(".not_null")]
        found = validate_table(gx_context, table=table, suite=suite_dict(table, specs), frame=Frame(specs),
                               parameters=PARAMETERS, examples=3, docs=False)
        assert set(found) == {s.id for s in specs} and all(r["success"] for r in found.values())
    gc.collect()
    assert len(frames) == 2 and all(ref() is None for ref in frames)


@pytest.mark.parametrize("table", list(load_schemas()))
def test_an_empty_table_is_answered_as_gx_answers_it(table):
    specs = [s for s in SPECS if s.table == table and row_wise(s)]
    found = validate_table(context(None), table=table, suite=suite_dict(table, specs), frame=_empty_frame(table, specs),
                           parameters=PARAMETERS, examples=3, docs=False)

    def ids(row):
        return {"row": row}

    for spec in specs:
        assert check_result(spec, found[spec.id], ids) == check_result(spec, EMPTY_TABLE_RESULT, ids), spec.id


def test_only_row_wise_expectations_are_answered_without_gx():
    assert not row_wise(next(s for s in SPECS if s.id == "posts.rows.not_empty"))
    with GXProcess(None) as gx:
        specs = {"posts": [s for s in SPECS if s.id == "posts.rows.not_empty"]}
        found = gx.run(lambda table: _empty_frame(table, specs[table]), specs, parameters=PARAMETERS, examples=3)
    assert found["posts.rows.not_empty"]["success"] is False


def test_a_failure_in_the_gx_process_is_reported():
    spec = next(s for s in SPECS if s.id == "hashtags.hashtag.not_null")
    with GXProcess(None) as gx, pytest.raises(RuntimeError, match="failed on the hashtags table"):
        gx.validate("hashtags", [spec], pa.table({"hashtag": ["#x"]}), parameters={"now": "not a date"}, examples=3)


def test_without_data_docs_the_results_are_those_of_summary():
    # BASIC results for the checks that pass, SUMMARY's for those that fail (run again): together
    # what one SUMMARY run gives, examples and row positions included.
    specs = [s for s in SPECS if s.table == "hashtags"]
    frame = pa.table({"post_id": ["a/1", "a/1", None, "a/2"], "offset": [0, 0, 3, -1], "hashtag": ["#x", None, "#y", "#z"],
                      "post_id__unresolved": [None, None, None, "a/2"]})
    with GXProcess(None) as gx:
        found = gx.validate("hashtags", specs, frame, parameters=PARAMETERS, examples=3)
    summary = validate_table(context(None), table="hashtags", suite=suite_dict("hashtags", specs), frame=frame,
                             parameters=PARAMETERS, examples=3, docs=False)

    def ids(row):
        return {"row": row}

    assert sum(not r["success"] for r in summary.values()) >= 3
    for spec in specs:
        assert check_result(spec, found[spec.id], ids) == check_result(spec, summary[spec.id], ids), spec.id


def test_specs_started_early_give_what_one_run_gives():
    # The specs on declared columns sent before the rest (start), the others after (run): the same
    # results as all of them in one run, failing rows' examples included.
    specs = [s for s in SPECS if s.table == "hashtags"]
    frame = pa.table({"post_id": ["a/1", "a/1", None, "a/2"], "offset": [0, 0, 3, -1], "hashtag": ["#x", None, "#y", "#z"],
                      "post_id__unresolved": [None, None, None, "a/2"]})
    declared = set(load_schemas()["hashtags"].field_names)
    early = [s for s in specs if set(s.columns) <= declared]
    late = [s for s in specs if s not in early]
    assert early and late
    with GXProcess(None) as gx:
        together = gx.run(lambda table: frame, {"hashtags": specs}, parameters=PARAMETERS, examples=3)
    with GXProcess(None) as gx:
        gx.start(lambda table: frame, {"hashtags": early}, parameters=PARAMETERS, examples=3)
        split = gx.run(lambda table: frame, {"hashtags": late}, parameters=PARAMETERS, examples=3)

    def ids(row):
        return {"row": row}

    assert sum(not r["success"] for r in together.values()) >= 3 and set(split) == set(together)
    for spec in specs:
        assert check_result(spec, split[spec.id], ids) == check_result(spec, together[spec.id], ids), spec.id
