"""Progress bars for long steps: shown on a terminal, silent in CI, in pipes and in tests.

Library code wraps a long loop in ``progress("Converting", total=None)`` and calls the function it
yields as work gets done, or a stage without a count in ``stage("Checking tables")``. Whether
anything is drawn is decided here, once: only when standard error is a terminal and the CI variable
is unset, so logs and captured output never fill with bars.

Work done in worker processes moves a bar too: ``shared_progress`` gives a counter that the pool's
initializer hands each worker (``adopt``), and the workers call ``count(n)`` as they go; a thread of
the parent moves the bar a few times a second. So the bar moves as the work does, not only as each
worker's task comes back.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_TALLY: Any = None  # the counter the bar being drawn follows (see ``shared_progress``), in its workers too
_FOLLOW_SECONDS = 0.2


def enabled() -> bool:
    """Draw bars? Only for a person at a terminal: not in CI, not when stderr is piped or captured."""
    return sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


@contextmanager
def progress(description: str, *, total: int | None = None, unit: str = "posts") -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; draws a rich progress bar (or a counter when ``total`` is unknown). With
    ``unit="bytes"`` the counts are shown as sizes (MB, GB).

    >>> with progress("Converting") as advance:
    ...     advance(10)
    """
    if not enabled():
        yield lambda n=1: None
        return
    from rich.progress import BarColumn, DownloadColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    counts = [DownloadColumn()] if unit == "bytes" else [MofNCompleteColumn(), TextColumn(unit)]
    columns = [TextColumn("{task.description}"), BarColumn(), *counts, TimeElapsedColumn()]
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(task, n)


@contextmanager
def stage(description: str) -> Iterator[None]:
    """Show ``description`` with a spinner and the time it has taken while the block runs.

    >>> with stage("Checking tables"):
    ...     pass
    """
    if not enabled():
        yield
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), transient=True) as bar:
        bar.add_task(description, total=None)
        yield


@contextmanager
def shared_progress(description: str, *, total: int | None, unit: str, context) -> Iterator[Any]:
    """A bar that ``count`` moves, in this process and in workers given the counter yielded (a
    ``context.Value``: pass it to the pool's initializer, which calls ``adopt``)."""
    global _TALLY
    tally = context.Value("q", 0)
    stop = threading.Event()
    with progress(description, total=total, unit=unit) as advance:

        def follow() -> None:
            seen = 0
            while not stop.wait(_FOLLOW_SECONDS):
                now = tally.value
                advance(now - seen)
                seen = now

        follower = threading.Thread(target=follow, name="progress", daemon=True)
        follower.start()
        _TALLY = tally
        try:
            yield tally
        finally:
            _TALLY = None
            stop.set()
            follower.join()


def adopt(tally: Any) -> None:
    """In a worker process: make ``count`` add to ``tally`` (from ``shared_progress``; None: to nothing)."""
    global _TALLY
    _TALLY = tally


def count(n: int) -> None:
    """Move the shared bar by ``n``, from whichever process does the work (nothing when there is none)."""
    tally = _TALLY
    if tally is not None:
        with tally.get_lock():
            tally.value += n
