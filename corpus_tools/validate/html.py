"""The validation report for people: one self-contained HTML file (``validate --html``, and
``reports/validation.html`` of every build) that any browser opens offline, as a reviewer or an
archive does.

It holds the dataset, its version and the verdict with the counts; a table of checks by table and
family; every check with its severity, status, message, unexpected rows and example ids; the
thresholds and settings used; the run's statistics; and the package's figure (its descriptor's
``image``, the data card's figure) inline as a data URI. Styles are inline; there are no scripts, no
fonts and no requests: a Content-Security-Policy forbids any, so the page reads the same with no
network. GX's Data Docs (``--docs``) load their scripts from CDNs and are blank offline.

Deterministic, like the JSON and JUnit reports: no times, no absolute paths, so it is committed.

>>> "&lt;b&gt;" in _cell("<b>")
True
"""

from __future__ import annotations

import base64
import json
from html import escape
from typing import Any

from .. import __version__
from .base import FAILED, PASSED, SKIPPED, CheckResult
from .results import ValidationResult, counts

EXAMPLES_SHOWN = 10  # example rows per check; the JSON report has them all
POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; margin: 2em auto;
       max-width: 72em; padding: 0 1em; color: #1f2328; background: #fff; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #d0d7de; }
table { border-collapse: collapse; width: 100%; margin: .6em 0; font-size: .92em; }
th, td { border: 1px solid #d0d7de; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: break-word; }
.verdict { display: inline-block; padding: .2em .7em; border-radius: .3em; font-weight: 700; color: #fff; }
.PASSED { background: #1a7f37; } .FAILED { background: #cf222e; }
.passed { color: #1a7f37; } .failed { color: #cf222e; font-weight: 700; } .warning { color: #9a6700; font-weight: 700; }
.skipped { color: #57606a; font-style: italic; } .meta { color: #57606a; }
img { max-width: 100%; border: 1px solid #d0d7de; }
details summary { cursor: pointer; }
"""


def _cell(value: Any) -> str:
    return escape(str(value)) if value is not None else ""


def _status(result: CheckResult) -> str:
    """The status as shown: a failed warning is a warning, not a failure of the run."""
    if result.status == FAILED:
        return "warning" if result.spec.severity == "warning" else "failed"
    return result.status


def _header(outcome: ValidationResult) -> list[str]:
    about = outcome.about
    title = (about.title if about and about.title else outcome.dataset)
    c = counts(outcome)
    verdict = "PASSED" if outcome.passed else "FAILED"
    version = f", version {_cell(about.version)}" if about and about.version else ""
    return [
        f"<h1>Validation of {_cell(title)}</h1>",
        f'<p class="meta">{_cell(outcome.dataset)}{version}; temporal coverage '
        f"{_cell(outcome.coverage or 'not declared')}; failing at severity {_cell(outcome.fail_on)}</p>",
        f'<p><span class="verdict {verdict}">{verdict}</span> '
        f'<strong id="counts">{c["checks"]} checks: {c["passed"]} passed, {c["failed_error"]} failed at error, '
        f'{c["failed_warning"]} at warning, {c["skipped"]} skipped</strong></p>',
    ]


def _figure(outcome: ValidationResult) -> list[str]:
    image = outcome.about.image if outcome.about else None
    if image is None:
        return []
    data = base64.b64encode(image.read_bytes()).decode("ascii")
    kind = "png" if image.suffix.lower() == ".png" else image.suffix.lower().lstrip(".") or "png"
    return [f'<p><img alt="The data card\'s figure: posts per day and the most frequent hashtags" '
            f'src="data:image/{kind};base64,{data}"></p>']


def _groups(outcome: ValidationResult) -> list[str]:
    groups: dict[tuple[str, str], list[CheckResult]] = {}
    for result in outcome.results:
        groups.setdefault((result.spec.table, result.spec.family), []).append(result)
    rows = ["<h2>Checks by table and family</h2>", "<table><tr><th>table</th><th>family</th><th>checks</th>"
            "<th>passed</th><th>errors</th><th>warnings</th><th>skipped</th></tr>"]
    for (table, family), results in groups.items():
        statuses = [_status(r) for r in results]
        numbers = [len(results), statuses.count(PASSED), statuses.count("failed"), statuses.count("warning"),
                   statuses.count(SKIPPED)]
        rows.append(f"<tr><td>{_cell(table)}</td><td>{_cell(family)}</td>"
                    + "".join(f'<td class="n">{n}</td>' for n in numbers) + "</tr>")
    return rows + ["</table>"]


def _examples(result: CheckResult) -> str:
    if not result.examples:
        return ""
    shown = "".join(f"<li><code>{_cell(json.dumps(e, ensure_ascii=False))}</code></li>"
                    for e in result.examples[:EXAMPLES_SHOWN])
    more = len(result.examples) - EXAMPLES_SHOWN
    return (f"<details><summary>{len(result.examples)} example(s)</summary><ul>{shown}</ul>"
            + (f"<p>and {more} more in the JSON report</p>" if more > 0 else "") + "</details>")


def _rows_found(result: CheckResult) -> str:
    if result.unexpected is None:
        return ""
    return f"{result.unexpected}" + (f" of {result.total}" if result.total is not None else "")


def _checks(outcome: ValidationResult) -> list[str]:
    lines = ["<h2>Every check</h2>"]
    for table in dict.fromkeys(r.spec.table for r in outcome.results):
        lines += [f'<h3 id="table-{_cell(table)}">{_cell(table)}</h3>',
                  "<table><tr><th>check</th><th>family</th><th>severity</th><th>status</th><th>what it checks</th>"
                  "<th>result</th><th>rows found</th><th>examples</th></tr>"]
        for result in (r for r in outcome.results if r.spec.table == table):
            status = _status(result)
            lines.append(f'<tr class="check"><td><code>{_cell(result.spec.id)}</code></td><td>{_cell(result.spec.family)}'
                         f"</td><td>{_cell(result.spec.severity)}</td><td class=\"{status}\">{status}</td>"
                         f"<td>{_cell(result.spec.description)}</td><td>{_cell(result.message)}</td>"
                         f'<td class="n">{_rows_found(result)}</td><td>{_examples(result)}</td></tr>')
        lines.append("</table>")
    return lines


def _settings(name: str, values: dict[str, Any]) -> list[str]:
    rows = "".join(f"<tr><td><code>{_cell(key)}</code></td><td><code>{_cell(json.dumps(value, ensure_ascii=False))}"
                   "</code></td></tr>" for key, value in values.items())
    return [f"<h3>{_cell(name)}</h3>", f"<table><tr><th>setting</th><th>value</th></tr>{rows}</table>"]


def _thresholds(outcome: ValidationResult) -> list[str]:
    config = outcome.config.as_dict()
    lines = ["<h2>Thresholds and settings used</h2>",
             f"<p>Example rows kept per failed check: {_cell(config['examples'])}. Severities changed from the "
             f"defaults: {_cell(', '.join(f'{k} = {v}' for k, v in config['severity'].items()) or 'none')}.</p>"]
    for name in ("repetition", "near_duplicates"):
        lines += _settings(name, config[name])
    return lines


def _statistics(outcome: ValidationResult) -> list[str]:
    lines = ["<h2>Statistics</h2>"]
    for name, values in outcome.statistics.items():
        lines += _settings(name, values) if isinstance(values, dict) else [f"<p>{_cell(name)}: {_cell(values)}</p>"]
    return lines


def as_html(outcome: ValidationResult) -> bytes:
    """The report as the bytes of one HTML file.

    Example: ``Path("reports/validation.html").write_bytes(as_html(validate(Path("datapackage.json"))))``
    """
    import great_expectations

    title = outcome.about.title if outcome.about and outcome.about.title else outcome.dataset
    body = (_header(outcome) + _figure(outcome) + _groups(outcome) + _checks(outcome) + _thresholds(outcome)
            + _statistics(outcome)
            + [f'<p class="meta">corpus-tools {_cell(__version__)}, Great Expectations '
               f"{_cell(great_expectations.__version__)}. The same checks as JSON: <code>--report</code>; as JUnit: "
               "<code>--junit</code>.</p>"])
    page = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>Validation of {_cell(title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
            *body, "</body>", "</html>"]
    return ("\n".join(page) + "\n").encode("utf-8")
