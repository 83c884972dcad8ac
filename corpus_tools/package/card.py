"""The data card: the dataset's own README (``data/README.md`` beside the tables), generated from
the descriptor, the declared schemas and the data, so it can never disagree with them.

It says what the dataset is, where it comes from and when it was collected, what it holds (with a
figure of posts per day and the top hashtags), every field of every table, the validation summary,
and how to load and cite it.

The validation summary is the descriptor's ``validation`` property, written by ``build`` (None when
the version was built without the validation suites, shown as 'not validated')::

    {"passed": true,            # no check failed at severity error
     "allowInvalid": false,     # published with --allow-invalid despite failures
     "checks": 76,              # how many checks ran
     "failed": [],              # ids of the checks that failed at severity error
     "warnings": ["..."],       # ids of the checks that failed at severity warning
     "skipped": ["..."],        # ids of the checks that could not run (optional)
     "report": "reports/validation.json"}   # where the full report is
"""

from __future__ import annotations

from typing import Any

from ..core.schema import key_fields
from ..errors import UsageError
from .exports import ESCAPE, NULL_MARKER, twin_table
from .facts import Facts, calendar_bins
from .privacy import card_lines

FILE = "README.md"
FIGURE = "overview.png"
SUMMARY_KEYS = ("passed", "allowInvalid", "checks", "failed", "warnings")


def validation_lines(summary: dict[str, Any] | None) -> list[str]:
    """The validation section's text.

    >>> validation_lines({"passed": True, "allowInvalid": False, "checks": 40, "failed": [], "warnings": ["a.b"],
    ...                   "skipped": ["c.d"]})
    ['**passed**: 40 checks; 0 failed at severity error, 1 at severity warning (a.b), 1 skipped (c.d).']
    >>> validation_lines(None)[0]
    '**not validated**: this version was built without the validation suites.'
    """
    if summary is None:
        return ["**not validated**: this version was built without the validation suites."]
    missing = [key for key in SUMMARY_KEYS if key not in summary]
    if missing:
        raise UsageError(f"validation summary lacks {', '.join(missing)}")
    status = "passed" if summary["passed"] else "failed, published with --allow-invalid" \
        if summary["allowInvalid"] else "failed"

    def named(ids: list[str]) -> str:
        return f" ({', '.join(ids)})" if ids else ""

    skipped = summary.get("skipped", [])
    line = (f"**{status}**: {summary['checks']} checks; {len(summary['failed'])} failed at severity error"
            f"{named(summary['failed'])}, {len(summary['warnings'])} at severity warning{named(summary['warnings'])}"
            + (f", {len(skipped)} skipped ({', '.join(skipped)})" if skipped else "") + ".")
    return [line] + ([f"Full report: `{summary['report']}`."] if summary.get("report") else [])


def _escape(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _overview(descriptor: dict[str, Any], facts: Facts) -> list[str]:
    lines = ["## Source and collection window", ""]
    for source in descriptor.get("sources", []):
        lines.append(f"- Source: {source.get('title', source.get('path'))} (`{source.get('path')}`, "
                     f"{source.get('bytes')} bytes, `{source.get('hash')}`)")
    if descriptor.get("temporalCoverage"):
        lines.append(f"- Collection window: {descriptor['temporalCoverage'].replace('/', ' to ')} (both inclusive)")
    for channel in facts.channels:
        window = f", {channel['firstDay']} to {channel['lastDay']}" if channel["firstDay"] else ""
        lines.append(f"- Channel {channel['name']}: {channel['posts']} posts{window}")
    if facts.date_sources:
        lines.append("- Publication dates (`date_source`): " + ", ".join(f"{k} {v}" for k, v in facts.date_sources.items()))
    return lines + [""]


def _contents(descriptor: dict[str, Any], facts: Facts) -> list[str]:
    lines = ["## Contents", "", "| table | rows | Parquet | gzip CSV | what a row is |", "|---|---:|---|---|---|"]
    paths = {r["name"]: r["path"] for r in descriptor["resources"]}
    for resource in (r for r in descriptor["resources"] if twin_table(r["name"]) is None):
        name = resource["name"]
        csv = paths.get(f"{name}-csv", "")
        lines.append(f"| {name} | {facts.rows.get(name, '')} | `{resource['path']}` | `{csv}` | "
                     f"{_escape(resource.get('description', ''))} |")
    unit, bins = calendar_bins(facts.days)
    lines += ["", f"![Posts per {unit} and the most frequent hashtags]({FIGURE})", ""]
    if bins:
        heading = {"day": "day (UTC)", "week": "week from (UTC)", "month": "month (UTC)"}[unit]
        lines += [f"| {heading} | posts |", "|---|---:|"] + [f"| {label} | {n} |" for label, n in bins]
        lines += [f"| undated | {facts.undated} |"] if facts.undated else []
        lines.append("")
    if facts.hashtags:
        lines += ["Most frequent hashtags: " + ", ".join(f"#{tag} ({n})" for tag, n in facts.hashtags) + ".", ""]
    return lines


def _fields(descriptor: dict[str, Any]) -> list[str]:
    lines = ["## Fields", "", "From the declared Table Schemas (`schemas/`), which the descriptor carries.", ""]
    for resource in (r for r in descriptor["resources"] if twin_table(r["name"]) is None):
        schema = resource["schema"]
        key = key_fields(schema.get("primaryKey"))
        lines += [f"### {resource['name']}", ""] + ([f"Primary key: `{', '.join(key)}`.", ""] if key else [])
        lines += ["| field | type | required | description |", "|---|---|---|---|"]
        for f in schema["fields"]:
            required = "yes" if f.get("constraints", {}).get("required") else ""
            lines.append(f"| `{f['name']}` | {f['type']} | {required} | {_escape(f.get('description', ''))} |")
        lines.append("")
    return lines


def _loading(descriptor: dict[str, Any]) -> list[str]:
    posts = next((r["path"] for r in descriptor["resources"] if r["name"] == "posts"), "data/posts.parquet")
    csv = next((r["path"] for r in descriptor["resources"] if r["name"] == "posts-csv"), "data/posts.csv.gz")
    return [
        "## Loading", "",
        ("Paths are relative to the folder that holds `datapackage.json`. Timestamps are UTC with microseconds; ids are "
        f"strings. In the CSV files a null is written `{NULL_MARKER}` and an empty cell is an empty string; a text that "
        f"starts with `=`, `+`, `-`, `@`, `\\` or `{ESCAPE}` (or a tab) is written with one `{ESCAPE}` in front, so that "
        f"no spreadsheet runs it as a formula and no text reads as null: drop one leading `{ESCAPE}` from a string cell "
        "to get its exact value. The Parquet files hold every text as it is."), "",
        "```python", "import pandas as pd", f'posts = pd.read_parquet("{posts}")', "",
        "import duckdb", f"duckdb.sql(\"SELECT channel, count(*) FROM '{posts}' GROUP BY channel\").show()", "```", "",
        "```r", f'posts <- arrow::read_parquet("{posts}")',
        'package <- frictionless::read_package("datapackage.json")   # reads the CSV resources',
        'posts_csv <- frictionless::read_resource(package, "posts-csv")',
        f'posts_csv <- readr::read_csv("{csv}", na = "\\\\N")', "```", "",
    ]


def citation(descriptor: dict[str, Any]) -> str:
    """How to cite this version: its creators, year, title, version, and where to find it.

    >>> citation({"name": "x", "title": "X", "version": "1.0.0", "created": "2026-11-28T00:00:00Z", "id": "u"})
    'x (2026). X (version 1.0.0) [Data set]. Package id u.'
    """
    creators = [c["title"] for c in descriptor.get("contributors", []) if "creator" in c.get("roles", [])]
    where = descriptor.get("homepage")
    return (f"{'; '.join(creators) or descriptor['name']} ({descriptor['created'][:4]}). {descriptor['title']} "
            f"(version {descriptor['version']}) [Data set]. " + (f"{where}. " if where else "")
            + f"Package id {descriptor.get('id')}.")


def _citation(descriptor: dict[str, Any]) -> list[str]:
    licences = ", ".join(f"[{lic.get('title', lic.get('name'))}]({lic['path']})" if lic.get("path")
                         else lic.get("title", lic.get("name", "")) for lic in descriptor.get("licenses", []))
    return ["## How to cite", "", f"> {citation(descriptor)}", "",
            "Cite the version you used: what each version changed is in [CHANGELOG.md](../CHANGELOG.md).", "",
            "## Licence", "", licences or "not declared", ""]


def render_card(descriptor: dict[str, Any], facts: Facts, *, validation: dict[str, Any] | None = None) -> str:
    """The data card's Markdown for ``descriptor`` with ``facts`` read from its tables.

    Example: ``render_card(json.load(open("datapackage.json")), read_facts(tables))``
    """
    lines = [f"# {descriptor['title']}", "",
             (f"Version {descriptor['version']}, created {descriptor['created'][:10]}. Generated by corpus-tools from "
             "[`datapackage.json`](../datapackage.json): do not edit by hand."), "",
             descriptor["description"], ""]
    lines += _overview(descriptor, facts) + _contents(descriptor, facts) + _fields(descriptor)
    lines += ["## Validation", ""] + validation_lines(validation) + [""] + card_lines(descriptor.get("privacy"))
    lines += _loading(descriptor) + _citation(descriptor)
    return "\n".join(lines).rstrip("\n") + "\n"
