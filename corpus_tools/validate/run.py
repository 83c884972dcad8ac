"""``validate``: open the dataset, run the file checks, scan the text once, compute the checks' columns,
run the GX suites, and write the reports.

The order matters for speed: each table is read column by column, only for the columns its checks
name; the posts' text is streamed once, in batches, through every family that reads it; GX then sees
narrow frames of ids, dates, flags and computed columns (see ``gx_run``).
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..core.engine import Engine, require_pyspark
from ..core.progress import progress, stage
from ..core.publish import read_stable
from ..core.schema import load_schemas
from ..errors import UsageError
from . import reports
from .base import SKIPPED, CheckResult, Spec, Store, spec_frame
from .config import load_config
from .gx_run import GXProcess, check_result
from .results import ValidationResult
from .source import Dataset, check_hash, check_schema, file_specs, open_dataset

FAIL_ON = ("error", "warning")


def _id_columns(schema) -> list[str]:
    """The columns that name a row in examples: the primary key, or the first two required columns."""
    return schema.primary_key or schema.required[:2]


class _Timer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def __call__(self, stage: str, started: float) -> None:
        self.seconds[stage] += time.perf_counter() - started


def _computed(dataset: Dataset, store: Store, checks, timer: _Timer) -> dict[str, dict[str, pa.Array]]:
    """Stream the posts' text through the families that read it, then collect every computed column."""
    from .textscan import text_batches  # numba: loaded once GX is loading beside us

    readers = [f for f in checks if f.reads_text]
    started = time.perf_counter()
    with progress("Scanning the text", total=store.rows("posts")) as advance:
        for batch in text_batches(dataset.tables["posts"].path):
            timer("text scan", started)
            for family in readers:
                begun = time.perf_counter()
                family.consume(batch)
                timer(family.name, begun)
            advance(len(batch))
            started = time.perf_counter()
    columns: dict[str, dict[str, pa.Array]] = defaultdict(dict)
    for family in checks:
        begun = time.perf_counter()
        with stage(f"Checking {family.name.replace('_', '-')}"):
            for table, computed in family.columns(store).items():
                columns[table].update(computed)
        timer(family.name, begun)
    return columns


def _frame(table: str, specs: list[Spec], store: Store, computed: dict[str, pa.Array]):
    return spec_frame(specs, lambda n: computed[n] if n in computed else store.column(table, n), store.rows(table))


def _parameters(dataset: Dataset, now: datetime) -> dict[str, Any]:
    coverage = dataset.coverage
    return {"now": now, "coverage_start": coverage.start if coverage else None,
            "coverage_end": coverage.end if coverage else None}


def _file_checks(dataset: Dataset, schemas) -> tuple[dict[str, CheckResult], set[str]]:
    """The file checks' results, and the tables whose schema is wrong (not to be read further)."""
    results = {}
    for spec in file_specs(schemas):
        table = dataset.tables[spec.table]
        results[spec.id] = check_hash(spec, table) if spec.id.endswith(".hash") else check_schema(spec, table)
    broken = {s.table for s in file_specs(schemas) if s.id.endswith(".schema") and results[s.id].failed}
    return results, broken


def _runnable(specs: list[Spec], schemas, broken: set[str], dataset: Dataset, results: dict[str, CheckResult],
              private_terms: set[str] | None) -> dict[str, list[Spec]]:
    """The specs GX runs, by table; the others are recorded in ``results`` as skipped, with why."""
    # Every computed column comes from the posts: when they are unreadable, nothing else can run.
    runnable = {} if "posts" in broken else {t: [s for s in specs if s.table == t] for t in schemas if t not in broken}
    for spec in specs:
        if spec.table not in runnable:
            reason = spec.table if spec.table in broken else "posts"
            results[spec.id] = CheckResult(spec, SKIPPED, f"not run: {reason} does not match its declared schema")
    if dataset.coverage is None and "posts" in runnable:
        _skip(runnable, results, lambda s: s.id == "posts.published_at.in_coverage", "no temporal coverage declared")
    _skip(runnable, results, lambda s: s.family == "privacy" and s.meta.get("field") in dataset.kept_personal,
          "the dataset's privacy policy keeps this field (recorded in its descriptor)")
    if private_terms is None:
        _skip(runnable, results, lambda s: s.id.endswith(".no_private_names"),
              "the persons' names are known only to a build, which reads the inputs")
    return runnable


def _skip(runnable: dict[str, list[Spec]], results: dict[str, CheckResult], which, reason: str) -> None:
    """Take the specs ``which`` selects out of the run, recorded as skipped for ``reason``."""
    for table, specs in runnable.items():
        for spec in [s for s in specs if which(s)]:
            specs.remove(spec)
            results[spec.id] = CheckResult(spec, SKIPPED, reason)


# A table this long is worth a second GX run (a fixed cost of a few tenths of a second) to get its
# declared columns checked while the text is scanned; a shorter one is checked in one run, after.
EARLY_ROWS = 50_000


def _declared_only(runnable: dict[str, list[Spec]], schemas, store: Store) -> dict[str, list[Spec]]:
    """The specs of the long tables that read declared columns only, which GX can run before any
    column is computed."""
    return {t: [s for s in specs if set(s.columns) <= set(schemas[t].field_names)] for t, specs in runnable.items()
            if store.rows(t) >= EARLY_ROWS}


def _start_gx(gx: GXProcess, early: dict[str, list[Spec]], store: Store, *, parameters, examples: int,
              timer: _Timer) -> None:
    """Send GX the specs on declared columns, to run while this process scans the text."""
    started = time.perf_counter()
    gx.start(lambda table: _frame(table, early[table], store, {}), early, parameters=parameters, examples=examples)
    timer("frames", started)


def _run_gx(gx: GXProcess, runnable: dict[str, list[Spec]], computed, store: Store, schemas, *, parameters,
            examples: int, timer: _Timer, early: dict[str, list[Spec]]) -> dict[str, CheckResult]:
    # The rest, and any early one whose column a family computed anew (its frame has the computed
    # column, as when all ran at once; its result replaces the early one).
    late = {t: [s for s in specs if s not in early.get(t, []) or set(s.columns) & set(computed.get(t, {}))]
            for t, specs in runnable.items()}

    def frame(table: str):
        begun = time.perf_counter()
        made = _frame(table, late[table], store, computed.get(table, {}))
        timer("frames", begun)
        return made

    started = time.perf_counter()
    with progress("Running the GX suites", total=len(runnable), unit="tables") as advance:
        found = gx.run(frame, late, parameters=parameters, examples=examples, advance=advance)
    timer("great expectations", started)
    timer.seconds["great expectations"] -= timer.seconds["frames"]
    results = {}
    for table, specs in runnable.items():
        key = _id_columns(schemas[table])
        columns = [store.column(table, c) for c in key]

        def ids(row: int, columns=columns, key=key) -> dict[str, Any]:
            return {"row": row, **{k: c[row].as_py() for k, c in zip(key, columns)}}

        results.update({spec.id: check_result(spec, found[spec.id], ids) for spec in specs})
    return results


def validate(path: Path, *, config: Path | None = None, fail_on: str = "error", report: Path | None = None,
             junit: Path | None = None, html: Path | None = None, docs: Path | None = None,
             now: datetime | None = None, label: str | None = None, overrides: dict[str, Any] | None = None,
             private_terms: set[str] | None = None, engine: Engine | None = None) -> ValidationResult:
    """Validate the data package or folder of tables at ``path``; write the reports asked for.

    ``label`` names the dataset in the reports (build passes the descriptor's path, not its staging folder);
    ``overrides`` are a dataset's own thresholds and severities (dataset.toml's ``[validation]``), applied
    over ``config``; ``private_terms`` are the persons' ids and names the inputs held (a build passes
    them, so that no name check is skipped); ``engine`` is where the checks run (``Engine("spark",
    master)``: on Spark, with the same results; default: this machine).

    Example: ``validate(Path("datapackage.json"), junit=Path("reports/validation.junit.xml")).exit_code``
    """
    return read_stable(path if path.is_dir() else path.parent, lambda: _validate(
        path, config=config, fail_on=fail_on, report=report, junit=junit, html=html, docs=docs, now=now,
        label=label, overrides=overrides, private_terms=private_terms, engine=engine or Engine()))


def _validate(path: Path, *, config: Path | None, fail_on: str, report: Path | None, junit: Path | None,
              html: Path | None, docs: Path | None, now: datetime | None, label: str | None,
              overrides: dict[str, Any] | None, private_terms: set[str] | None, engine: Engine) -> ValidationResult:
    if fail_on not in FAIL_ON:
        raise UsageError(f"{{fail_on}} must be one of {', '.join(FAIL_ON)}, not {fail_on!r}", options=["fail_on"])
    if engine.is_spark:
        require_pyspark()  # before anything is read: without it, say how to install it
    # Locally, GX loads in its own process while this one reads and scans; on Spark it runs here.
    with nullcontext() if engine.is_spark else GXProcess(docs) as gx:
        settings, schemas, timer = load_config(config, overrides=overrides), load_schemas(), _Timer()
        outcome = _checked(path, gx, settings=settings, schemas=schemas, config=config, fail_on=fail_on, now=now,
                           label=label, timer=timer, private_terms=private_terms, engine=engine, docs=docs)
    reports.write(outcome, report=report, junit=junit, html=html)
    return outcome


def _checked(path: Path, gx: GXProcess | None, *, settings, schemas, config: Path | None, fail_on: str,
             now: datetime | None, label: str | None, timer: _Timer, private_terms: set[str] | None,
             engine: Engine, docs: Path | None) -> ValidationResult:
    from .suites import families  # the families' numba loops: loaded once GX is loading beside us

    started = time.perf_counter()
    dataset = open_dataset(path, schemas, label=label)
    checks = families(schemas, settings)
    specs = [s for family in checks for s in family.specs()]
    unknown = sorted(set(settings.severity) - {s.id for s in specs} - {s.id for s in file_specs(schemas)})
    if unknown:
        raise UsageError(f"{config or '[validation]'}: [severity] names no expectation {', '.join(unknown)}")
    with stage("Checking the files"):
        results, broken = _file_checks(dataset, schemas)
    timer("file checks", started)
    if private_terms is None and dataset.no_private_terms:
        private_terms = set()  # the descriptor says the inputs held none: the name checks can run
    store = Store({name: table.path for name, table in dataset.tables.items()}, private_terms=private_terms)
    runnable = _runnable(specs, schemas, broken, dataset, results, private_terms)
    statistics: dict[str, Any] = {"rows": {t: store.rows(t) for t in schemas}}
    if runnable and engine.is_spark:
        from .spark.run import run_on_spark

        found, computed = run_on_spark(engine, dataset, runnable, schemas, settings, rows=statistics["rows"],
                                       parameters=_parameters(dataset, now or datetime.now(UTC)), docs=docs,
                                       private_terms=private_terms, timer=timer)
        results.update(found)
        statistics.update(computed)
    elif runnable:
        parameters, early = _parameters(dataset, now or datetime.now(UTC)), _declared_only(runnable, schemas, store)
        _start_gx(gx, early, store, parameters=parameters, examples=settings.examples, timer=timer)
        computed = _computed(dataset, store, checks, timer)
        results.update(_run_gx(gx, runnable, computed, store, schemas, examples=settings.examples, timer=timer,
                               parameters=parameters, early=early))
        for family in checks:
            statistics.update(family.statistics())
            if getattr(family, "clusters", None):
                results["posts.text.near_duplicates"].details = family.clusters
    tables = list(schemas)
    ordered = sorted((results[s.id] for s in [*file_specs(schemas), *specs]), key=lambda r: tables.index(r.spec.table))
    return ValidationResult(dataset=dataset.label, coverage=dataset.coverage.text if dataset.coverage else None,
                            config=settings, fail_on=fail_on, results=ordered, statistics=statistics,
                            timings=dict(timer.seconds), about=dataset.about)
