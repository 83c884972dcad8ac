"""Handing freed memory back: glibc's arenas trimmed, the driver's allocators made lean."""

import ctypes
from pathlib import Path

import pytest

from corpus_tools.core import memory


def _resident_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists() or memory._c_library() is None
                    or not hasattr(memory._c_library(), "malloc_trim"), reason="needs glibc and /proc")
def test_trim_hands_the_pages_freed_inside_an_arena_back():
    libc = memory._c_library()
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(64 << 10) for _ in range(1600)]  # 100 MB in 64 KB blocks: below any mmap threshold
    for block in blocks:
        ctypes.memset(block, 1, 64 << 10)  # touched, so resident
    for block in blocks[:-1]:  # the last one pins the heap's top, so free() alone cannot shrink it
        libc.free(block)
    held = _resident_mb()
    memory.trim()
    released = held - _resident_mb()
    libc.free(blocks[-1])
    assert released > 50, f"trim handed back {released:.0f} MB of ~100 MB freed"


def test_lean_allocators_put_arrow_on_the_c_library():
    import pyarrow as pa

    memory.lean_allocators()
    assert pa.default_memory_pool().backend_name == "system"
