"""Progress bars for long steps: shown on a terminal, silent in CI, in pipes and in tests.

Library code wraps a long loop in ``progress("Converting", total=None)`` and calls the function it
yields as work gets done. Whether anything is drawn is decided here, once: only when standard error
is a terminal and the CI variable is unset, so logs and captured output never fill with bars.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def enabled() -> bool:
    """Draw bars? Only for a person at a terminal: not in CI, not when stderr is piped or captured."""
    return sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


@contextmanager
def progress(description: str, *, total: int | None = None, unit: str = "posts") -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; draws a rich progress bar (or a counter when ``total`` is unknown).

    >>> with progress("Converting") as advance:
    ...     advance(10)
    """
    if not enabled():
        yield lambda n=1: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn(unit),
               TimeElapsedColumn()]
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(task, n)
