"""Handing freed memory back to the system in a process that holds a large peak beside a long step.

The Spark driver is such a process: its Python writes the CSV twins and reads the facts while its JVM
validates, and the benchmark holds the two together to 2 GB (benchmarks/). glibc keeps what a
program frees for reuse: after each large free it raises its mmap threshold (up to 32 MB), so the
next large buffers come from its arenas, and pages freed in an arena stay resident until something
trims it. So the driver's process gets a fixed threshold (``lean_allocators``, once, as its first
session starts), and each step that frees a peak's worth of buffers trims the arenas when it ends
(``trim``: the twins, and the local build between validation and packaging).

On a C library without these calls (macOS, musl's trim) both do nothing: the memory is then only
held longer, never wrong.

>>> trim()  # any time, in any thread: at worst it finds nothing to hand back
"""

from __future__ import annotations

import ctypes
from functools import cache

M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
# A buffer of 1 MB or more is mapped for itself and unmapped when freed. With the threshold glibc
# raised, the twins of a million posts left 190-440 MB of the driver's Python resident through
# validation; fixed at 1 MB, and with Arrow on the C library's allocator (mimalloc kept each thread's
# freed pages), 140 MB, for 2 s more of a thread beside validation (benchmarks/NOTES.md).
MMAP_THRESHOLD = 1 << 20


@cache
def _c_library() -> ctypes.CDLL | None:
    """The symbols already loaded into this process, the C library's among them."""
    try:
        return ctypes.CDLL(None)
    except (OSError, TypeError):  # a platform without dlopen(NULL)
        return None


@cache  # once per process, however many commands' sessions ask
def lean_allocators() -> None:
    """Make this process hand large freed buffers back to the system: Arrow on the C library's
    allocator, and glibc's mmap threshold fixed at ``MMAP_THRESHOLD``."""
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
    library = _c_library()
    if library is not None and hasattr(library, "mallopt"):  # glibc and musl have it; macOS does not
        library.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def trim() -> None:
    """Hand the free pages of every C-library arena back to the system (glibc's ``malloc_trim``,
    which since 2.8 releases free pages inside a heap too, not only at its top)."""
    library = _c_library()
    if library is not None and hasattr(library, "malloc_trim"):
        library.malloc_trim(0)
