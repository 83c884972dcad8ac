"""The saved GX suites are what the generator makes from the schemas and the default config."""

import json

import pytest

from corpus_tools.core.schema import load_schemas
from corpus_tools.validate import suites


@pytest.mark.parametrize("table", list(load_schemas()))
def test_saved_suite_equals_the_generated_one(table):
    saved = (suites.suites_dir() / f"{table}.suite.json").read_text(encoding="utf-8")
    assert saved == suites.suite_json(suites.generate()[table]), "run `make suites` and commit schemas/suites/"


def test_saved_suites_load_in_gx_with_ids_and_severities():
    import great_expectations as gx

    data = json.loads((suites.suites_dir() / "posts.suite.json").read_text(encoding="utf-8"))
    suite = gx.ExpectationSuite(**data)
    by_id = {e.meta["id"]: e for e in suite.expectations}
    assert by_id["posts.text.near_duplicates"].severity == "warning"
    assert by_id["posts.post_id.unique"].severity == "critical"
    assert by_id["posts.published_at.in_coverage"].max_value == {"$PARAMETER": "coverage_end"}
    assert by_id["posts.text.repetition"].meta["thresholds"]["duplicate_line_fraction"] == 0.3


def test_every_check_id_is_unique():
    ids = [e["meta"]["id"] for suite in suites.generate().values() for e in suite["expectations"]]
    assert len(ids) == len(set(ids)) == 97
