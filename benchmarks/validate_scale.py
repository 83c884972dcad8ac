"""How long `corpus-tools validate` takes on a large synthetic corpus, per check family, and its peak memory.

    .venv/bin/python benchmarks/validate_scale.py --posts 1000000 [--dir /tmp/validate-scale] [--seed 7]

It writes a directory of declared tables (posts ~600 characters of text on average, Zipf-distributed
words, a tenth of them Cyrillic, 1-8 lines each, 3% media-only posts, 1% near-duplicates of an earlier
post with about 1% of the words changed, 0.5% forwarded verbatim into another channel, replies and
side tables), then runs the whole validation in a fresh process (so the generator's memory is not
counted) and prints the wall time of each check family, the total, the peak RSS and how many posts the
near-duplicate check clustered. The corpus is regenerated only when --posts or --seed change.
Numbers from this machine are in benchmarks/NOTES.md (Validation per check family).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus_tools.core.schema import load_schemas

START = np.datetime64("2025-01-01T00:00:00", "us")
CHANNELS = 100
VOCABULARY = 40_000


def _vocabulary(rng: np.random.Generator) -> pa.Array:
    """Pseudo-words from syllables, a tenth Cyrillic, some carrying punctuation as real text does."""
    latin = ["ka", "to", "ri", "man", "sel", "e", "on", "ver", "ta", "lo", "pre", "st", "in", "de", "gra", "u"]
    cyrillic = ["ра", "то", "ми", "ско", "ве", "на", "ли", "про", "де", "жи"]
    words = []
    for i in range(VOCABULARY):
        pool = cyrillic if i % 10 == 9 else latin
        word = "".join(pool[j] for j in rng.integers(0, len(pool), 1 + int(rng.integers(1, 4))))
        words.append(word + ("," if i % 17 == 0 else "." if i % 23 == 0 else ""))
    return pa.array(words + ["\n"])


def _tokens(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Word ids of every post, flat, and each post's offsets into them (newline is id VOCABULARY)."""
    lengths = np.clip(rng.lognormal(4.3, 0.5, n), 3, 1500).astype(np.int64)
    lengths[rng.random(n) < 0.03] = 0  # media-only posts
    offsets = np.zeros(n + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    ranks = np.arange(1, VOCABULARY + 1, dtype=np.float64)
    weights = 1 / (ranks + 2.7) ** 1.07
    ids = rng.choice(VOCABULARY, size=int(offsets[-1]), p=weights / weights.sum()).astype(np.int32)
    ids[rng.random(ids.size) < 1 / 18] = VOCABULARY  # a line break every ~18 words
    return ids, offsets


def _plant_copies(rng: np.random.Generator, ids: np.ndarray, offsets: np.ndarray, share: float,
                  change: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Make ``share`` of the posts copies of an earlier post, with ``change`` of their words replaced."""
    n = offsets.size - 1
    copies = np.flatnonzero((rng.random(n) < share) & (np.arange(n) > 0))
    sources = (rng.random(copies.size) * copies).astype(np.int64)
    lengths = np.diff(offsets)
    lengths[copies] = lengths[sources]
    new_offsets = np.zeros(n + 1, np.int64)
    np.cumsum(lengths, out=new_offsets[1:])
    is_copy = np.zeros(n, bool)
    is_copy[copies] = True
    origin = np.arange(n)
    origin[copies] = sources
    origin[copies] = origin[sources]  # a copy of a copy copies the original
    starts = np.repeat(offsets[origin], lengths) + (np.arange(new_offsets[-1]) - np.repeat(new_offsets[:-1], lengths))
    new_ids = ids[starts]
    changed = np.repeat(is_copy, lengths) & (rng.random(new_ids.size) < change)
    new_ids[changed] = rng.integers(0, VOCABULARY, int(changed.sum()))
    return new_ids, new_offsets, copies


def generate(n: int, seed: int) -> tuple[dict[str, pa.Table], dict]:
    rng = np.random.default_rng(seed)
    vocabulary = _vocabulary(rng)
    ids, offsets = _tokens(rng, n)
    ids, offsets, near = _plant_copies(rng, ids, offsets, 0.01, 0.01)
    words = pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), vocabulary.take(pa.array(ids)))
    text = pc.binary_join(words, " ")
    text = pc.utf8_trim(pc.replace_substring(pc.replace_substring(text, " \n ", "\n"), "\n\n", "\n"), " \n")
    channel_of = rng.integers(0, CHANNELS, n)
    forwards = np.flatnonzero(rng.random(n) < 0.005)
    channel_of[forwards] = (channel_of[forwards] + 1) % CHANNELS  # forwarded copies land in another channel
    order = np.argsort(channel_of, kind="stable")
    message_id = np.empty(n, np.int64)
    message_id[order] = np.arange(n) - np.searchsorted(channel_of[order], channel_of[order]) + 1
    channel = pa.array(np.char.add("chan", channel_of.astype(str)))
    post_id = pc.binary_join_element_wise(channel, pa.array(message_id.astype(str)), "/")
    published = START + np.arange(n) * np.int64(30_000_000)
    reply = np.full(n, -1)
    replies = np.flatnonzero(rng.random(n) < 0.05)
    reply[replies] = np.maximum(replies - 1 - rng.integers(0, 50, replies.size), 0)
    columns = _post_columns(rng, n, post_id=post_id, channel=channel, text=text, message_id=message_id,
                            published=published, reply=reply)
    posts = pa.table(columns, schema=SCHEMAS["posts"].arrow)
    tagged = np.flatnonzero(rng.random(n) < 0.3)
    hashtags = pa.table({"post_id": post_id.take(pa.array(tagged)), "offset": pa.array(np.zeros(tagged.size, np.int64)),
                         "hashtag": pa.array(["tag"] * tagged.size)}, schema=SCHEMAS["hashtags"].arrow)
    tables = {name: schema.arrow.empty_table() for name, schema in SCHEMAS.items()}
    tables.update(posts=posts, hashtags=hashtags)
    period = f"{START.astype('datetime64[D]')}/{(START + n * np.int64(30_000_000)).astype('datetime64[D]')}"
    return tables, {"options": {"period": period}, "planted": {"near_duplicate_copies": int(near.size)}}


def _post_columns(rng, n, *, post_id, channel, text, message_id, published, reply) -> dict[str, pa.Array]:
    media = pc.equal(pc.utf8_length(text), 0)
    media = pc.or_(media, pa.array(rng.random(n) < 0.1))
    edited = np.where(rng.random(n) < 0.1, published + rng.integers(1, 3600, n) * 1_000_000, np.datetime64("NaT"))
    nulls = pa.nulls(n, pa.string())
    return {
        "post_id": post_id, "channel": channel, "channel_id": nulls, "message_id": pa.array(message_id.astype(str)),
        "text": text, "published_at": pa.array(published).cast(pa.timestamp("us", tz="UTC")),
        "date_precision": pa.array(["second"] * n), "date_source": pa.array(["platform"] * n),
        "edited_at": pa.array(edited, mask=np.isnat(edited)).cast(pa.timestamp("us", tz="UTC")),
        "author": nulls, "author_id": nulls, "forwarded_from": nulls, "forwarded_from_id": nulls,
        "reply_to_author": nulls, "reply_to_excerpt": nulls,
        "reply_to_message_id": nulls, "reply_to_chat_id": nulls,
        "reply_to_post_id": pc.if_else(pa.array(reply >= 0), post_id.take(pa.array(np.maximum(reply, 0))),
                                       pa.scalar(None, pa.string())),
        "has_media": media, "media_type": pc.if_else(media, "photo", pa.scalar(None, pa.string())),
        "views": pa.array(rng.integers(0, 100_000, n)), "forwards": pa.array(rng.integers(0, 500, n)),
        "is_truncated": pa.array(np.zeros(n, bool)), "source_file": pa.array(["export.json"] * n),
        "source_line_start": pa.nulls(n, pa.int64()), "source_line_end": pa.nulls(n, pa.int64()),
    }


SCHEMAS = load_schemas()


def write(directory: Path, n: int, seed: int) -> None:
    """Write the corpus as a directory of tables, as `corpus-tools convert` lays it out."""
    stamp = directory / "generated.json"
    if stamp.is_file() and json.loads(stamp.read_text()) == {"posts": n, "seed": seed}:
        return
    directory.mkdir(parents=True, exist_ok=True)
    tables, manifest = generate(n, seed)
    for name, table in tables.items():
        pq.write_table(table, directory / f"{name}.parquet", compression="zstd", row_group_size=65_536)
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    stamp.write_text(json.dumps({"posts": n, "seed": seed}))


MEASURE = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from corpus_tools.validate.run import validate
result = validate(Path(sys.argv[1]), report=Path(sys.argv[2]))
print(json.dumps({"timings": result.timings, "total": time.perf_counter() - started,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "statistics": result.statistics.get("near_duplicates"),
                  "failed": sorted(r.spec.id for r in result.results if r.failed)}))
"""


def measure(directory: Path) -> dict:
    """Validate in a fresh process (imports included in the total) and return what it reports."""
    report = directory / "validation.json"
    done = subprocess.run([sys.executable, "-c", MEASURE, str(directory), str(report)], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/validate-scale"))
    args = parser.parse_args()
    started = time.perf_counter()
    write(args.dir, args.posts, args.seed)
    print(f"corpus: {args.posts:,} posts in {args.dir} ({time.perf_counter() - started:.1f} s to prepare)")
    print(f"posts.parquet: {(args.dir / 'posts.parquet').stat().st_size / 1e6:.0f} MB")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in __import__('os').getloadavg())}")
    found = measure(args.dir)
    for stage, seconds in sorted(found["timings"].items(), key=lambda item: -item[1]):
        print(f"  {stage:20} {seconds:6.1f} s")
    print(f"total (fresh process, imports included): {found['total']:.1f} s; peak RSS {found['peak_rss_mb']:.0f} MB")
    print(f"near-duplicates: {found['statistics']}; failed checks: {', '.join(found['failed'])}")
    print(f"children's peak RSS: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
