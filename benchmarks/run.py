"""The corpus-tools benchmark: wall time, posts/s and peak memory of each command at corpus scale, with
the reference points that say whether those numbers are good.

    make bench                       # N = 100k and 1M (what benchmarks/RESULTS.md records)
    make bench SIZES="100k 1M 10M"   # 10M on request (about 25 GB of disk and an hour)
    make bench SIZES=10M ENGINE=spark EXTRAS=test,spark BENCH_ARGS="--add --steps floor,build,build_spark"
                                     # add 10M builds on both engines to the results already there

``--steps`` runs a subset of the steps below, ``--add`` adds its sizes to the results already in
benchmarks/ instead of starting them afresh (and skips the once-per-run measurements).

For each size N it makes a synthetic Telegram Desktop export (``corpus-tools synth``, seed 1, with its
planted duplicates), then runs, each in a fresh process whose peak RSS is read from the kernel
(``wait4``):

- ``floor``: the same input read and the same posts columns written by bare pyarrow (floor.py);
- ``convert``: ``corpus-tools convert`` into a folder of tables;
- ``validate``: ``corpus-tools validate`` on that folder (all suites; it exits 1 because the planted
  exact duplicates fail at error severity, as they should);
- ``near_duplicates``: the near-duplicate stage of validation alone (near_duplicates_only.py);
- ``frictionless``: ``frictionless validate`` on the same posts.parquet resource, bounded by
  ``--limit-rows`` and extrapolated to N (see ``_frictionless``);
- ``build``: ``corpus-tools build --allow-invalid`` of a dataset whose input is the export;
- ``package``: ``corpus-tools package --bump minor --allow-invalid`` of the same dataset: a second
  version, compared row by row with the first.

Once per run, whatever the sizes, it also measures synth's memory at N and 4N posts (synth_memory.py:
the peak of Python's allocations must not grow with the corpus), and where small users wait
(small.py): ``validate`` on the bundled package against GX's floor and ``frictionless validate``,
side by side, and ``make build`` in a fresh clone; and the HTML readers' speed: a
synthetic multi-page Telegram Desktop HTML export of HTML_MESSAGES messages and a folder of saved
t.me/s pages of TME_POSTS posts (html_inputs.py), each converted by ``corpus-tools convert --workers 1``;
messages/s per core are the messages over the process's CPU time (the machine is shared, so its wall
time is longer when others run). ``run.py --html-only`` measures just that, into the same results.

Results go to benchmarks/results.json and benchmarks/RESULTS.md, with the targets and whether they
are met. Nothing here is a unit test: speed and memory are measured, never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import small
from report import markdown, verdicts
from spark_steps import SPARK_STEPS, spark_steps

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
SIZES = {"k": 1_000, "M": 1_000_000}
FRICTIONLESS_ROWS = 20_000  # rows frictionless validates; the rest is extrapolated
HTML_MESSAGES, TME_POSTS = 100_000, 100_000


def posts(size: str) -> int:
    """'100k' -> 100000."""
    match = re.fullmatch(r"(\d+)([kM]?)", size)
    if not match:
        raise SystemExit(f"size {size!r}: expected a number like 100k or 1M")
    return int(match.group(1)) * SIZES.get(match.group(2), 1)


def measure(name: str, command: list[str], log: Path) -> dict:
    """Run ``command``; its wall time, its peak RSS (MB) and exit code. Output goes to ``log``."""
    # No progress bars in the logs; a pseudonym key for the inputs that hold private persons (pseudonymising
    # is on by default, and refuses to run without one): a fixed one, the benchmark publishes nothing.
    env = {"CORPUS_TOOLS_PSEUDONYM_KEY": "corpus-tools-benchmark", **os.environ, "CI": "1"}
    with log.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    result = {"seconds": round(seconds, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
              "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "exit_code": os.waitstatus_to_exitcode(status)}
    print(f"  {name:16} {result['seconds']:8.1f} s  {result['peak_rss_mb']:8.0f} MB  exit {result['exit_code']}",
          flush=True)
    return result


def _frictionless(work: Path, tables: Path, n: int) -> dict:
    """``frictionless validate`` on the posts resource (its declared schema, foreign key included).

    Its cost is linear in the rows but slow (it reads the table through pandas row by row, and builds
    the foreign-key lookup the same way), so it runs on the first R1 and the first R2 rows of the same
    posts.parquet, and the line through those two points is extrapolated to N."""
    import pyarrow.parquet as pq

    descriptor = json.loads((ROOT / "schemas" / "posts.schema.json").read_text())
    points = []
    for rows in sorted({min(n, FRICTIONLESS_ROWS // 10), min(n, FRICTIONLESS_ROWS)}):
        head = work / f"posts-{rows}.parquet"
        batch = next(pq.ParquetFile(tables / "posts.parquet").iter_batches(batch_size=rows))
        pq.write_table(pa_table(batch), head)
        resource = {"name": "posts", "type": "table", "path": head.name, "format": "parquet", "schema": descriptor}
        path = work / f"posts-{rows}.resource.json"
        path.write_text(json.dumps(resource))
        measured = measure(f"frictionless {rows}", [str(BIN / "frictionless"), "validate", str(path), "--trusted"],
                           work / f"frictionless-{rows}.log")
        points.append((rows, measured))
    (r1, m1), (r2, m2) = points[0], points[-1]
    per_row = (m2["seconds"] - m1["seconds"]) / (r2 - r1) if r2 > r1 else m2["seconds"] / r2
    return {"rows_checked": [r1, r2], "seconds_at_rows": [m1["seconds"], m2["seconds"]],
            "peak_rss_mb": m2["peak_rss_mb"], "seconds": round(m2["seconds"] + per_row * (n - r2), 1),
            "extrapolated": r2 < n}


def pa_table(batch):
    import pyarrow as pa

    return pa.Table.from_batches([batch])


def _dataset(work: Path, corpus: Path, name: str = "dataset") -> Path:
    """A dataset folder whose one input is the export (hard-linked: no copy of gigabytes)."""
    folder = work / name
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "raw").mkdir(parents=True)
    os.link(corpus, folder / "raw" / corpus.name)
    (folder / "dataset.toml").write_text(f'''[package]
name = "bench"
title = "Benchmark corpus"
description = "Synthetic posts for the benchmark."
version = "1.0.0"
[[package.licenses]]
name = "CC0-1.0"
[convert]
format = "telegram-json"
[[inputs]]
path = "raw/{corpus.name}"
''')
    return folder


def _stages(log: Path) -> dict:
    """The build's own stage times, from its 'stages:' line."""
    for line in log.read_text().splitlines():
        if line.startswith("stages: "):
            return {m.group(1): float(m.group(2)) for m in re.finditer(r"(\w+) ([\d.]+) s", line)}
    return {}


LOCAL_STEPS = ("floor", "convert", "validate", "near_duplicates", "frictionless", "build", "package")


def _local_commands(cli: str, work: Path, corpus: Path) -> dict[str, list[str]]:
    tables, python = work / "tables", sys.executable
    config = str(work / "dataset" / "dataset.toml")
    return {
        "floor": [python, str(HERE / "floor.py"), str(corpus), str(work / "floor.parquet")],
        "convert": [cli, "convert", str(corpus), "--out", str(tables)],
        "validate": [cli, "validate", str(tables), "--report", str(work / "validation.json")],
        "near_duplicates": [python, str(HERE / "near_duplicates_only.py"), str(tables)],
        "build": [cli, "build", "--config", config, "--allow-invalid"],
        "package": [cli, "package", str(work / "dataset"), "--bump", "minor", "--allow-invalid"],
    }


def run_size(size: str, work_root: Path, wanted: tuple[str, ...]) -> dict:
    """The ``wanted`` steps (LOCAL_STEPS and SPARK_STEPS, in that order) at ``size``."""
    n = posts(size)
    work = work_root / size
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.json"
    print(f"N = {n:,}", flush=True)
    cli = str(BIN / "corpus-tools")
    steps: dict[str, dict] = {}
    if not corpus.exists():
        steps["synth"] = measure("synth", [cli, "synth", "--posts", str(n), "--format", "telegram-json", "--out",
                                           str(corpus), "--seed", "1"], work / "synth.log")
    truth = json.loads((work / "corpus.json.truth.json").read_text())
    if {"convert", "build"} & set(wanted):
        shutil.rmtree(work / "tables", ignore_errors=True)
        _dataset(work, corpus)  # a fresh first version for build, which package then bumps
    commands = _local_commands(cli, work, corpus)
    for name in (step for step in LOCAL_STEPS if step in wanted):
        steps[name] = (_frictionless(work, work / "tables", n) if name == "frictionless"
                       else measure(name, commands[name], work / f"{name}.log"))
        if name in ("build", "package"):
            steps[name]["stages"] = _stages(work / f"{name}.log")
    if "build" in steps and "floor" in steps:
        steps["build"]["over_floor"] = round(steps["build"]["seconds"] / steps["floor"]["seconds"], 2)
        print(f"  build over floor {steps['build']['over_floor']:8.2f}x", flush=True)
    spark = tuple(step for step in SPARK_STEPS if step in wanted)
    if spark:
        env = {"CORPUS_TOOLS_PSEUDONYM_KEY": "corpus-tools-benchmark", **os.environ, "CI": "1"}
        dataset = _dataset(work, corpus, "dataset-spark") if "build_spark" in spark else work / "dataset-spark"
        steps.update(spark_steps(cli, work, corpus, dataset, env, spark))
        if "build_spark" in steps:
            steps["build_spark"]["stages"] = _stages(work / "build_spark.log")
    for step in steps.values():
        step["posts_per_second"] = round(n / step["seconds"]) if step.get("seconds") else None
    return {"posts": n, "input_bytes": corpus.stat().st_size, "planted": {k: truth["counts"][k] for k in
            ("exact_duplicates", "near_duplicates")}, "steps": steps}


def synth_memory() -> dict:
    """synth_memory.py in a fresh process: synth's tracemalloc peak at N and 4N posts, and their ratio."""
    done = subprocess.run([sys.executable, str(HERE / "synth_memory.py")], capture_output=True, text=True,
                          check=True, cwd=ROOT, env={**os.environ, "CI": "1"})
    memory = json.loads(done.stdout)
    print(f"  synth memory     {memory['posts'][0]:,} -> {memory['posts'][1]:,} posts: peak x{memory['ratio']:.2f}",
          flush=True)
    return memory


def html_readers(work_root: Path) -> dict:
    """Messages/s of the two HTML readers on synthetic inputs (see the module doc)."""
    work = work_root / "html"
    found = {}
    for kind, fmt, count in (("desktop", "telegram-html", HTML_MESSAGES), ("tme", "tme-html", TME_POSTS)):
        folder = work / kind
        if not folder.exists():
            subprocess.run([sys.executable, str(HERE / "html_inputs.py"), kind, str(count), str(folder)], check=True)
        inputs = [str(folder)] if kind == "desktop" else sorted(str(p) for p in folder.glob("*.html"))
        out = work / f"{kind}-tables"
        shutil.rmtree(out, ignore_errors=True)
        step = measure(fmt, [str(BIN / "corpus-tools"), "convert", *inputs, "--out", str(out), "--format", fmt,
                             "--workers", "1"], work / f"{kind}.log")
        step.update(messages=count, pages=len(list(folder.glob("*.html"))),
                    input_bytes=sum(p.stat().st_size for p in folder.glob("*.html")),
                    messages_per_second=round(count / step["seconds"]),
                    messages_per_core_second=round(count / step["cpu_seconds"]))
        found[fmt] = step
    return found


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", default=["100k", "1M"])
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("BENCH_WORK", "/tmp/corpus-tools-bench")))
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--engine", choices=("local", "spark"), default="local", help="spark: also run convert, "
                        "validate and build on the spark engine (local[2]) at each size (benchmarks/spark_steps.py)")
    parser.add_argument("--steps", type=lambda text: tuple(text.split(",")), help="a comma-separated subset of "
                        f"the steps, in any order (they run in this one): {', '.join(LOCAL_STEPS + SPARK_STEPS)}; "
                        "validate, near_duplicates and frictionless read convert's tables, package follows build")
    parser.add_argument("--add", action="store_true", help="add these sizes' steps to the results already in "
                        "--out (replacing the steps measured again) and skip the once-per-run measurements")
    parser.add_argument("--html-only", action="store_true", help="measure the HTML readers alone, into the "
                        "results already in --out")
    args = parser.parse_args()
    unknown = set(args.steps or ()) - set(LOCAL_STEPS + SPARK_STEPS)
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    if args.steps is None:
        args.steps = LOCAL_STEPS + (SPARK_STEPS if args.engine == "spark" else ())
    return args


def main() -> None:
    args = _arguments()
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    if args.html_only or args.add:
        results = json.loads((args.out / "results.json").read_text())
    else:
        results = {"date": today, "machine": platform.machine(), "cpus": os.cpu_count(),
                   "python": platform.python_version(), "sizes": {}}
    if not args.html_only:
        for size in args.sizes:
            measured = {"date": today, **run_size(size, args.work, args.steps)}
            for step in measured["steps"].values():
                step["date"] = today
            earlier = results["sizes"].get(size, {}) if args.add else {}
            if earlier:  # --add: the steps not run again are kept, and the size keeps its first date
                measured["date"] = earlier.get("date", results["date"])
            measured["steps"] = {**earlier.get("steps", {}), **measured["steps"]}
            results["sizes"][size] = measured
    if not args.html_only and not args.add:
        results["synth_memory"] = synth_memory()
        results["validate_bundled"] = small.validate_against_floors()
        results["fresh_clone"] = small.fresh_clone_build()
    if args.html_only or not args.add:
        results["html_date"] = today
        results["html_readers"] = html_readers(args.work)
    results["sizes"] = dict(sorted(results["sizes"].items(), key=lambda item: posts(item[0])))
    results["targets"] = verdicts(results)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "RESULTS.md").write_text(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
