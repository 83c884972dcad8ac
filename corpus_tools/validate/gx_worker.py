"""Great Expectations (GX Core 1.x) in a process of its own: the suites run there, one table at a time.

Importing GX and making its context costs seconds whatever the data (most of validating a small
package), and running the suites leaves the rest of validation nothing to do. So ``validate`` starts
this process first (``python -m corpus_tools.validate.gx_worker``, which imports GX and nothing of the
checks) and scans the text, computes the checks' columns and reads the tables in its own process
meanwhile, on the other core; it then sends each table's frame and suite and reads back GX's results
(``gx_run`` is that side). Requests and replies are pickles on two pipes; the process ends when its
request pipe closes, and dies with its parent however that ends (``core.processes.die_with_parent``).

Per table: a pandas data source asset, a whole-dataframe batch definition and a checkpoint running
the table's suite (with Data Docs when asked for). Two choices keep GX fast on a million posts:

- The frames hold only the columns the suite reads (declared ones and computed ones), never the posts'
  text: GX fingerprints every pandas batch with ``hash_pandas_object``, which on the text of a million
  posts costs about as much as the text checks' own scan.
- Failing rows come back as row positions (GX's default index), not via
  ``unexpected_index_column_names``: GX looks those up one ``DataFrame.at`` per failing row before it
  truncates the list, which made a check with half a million failing rows take more than a minute.
  Positions are mapped to ids by the caller, and only for the examples reported.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

SITE = "corpus_tools"


def gx_suite(suite: dict[str, Any]):
    """A GX ``ExpectationSuite`` from a suite dict (GX validates every expectation's arguments here)."""
    import great_expectations as gx

    return gx.ExpectationSuite(name=suite["name"], expectations=suite["expectations"], meta=suite["meta"])


def context(docs: Path | None):
    """An ephemeral GX context, without progress bars; with a Data Docs site in ``docs`` when given."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    made = gx.get_context(mode="ephemeral")
    made.variables.progress_bars = ProgressBarsConfig(globally=False)
    if docs is not None:
        made.add_data_docs_site(site_name=SITE, site_config={
            "class_name": "SiteBuilder", "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs)}})
    return made


def validate_table(gx_context, *, table: str, suite: dict[str, Any], frame, parameters: dict[str, Any],
                   examples: int, docs: bool, result_format: str = "SUMMARY", name: str | None = None
                   ) -> dict[str, dict[str, Any]]:
    """Run ``suite`` on ``frame`` (an Arrow table); GX's result of every expectation, by id, as plain data.
    ``name`` names the run (default: the table; each run of a context needs its own name and suite name).

    A fresh data source per table, deleted once its checkpoint has run: GX's pandas execution engine
    caches every batch's dataframe for the life of its source (and GX keeps the context alive
    globally), which held all seven frames, 400 MB at a million posts, to the end of the process.
    """
    import pandas as pd

    source = gx_context.data_sources.add_pandas("corpus_tools")
    values = {k: None if v is None else pd.Timestamp(v) for k, v in parameters.items()}
    found = run_suite(gx_context, source, table=table, suite=suite, dataframe=frame.to_pandas(), parameters=values,
                      examples=examples, docs=docs, result_format=result_format, name=name)
    results = {check_id: plain(result.to_json_dict()) for check_id, result in found.items()}
    del found
    gx_context.data_sources.delete(source.name)
    return results


def run_suite(gx_context, source, *, table: str, suite: dict[str, Any], dataframe, parameters: dict[str, Any],
              examples: int, docs: bool, result_format: str, name: str | None, index_columns: tuple[str, ...] = ()
              ) -> dict[str, Any]:
    """Run ``suite`` on ``dataframe`` (of the kind GX's data ``source`` reads: pandas, or Spark) in a
    checkpoint: GX's result objects, by expectation id. ``index_columns`` name failing rows in the
    results (a Spark DataFrame has no row positions of its own)."""
    import great_expectations as gx

    batch = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe("whole table")
    definition = gx_context.validation_definitions.add(gx.ValidationDefinition(
        name=name or table, data=batch, suite=gx_context.suites.add(gx_suite(suite))))
    # Only our site: the ephemeral context also has a default one in a temporary folder.
    actions = [gx.checkpoint.UpdateDataDocsAction(name="data docs", site_names=[SITE])] if docs else []
    indexed = {"unexpected_index_column_names": list(index_columns)} if index_columns else {}
    checkpoint = gx_context.checkpoints.add(gx.Checkpoint(
        name=name or table, validation_definitions=[definition], actions=actions,
        result_format={"result_format": result_format, "partial_unexpected_count": examples,
                       "return_unexpected_index_query": False, **indexed}))
    outcome = checkpoint.run(batch_parameters={"dataframe": dataframe}, expectation_parameters=parameters)
    return {result.expectation_config.meta["id"]: result
            for run in outcome.run_results.values() for result in run.results}


def plain(value: Any) -> Any:
    """A GX result value as plain data (timestamps as ISO text), which the caller reads without pandas."""
    import pandas as pd

    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def serve(requests, replies, docs: Path | None) -> None:
    """Answer each request (the keyword arguments of ``validate_table``) with ("ok", results) or
    ("error", traceback), until the request pipe closes."""
    # Importing GX makes a few hundred thousand objects that live as long as the process: the
    # collector, walking them again and again as they are made, costs a tenth of the import. So it
    # is off until they are all made, and then they are set aside (frozen) from its walks.
    gc.disable()
    gx_context = context(docs)
    gc.freeze()
    gc.enable()
    while True:
        try:
            request = pickle.load(requests)
        except EOFError:
            return
        try:
            reply = ("ok", validate_table(gx_context, docs=docs is not None, **request))
        except Exception:
            reply = ("error", traceback.format_exc())
        del request
        pickle.dump(reply, replies, protocol=pickle.HIGHEST_PROTOCOL)
        replies.flush()


def main(argv: list[str]) -> None:
    """``python -m corpus_tools.validate.gx_worker REQUESTS_FD REPLIES_FD PARENT_PID [DOCS]``"""
    from ..core.processes import die_with_parent

    die_with_parent(int(argv[2]))
    with os.fdopen(int(argv[0]), "rb") as requests, os.fdopen(int(argv[1]), "wb") as replies:
        serve(requests, replies, Path(argv[3]) if len(argv) > 3 and argv[3] else None)
    # Every reply is sent and the Data Docs are written: skip tearing GX down (half a second; the
    # parent waits for this process to end).
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
