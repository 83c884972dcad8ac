"""Running the suites with Great Expectations, from the validating process: GX itself runs in a
process of its own (``gx_worker``), started by ``GXProcess`` before the text is scanned so that its
import and set-up, the largest fixed cost of validating, overlap the checks' own work. This side
sends each table's frame and suite, reads GX's results back, and turns them into ``CheckResult``s.
Nothing here imports GX or pandas.

The expectations that read declared columns only are sent first (``start``), before the text is
scanned, and GX runs them as soon as it is loaded, on the core the scan leaves idle; those on the
columns the checks compute are sent once they are computed (``run``). Requests are written to GX's
pipe by a thread of their own, so sending a frame that GX, still importing, does not read yet
never holds up this process.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow as pa

from .base import FAILED, PASSED, CheckResult, Spec

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # where ``corpus_tools`` is importable from


class GXProcess:
    """The GX worker process, started at once; with ``docs``, the Data Docs site it builds goes there
    (replacing what was there, all at once) when the block ends without an error.

    Example: ``with GXProcess(None) as gx: found = gx.run(frame, specs, parameters={}, examples=20)``
    """

    def __init__(self, docs: Path | None) -> None:
        self.docs, self._building, self._used = docs, None, False
        if docs is not None:
            docs.parent.mkdir(parents=True, exist_ok=True)
            self._building = Path(tempfile.mkdtemp(prefix=f".{docs.name}-", dir=docs.parent))
            self._building.chmod(0o755)  # mkdtemp makes it private; the docs are for sharing
        requests_in, requests_out = os.pipe()
        replies_in, replies_out = os.pipe()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "corpus_tools.validate.gx_worker", str(requests_in), str(replies_out),
             str(os.getpid()), str(self._building or "")],
            pass_fds=(requests_in, replies_out), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env)
        os.close(requests_in)
        os.close(replies_out)
        self._requests, self._replies = os.fdopen(requests_out, "wb"), os.fdopen(replies_in, "rb")
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gx-requests")  # in order
        self._started: list[tuple[dict[str, Any], list[Spec]]] = []  # sent by ``start``, not yet answered
        self._early: dict[str, dict[str, Any]] = {}  # results ``start`` needed no GX for

    def __enter__(self) -> GXProcess:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is not None:
            self._process.kill()  # a request being written fails at once
        self._sender.shutdown(wait=True)
        self._requests.close()  # the worker ends when its requests end
        if kind is None:
            self._process.wait()
            self._replies.close()
            if self._building is not None and self._used:  # docs of nothing leave the old ones be
                _replace(self._building, self.docs)
        else:
            self._process.kill()
            self._process.wait()
            self._replies.close()
        if self._building is not None:
            shutil.rmtree(self._building, ignore_errors=True)

    def _request(self, table: str, specs: list[Spec], frame: pa.Table, *, parameters: dict[str, Any],
                 examples: int, part: str = "") -> dict[str, Any]:
        """The request that runs ``specs`` on ``frame``; ``part`` names a second run on one table (each
        run of GX's context needs a name, and a suite name, of its own).

        Without Data Docs, GX's BASIC results say all that a check which passes needs, and cost a
        third less than SUMMARY's (which add the failing rows' positions); only the checks that
        fail are run again (``_resolve``), for SUMMARY's results. With Data Docs, which show them,
        all are SUMMARY's."""
        from .suites import suite_dict

        suite = suite_dict(table, specs)
        return {"table": table, "suite": {**suite, "name": suite["name"] + part}, "name": table + part,
                "frame": frame, "parameters": parameters, "examples": examples,
                "result_format": "BASIC" if self.docs is None else "SUMMARY"}

    def validate(self, table: str, specs: list[Spec], frame: pa.Table, *, parameters: dict[str, Any],
                 examples: int, part: str = "") -> dict[str, dict[str, Any]]:
        """GX's result of every expectation of ``specs`` on ``frame``, by id."""
        request = self._request(table, specs, frame, parameters=parameters, examples=examples, part=part)
        self._send(request).result()
        return self._resolve(request, specs, self._receive(request))

    def _resolve(self, request: dict[str, Any], specs: list[Spec], found: dict[str, dict[str, Any]]
                 ) -> dict[str, dict[str, Any]]:
        """``found`` with the failing checks of a BASIC run run again for SUMMARY's results."""
        from .suites import suite_dict

        failing = [s for s in specs if not found[s.id]["success"] and "element_count" in (found[s.id]["result"] or {})]
        if request["result_format"] == "BASIC" and failing:
            suite = suite_dict(request["table"], failing)
            again = {**request, "suite": {**suite, "name": f"{request['suite']['name']} (failing rows)"},
                     "name": f"{request['name']} (failing rows)", "result_format": "SUMMARY"}
            self._send(again).result()
            found.update(self._receive(again))
        return found

    def _send(self, request: dict[str, Any]) -> Future[None]:
        """Write ``request`` to GX's pipe, in a thread (in the order sent); wait on the future to know it is written."""
        self._used = True

        def write() -> None:  # pickled straight into the pipe: no second copy of the frame in memory
            try:
                pickle.dump(request, self._requests, protocol=pickle.HIGHEST_PROTOCOL)
                self._requests.flush()
            except BrokenPipeError:
                raise RuntimeError(f"the Great Expectations process ended (exit {self._process.wait()})") from None

        return self._sender.submit(write)

    def _receive(self, request: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """GX's reply to the oldest request not yet answered (``request``)."""
        try:
            status, reply = pickle.load(self._replies)
        except EOFError:
            raise RuntimeError(f"the Great Expectations process ended (exit {self._process.wait()})") from None
        if status != "ok":
            raise RuntimeError(f"Great Expectations failed on the {request['table']} table:\n{reply}")
        return reply

    def start(self, frame: Callable[[str], pa.Table], specs: dict[str, list[Spec]], *, parameters: dict[str, Any],
              examples: int) -> None:
        """Send each table's frame (``frame(table)``) and suite now, without waiting: GX runs them as
        soon as it can, and ``run`` collects the results."""
        for table, table_specs in specs.items():
            if not table_specs:
                continue
            made = frame(table)
            if made.num_rows == 0 and self.docs is None and all(map(row_wise, table_specs)):
                self._early.update({spec.id: EMPTY_TABLE_RESULT for spec in table_specs})
                continue
            request = self._request(table, table_specs, made, parameters=parameters, examples=examples)
            self._send(request)
            self._started.append((request, table_specs))

    def run(self, frame: Callable[[str], pa.Table], specs: dict[str, list[Spec]], *, parameters: dict[str, Any],
            examples: int, advance: Callable[[int], None] = lambda n: None) -> dict[str, dict[str, Any]]:
        """The results of what ``start`` sent, then: validate each table's frame (made by
        ``frame(table)`` when its turn comes, and let go after, so only one table's frame is in memory
        at a time) against its suite; ``advance(1)`` after each table."""
        results: dict[str, dict[str, Any]] = dict(self._early)
        started, self._started, self._early = self._started, [], {}
        answers = [self._receive(request) for request, _ in started]  # in order, before any is asked again
        for (request, table_specs), found in zip(started, answers):
            results.update(self._resolve(request, table_specs, found))
        part = " (computed columns)" if started else ""
        for table, table_specs in specs.items():
            if not table_specs:
                advance(1)
                continue
            made = frame(table)
            if made.num_rows == 0 and self.docs is None and all(map(row_wise, table_specs)):
                results.update({spec.id: EMPTY_TABLE_RESULT for spec in table_specs})
            else:
                results.update(self.validate(table, table_specs, made, parameters=parameters, examples=examples,
                                             part=part))
            advance(1)
        return results


# What GX finds when an expectation that judges row by row is run on a table of no rows (whatever its
# arguments: tests/validate/test_gx_run.py checks it for every suite). An empty table is not sent to
# GX, which spends as long on it as on a full one, unless Data Docs are being built.
EMPTY_TABLE_RESULT = {"success": True, "exception_info": {}, "result": {
    "element_count": 0, "unexpected_count": 0, "partial_unexpected_list": [], "partial_unexpected_index_list": []}}


def row_wise(spec: Spec) -> bool:
    """Does the expectation judge each row (a column map expectation), not the table as a whole?"""
    return spec.expectation.startswith(("ExpectColumnValues", "ExpectColumnPairValues", "ExpectCompoundColumns",
                                        "ExpectMulticolumn"))


def _replace(new: Path, old: Path) -> None:
    """Put folder ``new`` where ``old`` is, with the old one gone only once the new one is in place."""
    retired = old.with_name(f".{old.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if old.exists():
        old.rename(retired)
    new.rename(old)
    shutil.rmtree(retired, ignore_errors=True)


def check_result(spec: Spec, gx_result: dict[str, Any], ids) -> CheckResult:
    """A ``CheckResult`` from GX's result of the expectation; ``ids(row)`` names a row by its key columns."""
    info = gx_result.get("exception_info") or {}
    if info.get("raised_exception"):
        return CheckResult(spec, FAILED, f"could not be evaluated: {info.get('exception_message')}")
    result = gx_result.get("result") or {}
    if "observed_value" in result and "element_count" not in result:
        observed = result["observed_value"]
        status = PASSED if gx_result["success"] else FAILED
        return CheckResult(spec, status, f"observed {observed}", observed=observed)
    unexpected, total = result.get("unexpected_count", 0), result.get("element_count", 0)
    rows = result.get("partial_unexpected_index_list") or []
    values = result.get("partial_unexpected_list") or []
    examples = [{**ids(int(row)), "value": value} for row, value in zip(rows, values)]
    if gx_result["success"]:
        return CheckResult(spec, PASSED, f"all {total} rows pass", unexpected=unexpected, total=total)
    return CheckResult(spec, FAILED, f"{unexpected} of {total} rows fail: {spec.description}",
                       unexpected=unexpected, total=total, examples=examples)
