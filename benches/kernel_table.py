#!/usr/bin/env python3
"""The kernel table of BENCHMARKS.md from criterion's saved estimates.

After `cargo bench --bench masking`, criterion keeps each benchmark's
estimates under target/criterion. This prints, per frame size and format,
the median of every style on one thread and on all threads beside the two
memcpy baselines of the same run, the ratio to each, the speed-up of all
threads over one, and the goals of issue 19 (1080p one thread; 2160p
threads), with the commit, machine, date and load average:

    cargo bench --locked --bench masking -- --warm-up-time 1 --measurement-time 3
    python3 benches/kernel_table.py            # or --criterion DIR
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STYLES = ["fill", "pixelate", "blur"]
# Issue 19's goals, µs, 1080p one thread.
GOALS = {
    ("yuv420p", "fill"): 30, ("yuv420p", "pixelate"): 120, ("yuv420p", "blur"): 600,
    ("rgb24", "fill"): 40, ("rgb24", "pixelate"): 220, ("rgb24", "blur"): 1000,
}
THREAD_GOAL = 1.8


def load(root: Path) -> dict:
    """{(size, format, function): (median ns, lower, upper)} of the masking group."""
    found = {}
    for bench in root.rglob("new/benchmark.json"):
        meta = json.loads(bench.read_text())
        group = meta.get("group_id", "")
        if not group.startswith("masking/"):
            continue
        _, size, fmt = group.split("/")
        est = json.loads((bench.parent / "estimates.json").read_text())["median"]
        ci = est["confidence_interval"]
        found[(size, fmt, meta["function_id"])] = (
            est["point_estimate"], ci["lower_bound"], ci["upper_bound"])
    return found


def us(ns: float) -> str:
    return f"{ns / 1000:.1f} µs" if ns < 1e6 else f"{ns / 1e6:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--criterion", default=str(REPO / "target" / "criterion"))
    args = parser.parse_args()
    data = load(Path(args.criterion))
    if not data:
        raise SystemExit(f"no masking estimates under {args.criterion}: run cargo bench first")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                            capture_output=True, text=True).stdout.strip()
    model = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text()
                  .splitlines() if l.startswith("model name")), "?")
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"Commit {commit}, {model}, {os.cpu_count()} CPUs, {when}, load average "
          f"{os.getloadavg()[0]:.2f} when the table was written.\n")
    print("| size | format | memcpy touched | memcpy frame | style | 1 thread [95%] "
          "| ÷ memcpy touched | all threads | speed-up all ÷ 1 | goal | met? |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    sizes = sorted({k[0] for k in data}, key=lambda s: int(s.split("x")[0]))
    formats = ["yuv420p", "rgb24", "yuv420p10le"]
    for size in sizes:
        for fmt in formats:
            touched = data.get((size, fmt, "memcpy_touched"))
            frame = data.get((size, fmt, "memcpy_frame"))
            if not touched:
                continue
            for style in STYLES:
                one = data.get((size, fmt, f"{style}/1t"))
                many = data.get((size, fmt, f"{style}/all"))
                if not one:
                    continue
                goal, met = "", ""
                if size == "1920x1080" and (fmt, style) in GOALS:
                    g = GOALS[(fmt, style)]
                    goal, met = f"≤ {g} µs", "yes" if one[0] / 1000 <= g else "no"
                elif size == "1920x1080" and fmt == "yuv420p10le":
                    eight = data.get((size, "yuv420p", f"{style}/1t"))
                    if eight:
                        goal = f"≤ 2 × 8-bit ({us(2 * eight[0])})"
                        met = "yes" if one[0] <= 2 * eight[0] else "no"
                speed = one[0] / many[0] if many else None
                if size == "3840x2160" and style in ("pixelate", "blur") and speed:
                    goal = f"all ÷ 1 ≥ {THREAD_GOAL}×"
                    met = "yes" if speed >= THREAD_GOAL else "no"
                print(f"| {size} | {fmt} | {us(touched[0])} | {us(frame[0]) if frame else '—'} "
                      f"| {style} | {us(one[0])} [{us(one[1])}–{us(one[2])}] "
                      f"| {one[0] / touched[0]:.2f} | {us(many[0]) if many else '—'} "
                      f"| {f'{speed:.2f}×' if speed else '—'} | {goal} | {met} |")


if __name__ == "__main__":
    main()
