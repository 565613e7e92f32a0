#!/usr/bin/env python3
"""The cost curve: `sladd bench --sweep --json` as a table and a plot.

Runs the sweep (each style against the masked share of a 1080p frame,
5-100 %; the zone count, 1-64; the vertices per zone, 4-1000; one thread),
or reads a saved JSON of it, then writes from the same data:

- cost-curve.json: the sweep as measured,
- cost-curve.md: the table, and a least-squares line per style and axis
  (cost against the parameter) with its R^2, which says how cost grows,
- cost-curve.png: one panel per axis, a line per style.

    python3 benches/peers/cost_curve.py                 # builds, sweeps, writes to target/cost-curve
    python3 benches/peers/cost_curve.py --out docs      # what BENCHMARKS.md shows
    python3 benches/peers/cost_curve.py --json saved.json --out /tmp/cc
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AXES = [
    ("area", "masked share of the frame (%)", "one square zone"),
    ("zones", "zones (25 % of the frame together)", "squares"),
    ("vertices", "vertices per zone (4 zones, 25 % together)", "regular polygons"),
]


def fit(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least squares y = a + b x; returns (a, b, R^2)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    b = sxy / sxx if sxx else 0.0
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys))
    return a, b, (1 - ss_res / ss_tot) if ss_tot else 1.0


def series(rows: list[dict], axis: str, style: str, key: str = "median_us"):
    pts = sorted((r["value"], r[key]) for r in rows if r["axis"] == axis and r["style"] == style)
    return [p[0] for p in pts], [p[1] for p in pts]


def table_md(doc: dict) -> str:
    rows = doc["rows"]
    m = doc["machine"]
    first = rows[0]
    out = [
        f"Machine: {m.get('cpu_model')}, {m['cpus']} CPUs; sladd {m['sladd_version']}; "
        f"{first['format']} {first['width']}x{first['height']}, one thread, kernels at "
        f"{first['cpu_level']}; {doc.get('date', '')}, load average "
        f"{'–'.join(f'{v:.1f}' for v in doc.get('load_average', []))}; `{doc.get('command', '')}`.",
        "",
        "| sweep | value | zones | vertices/zone | style | masked % | median µs | memcpy frame µs "
        "| µs per masked % | prepare µs |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        share = 100 * r["masked_fraction"]
        out.append(
            f"| {r['axis']} | {r['value']} | {r['zones']} | {r['vertices_per_zone']} | {r['style']} "
            f"| {share:.1f} | {r['median_us']:.1f} | {r['memcpy_us']:.1f} "
            f"| {r['median_us'] / max(share, 1e-9):.2f} | {r['prepare_us']:.1f} |"
        )
    out += ["", "Least-squares lines (per frame: median µs = a + b · x; prepare: once per decision):", ""]
    out += ["| sweep | style | a µs | b µs per unit | R² | prepare a µs | prepare b | prepare R² |",
            "|---|---|---|---|---|---|---|---|"]
    styles = sorted({r["style"] for r in rows}, key=["fill", "pixelate", "blur"].index)
    for axis, _, _ in AXES:
        for style in styles:
            xs, ys = series(rows, axis, style)
            if axis == "area":
                xs = [100 * r["masked_fraction"] for r in sorted(
                    (r for r in rows if r["axis"] == axis and r["style"] == style),
                    key=lambda r: r["value"])]
            if len(xs) < 2:
                continue
            a, b, r2 = fit(xs, ys)
            px, py = series(rows, axis, style, "prepare_us")
            pa, pb, pr2 = fit(px, py)
            out.append(f"| {axis} | {style} | {a:.1f} | {b:.3f} | {r2:.3f} | {pa:.1f} | {pb:.3f} | {pr2:.3f} |")
    return "\n".join(out) + "\n"


def plot(doc: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = doc["rows"]
    first = rows[0]
    styles = sorted({r["style"] for r in rows}, key=["fill", "pixelate", "blur"].index)
    fig, grid = plt.subplots(2, 2, figsize=(13, 9))
    axes = grid.flatten()
    for ax, (axis, label, what) in zip(axes, AXES):
        for style in styles:
            xs, ys = series(rows, axis, style)
            ax.plot(xs, [y / 1000 for y in ys], marker="o", label=style)
        if axis != "area":
            ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(label)
        ax.set_ylabel("ms per frame (median, one thread)")
        ax.set_title(f"cost against {axis} ({what})")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    # What a new decision costs: rasterizing the zones and preparing the masks.
    ax = axes[3]
    for axis, label, _ in AXES[1:]:
        for style in styles[:1]:
            xs, ys = series(rows, axis, style, "prepare_us")
            ax.plot(xs, [y / 1000 for y in ys], marker="o", label=f"against {axis}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("zones, or vertices per zone")
    ax.set_ylabel("ms per new decision (rasterize + prepare, median)")
    ax.set_title("once per decision, not per frame")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.suptitle(
        f"sladd masking cost, {first['format']} {first['width']}x{first['height']}, "
        f"{doc['machine'].get('cpu_model')}, {first['cpu_level']}, {doc.get('date', '')}, load "
        f"{'–'.join(f'{v:.1f}' for v in doc.get('load_average', []))}"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(REPO / "target" / "cost-curve"), help="output folder")
    parser.add_argument("--json", help="a saved `sladd bench --sweep --json` instead of running it")
    parser.add_argument("--sladd", default=str(REPO / "target" / "release" / "sladd"))
    parser.add_argument("--no-build", action="store_true", help="use --sladd as it is")
    parser.add_argument("--seconds", default="1", help="seconds of measuring per point (default 1)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.json:
        doc = json.loads(Path(args.json).read_text())
    else:
        if not args.no_build:
            subprocess.run(["cargo", "build", "--release", "--locked", "-p", "sladd-cli"],
                           cwd=REPO, check=True)
        cmd = [args.sladd, "bench", "--sweep", "--json", "--seconds", args.seconds]
        print("running", " ".join(cmd), file=sys.stderr)
        before = os.getloadavg()[0]
        doc = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        doc["load_average"] = [before, os.getloadavg()[0]]
        doc["date"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        doc["command"] = " ".join(["sladd", *cmd[1:]])
    (out / "cost-curve.json").write_text(json.dumps(doc, indent=1) + "\n")
    md = table_md(doc)
    (out / "cost-curve.md").write_text(md)
    plot(doc, out / "cost-curve.png")
    print(md)
    print(f"wrote {out / 'cost-curve.json'}, {out / 'cost-curve.md'}, {out / 'cost-curve.png'}")


if __name__ == "__main__":
    main()
