"""validate.run: each defect planted in a valid table fails exactly its check, naming the planted rows;
the clean tables and the committed package pass everything at error severity; --fail-on is checked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import ROOT, invoke
from tests.validate.conftest import (
    failed,
    moment,
    near_duplicate_pair,
    post_row,
    result_of,
    run,
    unmerged_renderings,
    write_tables,
)


def duplicate_id(tables):
    post_row(tables, "beta/3")["post_id"] = "beta/2"
    return {"beta/2"}


def future_date(tables):
    post_row(tables, "beta/3")["published_at"] = datetime(2099, 1, 1, tzinfo=UTC)
    return {"beta/3"}


def date_outside_coverage(tables):
    post_row(tables, "beta/1")["published_at"] = datetime(2025, 3, 15, 9, tzinfo=UTC)
    return {"beta/1"}


def decreasing_dates(tables):
    post_row(tables, "alpha/4")["published_at"] = moment(4, 10, 30)  # before alpha/3 (4 April, 11:00)
    return {"alpha/4"}


def dangling_reply(tables):
    post_row(tables, "beta/2")["reply_to_post_id"] = "alpha/999"
    return {"beta/2"}


def null_text(tables):
    post_row(tables, "alpha/2")["text"] = None
    return {"alpha/2"}


def null_source_file(tables):
    post_row(tables, "beta/1")["source_file"] = None
    return {"beta/1"}


def leftover_interface_string(tables):
    post_row(tables, "alpha/3")["text"] += "\nVIEW IN TELEGRAM"
    return {"alpha/3"}


def exact_duplicate_in_channel(tables):
    post_row(tables, "beta/3")["text"] = post_row(tables, "beta/1")["text"]
    return {"beta/1", "beta/3"}


def empty_text_without_media(tables):
    post_row(tables, "alpha/5")["has_media"] = False
    return {"alpha/5"}


def decomposed_text(tables):
    post_row(tables, "beta/2")["text"] = post_row(tables, "beta/2")["text"].replace("é", "e\u0301")
    return {"beta/2"}


def dangling_hashtag(tables):
    tables["hashtags"].append({"post_id": "gamma/1", "offset": 0, "hashtag": "lost"})
    return {"gamma/1"}


@pytest.mark.parametrize(("plant", "check", "coverage"), [
    (duplicate_id, "posts.post_id.unique", None),
    (unmerged_renderings, "posts.text.repetition", None),
    (near_duplicate_pair, "posts.text.near_duplicates", None),
    (future_date, "posts.published_at.not_future", "2025-04-01/.."),  # an open coverage: only the future fails
    (date_outside_coverage, "posts.published_at.in_coverage", None),
    (decreasing_dates, "posts.published_at.channel_order", None),
    (dangling_reply, "posts.reply_to_post_id.resolves", None),
    (null_text, "posts.text.not_null", None),
    (null_source_file, "posts.source_file.not_null", None),
    (leftover_interface_string, "posts.text.no_interface_strings", None),
    (exact_duplicate_in_channel, "posts.text.exact_duplicates_in_channel", None),
    (empty_text_without_media, "posts.text.empty_only_with_media", None),
    (decomposed_text, "posts.text.nfc", None),
    (dangling_hashtag, "hashtags.post_id.resolves", None),
], ids=lambda v: getattr(v, "__name__", None) or str(v))
def test_a_planted_defect_fails_exactly_its_check(tmp_path, tables, plant, check, coverage):
    planted = plant(tables)
    folder = write_tables(tmp_path, tables, loose=True, **({"period": coverage} if coverage else {}))
    result = run(folder)
    assert failed(result) == {check}
    found = result_of(result, check)
    assert planted <= {e["post_id"] for e in found.examples}, found.examples
    assert found.unexpected == len(found.examples) >= len(planted)


def test_the_clean_tables_pass_every_check(tmp_path, tables):
    result = run(write_tables(tmp_path, tables))
    assert failed(result) == set() and result.passed and result.exit_code == 0
    skipped = {r.spec.id for r in result.results if r.status == "skipped"}
    names = {s for s in skipped if s.endswith(".no_private_names")}  # only a build knows the inputs' persons
    assert names and skipped - names == {f"{name}.file.hash" for name in tables}  # a folder declares no hashes


def test_without_a_declared_coverage_the_coverage_check_is_skipped_not_passed(tmp_path, tables):
    result = run(write_tables(tmp_path, tables, period=None))
    coverage = result_of(result, "posts.published_at.in_coverage")
    assert coverage.status == "skipped" and coverage.message == "no temporal coverage declared"


def test_near_duplicates_are_warnings_with_a_cluster_id(tmp_path, tables):
    near_duplicate_pair(tables)
    result = run(write_tables(tmp_path, tables))
    found = result_of(result, "posts.text.near_duplicates")
    assert found.spec.severity == "warning" and result.exit_code == 0
    assert {e["value"] for e in found.examples} == {"cluster 1 (2 posts)"}
    assert found.details == [{"cluster": 1, "size": 2, "posts": ["alpha/4", "beta/3"]}]
    assert run(tmp_path, fail_on="warning").exit_code == 1


def test_the_same_text_in_two_channels_is_a_warning(tmp_path, tables):
    post_row(tables, "beta/3")["text"] = post_row(tables, "alpha/2")["text"]
    result = run(write_tables(tmp_path, tables))
    assert failed(result) == {"posts.text.exact_duplicates_across_channels"}  # not also a near-duplicate
    assert result.exit_code == 0


def test_fail_on_takes_error_or_warning(tmp_path, tables):
    result = invoke("validate", write_tables(tmp_path, tables), "--fail-on", "info")
    assert result.exit_code == 2 and "--fail-on must be one of error, warning" in result.output


def test_the_committed_package_passes_at_error_severity_with_its_hashes_checked():
    result = run(ROOT / "datapackage.json")
    assert result.passed and failed(result) == set()
    assert result_of(result, "posts.file.hash").status == "passed"
    assert result_of(result, "posts.published_at.in_coverage").status == "passed"
    assert result.statistics["dates"]["inferred_or_missing_share"] == 1.0
