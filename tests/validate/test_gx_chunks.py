"""A long table's row-wise expectations run on slices of rows give GX's results on the whole table:
counts summed, failing rows in order with their positions, the first examples kept, percentages as
GX computes them; the expectations that compare rows across the table run on it whole."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from corpus_tools.convert.run import convert
from corpus_tools.core.schema import load_schemas
from corpus_tools.synth import synth
from corpus_tools.validate import gx_run
from corpus_tools.validate.config import load_config
from corpus_tools.validate.gx_chunks import compact, merge, mergeable, slices
from corpus_tools.validate.gx_run import GXProcess
from corpus_tools.validate.run import validate
from corpus_tools.validate.suites import families

SPECS = [s for family in families(load_schemas(), load_config(None)) for s in family.specs()]
PARAMETERS = {"now": datetime(2026, 11, 28, tzinfo=UTC), "coverage_start": datetime(2025, 1, 1, tzinfo=UTC),
              "coverage_end": datetime(2026, 1, 1, tzinfo=UTC)}


def _hashtags(rows: int) -> pa.Table:
    """hashtags rows with defects every few rows: a missing post id, a negative offset, a missing tag,
    an unresolved post id, and a key that repeats far apart."""
    post_ids = [None if i % 7 == 3 else f"c/{i // 2}" for i in range(rows)]
    post_ids[-1] = post_ids[0]  # the first row's key again, in the last slice
    return pa.table({"post_id": post_ids, "offset": [-1 if i % 11 == 5 else i % 2 for i in range(rows)],
                     "hashtag": [None if i % 13 == 8 else f"#t{i}" for i in range(rows)],
                     "post_id__unresolved": [f"c/{i}" if i % 5 == 1 else None for i in range(rows)]})


@pytest.mark.parametrize("examples", [0, 3, 20])
def test_the_slices_results_merge_into_the_whole_tables(examples):
    specs = [s for s in SPECS if s.table == "hashtags"]
    frame = _hashtags(100)
    assert any(not mergeable(s) for s in specs) and any(mergeable(s) for s in specs)
    with GXProcess(None) as gx:
        whole = gx.validate("hashtags", specs, frame, parameters=PARAMETERS, examples=examples)
    with GXProcess(None, chunk_rows=16) as gx:
        sliced = gx.validate("hashtags", specs, frame, parameters=PARAMETERS, examples=examples)
    assert sum(not r["success"] for r in whole.values()) >= 4
    assert _without_ids(sliced) == _without_ids(whole)


def _without_ids(found: dict) -> dict:
    """GX's results but for the id GX draws at random for each expectation of a suite it is given."""
    return {check: {**result, "expectation_config": {k: v for k, v in result["expectation_config"].items() if k != "id"}}
            for check, result in found.items()}


@pytest.mark.parametrize("repeating", [True, False])
def test_uniqueness_run_on_the_rows_that_repeat_gives_the_whole_tables_result(repeating):
    # post_id alone (nulls missing), and (channel, message_id) with a row left out when either is
    # missing; keys repeated far apart, nulls and half-null keys among them; or no key repeated.
    specs = [s for s in SPECS if s.table == "posts" and s.expectation.endswith("ToBeUnique")]
    rows = 60
    post_ids = [None if i % 9 == 4 else f"c/{i % 23 if repeating else i}" for i in range(rows)]
    channels = [None if i % 7 == 2 else f"ch{i % 3}" for i in range(rows)]
    messages = [None if i % 10 == 6 else str(i % 17 if repeating else i) for i in range(rows)]
    frame = pa.table({"post_id": post_ids, "channel": channels, "message_id": messages})
    with GXProcess(None) as gx:
        whole = gx.validate("posts", specs, frame, parameters=PARAMETERS, examples=5)
    with GXProcess(None, chunk_rows=16) as gx:
        sliced = gx.validate("posts", specs, frame, parameters=PARAMETERS, examples=5)
    assert len(whole) == 2 and all(r["success"] is not repeating for r in whole.values())
    assert _without_ids(sliced) == _without_ids(whole)


def test_the_examples_come_from_the_slices_in_row_order():
    specs = [s for s in SPECS if s.id == "hashtags.post_id.resolves"]
    with GXProcess(None, chunk_rows=4) as gx:
        found = gx.validate("hashtags", specs, _hashtags(30), parameters=PARAMETERS, examples=5)
    result = found["hashtags.post_id.resolves"]["result"]
    assert result["unexpected_count"] == 6 and result["element_count"] == 30
    assert result["partial_unexpected_index_list"] == [1, 6, 11, 16, 21]
    assert result["partial_unexpected_list"] == ["c/1", "c/6", "c/11", "c/16", "c/21"]


def test_a_failure_in_a_slice_is_the_merged_result():
    broken = {"success": False, "exception_info": {"raised_exception": True, "exception_message": "boom"}, "result": {}}
    fine = {"success": True, "exception_info": {}, "result": {"element_count": 2, "unexpected_count": 0,
                                                              "partial_unexpected_list": []}}
    assert merge([(0, fine), (2, broken)], 3) is broken


def test_percentages_are_gx_s_from_the_summed_counts():
    def part(elements, missing, unexpected):
        return {"success": unexpected == 0, "exception_info": {}, "result": {
            "element_count": elements, "missing_count": missing, "unexpected_count": unexpected,
            "unexpected_percent": None, "missing_percent": None, "unexpected_percent_total": None,
            "unexpected_percent_nonmissing": None, "partial_unexpected_list": []}}

    merged = merge([(0, part(4, 4, 0)), (4, part(4, 1, 3))], 20)
    assert not merged["success"]
    assert merged["result"] == {"element_count": 8, "missing_count": 5, "unexpected_count": 3,
                                "unexpected_percent": 100.0, "missing_percent": 62.5, "unexpected_percent_total": 37.5,
                                "unexpected_percent_nonmissing": 100.0, "partial_unexpected_list": []}


def test_a_compacted_slice_pickles_to_its_own_rows_only():
    frame = pa.table({"post_id": [f"c/{i}" for i in range(100_000)], "offset": list(range(100_000))})
    (_, first), *_ = slices(frame, 10)
    assert len(pickle.dumps(first)) > 1_000_000  # a slice shares, and pickles, the whole table's buffers
    assert len(pickle.dumps(compact(first))) < 2_000 and compact(first).equals(first)
    assert [start for start, _ in slices(frame, 30_000)] == [0, 30_000, 60_000, 90_000]


def _outcome(result) -> dict:
    return {r.spec.id: (r.status, r.unexpected, r.total, r.observed, r.message, r.examples) for r in result.results}


def test_validate_in_slices_gives_the_same_result_on_a_corpus_with_planted_defects(tmp_path, monkeypatch):
    # ~3000 synthetic posts (exact and near duplicates planted), and more planted in the posts
    # table in different slices: a required value missing, a negative count, a date in the future.
    synth(tmp_path / "corpus.json", posts=3000, format="telegram-json", seed=11)
    convert([tmp_path / "corpus.json"], tmp_path / "tables")
    path = tmp_path / "tables" / "posts.parquet"
    posts = pq.read_table(path)
    rows = pa.array([i in (5, 700, 1500, 2900) for i in range(posts.num_rows)])
    for column, value in (("source_file", None), ("views", -1), ("published_at", datetime(2030, 1, 1, tzinfo=UTC))):
        at = posts.schema.get_field_index(column)
        posts = posts.set_column(at, posts.field(at).with_nullable(True), pc.if_else(rows, pa.scalar(value, posts.field(at).type),
                                                                  posts.column(at)))
    pq.write_table(posts, path)
    whole = validate(tmp_path / "tables", now=PARAMETERS["now"])
    monkeypatch.setattr(gx_run, "CHUNK_ROWS", 256)
    sent = []
    monkeypatch.setattr(gx_run, "compact", lambda frame: sent.append(frame.num_rows) or compact(frame))
    sliced = validate(tmp_path / "tables", now=PARAMETERS["now"])
    assert len(sent) > 2 * 3000 // 256 and max(sent) == 256  # the posts' early and late specs, in slices
    failing = {check for check, outcome in _outcome(whole).items() if outcome[0] == "failed"}
    assert {"posts.source_file.not_null", "posts.views.minimum", "posts.published_at.not_future",
            "posts.text.exact_duplicates_in_channel", "posts.text.near_duplicates"} <= failing
    assert _outcome(sliced) == _outcome(whole)
