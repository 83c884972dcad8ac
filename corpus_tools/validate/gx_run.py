"""Running the suites with Great Expectations (GX Core 1.x), and reading its results back.

One ephemeral GX context; per table a pandas data source asset, a whole-dataframe batch definition and
a checkpoint running the table's suite (with Data Docs when asked for). Two choices keep GX fast on a
million posts:

- The frames hold only the columns the suite reads (declared ones and computed ones), never the posts'
  text: GX fingerprints every pandas batch with ``hash_pandas_object``, which on the text of a million
  posts costs about as much as the text checks' own scan.
- Failing rows come back as row positions (GX's default index), not via
  ``unexpected_index_column_names``: GX looks those up one ``DataFrame.at`` per failing row before it
  truncates the list, which made a check with half a million failing rows take more than a minute. Positions are mapped to ids here instead, and only
  for the examples reported.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .base import FAILED, PASSED, CheckResult, Spec
from .suites import gx_suite, suite_dict

SITE = "corpus_tools"


def _context(docs: Path | None):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if docs is not None:
        context.add_data_docs_site(site_name=SITE, site_config={
            "class_name": "SiteBuilder", "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs)}})
    return context


def run_suites(frame: Callable[[str], pd.DataFrame], specs: dict[str, list[Spec]], *, parameters: dict[str, Any],
               examples: int, docs: Path | None = None) -> dict[str, dict[str, Any]]:
    """Validate each table's frame (made by ``frame(table)`` when its turn comes, and let go after,
    so only one table's frame is in memory at a time) against its suite; GX's result of every
    expectation, by id.

    With ``docs``, the Data Docs site is built there (replacing what was there, all at once).
    """
    import great_expectations as gx

    building = None
    if docs:
        docs.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{docs.name}-", dir=docs.parent))
        building.chmod(0o755)  # mkdtemp makes it private; the docs are for sharing
    context = _context(building)
    results: dict[str, dict[str, Any]] = {}
    try:
        for table, table_specs in specs.items():
            # A fresh data source per table, deleted once its checkpoint has run: GX's pandas
            # execution engine caches every batch's dataframe for the life of its source (and GX keeps
            # the context alive globally), which held all seven frames, 400 MB at a million posts,
            # to the end of the process.
            source = context.data_sources.add_pandas("corpus_tools")
            batch = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe("whole table")
            suite = context.suites.add(gx_suite(suite_dict(table, table_specs)))
            definition = context.validation_definitions.add(gx.ValidationDefinition(name=table, data=batch, suite=suite))
            # Only our site: the ephemeral context also has a default one in a temporary folder.
            actions = [gx.checkpoint.UpdateDataDocsAction(name="data docs", site_names=[SITE])] if docs else []
            checkpoint = context.checkpoints.add(gx.Checkpoint(
                name=table, validation_definitions=[definition], actions=actions,
                result_format={"result_format": "SUMMARY", "partial_unexpected_count": examples,
                               "return_unexpected_index_query": False}))
            outcome = checkpoint.run(batch_parameters={"dataframe": frame(table)}, expectation_parameters=parameters)
            for run in outcome.run_results.values():
                for result in run.results:
                    results[result.expectation_config.meta["id"]] = result.to_json_dict()
            del outcome, batch, definition, checkpoint
            context.data_sources.delete(source.name)
            del source
        if docs:
            _replace(building, docs)
    finally:
        if building and building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return results


def _replace(new: Path, old: Path) -> None:
    """Put folder ``new`` where ``old`` is, with the old one gone only once the new one is in place."""
    retired = old.with_name(f".{old.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if old.exists():
        old.rename(retired)
    new.rename(old)
    shutil.rmtree(retired, ignore_errors=True)


def _plain(value: Any) -> Any:
    """A GX result value as plain JSON data (timestamps as ISO text)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def check_result(spec: Spec, gx_result: dict[str, Any], ids) -> CheckResult:
    """A ``CheckResult`` from GX's result of the expectation; ``ids(row)`` names a row by its key columns."""
    info = gx_result.get("exception_info") or {}
    if info.get("raised_exception"):
        return CheckResult(spec, FAILED, f"could not be evaluated: {info.get('exception_message')}")
    result = gx_result.get("result") or {}
    if "observed_value" in result and "element_count" not in result:
        observed = _plain(result["observed_value"])
        status = PASSED if gx_result["success"] else FAILED
        return CheckResult(spec, status, f"observed {observed}", observed=observed)
    unexpected, total = result.get("unexpected_count", 0), result.get("element_count", 0)
    rows = result.get("partial_unexpected_index_list") or []
    values = _plain(result.get("partial_unexpected_list") or [])
    examples = [{**ids(int(row)), "value": value} for row, value in zip(rows, values)]
    if gx_result["success"]:
        return CheckResult(spec, PASSED, f"all {total} rows pass", unexpected=unexpected, total=total)
    return CheckResult(spec, FAILED, f"{unexpected} of {total} rows fail: {spec.description}",
                       unexpected=unexpected, total=total, examples=examples)
