"""package.card: the data card, derived from descriptor, schemas and data - what a reader needs, the
validation summary, and posts counted per day, week or month as the span asks."""

from datetime import date, timedelta

import pytest

from corpus_tools.errors import UsageError
from corpus_tools.package.card import render_card, validation_lines
from corpus_tools.package.facts import Facts, calendar_bins
from corpus_tools.package.figure import overview_png
from tests.conftest import ROOT
from tests.package.conftest import DESCRIPTOR


def test_the_card_covers_what_a_reader_needs():
    card = (ROOT / "data" / "README.md").read_text()
    assert card.startswith(f"# {DESCRIPTOR['title']}\n") and f"Version {DESCRIPTOR['version']}" in card
    for heading in ("Source and collection window", "Contents", "Fields", "Validation", "Loading", "How to cite"):
        assert f"\n## {heading}\n" in card
    assert "- Collection window: 2025-04-03 to 2025-04-05 (both inclusive)" in card
    assert "| posts | 20 | `data/posts.parquet` | `data/posts.csv.gz` |" in card
    assert "| 2025-04-04 | 15 |" in card and "![Posts per day and the most frequent hashtags](overview.png)" in card
    for resource in (r for r in DESCRIPTOR["resources"] if r["format"] == "parquet"):
        for field in resource["schema"]["fields"]:
            assert f"| `{field['name']}` | {field['type']} |" in card, (resource["name"], field["name"])
    assert "\n".join(validation_lines(DESCRIPTOR["validation"])) in card
    assert "> corpus-tools maintainers (2026). Russian MFA" in card and f"(version {DESCRIPTOR['version']}) [Data set]" in card
    for route in ("pd.read_parquet", "duckdb.sql", "arrow::read_parquet", "frictionless::read_package", "readr::read_csv"):
        assert route in card


@pytest.mark.parametrize(("summary", "expected"), [
    ({"passed": False, "allowInvalid": True, "checks": 40, "failed": ["posts.dates.future"], "warnings": [],
      "report": "reports/v.json"},
     [("**failed, published with --allow-invalid**: 40 checks; 1 failed at severity error "
      "(posts.dates.future), 0 at severity warning."), "Full report: `reports/v.json`."]),
    ({"passed": False, "allowInvalid": False, "checks": 5, "failed": ["a", "b"], "warnings": []},
     ["**failed**: 5 checks; 2 failed at severity error (a, b), 0 at severity warning."]),
    ({"passed": True, "allowInvalid": False, "checks": 3, "failed": [], "warnings": ["x.y", "x.z"]},
     ["**passed**: 3 checks; 0 failed at severity error, 2 at severity warning (x.y, x.z)."]),
])
def test_the_validation_summary(summary, expected):
    assert validation_lines(summary) == expected
    card = render_card(DESCRIPTOR, Facts(rows={}), validation=summary)
    assert "\n## Validation\n\n" + "\n".join(expected) + "\n" in card


def test_an_incomplete_validation_summary_is_refused():
    with pytest.raises(UsageError, match="lacks checks, failed, warnings"):
        validation_lines({"passed": True, "allowInvalid": False})


@pytest.mark.parametrize(("span", "unit", "heading", "first", "periods"), [
    (62, "day", "day (UTC)", ("2025-04-03", 1), 62),
    (63, "week", "week from (UTC)", ("2025-03-31", 4), 10),  # 3 April 2025 was a Thursday
    (434, "week", "week from (UTC)", ("2025-03-31", 4), 63),
    (435, "month", "month (UTC)", ("2025-04", 28), 15),
])
def test_a_long_span_is_counted_per_week_or_month(span, unit, heading, first, periods):
    days = [(date(2025, 4, 3) + timedelta(d), 1) for d in range(span)]
    found, bins = calendar_bins(days)
    assert (found, bins[0], len(bins), sum(n for _, n in bins)) == (unit, first, periods, span)
    card = render_card(DESCRIPTOR, Facts(rows={"posts": span}, days=days))
    assert f"| {heading} | posts |" in card and f"| {first[0]} | {first[1]} |" in card
    assert f"![Posts per {unit} and the most frequent hashtags](overview.png)" in card
    assert overview_png(days=days, hashtags=[])[:4] == b"\x89PNG"
