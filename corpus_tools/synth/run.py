"""Making a corpus file: segments rendered in order, in this process or by a pool of processes.

Each segment (see ``messages.segments``) is a ``Job``: a worker renders it into a part file in the
staging folder and returns its ``Tally``; the parent appends the parts in order, hashing as it
goes, and writes the format's channel headers between them. At most two jobs a worker are in
flight, so memory and disk in use stay bounded. One worker (or one segment) renders straight
into the output, with no pool. Either way the bytes are the same.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..core.processes import SPAWN, start_worker
from ..core.progress import count
from .messages import Channel, Segment
from .persons import Cast
from .posts import ChannelStream
from .truth import Tally
from .writer import FormatWriter

_FLUSH_CHARS = 1 << 20
_COPY_BYTES = 1 << 20
_COUNT_POSTS = 500  # posts between two moves of the progress bar


@dataclass(frozen=True)
class Job:
    """One segment to render: all a worker process needs, picklable."""

    writer: type[FormatWriter]
    plan: list[Channel]
    segment: Segment
    seed: int
    exact: float
    near: float
    cast: Cast | None = None  # the persons of group chats


def render(job: Job, sink: Sink) -> Tally:
    """Write the segment's messages to ``sink``; the tally of what was written."""
    writer = job.writer(job.plan, job.cast)
    writer.begin_segment(job.segment)
    channel = job.segment.channel
    tally = Tally(channel.index)
    members = job.cast.members[channel.index] if job.cast else ()
    stream = ChannelStream(job.segment, seed=job.seed, exact=job.exact, near=job.near, dump_safe=writer.dump_safe,
                           members=members)
    counted = 0
    for message in stream:
        text = writer.message(message, channel)
        if text is not None:
            sink.write(text)
            tally.add(message, writer)
            if tally.counts["posts"] - counted >= _COUNT_POSTS:
                count(tally.counts["posts"] - counted)  # synth's bar, in the parent
                counted = tally.counts["posts"]
    count(tally.counts["posts"] - counted)
    return tally


def render_part(job: Job, path: Path) -> Tally:
    """A worker's task: the segment into its own part file."""
    with path.open("wb") as handle:
        sink = Sink(handle, digest=False)
        tally = render(job, sink)
        sink.flush()
    return tally


def write_corpus(handle: BinaryIO, writer: FormatWriter, jobs: list[Job], *, workers: int, parts: Path,
                 progress: Any = None) -> tuple[Sink, list[Tally]]:
    """Write the whole file to ``handle``: the format's frame around the segments, in order; the
    workers count their posts into ``progress`` (a ``core.progress.shared_progress`` counter) as
    they render them."""
    sink = Sink(handle)
    sink.write(writer.start())
    tallies = []
    for tally in _rendered(jobs, writer, sink, workers=workers, parts=parts, progress=progress):
        tallies.append(tally)
    sink.write(writer.end())
    sink.flush()
    return sink, tallies


def _rendered(jobs: list[Job], writer: FormatWriter, sink: Sink, *, workers: int, parts: Path,
              progress: Any) -> Iterator[Tally]:
    """Each job's tally, in order, once its bytes (framed by its channel's start and end) are in
    ``sink``."""
    if workers <= 1 or len(jobs) == 1:
        for job in jobs:
            _frame_start(job, writer, sink)
            yield render(job, sink)
            _frame_end(job, writer, sink)
        return
    # Spawned, not forked: a fork copies the locks other threads hold at that instant (the progress
    # follower reads the shared counter under its lock), and a child born with one held hangs.
    with SPAWN.Pool(workers, initializer=start_worker,
                    initargs=(os.getpid(), progress)) as pool:  # exiting terminates
        pending: deque = deque()
        upcoming = iter(enumerate(jobs))
        for _ in range(2 * workers):
            _submit(pool, pending, upcoming=upcoming, parts=parts)
        while pending:
            job, path, result = pending.popleft()
            tally = result.get()
            _frame_start(job, writer, sink)
            sink.append_file(path)
            path.unlink()
            _frame_end(job, writer, sink)
            _submit(pool, pending, upcoming=upcoming, parts=parts)
            yield tally


def _frame_start(job: Job, writer: FormatWriter, sink: Sink) -> None:
    if job.segment.number == 0:
        sink.write(writer.begin_channel(job.segment.channel))


def _frame_end(job: Job, writer: FormatWriter, sink: Sink) -> None:
    if job.segment.id_limit is None:  # the channel's last segment
        sink.write(writer.end_channel(job.segment.channel))


def _submit(pool, pending: deque, *, upcoming: Iterator[tuple[int, Job]], parts: Path) -> None:
    for number, job in upcoming:
        path = parts / f"part-{number:06d}"
        pending.append((job, path, pool.apply_async(render_part, (job, path))))
        return


class Sink:
    """Collects written strings and writes them as UTF-8 about every megabyte, hashing as it goes."""

    def __init__(self, handle: BinaryIO, *, digest: bool = True) -> None:
        self.handle = handle
        self.buffer: list[str] = []
        self.chars = 0
        self.bytes = 0
        self.digest = hashlib.sha256() if digest else None

    def write(self, text: str) -> None:
        self.buffer.append(text)
        self.chars += len(text)
        if self.chars >= _FLUSH_CHARS:
            self.flush()

    def flush(self) -> None:
        self._put("".join(self.buffer).encode("utf-8"))
        self.buffer.clear()
        self.chars = 0

    def append_file(self, path: Path) -> None:
        """Append a part file's bytes (after what was written before)."""
        self.flush()
        with path.open("rb") as part:
            while block := part.read(_COPY_BYTES):
                self._put(block)

    def _put(self, data: bytes) -> None:
        if self.digest is not None:
            self.digest.update(data)
        self.handle.write(data)
        self.bytes += len(data)
