"""validate.families.required: the posts table must have rows; a side table may be empty."""

from __future__ import annotations

from tests.conftest import invoke
from tests.validate.conftest import write_tables


def test_an_empty_posts_table_fails(tmp_path, tables):
    for name in tables:
        tables[name] = []
    result = invoke("validate", write_tables(tmp_path, tables))
    assert result.exit_code == 1
    assert "FAILED (error): posts.rows.not_empty: observed 0" in result.output


def test_an_empty_side_table_is_fine(tmp_path, tables):
    tables["hashtags"] = []
    assert invoke("validate", write_tables(tmp_path, tables)).exit_code == 0
