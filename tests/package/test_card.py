"""The data card, its figure, and croissant.json: derived from descriptor, schemas and data; the
committed croissant.json passes `mlcroissant validate` and its record sets load the Parquet rows."""

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpus_tools.errors import UsageError
from corpus_tools.package.card import render_card, validation_lines
from corpus_tools.package.croissant import croissant
from corpus_tools.package.facts import Facts, calendar_bins, read_facts
from corpus_tools.package.figure import overview_png

from tests.conftest import ROOT
from tests.package.conftest import DESCRIPTOR, TABLES


def test_facts_of_the_bundled_corpus():
    facts = read_facts(TABLES, period=(date(2025, 4, 3), date(2025, 4, 5)))
    assert facts.rows == {"posts": 20, "countries": 15, "hashtags": 19, "links": 6, "mentions": 0, "reactions": 0,
                          "rejects": 0}
    assert facts.days == [(date(2025, 4, 3), 4), (date(2025, 4, 4), 15), (date(2025, 4, 5), 1)]
    assert facts.date_sources == {"inferred_from_order": 10, "inferred_from_text": 10}
    assert facts.hashtags[:2] == [("RussiaAfrica", 4), ("Think4Yourself", 2)] and len(facts.hashtags) == 10
    assert facts.channels == DESCRIPTOR["channelCoverage"]


def test_the_period_shows_days_without_posts():
    facts = read_facts({"posts": TABLES["posts"]}, period=(date(2025, 4, 1), date(2025, 4, 6)))
    assert [d.isoformat() for d, _ in facts.days][:3] == ["2025-04-01", "2025-04-02", "2025-04-03"]
    assert facts.days[0][1] == 0 and len(facts.days) == 6


def test_the_card_covers_what_a_reader_needs():
    card = (ROOT / "data" / "README.md").read_text()
    assert card.startswith(f"# {DESCRIPTOR['title']}\n") and "Version 1.0.0" in card
    for heading in ("Source and collection window", "Contents", "Fields", "Validation", "Loading", "How to cite"):
        assert f"\n## {heading}\n" in card
    assert "- Collection window: 2025-04-03 to 2025-04-05 (both inclusive)" in card
    assert "| posts | 20 | `data/posts.parquet` | `data/posts.csv.gz` |" in card
    assert "| 2025-04-04 | 15 |" in card and "![Posts per day and the most frequent hashtags](overview.png)" in card
    for resource in (r for r in DESCRIPTOR["resources"] if r["format"] == "parquet"):
        for field in resource["schema"]["fields"]:
            assert f"| `{field['name']}` | {field['type']} |" in card, (resource["name"], field["name"])
    assert "\n".join(validation_lines(DESCRIPTOR["validation"])) in card
    assert "> corpus-tools maintainers (2026). Russian MFA" in card and "(version 1.0.0) [Data set]" in card
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


def test_the_figure_is_a_reproducible_png_without_metadata():
    args = {"days": [(date(2025, 4, 3), 4), (date(2025, 4, 4), 15)], "hashtags": [("BRICS", 3), ("UN", 1)]}
    png = overview_png(**args)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png == overview_png(**args)
    assert b"tEXt" not in png and b"tIME" not in png  # no Software chunk, no timestamp
    assert overview_png(days=[], hashtags=[])[:4] == b"\x89PNG"  # an empty corpus still gets a figure
    code = "import sys, datetime; from corpus_tools.package.figure import overview_png; " \
           f"sys.stdout.buffer.write(overview_png(days={args['days']!r}, hashtags={args['hashtags']!r}))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                           env={"MPLBACKEND": "pdf", "PATH": "/usr/bin"}).stdout
    assert other == png  # another process, another default backend: same bytes


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


def test_croissant_mirrors_the_schemas():
    document = json.loads((ROOT / "croissant.json").read_text())
    assert document == croissant(DESCRIPTOR, cite_as=document["citeAs"])
    assert document["conformsTo"] == "http://mlcommons.org/croissant/1.1" and document["version"] == "1.0.0"
    files = {f["@id"]: f for f in document["distribution"]}
    for name in TABLES:
        resource = next(r for r in DESCRIPTOR["resources"] if r["name"] == name)
        assert files[resource["path"]]["sha256"] == resource["hash"].removeprefix("sha256:")
        record_set = next(r for r in document["recordSet"] if r["name"] == name)
        assert [f["name"] for f in record_set["field"]] == [f["name"] for f in resource["schema"]["fields"]]
    posts = next(r for r in document["recordSet"] if r["name"] == "posts")
    assert posts["key"] == [{"@id": "posts/post_id"}]
    hashtags = next(r for r in document["recordSet"] if r["name"] == "hashtags")
    assert hashtags["field"][0]["references"] == {"field": {"@id": "posts/post_id"}}


def test_mlcroissant_validates_and_loads_the_committed_croissant():
    mlcroissant = Path(sys.executable).parent / "mlcroissant"
    result = subprocess.run([str(mlcroissant), "validate", "--jsonld", "croissant.json"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=str(ROOT / "croissant.json"))
    for name in ("posts", "hashtags", "countries"):
        records = list(dataset.records(record_set=name))
        ids = [r[f"{name}/post_id"].decode() for r in records]
        assert ids == pq.read_table(TABLES[name], columns=["post_id"]).column("post_id").to_pylist()
