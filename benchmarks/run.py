"""The corpus-tools benchmark: wall time, posts/s and peak memory of each command at corpus scale, with
the reference points that say whether those numbers are good.

    make bench                       # N = 100k and 1M (what benchmarks/RESULTS.md records)
    make bench SIZES="100k 1M 10M"   # 10M on request (about 25 GB of disk and an hour)

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
from spark_steps import spark_steps

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
SIZES = {"k": 1_000, "M": 1_000_000}
FRICTIONLESS_ROWS = 20_000  # rows frictionless validates; the rest is extrapolated
TARGETS = {
    "build_seconds_1M": 120, "build_peak_rss_mb_1M": 2048, "convert_over_floor": 3.0,
    "validate_speedup_over_frictionless": 50.0, "build_over_floor_1M": 2.0, "bundled_validate_over_gx_floor": 1.3,
    "fresh_clone_build_seconds": 90, "html_messages_per_core_second": 5000, "spark_driver_rss_mb": 2048,
}
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


def run_size(size: str, work_root: Path, engine: str = "local") -> dict:
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
    tables = work / "tables"
    shutil.rmtree(tables, ignore_errors=True)
    python = sys.executable
    steps["floor"] = measure("floor", [python, str(HERE / "floor.py"), str(corpus), str(work / "floor.parquet")],
                             work / "floor.log")
    steps["convert"] = measure("convert", [cli, "convert", str(corpus), "--out", str(tables)], work / "convert.log")
    steps["validate"] = measure("validate", [cli, "validate", str(tables), "--report", str(work / "validation.json")],
                                work / "validate.log")
    steps["near_duplicates"] = measure("near_duplicates", [python, str(HERE / "near_duplicates_only.py"), str(tables)],
                                       work / "near_duplicates.log")
    steps["frictionless"] = _frictionless(work, tables, n)
    dataset = _dataset(work, corpus)
    steps["build"] = measure("build", [cli, "build", "--config", str(dataset / "dataset.toml"), "--allow-invalid"],
                             work / "build.log")
    steps["build"]["stages"] = _stages(work / "build.log")
    steps["build"]["over_floor"] = round(steps["build"]["seconds"] / steps["floor"]["seconds"], 2)
    print(f"  build over floor {steps['build']['over_floor']:8.2f}x", flush=True)
    steps["package"] = measure("package", [cli, "package", str(dataset), "--bump", "minor", "--allow-invalid"],
                               work / "package.log")
    steps["package"]["stages"] = _stages(work / "package.log")
    if engine == "spark":
        env = {"CORPUS_TOOLS_PSEUDONYM_KEY": "corpus-tools-benchmark", **os.environ, "CI": "1"}
        steps.update(spark_steps(cli, work, corpus, _dataset(work, corpus, "dataset-spark"), env))
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


def verdicts(results: dict) -> list[dict]:
    """Each target, the measured value and whether it is met."""
    out = []
    for size, r in results["sizes"].items():
        s = r["steps"]
        ratio = s["convert"]["seconds"] / s["floor"]["seconds"]
        speedup = s["frictionless"]["seconds"] / s["validate"]["seconds"]
        out.append({"size": size, "target": f"convert within {TARGETS['convert_over_floor']}x of the floor",
                    "value": f"{ratio:.2f}x", "met": ratio <= TARGETS["convert_over_floor"]})
        out.append({"size": size, "target": f"validate {TARGETS['validate_speedup_over_frictionless']:.0f}x faster "
                    "than frictionless validate", "value": f"{speedup:.0f}x",
                    "met": speedup >= TARGETS["validate_speedup_over_frictionless"]})
        if r["posts"] == 1_000_000:
            build = s["build"]
            out.append({"size": size, "target": f"build within {TARGETS['build_over_floor_1M']}x of the floor",
                        "value": f"{build['over_floor']:.2f}x", "met": build["over_floor"] <= TARGETS["build_over_floor_1M"]})
            out.append({"size": size, "target": f"build under {TARGETS['build_seconds_1M']} s",
                        "value": f"{build['seconds']:.0f} s", "met": build["seconds"] < TARGETS["build_seconds_1M"]})
            out.append({"size": size, "target": f"build peak RSS under {TARGETS['build_peak_rss_mb_1M']} MB",
                        "value": f"{build['peak_rss_mb']:.0f} MB",
                        "met": build["peak_rss_mb"] < TARGETS["build_peak_rss_mb_1M"]})
    out += _spark_verdicts(results)
    out += _small_verdicts(results)
    memory = results.get("synth_memory")
    if memory:
        small, large = memory["posts"]
        out.append({"size": f"{small:,} -> {large:,}", "target": f"synth peak memory (tracemalloc) under "
                    f"{memory['target_ratio']}x at {large // small}x the posts", "value": f"x{memory['ratio']:.2f}",
                    "met": memory["met"]})
    target = TARGETS["html_messages_per_core_second"]
    for fmt, step in results.get("html_readers", {}).items():
        out.append({"size": f"{step['messages']:,} messages", "target": f"{fmt} converts at least {target:,} "
                    "messages/s per core", "value": f"{step['messages_per_core_second']:,}",
                    "met": step["messages_per_core_second"] >= target})
    sizes = sorted(results["sizes"].values(), key=lambda r: r["posts"])
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        factor = large["posts"] / small["posts"]
        for step in ("convert", "validate", "build"):
            growth = large["steps"][step]["peak_rss_mb"] / small["steps"][step]["peak_rss_mb"]
            out.append({"size": f"{small['posts']:,} -> {large['posts']:,}",
                        "target": f"{step} peak RSS grows far slower than N (x{factor:.0f})",
                        "value": f"x{growth:.2f}", "met": growth < factor / 4})
    return out


def _stage_text(step: dict) -> str:
    return ", ".join(f"{k} {v:.1f} s" for k, v in step["stages"].items())


def _spark_verdicts(results: dict) -> list[dict]:
    out = []
    for size, r in results["sizes"].items():
        build = r["steps"].get("build_spark")
        if build:
            out.append({"size": size, "target": "build on spark (local[2]) with the "
                        f"driver's peak RSS under {TARGETS['spark_driver_rss_mb']} MB",
                        "value": f"{build['peak_rss_mb']:.0f} MB",
                        "met": build["exit_code"] == 0 and build["peak_rss_mb"] < TARGETS["spark_driver_rss_mb"]})
    return out


def _small_verdicts(results: dict) -> list[dict]:
    out = []
    bundled, clone = results.get("validate_bundled"), results.get("fresh_clone")
    if bundled:
        ratio, target = bundled["validate"]["over_gx_floor"], TARGETS["bundled_validate_over_gx_floor"]
        out.append({"size": "bundled", "target": f"validate within {target}x of GX's floor", "value": f"{ratio:.2f}x",
                    "met": ratio <= target})
    if clone:
        seconds, target = clone["seconds"], TARGETS["fresh_clone_build_seconds"]
        out.append({"size": "fresh clone", "target": f"make build under {target} s", "value": f"{seconds:.0f} s",
                    "met": seconds < target and clone["exit_code"] == 0 and not clone["left_a_diff"]})
    return out


def _small_markdown(results: dict) -> list[str]:
    bundled, clone = results.get("validate_bundled"), results.get("fresh_clone")
    lines = []
    if bundled:
        lines += ["## The bundled package (20 posts)", "",
                  f"Each command {bundled['runs']} times, in turn, after a warm-up (benchmarks/small.py); medians, "
                  "and the median of the run-by-run ratios.", "",
                  "| command | seconds | CPU seconds | peak RSS (MB) | validate over it |", "|---|---:|---:|---:|---:|"]
        names = {"validate": "`corpus-tools validate datapackage.json`",
                 "gx_floor": "GX's floor: import, ephemeral context", "frictionless": "`frictionless validate datapackage.json`"}
        for name, label in names.items():
            m = bundled[name]
            ratio = f"{bundled['validate'][f'over_{name}']:.2f}x" if name != "validate" else ""
            lines.append(f"| {label} | {m['seconds']:.2f} | {m['cpu_seconds']:.2f} | {m['peak_rss_mb']:.0f} | {ratio} |")
        lines.append("")
    if clone:
        stages = ", ".join(f"{k} {v:.1f} s" for k, v in clone["build_stages"].items())
        lines += ["## A fresh clone", "", f"`git clone` then `make build` with an empty uv cache: {clone['seconds']:.0f} s "
                  f"(installed by {clone['installer']}; the build's stages: {stages}).", ""]
    return lines


def markdown(results: dict) -> str:
    lines = ["# Benchmark results", "",
             f"Measured {results['date']} on {results['machine']} ({results['cpus']} CPUs), Python "
             f"{results['python']}, by `make bench` (benchmarks/run.py). Inputs: `corpus-tools synth --format "
             "telegram-json --seed 1` (2% exact and 3% near duplicates planted). Each step runs in a fresh "
             "process; peak RSS is that process's maximum resident set size.", ""]
    for size, r in results["sizes"].items():
        lines += [f"## {r['posts']:,} posts ({r['input_bytes'] / 1e9:.2f} GB of JSON)", "",
                  "| step | seconds | posts/s | peak RSS (MB) | notes |", "|---|---:|---:|---:|---|"]
        for name, step in r["steps"].items():
            note = ""
            if name == "frictionless":
                (r1, r2), (t1, t2) = step["rows_checked"], step["seconds_at_rows"]
                note = (f"measured on the first {r1:,} and {r2:,} rows ({t1} s, {t2} s), extrapolated to N"
                        if step["extrapolated"] else "")
            elif "jvm_rss_mb" in step:  # a spark step: its driver's two processes, and all of them
                note = (f"Python {step['python_rss_mb']:.0f} MB + JVM {step['jvm_rss_mb']:.0f} MB; all processes "
                        f"{step['tree_rss_mb']:.0f} MB" + (f"; {_stage_text(step)}" if step.get("stages") else ""))
            elif step.get("stages"):
                note = ", ".join(f"{k} {v:.1f} s" for k, v in step["stages"].items())
            elif name == "validate" and step["exit_code"] == 1:
                note = "exit 1: the planted exact duplicates fail, as they should"
            lines.append(f"| {name} | {step['seconds']:.1f} | {step['posts_per_second'] or '':,} | "
                         f"{step['peak_rss_mb']:.0f} | {note} |")
        lines.append("")
    lines += _small_markdown(results)
    memory = results.get("synth_memory")
    if memory:
        lines += ["## synth memory", "", "Peak of Python's allocations (tracemalloc) while `synth` writes "
                  "telethon-jsonl posts on one worker (benchmarks/synth_memory.py).", "",
                  "| posts | peak (MB) |", "|---:|---:|"]
        lines += [f"| {n:,} | {b / 1e6:.1f} |" for n, b in zip(memory["posts"], memory["peak_bytes"], strict=True)]
        lines.append("")
    html = results.get("html_readers")
    if html:
        lines += ["## HTML readers", "", "`corpus-tools convert --workers 1` of synthetic inputs (benchmarks/"
                  "html_inputs.py): a Telegram Desktop HTML export (1000 messages a page) and saved t.me/s pages "
                  f"(20 posts a page), measured {results.get('html_date', results['date'])}. Per core: messages over "
                  "the process's CPU time.", "",
                  "| format | messages | pages | MB | seconds | CPU seconds | messages/s | messages/s per core |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        lines += [f"| {fmt} | {s['messages']:,} | {s['pages']:,} | {s['input_bytes'] / 1e6:.0f} | {s['seconds']:.1f} | "
                  f"{s['cpu_seconds']:.1f} | {s['messages_per_second']:,} | {s['messages_per_core_second']:,} |"
                  for fmt, s in html.items()]
        lines.append("")
    lines += ["## Targets", "", "| size | target | measured | met |", "|---|---|---|---|"]
    lines += [f"| {v['size']} | {v['target']} | {v['value']} | {'yes' if v['met'] else '**no**'} |"
              for v in results["targets"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", default=["100k", "1M"])
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("BENCH_WORK", "/tmp/corpus-tools-bench")))
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--engine", choices=("local", "spark"), default="local", help="spark: also run convert, "
                        "validate and build on the spark engine (local[2]) at each size (benchmarks/spark_steps.py)")
    parser.add_argument("--html-only", action="store_true", help="measure the HTML readers alone, into the "
                        "results already in --out")
    args = parser.parse_args()
    if args.html_only:
        results = json.loads((args.out / "results.json").read_text())
        results["html_date"] = datetime.now(UTC).strftime("%Y-%m-%d")
    else:
        results = {"date": datetime.now(UTC).strftime("%Y-%m-%d"), "machine": platform.machine(),
                   "cpus": os.cpu_count(), "python": platform.python_version(), "sizes": {}}
        for size in args.sizes:
            results["sizes"][size] = run_size(size, args.work, args.engine)
        results["synth_memory"] = synth_memory()
        results["validate_bundled"] = small.validate_against_floors()
        results["fresh_clone"] = small.fresh_clone_build()
    results["html_readers"] = html_readers(args.work)
    results["targets"] = verdicts(results)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "RESULTS.md").write_text(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
