"""Running the suites with Great Expectations, from the validating process: GX itself runs in a
process of its own (``gx_worker``), started by ``GXProcess`` before the text is scanned so that its
import and set-up, the largest fixed cost of validating, overlap the checks' own work. This side
sends each table's frame and suite, reads GX's results back, and turns them into ``CheckResult``s.
Nothing here imports GX or pandas.

The expectations that read declared columns only are sent first (``start``), before the text is
scanned, and GX runs them as soon as it is loaded, on the core the scan leaves idle; those on the
columns the checks compute are sent once they are computed (``run``). Requests are written to GX's
pipe by a thread of their own, so sending a frame that GX, still importing, does not read yet
never holds up this process. A table longer than a million rows is sent in slices, its row-wise
expectations' results merged (``gx_chunks``): GX's process holds one slice at a time.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from .base import FAILED, PASSED, CheckResult, Spec, spec_frame
from .gx_chunks import CHUNK_ROWS, Repeats, compact, merge, mergeable, repeats, row_wise, slices, unique_key

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # where ``corpus_tools`` is importable from


class GXProcess:
    """The GX worker process, started at once; with ``docs``, the Data Docs site it builds goes there
    (replacing what was there, all at once) when the block ends without an error.

    Example: ``with GXProcess(None) as gx: found = gx.run(frame, specs, parameters={}, examples=20)``
    """

    def __init__(self, docs: Path | None, *, chunk_rows: int | None = None) -> None:
        self.docs, self._building, self._used = docs, None, False
        self.chunk_rows = chunk_rows or CHUNK_ROWS  # rows of a slice of a long table (see ``gx_chunks``)
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
        self._started: list[list[_Part]] = []  # sent by ``start``, not yet answered
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
                 examples: int, part: str = "", sliced: bool = False) -> dict[str, Any]:
        """The request that runs ``specs`` on ``frame``; ``part`` names a second run on one table (each
        run of GX's context needs a name, and a suite name, of its own); a ``sliced`` frame is copied
        on its own when sent (see ``gx_chunks.compact``).

        Without Data Docs, GX's BASIC results say all that a check which passes needs, and cost a
        third less than SUMMARY's (which add the failing rows' positions); only the checks that
        fail are run again (``_resolve``), for SUMMARY's results. With Data Docs, which show them,
        all are SUMMARY's."""
        from .suites import suite_dict

        suite = suite_dict(table, specs)
        return {"table": table, "suite": {**suite, "name": suite["name"] + part}, "name": table + part,
                "frame": frame, "parameters": parameters, "examples": examples, "sliced": sliced,
                "result_format": "BASIC" if self.docs is None else "SUMMARY"}

    def _parts(self, table: str, specs: list[Spec], frame: pa.Table, *, parameters: dict[str, Any],
               examples: int, part: str = "") -> list[_Part]:
        """The runs of ``specs`` on ``frame``: one; or, on a table longer than ``chunk_rows``, one of
        the row-wise expectations per slice of rows (``gx_chunks.mergeable``), one of each uniqueness
        expectation on the rows that repeat (``gx_chunks.repeats``), and one of the rest on the
        columns they read; each a run of its own in the Data Docs."""
        asked = {"parameters": parameters, "examples": examples}
        if frame.num_rows <= self.chunk_rows:
            return [_Part(None, specs, self._request(table, specs, frame, part=part, **asked))]
        sliced, unique = [s for s in specs if mergeable(s)], [s for s in specs if unique_key(s)]
        whole = [s for s in specs if s not in sliced and s not in unique]
        parts = [_Part(None, whole, self._request(table, whole, _columns(frame, whole), part=part, **asked))
                 ] if whole else []
        for spec in unique:  # each on the rows whose key repeats: a few, where the whole column was many
            found = repeats(frame, spec)
            rows = _columns(frame, [spec]).take(pa.array(found.positions))
            parts.append(_Part(None, [spec], self._request(table, [spec], rows, part=f"{part} (repeats of {spec.id})",
                                                           **asked), repeats=found))
        for start, rows in slices(_columns(frame, sliced), self.chunk_rows) if sliced else ():
            parts.append(_Part(start, sliced, self._request(table, sliced, rows, part=f"{part} (rows from {start})",
                                                            sliced=True, **asked)))
        return parts

    def validate(self, table: str, specs: list[Spec], frame: pa.Table, *, parameters: dict[str, Any],
                 examples: int, part: str = "") -> dict[str, dict[str, Any]]:
        """GX's result of every expectation of ``specs`` on ``frame``, by id."""
        parts = self._submit(self._parts(table, specs, frame, parameters=parameters, examples=examples, part=part))
        return self._collect(parts, self._answers(parts))

    def _submit(self, parts: list[_Part]) -> list[_Part]:
        """Send every part's request (in order, without waiting)."""
        for part in parts:
            part.sent = self._send(part.request)
        return parts

    def _answers(self, parts: list[_Part]) -> list[dict[str, dict[str, Any]]]:
        """GX's replies to ``parts``, in order. A request's writing is waited for only once the replies
        before it are read: GX, writing a reply nobody reads, would never read the next request."""
        answers = []
        for part in parts:
            part.sent.result()
            answers.append(self._receive(part.request))
        return answers

    def _collect(self, parts: list[_Part], answers: list[dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
        """Every expectation's result on the whole table, from the parts' ``answers``: the failing ones
        run again for their examples (on a slice, only while fewer than ``examples`` are found), the
        slices' results merged."""
        results, by_slice, found = {}, {}, {}
        for part, answer in zip(parts, answers):
            if part.start is None:
                answer = self._resolve(part.request, part.specs, answer)
                results.update({check_id: part.repeats.result(found) for check_id, found in answer.items()}
                               if part.repeats else answer)
                continue
            wanting = [s for s in part.specs if found.get(s.id, 0) < part.request["examples"]]
            answer = self._resolve(part.request, wanting, answer)
            for spec in part.specs:
                by_slice.setdefault(spec.id, []).append((part.start, answer[spec.id]))
                rows = (answer[spec.id].get("result") or {}).get("partial_unexpected_index_list") or []
                found[spec.id] = found.get(spec.id, 0) + len(rows)
        results.update({check_id: merge(merged, parts[0].request["examples"]) for check_id, merged in by_slice.items()})
        return results

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

        def write() -> None:  # pickled straight into the pipe: no second copy of a whole frame in memory
            sent = {key: value for key, value in request.items() if key != "sliced"}
            if request["sliced"]:  # a slice's own copy, made only now: one in memory at a time
                sent["frame"] = compact(request["frame"])
            try:
                pickle.dump(sent, self._requests, protocol=pickle.HIGHEST_PROTOCOL)
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
            self._started.append(self._submit(self._parts(table, table_specs, made, parameters=parameters,
                                                          examples=examples)))

    def run(self, frame: Callable[[str], pa.Table], specs: dict[str, list[Spec]], *, parameters: dict[str, Any],
            examples: int, advance: Callable[[int], None] = lambda n: None) -> dict[str, dict[str, Any]]:
        """The results of what ``start`` sent, then: validate each table's frame (made by
        ``frame(table)`` when its turn comes, and let go after, so only one table's frame is in memory
        at a time) against its suite; ``advance(1)`` after each table."""
        results: dict[str, dict[str, Any]] = dict(self._early)
        started, self._started, self._early = self._started, [], {}
        answers = [self._answers(parts) for parts in started]  # in order, before any is asked again
        for parts, found in zip(started, answers):
            results.update(self._collect(parts, found))
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


def _columns(frame: pa.Table, specs: list[Spec]) -> pa.Table:
    """The columns of ``frame`` that ``specs`` read (``spec_frame``)."""
    return spec_frame(specs, frame.column, frame.num_rows)


@dataclass
class _Part:
    """A run of ``specs`` on the rows from ``start`` of a table (None: the whole table), and its request."""

    start: int | None
    specs: list[Spec]
    request: dict[str, Any]
    sent: Future[None] | None = None
    repeats: Repeats | None = None  # the rows of a uniqueness expectation's run, when not the table's


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
