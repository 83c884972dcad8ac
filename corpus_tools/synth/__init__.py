"""Synthetic corpora: realistic Telegram channels or group chats of any size, in every input format, with a
truth file.

A corpus is made message by message and written as it is made (memory stays flat at any size);
the same size, format, seed and options give the same bytes. Beside ``FILE`` goes
``FILE.truth.json``: counts, and the posts planted as exact and near duplicates and as replies,
named as the format can name them. Both files are staged and renamed into place together.

Example: ``synth(Path("corpus.json"), posts=1000, format="telegram-json", seed=1)``
"""

from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.processes import SPAWN
from ..core.progress import shared_progress
from ..core.publish import FolderLock, Publication, recover
from ..core.telegram import ELLIPSIS, FORWARD_PREFIX, INTERFACE_STRINGS
from ..errors import UsageError
from .messages import SEGMENT_POSTS, Channel, segments
from .persons import Cast, plan_cast
from .run import Job, write_corpus
from .telegram_json import TelegramJsonWriter
from .telegram_text import TelegramTextWriter
from .telethon_jsonl import TelethonJsonlWriter
from .truth import Truth
from .writer import FormatWriter

WRITERS: dict[str, type[FormatWriter]] = {w.format_name: w for w in (
    TelegramJsonWriter, TelethonJsonlWriter, TelegramTextWriter)}
FORMATS = list(WRITERS)
DEFAULT_TITLE = "Synthetic News 🌐"
DEFAULT_GROUP_TITLE = "Synthetic Group 💬"
CHATS = ("channel", "group")
TRUTH_SUFFIX = ".truth.json"


@dataclass
class SynthResult:
    """What ``synth`` wrote: the corpus, its truth file (also as ``truth``), its size and hash."""

    path: Path
    truth_path: Path
    format: str
    bytes: int
    sha256: str
    truth: dict[str, Any]


def parse_count(value: int | str, option: str = "posts") -> int:
    """A positive count: '1000', '1_000', '100k', '1M' (k = 1,000, M = 1,000,000).

    >>> parse_count("100k"), parse_count("1M"), parse_count(7)
    (100000, 1000000, 7)
    """
    match = re.fullmatch(r"\s*(\d[\d_]*)\s*([kKmM]?)\s*", str(value))
    if not match:
        raise UsageError(f"{{{option}}} expects a whole number such as 1000, 100k or 1M, not {value!r}", options=[option])
    number = int(match.group(1).replace("_", "")) * {"": 1, "k": 1000, "m": 1000000}[match.group(2).lower()]
    if number < 1:
        raise UsageError(f"{{{option}}} must be at least 1", options=[option])
    return number


def parse_share(value: float | str, option: str) -> float:
    """A share of posts, 0 to 0.5: '0.02' or '2%'.

    >>> parse_share("2%", "duplicates"), parse_share(0.1, "duplicates")
    (0.02, 0.1)
    """
    text = str(value).strip()
    try:
        share = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise UsageError(f"{{{option}}} expects a share such as 0.02 or 2%, not {value!r}", options=[option]) from None
    if not 0 <= share <= 0.5:
        raise UsageError(f"{{{option}}} must be between 0 and 0.5, not {value!r}", options=[option])
    return share


def synth(out: Path | None, *, posts: int | str | None, format: str | None, seed: int | str = 0,
          channels: int | str = 1, channel: str | None = None, duplicates: float | str = 0.02,
          near_duplicates: float | str = 0.03, workers: int | str | None = None, chat: str = "channel",
          segment_posts: int = SEGMENT_POSTS) -> SynthResult:
    """Write a synthetic corpus of ``posts`` posts in ``format`` to ``out``, and its truth file.

    Strings are accepted wherever a number is ('1M', '2%'), as the command line passes them.
    ``workers`` processes render segments of ``segment_posts`` posts (default: one a CPU); the
    bytes never depend on ``workers``, only on the other options. ``chat="group"`` makes group
    chats of persons instead of channels (not in telegram-text). Raises UsageError (exit 2) for a
    missing or bad option.

    Example: ``synth(Path("c.jsonl"), posts="100k", format="telethon-jsonl", channels=5)``
    """
    channel = (DEFAULT_GROUP_TITLE if chat == "group" else DEFAULT_TITLE) if channel is None else channel
    options = _options(out, posts=posts, format=format, seed=seed, channels=channels, channel=channel,
                       duplicates=duplicates, near_duplicates=near_duplicates, chat=chat)
    n_workers = parse_count(workers, "workers") if workers is not None else os.cpu_count() or 1
    segment_posts = parse_count(segment_posts, "segment_posts")
    assert out is not None and format is not None  # _options refused them missing
    plan = plan_channels(options["posts"], options["channels"], seed=options["seed"], title=channel)
    kind = WRITERS[format]
    cast = _cast(plan, kind, options)
    writer = kind(plan, cast)
    jobs = [Job(kind, plan, segment, options["seed"], options["duplicates"], options["near_duplicates"], cast)
            for c in plan for segment in segments(c, size=segment_posts)]
    truth = Truth(writer, plan, options={**options, "segment_posts": segment_posts}, cast=cast)
    truth_name = out.name + TRUTH_SUFFIX
    with FolderLock(out.parent):
        recover(out.parent)
        with Publication(out.parent) as stage:
            with (stage.path / out.name).open("wb") as handle, shared_progress(
                    "Synthesizing", total=options["posts"], unit="posts", context=SPAWN) as tally:
                sink, tallies = write_corpus(handle, writer, jobs, workers=n_workers, parts=stage.path, progress=tally)
            for tally in tallies:
                truth.merge(tally)
            facts = {"file_name": out.name, "size": sink.bytes, "sha256": sink.digest.hexdigest()}
            (stage.path / truth_name).write_text(truth.dumps(**facts), encoding="utf-8")
            stage.publish([out.name, truth_name])
    return SynthResult(out, out.with_name(truth_name), format, sink.bytes, facts["sha256"], truth.as_dict(**facts))


def _cast(plan: list[Channel], kind: type[FormatWriter], options: dict[str, Any]) -> Cast | None:
    """The persons of group chats (None for channels); several chats in one Telegram Desktop export
    make a full account, with the owner's data and personal chats."""
    if options["chat"] != "group":
        return None
    return plan_cast(plan, seed=options["seed"], account=kind.account_export and len(plan) > 1)


def _options(out: Path | None, *, posts: int | str | None, format: str | None, seed: int | str,
             channels: int | str, channel: str, duplicates: float | str,
             near_duplicates: float | str, chat: str) -> dict[str, Any]:
    """Check every option before anything is written; the truth file records the result."""
    for value, name in ((out, "out"), (posts, "posts"), (format, "format")):
        if value is None:
            raise UsageError(f"{{{name}}} is required", options=[name])
    if format not in WRITERS:
        raise UsageError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    if out is not None and out.is_dir():
        raise UsageError(f"{out} is a directory; {{out}} names the file to write", options=["out"])
    if not re.fullmatch(r"\s*\d+\s*", str(seed)):
        raise UsageError(f"{{seed}} expects a whole number, not {seed!r}", options=["seed"])
    count = parse_count(posts or 0)
    n_channels = parse_count(channels, "channels")
    if n_channels > count:
        raise UsageError(f"{{channels}} ({n_channels}) cannot exceed {{posts}} ({count}): each channel needs a post",
                         options=["channels", "posts"])
    if chat not in CHATS:
        raise UsageError(f"{{chat}} must be channel or group, not {chat!r}", options=["chat"])
    if chat == "group" and not WRITERS[format].has_groups:
        raise UsageError(f"{format} has no group chats; use {{chat}} channel", options=["chat"])
    if format == TelegramTextWriter.format_name and n_channels > 1:
        raise UsageError("a telegram-text dump shows one channel; use {channels} 1", options=["channels"])
    _check_title(channel)
    exact, near = parse_share(duplicates, "duplicates"), parse_share(near_duplicates, "near_duplicates")
    if exact + near > 0.5:
        raise UsageError("{duplicates} and {near_duplicates} together must not exceed 0.5",
                         options=["duplicates", "near_duplicates"])
    return {"posts": count, "seed": int(seed), "channels": n_channels, "channel": channel,
            "duplicates": exact, "near_duplicates": near, "chat": chat}


def _check_title(title: str) -> None:
    """A title a text dump's reply quotes show unambiguously: one line of 1-60 characters, no
    surrounding spaces, not ending in punctuation, not an interface string or forward header."""
    if (not 0 < len(title) <= 60 or "\n" in title or title.strip() != title or title[-1] in ".,;:!?" + ELLIPSIS
            or title.startswith(FORWARD_PREFIX) or title in INTERFACE_STRINGS):
        raise UsageError(f"{{channel}} {title!r}: a title of 1-60 characters on one line, not ending in "
                         "punctuation, and not one of the web preview's own lines", options=["channel"])


def plan_channels(posts: int, count: int, *, seed: int, title: str) -> list[Channel]:
    """Split ``posts`` over ``count`` channels with Zipf-like sizes (the k-th gets a share
    proportional to 1/k, at least one post), each with a 10-digit id drawn from the seed.

    >>> [c.posts for c in plan_channels(100, 3, seed=0, title="News")]
    [55, 27, 18]
    """
    weights = [1 / (k + 1) for k in range(count)]
    sizes = [max(1, int(posts * w / sum(weights))) for w in weights]
    for k in range(posts - sum(sizes)):
        sizes[k % count] += 1
    while sum(sizes) > posts:  # the minimum of one post each overshot: take from the largest
        sizes[sizes.index(max(sizes))] -= 1
    rng = random.Random(f"corpus-tools synth channels {seed}")
    ids = rng.sample(range(1_100_000_000, 2_400_000_000), count)
    titles = [title] if count == 1 else [f"{title} {k + 1}" for k in range(count)]
    return [Channel(k, ids[k], titles[k], sizes[k]) for k in range(count)]
