"""The benchmark's report: each target against what was measured (``verdicts``) and RESULTS.md
(``markdown``), from the results run.py collects into results.json. A step missing from a size (run.py
--steps measures a subset) has no verdict: a target is judged only on what was measured."""

from __future__ import annotations

TARGETS = {
    "build_seconds_1M": 120, "build_peak_rss_mb_1M": 2048, "convert_over_floor": 3.0,
    "validate_speedup_over_frictionless": 50.0, "build_over_floor_1M": 2.0, "bundled_validate_over_gx_floor": 1.3,
    "fresh_clone_build_seconds": 90, "html_messages_per_core_second": 5000, "spark_driver_rss_mb": 2048,
}


def verdicts(results: dict) -> list[dict]:
    """Each target, the measured value and whether it is met."""
    out = []
    for size, r in results["sizes"].items():
        s = r["steps"]
        if {"convert", "floor"} <= s.keys():
            ratio = s["convert"]["seconds"] / s["floor"]["seconds"]
            out.append({"size": size, "target": f"convert within {TARGETS['convert_over_floor']}x of the floor",
                        "value": f"{ratio:.2f}x", "met": ratio <= TARGETS["convert_over_floor"]})
        if {"frictionless", "validate"} <= s.keys():
            speedup = s["frictionless"]["seconds"] / s["validate"]["seconds"]
            out.append({"size": size, "target": f"validate {TARGETS['validate_speedup_over_frictionless']:.0f}x "
                        "faster than frictionless validate", "value": f"{speedup:.0f}x",
                        "met": speedup >= TARGETS["validate_speedup_over_frictionless"]})
        if r["posts"] == 1_000_000 and {"build", "floor"} <= s.keys():
            build = s["build"]
            over_floor = round(build["seconds"] / s["floor"]["seconds"], 2)  # floor and build may be from two --add runs
            out.append({"size": size, "target": f"build within {TARGETS['build_over_floor_1M']}x of the floor",
                        "value": f"{over_floor:.2f}x", "met": over_floor <= TARGETS["build_over_floor_1M"]})
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
            if step not in small["steps"] or step not in large["steps"]:
                continue
            growth = large["steps"][step]["peak_rss_mb"] / small["steps"][step]["peak_rss_mb"]
            out.append({"size": f"{small['posts']:,} -> {large['posts']:,}",
                        "target": f"{step} peak RSS grows far slower than N (x{factor:.0f})",
                        "value": f"x{growth:.2f}", "met": growth < factor / 4})
    return out


def _stage_text(step: dict) -> str:
    return ", ".join(f"{k} {v:.1f} s" for k, v in step["stages"].items())


def _peak_mb(step: dict) -> float:
    """A step's peak RSS: for a spark step, its driver's Python and JVM at once (spark_steps.py), or,
    measured before that was sampled, the sum of the two processes' separate peaks, an upper bound."""
    return step.get("driver_rss_mb", step["peak_rss_mb"])


def _spark_verdicts(results: dict) -> list[dict]:
    out = []
    for size, r in results["sizes"].items():
        build = r["steps"].get("build_spark")
        if build:
            driver = _peak_mb(build)
            out.append({"size": size, "target": "build on spark (local[2]) with the "
                        f"driver's peak RSS under {TARGETS['spark_driver_rss_mb']} MB",
                        "value": f"{driver:.0f} MB", "met": build["exit_code"] == 0 and driver < TARGETS["spark_driver_rss_mb"]})
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
             "process; peak RSS is that process's maximum resident set size (a spark step's: its driver's Python "
             "and JVM together at their largest, sampled every quarter second; before 2026-12-04, the sum of their "
             "separate peaks).", ""]
    for size, r in results["sizes"].items():
        measured = f", measured {r['date']}" if r.get("date", results["date"]) != results["date"] else ""
        lines += [f"## {r['posts']:,} posts ({r['input_bytes'] / 1e9:.2f} GB of JSON{measured})", "",
                  "| step | seconds | posts/s | peak RSS (MB) | notes |", "|---|---:|---:|---:|---|"]
        for name, step in r["steps"].items():
            note = ""
            if name == "frictionless":
                (r1, r2), (t1, t2) = step["rows_checked"], step["seconds_at_rows"]
                note = (f"measured on the first {r1:,} and {r2:,} rows ({t1} s, {t2} s), extrapolated to N"
                        if step["extrapolated"] else "")
            elif "jvm_rss_mb" in step:  # a spark step: its driver's two processes, and all of them
                together = (f"driver at once {step['driver_rss_mb']:.0f} MB; peaks apart: " if "driver_rss_mb" in step
                            else "sum of the peaks: ")
                note = (together + f"Python {step['python_rss_mb']:.0f} MB + JVM {step['jvm_rss_mb']:.0f} MB; all processes "
                        f"{step['tree_rss_mb']:.0f} MB" + (f"; {_stage_text(step)}" if step.get("stages") else ""))
            elif step.get("stages"):
                note = ", ".join(f"{k} {v:.1f} s" for k, v in step["stages"].items())
            elif name == "validate" and step["exit_code"] == 1:
                note = "exit 1: the planted exact duplicates fail, as they should"
            if step.get("date", r.get("date")) != r.get("date"):  # added to the size's results later
                note = "; ".join(filter(None, [f"measured {step['date']}", note]))
            lines.append(f"| {name} | {step['seconds']:.1f} | {step['posts_per_second'] or '':,} | "
                         f"{_peak_mb(step):.0f} | {note} |")
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
