"""The command line: one thin function per command, each a call into ``api`` plus printing.

Errors the library raises become one line on stderr and the error's exit code (1: the data failed a
check; 2: unusable input or wrong usage). ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from .convert.run import ConvertResult
    from .package.build import BuildResult
    from .validate.results import ValidationResult

INTERNAL_ERROR, OS_ERROR, INTERRUPTED, TERMINATED = 3, 2, 130, 143
# Parameters whose flag is not their name with dashes (see errors.flag).
FLAGS = {"columns": "--column", "sources": "--from", "include_chats": "--include-chat"}

app = typer.Typer(
    help="Turn raw Telegram posts into a validated, versioned Frictionless data package.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"corpus-tools {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback of an error.")] = False,
    version: Annotated[bool | None, typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Print the version and exit.")] = None,
) -> None:
    """corpus-tools: raw Telegram posts -> checked Parquet tables -> Frictionless data package."""
    _state["debug"] = debug
    signal.signal(signal.SIGTERM, _terminate)


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that every cleanup runs (as Ctrl-C's KeyboardInterrupt)."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def _run(function, *args, **kwargs):
    """Call into the library; turn its errors into one line and an exit code: 1 for data that fails
    a check, 2 for unusable input, usage and operating-system errors (a full disk, a read-only
    folder), 130 and 143 for Ctrl-C and SIGTERM (after cleaning up), 3 for a bug."""
    from .core.engine import spark_job_failure
    from .errors import CorpusToolsError, flag

    try:
        return function(*args, **kwargs)
    except CorpusToolsError as error:
        if _state["debug"]:
            raise
        if getattr(error, "validation", None) is not None:  # a refused build: say what failed, as validate does
            _print_validation(error.validation)
        typer.echo(f"error: {error.worded(lambda option: FLAGS.get(option) or flag(option))}", err=True)
        raise typer.Exit(error.exit_code) from None
    except (KeyboardInterrupt, Terminated) as stop:
        typer.echo("error: interrupted; nothing was published, and nothing half-written is left", err=True)
        raise typer.Exit(INTERRUPTED if isinstance(stop, KeyboardInterrupt) else TERMINATED) from None
    except OSError as error:
        if _state["debug"]:
            raise
        typer.echo(f"error: {_os_error(error)}", err=True)
        raise typer.Exit(OS_ERROR) from None
    except Exception as error:  # a bug (unless Spark ran short): say so in one line, the traceback for --debug
        if _state["debug"]:
            raise
        failure = spark_job_failure(error)
        if failure:
            typer.echo(f"error: {failure}", err=True)
            raise typer.Exit(OS_ERROR) from None
        typer.echo(f"internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)", err=True)
        raise typer.Exit(INTERNAL_ERROR) from None


def _os_error(error: OSError) -> str:
    """An operating-system error as one line naming the path: '/out/posts.parquet: No space left on device'."""
    where = error.filename or getattr(error, "filename2", None)
    what = error.strerror or " ".join(str(error).split())
    return f"{where}: {what}" if where else what


def _print_conversion(result: ConvertResult) -> None:
    for summary in result.inputs:
        typer.echo(f"{summary.source_file} ({summary.format}): {summary.posts} posts, {summary.rejects} rejects")
        for unit, key in (("lines", "line_usage"), ("records", "record_usage")):
            usage = summary.facts.get(key)
            if usage:
                typer.echo(f"  {summary.facts[unit]} {unit}: " + ", ".join(f"{k} {v}" for k, v in usage.items()))
        if summary.facts.get("replaced_characters"):
            typer.echo(f"  {summary.facts['replaced_characters']} characters that are not valid UTF-8 replaced by U+FFFD")
    for note in result.notes:
        typer.echo(f"note: {note}")
    typer.echo("tables: " + ", ".join(f"{name} {rows}" for name, rows in result.tables.items()))
    typer.echo(f"written to {result.out_dir}/ (accounting in manifest.json)")


def _column_overrides(pairs: list[str]) -> dict[str, str]:
    """--column FIELD=COLUMN options as a mapping."""
    from .errors import UsageError

    mapping = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field:
            raise UsageError(f"--column {pair!r}: expected FIELD=COLUMN, e.g. text=message")
        mapping[field.strip()] = column.strip()
    return mapping


# Where a command runs (core.engine; docs/spark.md). Declared once, used by convert, build, package and validate.
EngineOption = Annotated[str | None, typer.Option("--engine", metavar="ENGINE", help="Where to run: local (this "
                         "machine's processes; the default) or spark (needs the spark extra); overrides "
                         "dataset.toml's [engine] name.", show_default=False)]
MasterOption = Annotated[str | None, typer.Option("--spark-master", metavar="URL", help="The Spark master for "
                         "--engine spark: local[N], spark://HOST:7077, yarn, k8s://... (default: [engine] master, "
                         "else local[*]).", show_default=False)]


@app.command()
def convert(
    inputs: Annotated[list[Path], typer.Argument(help="Input files (or export folders), converted together into "
                                                      "one table set.",
                                                 show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write TABLE.parquet and manifest.json to.")],
    format: Annotated[str, typer.Option("--format", "-f", help="Input format: auto (detect), telegram-json, "
                                        "telegram-html, tme-html, telethon-jsonl, csv, telegram-tracker or "
                                        "telegram-text.")] = "auto",
    channel: Annotated[str | None, typer.Option(help="Channel name for sources that don't carry it "
                                                     "(telegram-text dumps), e.g. MFARussia.")] = None,
    period: Annotated[str | None, typer.Option(help="Collection period START/END (ISO dates); dates the "
                                                    "posts mention inside it date undated posts.")] = None,
    tz: Annotated[str | None, typer.Option(help="Time zone of local times given without offset (old Telegram "
                                                "Desktop exports), e.g. Europe/Moscow.")] = None,
    column: Annotated[list[str] | None, typer.Option(help="CSV mapping override FIELD=COLUMN (repeatable), "
                                                         "e.g. text=message.")] = None,
    max_rejects: Annotated[int | None, typer.Option(help="Fail (exit 1) when more than N records are "
                                                         "rejected.")] = None,
    workers: Annotated[int | None, typer.Option(help="Processes that read a large input in parts (default: one "
                                                     "per CPU); the output is the same whatever the number.")] = None,
    key_file: Annotated[Path | None, typer.Option(help="The secret key private persons' pseudonyms are made with "
                                                       "(default: CORPUS_TOOLS_PSEUDONYM_KEY).", metavar="FILE")] = None,
    throwaway_key: Annotated[bool, typer.Option(help="Pseudonymise with a random key made for this run: pseudonyms "
                                                     "match no other run (recorded in the manifest).")] = False,
    include_chat: Annotated[list[str] | None, typer.Option(help="A personal chat of a full-account export to read "
                                                                "(name or id; repeatable): they are left out "
                                                                "otherwise.", metavar="CHAT")] = None,
    engine: EngineOption = None,
    spark_master: MasterOption = None,
) -> None:
    """Convert raw inputs into the declared Parquet tables; private persons get pseudonyms.

    Example: corpus-tools convert result.json dump.txt --out out/ --channel MFARussia --tz Europe/Moscow
    """
    from . import api

    parsed = _run(api.Period.parse, period) if period else None
    columns = _run(_column_overrides, column or [])
    privacy = _run(api.Privacy.given, key_file=key_file, throwaway=throwaway_key)
    result = _run(api.convert, inputs, out, format=format, channel=channel, period=parsed, tz=tz,
                  columns=columns, max_rejects=max_rejects, workers=workers, privacy=privacy,
                  include_chats=include_chat or [], engine=_run(api.Engine.choose, engine, spark_master, {}))
    _print_conversion(result)


def _print_validation(result: ValidationResult) -> None:
    from .validate.reports import summary

    for line in summary(result):
        typer.echo(line)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="The dataset's folder (created when missing; must hold no "
                                                   "dataset.toml yet).")] = Path("."),
    sources: Annotated[list[Path] | None, typer.Option("--from", metavar="EXPORT", help="An export to list as an "
                                                       "input (repeatable); it stays where it is.")] = None,
) -> None:
    """Start a dataset folder: a commented dataset.toml to fill in, raw/, a .gitignore and a GitHub
    Actions workflow that validates the package on every push.

    Example: corpus-tools init my-dataset --from ~/Downloads/ChatExport_2025-06-01/result.json
    """
    from . import api

    result = _run(api.init, directory, sources=sources or [])
    for name in result.written:
        typer.echo(f"wrote {result.directory / name}")
    typer.echo(f"next: fill in every TODO in {result.directory / 'dataset.toml'}, then run "
               f"corpus-tools build --config {result.directory / 'dataset.toml'}")


@app.command()
def build(
    config: Annotated[Path, typer.Option("--config", "-c", help="The dataset's config file.")] = Path("dataset.toml"),
    allow_invalid: Annotated[bool, typer.Option("--allow-invalid", help="Publish even when a validation check fails "
                                                "at error severity; the descriptor records it.")] = False,
    engine: EngineOption = None,
    spark_master: MasterOption = None,
) -> None:
    """Convert the dataset's inputs, check and validate the tables, and write datapackage.json (what `make build` runs).

    Example: corpus-tools build --config dataset.toml
    """
    from . import api

    result = _run(api.build, config, allow_invalid=allow_invalid, engine=engine, spark_master=spark_master)
    _print_conversion(result.convert)
    _print_validation(result.validation)
    _print_release(result)


def _print_release(result: BuildResult) -> None:
    d = result.descriptor
    if result.diff is None:
        typer.echo(f"first release of {d['name']}")
    elif not result.diff.level:
        typer.echo(f"no change since {result.diff.old_version}")
    else:
        typer.echo(f"compared with {result.diff.old_version}: the change needs a {result.diff.level} version")
    typer.echo(f"published {d['name']} {d['version']}: {result.descriptor_path} (reports in {result.reports_dir}/)")
    typer.echo("stages: " + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in result.timings.items()))


@app.command()
def package(
    directory: Annotated[Path, typer.Argument(help="The dataset's folder (holding dataset.toml).")] = Path("."),
    version: Annotated[str | None, typer.Option("--version", help="The version to publish, X.Y.Z.")] = None,
    bump: Annotated[str | None, typer.Option("--bump", help="Publish the previous version bumped: major, minor "
                                                              "or patch.")] = None,
    previous: Annotated[Path | None, typer.Option("--previous", help="The previous version's descriptor to compare "
                                                                      "with (default: the published one).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Publish even when the version bumps less than the change "
                                                        "needs.")] = False,
    archive: Annotated[bool, typer.Option("--archive", help="Also write dist/NAME-VERSION.zip.")] = False,
    allow_invalid: Annotated[bool, typer.Option("--allow-invalid", help="Publish even when a validation check "
                                                "fails at error severity; the descriptor records it.")] = False,
    engine: EngineOption = None,
    spark_master: MasterOption = None,
) -> None:
    """Publish a new version of the dataset: build it, check the version against the change, write
    the descriptor, CSV copies, croissant.json, data card and CHANGELOG entry.

    Example: corpus-tools package . --bump minor --archive
    """
    from . import api

    result = _run(api.package, directory, version=version, bump=bump, previous=previous, force=force, archive=archive,
                  allow_invalid=allow_invalid, engine=engine, spark_master=spark_master)
    _print_conversion(result.convert)
    _print_validation(result.validation)
    _print_release(result)
    if result.archive:
        typer.echo(f"archive: {result.archive}")


@app.command()
def verify(
    datapackage: Annotated[Path, typer.Argument(help="The descriptor, or the folder holding datapackage.json.")] = Path("datapackage.json"),
) -> None:
    """Check that every resource's file has the size and sha256 its descriptor declares.

    Example: corpus-tools verify datapackage.json
    """
    from . import api

    result = _run(api.verify, datapackage)
    typer.echo(f"verified {result.name} {result.version}: {result.resources} resources, {result.bytes} bytes, "
               "sizes and sha256 match")


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The older version: its descriptor or folder.")],
    new: Annotated[Path, typer.Argument(help="The newer version: its descriptor or folder.")],
    limit: Annotated[int, typer.Option("--limit", help="List at most N keys per kind of row change (0: all).")] = 20,
) -> None:
    """Show what changed between two versions: metadata, schemas, and rows by primary key.

    Example: corpus-tools diff old/datapackage.json datapackage.json
    """
    from . import api

    result = _run(api.compare, old, new)
    typer.echo(result.render(limit=limit or None), nl=False)


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="A datapackage.json, or a folder of TABLE.parquet files.",
                                         show_default=False)],
    report: Annotated[Path | None, typer.Option(help="Write the JSON report to FILE.", metavar="FILE")] = None,
    junit: Annotated[Path | None, typer.Option(help="Write a JUnit XML report (one test case per check) to FILE.",
                                               metavar="FILE")] = None,
    html: Annotated[Path | None, typer.Option(help="Write the HTML report (one self-contained file that opens "
                                                   "offline in any browser) to FILE.", metavar="FILE")] = None,
    docs: Annotated[Path | None, typer.Option(help="Build GX Data Docs (HTML) in DIR.", metavar="DIR")] = None,
    fail_on: Annotated[str, typer.Option(help="Severity that fails the run (exit 1): error, or warning to make "
                                              "warnings fail too.")] = "error",
    config: Annotated[Path | None, typer.Option(help="Validation config overriding schemas/validation.toml "
                                                      "(severities, thresholds).", metavar="FILE")] = None,
    engine: EngineOption = None,
    spark_master: MasterOption = None,
) -> None:
    """Run the validation suites on a data package and print a summary; exit 1 when a check fails.

    Example: corpus-tools validate datapackage.json --junit reports/validation.junit.xml
    """
    from . import api

    result = _run(api.validate, path, config=config, fail_on=fail_on, report=report, junit=junit, html=html, docs=docs,
                  engine=engine, spark_master=spark_master)
    _print_validation(result)
    raise typer.Exit(result.exit_code)


@app.command()
def synth(
    posts: Annotated[str | None, typer.Option("--posts", "-n", metavar="N", help="How many posts: 1000, 100k, 1M.",
                                              show_default=False)] = None,
    format: Annotated[str | None, typer.Option("--format", "-f", metavar="FORMAT",
                                               help="telegram-json, telethon-jsonl or telegram-text.",
                                               show_default=False)] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="FILE", help="The file to write; the truth file goes beside it "
                                                                 "as FILE.truth.json.", show_default=False)] = None,
    seed: Annotated[str, typer.Option(metavar="S", help="Random seed: the same seed, size and options give the same bytes.")] = "0",
    channels: Annotated[str, typer.Option(metavar="K", help="How many channels (telegram-json: a full-account export).")] = "1",
    channel: Annotated[str | None, typer.Option(metavar="TITLE", help="The channel's title (several: TITLE 1, TITLE 2, ...).",
                                                show_default="Synthetic News 🌐")] = None,
    duplicates: Annotated[str, typer.Option(metavar="SHARE", help="Share of posts planted as exact duplicates.")] = "0.02",
    near_duplicates: Annotated[str, typer.Option("--near-duplicates", metavar="SHARE",
                                                 help="Share of posts planted as near duplicates.")] = "0.03",
    workers: Annotated[str | None, typer.Option(metavar="W", help="Processes to use (default: one a CPU); the output never "
                                                     "depends on it.", show_default=False)] = None,
    chat: Annotated[str, typer.Option(metavar="KIND", help="channel, or group: group chats of persons who "
                                                          "mention, reply to and forward each other "
                                                          "(not telegram-text).")] = "channel",
) -> None:
    """Write a synthetic corpus in an input format, with a truth file of what was planted in it.

    Example: corpus-tools synth --posts 100k --format telegram-json --out corpus.json --seed 1
    """
    from . import api

    result = _run(api.synth, out, posts=posts, format=format, seed=seed, channels=channels, channel=channel,
                  duplicates=duplicates, near_duplicates=near_duplicates, workers=workers, chat=chat)
    counts = result.truth["counts"]
    typer.echo(f"wrote {result.path} ({result.format}): {counts['posts']} posts in {len(result.truth['channels'])} "
               f"{chat}(s), {counts['service_messages']} service messages, {result.bytes:,} bytes")
    typer.echo(f"planted {counts['exact_duplicates']} exact and {counts['near_duplicates']} near duplicates, "
               f"{counts['replies']} replies, {counts['forwards']} forwards; truth in {result.truth_path}")
