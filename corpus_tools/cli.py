"""The command line: one thin function per command, each a call into ``api`` plus printing.

Errors the library raises become one line on stderr and the error's exit code (1: the data failed a
check; 2: unusable input or wrong usage). ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from .convert import ConvertResult
    from .validate.run import ValidationResult

INTERNAL_ERROR = 3

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


def _run(function, *args, **kwargs):
    """Call into the library; turn its errors into one line and an exit code."""
    from .errors import CorpusToolsError

    try:
        return function(*args, **kwargs)
    except CorpusToolsError as error:
        if _state["debug"]:
            raise
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(error.exit_code) from None
    except Exception as error:  # a bug: say so in one line, keep the traceback for --debug
        if _state["debug"]:
            raise
        typer.echo(f"internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)", err=True)
        raise typer.Exit(INTERNAL_ERROR) from None


def _print_conversion(result: ConvertResult) -> None:
    for summary in result.inputs:
        typer.echo(f"{summary.source_file} ({summary.format}): {summary.posts} posts, {summary.rejects} rejects")
        usage = summary.facts.get("line_usage")
        if usage:
            typer.echo(f"  {summary.facts['lines']} lines: " + ", ".join(f"{k} {v}" for k, v in usage.items()))
    typer.echo("tables: " + ", ".join(f"{name} {rows}" for name, rows in result.tables.items()))
    typer.echo(f"written to {result.out_dir}/ (accounting in manifest.json)")


@app.command()
def convert(
    inputs: Annotated[list[Path], typer.Argument(help="Input files, converted together into one table set.",
                                                 show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write TABLE.parquet and manifest.json to.")],
    format: Annotated[str, typer.Option("--format", "-f", help="Input format: auto (detect) or telegram-text.")] = "auto",
    channel: Annotated[str | None, typer.Option(help="Channel name for sources that don't carry it "
                                                        "(telegram-text dumps), e.g. MFARussia.")] = None,
    period: Annotated[str | None, typer.Option(help="Collection period START/END (ISO dates); dates the "
                                                       "posts mention inside it date undated posts.")] = None,
) -> None:
    """Convert raw inputs into the declared Parquet tables.

    Example: corpus-tools convert dump.txt --out out/ --channel MFARussia --period 2025-04-03/2025-04-05
    """
    from . import api

    parsed = _run(api.Period.parse, period) if period else None
    result = _run(api.convert, inputs, out, format=format, channel=channel, period=parsed)
    _print_conversion(result)


def _print_validation(result: ValidationResult) -> None:
    from .validate.reports import summary

    for line in summary(result):
        typer.echo(line)


@app.command()
def build(
    config: Annotated[Path, typer.Option("--config", "-c", help="The dataset's config file.")] = Path("dataset.toml"),
    allow_invalid: Annotated[bool, typer.Option("--allow-invalid", help="Publish even when a validation check fails "
                                                "at error severity; the descriptor records it.")] = False,
) -> None:
    """Convert the dataset's inputs, check and validate the tables, and write datapackage.json (what `make build` runs).

    Example: corpus-tools build --config dataset.toml
    """
    from . import api

    result = _run(api.build, config, allow_invalid=allow_invalid)
    _print_conversion(result.convert)
    _print_validation(result.validation)
    d = result.descriptor
    typer.echo(f"published {d['name']} {d['version']}: {result.descriptor_path} (reports in {result.reports_dir}/)")


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="A datapackage.json, or a folder of TABLE.parquet files.",
                                         show_default=False)],
    report: Annotated[Path | None, typer.Option(help="Write the JSON report to FILE.", metavar="FILE")] = None,
    junit: Annotated[Path | None, typer.Option(help="Write a JUnit XML report (one test case per check) to FILE.",
                                               metavar="FILE")] = None,
    docs: Annotated[Path | None, typer.Option(help="Build GX Data Docs (HTML) in DIR.", metavar="DIR")] = None,
    fail_on: Annotated[str, typer.Option(help="Severity that fails the run (exit 1): error, or warning to make "
                                              "warnings fail too.")] = "error",
    config: Annotated[Path | None, typer.Option(help="Validation config overriding schemas/validation.toml "
                                                      "(severities, thresholds).", metavar="FILE")] = None,
) -> None:
    """Run the validation suites on a data package and print a summary; exit 1 when a check fails.

    Example: corpus-tools validate datapackage.json --junit reports/validation.junit.xml
    """
    from . import api

    result = _run(api.validate, path, config=config, fail_on=fail_on, report=report, junit=junit, docs=docs)
    _print_validation(result)
    raise typer.Exit(result.exit_code)
