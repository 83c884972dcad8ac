"""Where most users wait: validating the bundled package, and the first ``make build`` of a fresh clone.

- ``validate``: ``corpus-tools validate datapackage.json`` on the repository's own 20-post package,
  against two reference points measured in the same run, in turn (validate, floor, frictionless,
  validate, ...) so that a change in the machine's speed touches all three alike: GX's own floor
  (``import great_expectations`` and an ephemeral context: what any validation with GX pays) and
  ``frictionless validate datapackage.json``. Each is run ``RUNS`` times after a warm-up; the medians
  and the median of the run-by-run ratios are recorded.
- ``fresh_clone``: ``git clone`` of this repository's HEAD into a temporary folder, then ``make build``
  there with an empty uv cache: the install and the first build, as a new user meets them.

Run alone: ``.venv/bin/python benchmarks/small.py`` (prints JSON); ``run.py`` runs it too.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
RUNS = 7
GX_FLOOR = [sys.executable, "-c", "import great_expectations as gx; gx.get_context(mode='ephemeral')"]


def timed(command: list[str], *, cwd: Path, env: dict | None = None) -> dict:
    """Run ``command`` to its end, output discarded: its wall and CPU seconds, peak RSS and exit code."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "CI": "1", **(env or {})})
    _, status, usage = os.wait4(process.pid, 0)
    return {"seconds": time.perf_counter() - started, "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": usage.ru_maxrss / 1024, "exit_code": os.waitstatus_to_exitcode(status)}


def validate_against_floors(runs: int = RUNS) -> dict:
    """validate, GX's floor and frictionless, in turn, ``runs`` times each after one warm-up round."""
    commands = {"validate": [str(BIN / "corpus-tools"), "validate", "datapackage.json"], "gx_floor": GX_FLOOR,
                "frictionless": [str(BIN / "frictionless"), "validate", "datapackage.json"]}
    measured: dict[str, list[dict]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, command in commands.items():
            result = timed(command, cwd=ROOT)
            if round_:
                measured[name].append(result)
    summary = {name: {"seconds": round(statistics.median(r["seconds"] for r in results), 2),
                      "cpu_seconds": round(statistics.median(r["cpu_seconds"] for r in results), 2),
                      "peak_rss_mb": round(max(r["peak_rss_mb"] for r in results), 1),
                      "exit_codes": sorted({r["exit_code"] for r in results})}
               for name, results in measured.items()}
    for reference in ("gx_floor", "frictionless"):
        ratios = [v["seconds"] / r["seconds"] for v, r in zip(measured["validate"], measured[reference])]
        summary["validate"][f"over_{reference}"] = round(statistics.median(ratios), 2)
    summary["runs"] = runs
    print(f"  validate (bundled) {summary['validate']['seconds']:6.2f} s: {summary['validate']['over_gx_floor']:.2f}x "
          f"GX's floor ({summary['gx_floor']['seconds']:.2f} s), {summary['validate']['over_frictionless']:.2f}x "
          f"frictionless ({summary['frictionless']['seconds']:.2f} s)", flush=True)
    return summary


def fresh_clone_build() -> dict:
    """``make build`` in a fresh clone of HEAD, with an empty uv cache; its stages from the build's own line."""
    with tempfile.TemporaryDirectory(prefix="corpus-tools-clone-") as folder:
        clone = Path(folder) / "clone"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        log = Path(folder) / "make.log"
        started = time.perf_counter()
        with log.open("w") as out:
            done = subprocess.run(["make", "build"], cwd=clone, stdout=out, stderr=subprocess.STDOUT,
                                  env={**os.environ, "CI": "1", "UV_CACHE_DIR": str(Path(folder) / "uv-cache")})
        seconds = time.perf_counter() - started
        text = log.read_text()
        stages = next(({m.group(1): float(m.group(2)) for m in re.finditer(r"(\w+) ([\d.]+) s", line)}
                       for line in text.splitlines() if line.startswith("stages: ")), {})
        diff = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout
        installer = [p.read_text().strip() for p in clone.glob(".venv/lib/*/site-packages/corpus_tools-*/INSTALLER")]
    result = {"seconds": round(seconds, 1), "exit_code": done.returncode, "build_stages": stages,
              "installer": installer[0] if installer else None, "left_a_diff": bool(diff.strip())}
    print(f"  fresh clone       {result['seconds']:6.1f} s  make build (exit {done.returncode}; build stages "
          f"{', '.join(f'{k} {v:.1f} s' for k, v in stages.items())})", flush=True)
    return result


if __name__ == "__main__":
    print(json.dumps({"validate_bundled": validate_against_floors(), "fresh_clone": fresh_clone_build()}, indent=2))
