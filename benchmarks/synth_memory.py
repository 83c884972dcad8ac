"""synth's memory does not grow with the corpus: the peak of Python's allocations (tracemalloc) while
``synth`` writes N posts and 4N posts, in one process, on one worker.

    python benchmarks/synth_memory.py [--posts 1000] [--factor 4]

Prints one JSON object: the sizes, the peaks in bytes, their ratio, and whether it is under the target
(the peak at 4N stays below 1.3 times the peak at N: synth streams its output and keeps only what the
truth file needs). This used to be a unit test; like every measurement of memory or time it is now
part of the benchmark (``benchmarks/run.py`` runs it), and never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import tracemalloc
from pathlib import Path

from corpus_tools.synth import synth

TARGET_RATIO = 1.3


def peak_bytes(out: Path, posts: int) -> int:
    """The tracemalloc peak while synth writes ``posts`` telethon-jsonl posts on one worker."""
    tracemalloc.start()
    try:
        synth(out, posts=posts, format="telethon-jsonl", workers=1)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(posts: int = 1000, factor: int = 4) -> dict:
    sizes = [posts, posts * factor]
    with tempfile.TemporaryDirectory() as work:
        peaks = [peak_bytes(Path(work) / f"{n}.jsonl", n) for n in sizes]
    ratio = peaks[1] / peaks[0]
    return {"posts": sizes, "peak_bytes": peaks, "ratio": round(ratio, 3), "target_ratio": TARGET_RATIO,
            "met": ratio < TARGET_RATIO}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--factor", type=int, default=4)
    args = parser.parse_args()
    print(json.dumps(measure(args.posts, args.factor)))


if __name__ == "__main__":
    main()
