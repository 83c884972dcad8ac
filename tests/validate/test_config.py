"""validate.config: an override file changes severities and thresholds; a bad one is exit 2."""

from __future__ import annotations

import pytest

from tests.conftest import invoke
from tests.validate.conftest import near_duplicate_pair, unmerged_renderings, write_tables


def test_config_overrides_severity_and_thresholds(tmp_path, tables):
    unmerged_renderings(tables)
    near_duplicate_pair(tables)
    folder = write_tables(tmp_path / "data", tables)
    config = tmp_path / "v.toml"
    config.write_text('[severity]\n"posts.text.repetition" = "warning"\n"posts.text.near_duplicates" = "error"\n')
    result = invoke("validate", folder, "--config", config)
    assert result.exit_code == 1 and "FAILED (error): posts.text.near_duplicates" in result.output
    assert "FAILED (warning): posts.text.repetition" in result.output
    config.write_text('[severity]\n"posts.text.repetition" = "warning"\n[near_duplicates]\njaccard = 0.95\n')
    result = invoke("validate", folder, "--config", config)
    assert result.exit_code == 0 and "near_duplicates" not in "".join(
        x for x in result.output.splitlines() if x.startswith("FAILED ("))


@pytest.mark.parametrize(("config", "message"), [
    ('[severity]\n"posts.no.such" = "error"\n', "names no expectation posts.no.such"),
    ('[severity]\n"posts.text.nfc" = "fatal"\n', "severity.posts.text.nfc = 'fatal': expected one of error, warning"),
    ("[near_duplicates]\njacard = 0.9\n", "unknown key 'jacard' in [near_duplicates]; did you mean 'jaccard'?"),
    ("[near_duplicates]\njaccard = 1.5\n", "near_duplicates.jaccard = 1.5: expected a number in (0, 1]"),
    ("oops = [", "unreadable validation config"),
])
def test_a_bad_config_is_exit_2(tmp_path, tables, config, message):
    folder = write_tables(tmp_path / "data", tables)
    (tmp_path / "v.toml").write_text(config)
    result = invoke("validate", folder, "--config", tmp_path / "v.toml")
    assert result.exit_code == 2 and message in result.output and len(result.output.strip().splitlines()) == 1
