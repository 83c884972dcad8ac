"""Worker processes that never outlive the run that started them.

A conversion or a synthetic corpus can keep every core busy for minutes, each worker holding a few
hundred megabytes. If the parent is killed (SIGKILL, an out-of-memory kill) its workers must not run
on as orphans; if it is interrupted (Ctrl-C, SIGTERM) it must stop them rather than wait for their
current task. So every pool's workers ask the kernel to kill them when their parent dies
(``die_with_parent``), and ``process_pool`` stops its workers when the block it serves is left by an
exception.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from .progress import adopt

_PR_SET_PDEATHSIG = 1  # prctl(2)
SPAWN = multiprocessing.get_context("spawn")  # fresh processes: nothing of the parent's state but what is passed


def die_with_parent(parent: int) -> None:
    """Pool initializer (``initargs=(os.getpid(),)``): end this worker when its parent process
    ``parent`` ends, however it ends.

    On Linux the kernel sends SIGKILL (``prctl(PR_SET_PDEATHSIG)``); everywhere a watchdog thread
    also exits when the parent is gone (the worker is re-parented, so ``getppid`` changes). A parent
    that died while the worker was still starting is noticed here too."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops us

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers now, whatever they are doing (its queued tasks are dropped)."""
    processes = list(getattr(pool, "_processes", {}).values())  # no public way before Python 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)


def start_worker(parent: int, tally: Any = None) -> None:
    """Pool initializer (``initargs=(os.getpid(), tally)``): die with the parent, and move the
    parent's progress bar (``tally`` from ``progress.shared_progress``, or None)."""
    die_with_parent(parent)
    adopt(tally)


@contextmanager
def process_pool(workers: int, *, tally: Any = None) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` fresh ('spawn') processes that die with this one, and are stopped at
    once when the block raises (Ctrl-C included) rather than waited for; ``tally``: see ``start_worker``."""
    pool = ProcessPoolExecutor(workers, mp_context=SPAWN, initializer=start_worker,
                               initargs=(os.getpid(), tally))
    try:
        yield pool
    except BaseException:
        stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True)
