"""The reports of a validation: JSON (machine-readable), JUnit XML (for CI), HTML (for people: see
``html``), and the printed summary.

Both files are deterministic: the same tables and config give the same bytes (no run time, no
durations, no absolute paths; keys in a fixed order, checks in report order), so a committed report
changes exactly when the data or the checks do. They are written atomically.

JUnit: one ``<testsuite>`` per table, one ``<testcase>`` per check (classname ``TABLE.FAMILY``, name the
check id). A check that fails the run (an error, or a warning under ``--fail-on warning``) is a
``<failure>`` carrying its message and example ids; a failed warning that does not fail the run is
reported in the test case's ``<system-out>``; a skipped check is ``<skipped>``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .. import __version__
from ..core.files import write_atomic
from .base import FAILED, PASSED, SKIPPED, CheckResult
from .html import as_html
from .results import ValidationResult, counts

FORMAT_VERSION = 1


def _check(result: CheckResult) -> dict[str, Any]:
    spec = result.spec
    entry = {"id": spec.id, "table": spec.table, "family": spec.family, "severity": spec.severity,
             "status": result.status, "expectation": spec.expectation, "description": spec.description,
             "message": result.message}
    for key in ("unexpected", "total", "observed"):
        if getattr(result, key) is not None:
            entry[key] = getattr(result, key)
    if result.examples:
        entry["examples"] = result.examples
    if result.details:
        entry["details"] = result.details
    return entry


def as_json(outcome: ValidationResult) -> dict[str, Any]:
    import great_expectations

    return {
        "format": FORMAT_VERSION,
        "tool": {"corpus_tools": __version__, "great_expectations": great_expectations.__version__},
        "dataset": outcome.dataset,
        "temporal_coverage": outcome.coverage,
        "fail_on": outcome.fail_on,
        "passed": outcome.passed,
        "counts": counts(outcome),
        "statistics": outcome.statistics,
        "config": outcome.config.as_dict(),
        "checks": [_check(r) for r in outcome.results],
    }


def _examples(result: CheckResult) -> str:
    return "\n".join(json.dumps(e, ensure_ascii=False) for e in result.examples)


def as_junit(outcome: ValidationResult) -> bytes:
    root = ElementTree.Element("testsuites", name="corpus-tools validate", tests=str(len(outcome.results)),
                               failures=str(len(outcome.failing)))
    for table in dict.fromkeys(r.spec.table for r in outcome.results):
        cases = [r for r in outcome.results if r.spec.table == table]
        suite = ElementTree.SubElement(root, "testsuite", name=table, tests=str(len(cases)),
                                       failures=str(sum(r.fails_at(outcome.fail_on) for r in cases)),
                                       skipped=str(sum(r.status == SKIPPED for r in cases)))
        for result in cases:
            case = ElementTree.SubElement(suite, "testcase", classname=f"{table}.{result.spec.family}",
                                          name=result.spec.id)
            if result.fails_at(outcome.fail_on):
                failure = ElementTree.SubElement(case, "failure", message=result.message, type=result.spec.severity)
                failure.text = _examples(result)
            elif result.status == SKIPPED:
                ElementTree.SubElement(case, "skipped", message=result.message)
            elif result.status == FAILED:
                out = ElementTree.SubElement(case, "system-out")
                out.text = f"warning: {result.message}\n{_examples(result)}"
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write(outcome: ValidationResult, *, report: Path | None = None, junit: Path | None = None,
          html: Path | None = None) -> None:
    if report is not None:
        text = json.dumps(as_json(outcome), indent=2, ensure_ascii=False) + "\n"
        write_atomic(report, text.encode("utf-8"))
    if junit is not None:
        write_atomic(junit, as_junit(outcome))
    if html is not None:
        write_atomic(html, as_html(outcome))


def _ids(result: CheckResult, count: int) -> str:
    """The first example rows, by their ids (the row number when a table has no key)."""
    shown = []
    for example in result.examples[:count]:
        key = {k: v for k, v in example.items() if k not in ("row", "value")}
        shown.append("/".join(map(str, key.values())) if key else f"row {example['row']}")
    return ", ".join(shown)


def summary(outcome: ValidationResult, *, examples: int = 3) -> list[str]:
    """The printed summary: checks by table and family, then every check that did not pass, then the verdict."""
    rows = [("TABLE", "FAMILY", "CHECKS", "PASSED", "ERRORS", "WARNINGS", "SKIPPED")]
    groups: dict[tuple[str, str], list[CheckResult]] = {}
    for result in outcome.results:
        groups.setdefault((result.spec.table, result.spec.family), []).append(result)
    for (table, family), results in groups.items():
        failed = [r for r in results if r.failed]
        rows.append((table, family, str(len(results)), str(sum(r.status == PASSED for r in results)),
                     str(sum(r.spec.severity == "error" for r in failed)),
                     str(sum(r.spec.severity == "warning" for r in failed)),
                     str(sum(r.status == SKIPPED for r in results))))
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if k < 2 else cell.rjust(w) for k, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    for result in outcome.results:
        if result.failed:
            line = f"FAILED ({result.spec.severity}): {result.spec.id}: {result.message}"
            lines.append(line + (f" e.g. {_ids(result, examples)}" if result.examples else ""))
    skipped: dict[str, list[str]] = {}
    for result in outcome.results:
        if result.status == SKIPPED:
            skipped.setdefault(result.message, []).append(result.spec.id)
    lines += [f"skipped: {', '.join(ids)}: {message}" for message, ids in skipped.items()]
    c = counts(outcome)
    verdict = "PASSED" if outcome.passed else "FAILED"
    lines.append(f"{verdict}: {outcome.dataset}: {c['checks']} checks, {c['passed']} passed, {c['failed_error']} failed "
                 f"at error, {c['failed_warning']} at warning, {c['skipped']} skipped (fail on {outcome.fail_on})")
    return lines
