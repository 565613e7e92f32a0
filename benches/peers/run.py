#!/usr/bin/env python3
"""sladd against what a user would pick instead: the FFmpeg CLI with a filter
graph, and OpenCV in Python with FFmpeg pipes for decoding and encoding.

One invocation generates a deterministic 1080p25 clip (ffmpeg lavfi), renders
the four benchmark zones of fixtures/bench/zones.json into mask images for
the peers and into a site config for sladd, then runs every tool × style
(plain re-encode, fill, pixelate, blur) interleaved, --runs times each, with
the same encoder settings (libx264 veryfast CRF 23, yuv420p, threads auto).
It times the kernels too: OpenCV on one 1080p BGR frame on one thread beside
`sladd bench --format rgb24 --format yuv420p --threads 1`. It prints one
table and writes peers.md, peers.json and peers.png to --out.

    pip install -r benches/peers/requirements.txt
    python3 benches/peers/run.py            # full run (prints its duration)
    python3 benches/peers/run.py --quick    # smoke run, about a minute

See BENCHMARKS.md ("Peers") for what each peer does and how to read it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ZONES_JSON = REPO / "fixtures" / "bench" / "zones.json"
WIDTH, HEIGHT, FPS = 1920, 1080, 25
BLOCK = 24  # pixelate block (sladd's default)
RADIUS = 24  # blur radius (sladd's default: three box passes of this radius)
STACK_KSIZE = 97  # cv2.stackBlur / GaussianBlur kernel size
SHIFT = 8  # fixed-point bits for cv2.fillPoly
ENCODER = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"]
STYLES = ["plain", "fill", "pixelate", "blur"]
TOOLS = ["sladd", "ffmpeg", "opencv"]
START = "2026-11-24T12:00:00+01:00"


# --------------------------------------------------------------------------
# Running a child and measuring it


def run_measured(cmd: list[str], stdout_path: Path | None = None) -> tuple[float, float, int, str]:
    """Runs `cmd`; returns (wall seconds, CPU seconds, max RSS in kB, stdout).

    CPU time (user + system) covers the child and the descendants it waited
    for; max RSS is the child's own (os.wait4). Raises on a non-zero exit.
    """
    out = open(stdout_path, "w+b") if stdout_path else subprocess.DEVNULL
    err_path = (stdout_path or Path(os.devnull)).with_suffix(".stderr") if stdout_path else None
    err = open(err_path, "w+b") if err_path else subprocess.PIPE
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=err)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = ""
    if stdout_path:
        out.seek(0)
        text = out.read().decode(errors="replace")
        out.close()
    errtext = ""
    if err_path:
        err.seek(0)
        errtext = err.read().decode(errors="replace")
        err.close()
    elif proc.stderr:
        errtext = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} exited with {proc.returncode}\n{errtext[-2000:]}{text[-2000:]}"
        )
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, text


def check_tools(args: argparse.Namespace) -> Path:
    """Checks ffmpeg and the Python modules; builds or finds sladd."""
    missing = [tool for tool in ("ffmpeg", "ffprobe") if shutil.which(tool) is None]
    if missing:
        sys.exit(f"missing {', '.join(missing)}: apt-get install ffmpeg (see BENCHMARKS.md)")
    try:
        import cv2  # noqa: F401
        import matplotlib  # noqa: F401
        import numpy  # noqa: F401
    except ImportError as e:
        sys.exit(f"{e}: pip install -r benches/peers/requirements.txt")
    sladd = Path(args.sladd) if args.sladd else REPO / "target" / "release" / "sladd"
    if not args.sladd and not args.no_build:
        print("building sladd (cargo build --release -p sladd-cli) ...", flush=True)
        subprocess.run(
            ["cargo", "build", "--release", "-p", "sladd-cli"], cwd=REPO, check=True
        )
    if not sladd.exists():
        sys.exit(f"{sladd} not found: cargo build --release -p sladd-cli, or pass --sladd")
    return sladd


# --------------------------------------------------------------------------
# Inputs: clip, masks, site config


def make_clip(out: Path, seconds: float) -> Path:
    """A deterministic 1080p25 H.264 clip: testsrc2 (moving patterns, text)
    with temporal noise, so the encoder has camera-like work to do."""
    clip = out / f"clip-{WIDTH}x{HEIGHT}-{seconds:g}s.mp4"
    if clip.exists():
        return clip
    tmp = clip.with_suffix(".tmp.mp4")
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
            f"testsrc2=size={WIDTH}x{HEIGHT}:rate={FPS}:duration={seconds:g},"
            "noise=alls=6:allf=t:all_seed=1",
            *ENCODER, "-threads", "1", "-bitexact",
            "-metadata", "creation_time=2026-11-24T11:00:00Z", str(tmp),
        ],
        check=True,
    )
    tmp.rename(clip)
    return clip


def load_zones() -> list[dict]:
    return json.loads(ZONES_JSON.read_text())["zones"]


def zone_polygons_px(zones: list[dict]):
    """The zones in fixed-point pixel coordinates for cv2.fillPoly (SHIFT bits)."""
    import numpy as np

    scale = 1 << SHIFT
    return [
        np.array(
            [[round(x * WIDTH * scale), round(y * HEIGHT * scale)] for x, y in z["polygon"]],
            dtype=np.int32,
        )
        for z in zones
    ]


def make_masks(out: Path, zones: list[dict]) -> dict:
    """Renders the zones: a grey mask (255 inside) for alphamerge and the
    OpenCV compositing, and an RGBA black-where-masked overlay for the FFmpeg
    fill. Pixel centres inside the polygon count (cv2.fillPoly), which covers
    slightly less than sladd's conservative coverage (any overlap)."""
    import cv2
    import numpy as np

    polys = zone_polygons_px(zones)
    mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    cv2.fillPoly(mask, polys, 255, lineType=cv2.LINE_8, shift=SHIFT)
    cv2.imwrite(str(out / "mask.png"), mask)
    rgba = np.zeros((HEIGHT, WIDTH, 4), np.uint8)
    rgba[..., 3] = mask
    cv2.imwrite(str(out / "fill.png"), rgba)
    return {
        "mask": out / "mask.png",
        "fill": out / "fill.png",
        "fraction": float((mask > 0).mean()),
    }


def write_site(out: Path, zones: list[dict]) -> Path:
    """Two cameras over the same zones: `bench` masks them at all times
    (area outside_purpose under an always-active purpose: R-AREA-MINIMISE),
    `plain` shows them at all times (area public): the plain re-encode goes
    through the same decide → (nothing to mask) → encode pipeline."""
    lines = [
        "# Written by benches/peers/run.py from fixtures/bench/zones.json.",
        "[site]",
        'name = "peer benchmark"',
        'timezone = "Europe/Oslo"',
        'opening_hours = ["daily 00:00-24:00"]',
    ]
    for camera, area in (("bench", "outside_purpose"), ("plain", "public")):
        lines += ["", "[[cameras]]", f'id = "{camera}"', 'purposes = [{ purpose = "theft" }]']
        for z in zones:
            poly = ", ".join(f"[{x}, {y}]" for x, y in z["polygon"])
            lines += [
                "",
                "[[cameras.zones]]",
                f'name = "{z["name"]}"',
                f'area = "{area}"',
                f"polygon = [{poly}]",
            ]
    site = out / "site.toml"
    site.write_text("\n".join(lines) + "\n")
    return site


# --------------------------------------------------------------------------
# The commands


def ffmpeg_cmd(style: str, clip: Path, masks: dict, dst: Path) -> list[str]:
    """The FFmpeg CLI filter graph a user would write, threads auto."""
    head = ["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(clip)]
    tail = [*ENCODER, "-an", str(dst)]
    if style == "plain":
        return head + tail
    if style == "fill":
        # A black RGBA image with the zones opaque, overlaid on every frame
        # (overlay repeats its single frame).
        graph = "[0:v][1:v]overlay=format=yuv420[out]"
        return head + ["-i", str(masks["fill"]), "-filter_complex", graph, "-map", "[out]"] + tail
    if style == "pixelate":
        effect = (
            f"scale=iw/{BLOCK}:ih/{BLOCK}:flags=area,"
            f"scale={WIDTH}:{HEIGHT}:flags=neighbor"
        )
    elif style == "blur":
        # Three box passes of radius 24 in luma, 12 in the half-size chroma.
        effect = f"boxblur=luma_radius={RADIUS}:luma_power=3:chroma_radius={RADIUS // 2}:chroma_power=3"
    else:
        raise ValueError(style)
    graph = (
        f"[0:v]split[base][fx];[fx]{effect}[eff];[1:v]format=gray[m];"
        "[eff][m]alphamerge[top];[base][top]overlay=format=yuv420[out]"
    )
    return head + ["-i", str(masks["mask"]), "-filter_complex", graph, "-map", "[out]"] + tail


def sladd_cmd(sladd: Path, style: str, clip: Path, site: Path, dst: Path) -> list[str]:
    camera, style_arg = {
        "plain": ("plain", "fill"),
        "fill": ("bench", "fill"),
        "pixelate": ("bench", f"pixelate:{BLOCK}"),
        "blur": ("bench", f"blur:{RADIUS}"),
    }[style]
    return [
        str(sladd), "redact", str(clip), "-c", str(site), "--camera", camera,
        "--style", style_arg, "--preset", "veryfast", "--crf", "23",
        "--start", START, "-o", str(dst), "--json",
    ]


def opencv_cmd(style: str, clip: Path, masks: dict, dst: Path) -> list[str]:
    return [
        sys.executable, str(Path(__file__).resolve()), "opencv-worker",
        "--style", style, "--input", str(clip), "--output", str(dst),
        "--mask", str(masks["mask"]),
    ]


# --------------------------------------------------------------------------
# OpenCV: the per-frame styles (also timed as kernels)


def opencv_styles(mask):
    """Per-frame maskers on a BGR frame, as a Python user would write them
    with OpenCV: fill with cv2.fillPoly; pixelate and blur on each zone's
    bounding box (pixelate's aligned to the 24 px grid) composited through
    the mask with cv2.copyTo."""
    import cv2

    polys = zone_polygons_px(load_zones())
    boxes = []
    for poly in polys:
        x, y, w, h = cv2.boundingRect(poly >> SHIFT)
        boxes.append((x, y, min(x + w + 1, WIDTH), min(y + h + 1, HEIGHT)))
    grid = []
    for x0, y0, x1, y1 in boxes:
        gx0, gy0 = x0 // BLOCK * BLOCK, y0 // BLOCK * BLOCK
        gx1 = min(-(-x1 // BLOCK) * BLOCK, WIDTH)
        gy1 = min(-(-y1 // BLOCK) * BLOCK, HEIGHT)
        grid.append((gx0, gy0, gx1, gy1))
    masks_box = [mask[y0:y1, x0:x1] for x0, y0, x1, y1 in boxes]
    masks_grid = [mask[y0:y1, x0:x1] for x0, y0, x1, y1 in grid]

    def fill(frame):
        cv2.fillPoly(frame, polys, (0, 0, 0), lineType=cv2.LINE_8, shift=SHIFT)

    def pixelate(frame):
        for (x0, y0, x1, y1), m in zip(grid, masks_grid):
            roi = frame[y0:y1, x0:x1]
            w, h = x1 - x0, y1 - y0
            small = cv2.resize(roi, (-(-w // BLOCK), -(-h // BLOCK)), interpolation=cv2.INTER_AREA)
            big = cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)
            cv2.copyTo(big, m, roi)

    def blurrer(blur):
        def apply(frame):
            for (x0, y0, x1, y1), m in zip(boxes, masks_box):
                roi = frame[y0:y1, x0:x1]
                cv2.copyTo(blur(roi), m, roi)

        return apply

    return {
        "plain": lambda frame: None,
        "fill": fill,
        "pixelate": pixelate,
        "blur": blurrer(lambda roi: cv2.stackBlur(roi, (STACK_KSIZE, STACK_KSIZE))),
        "gaussian": blurrer(lambda roi: cv2.GaussianBlur(roi, (STACK_KSIZE, STACK_KSIZE), 0)),
    }


def opencv_worker(args: argparse.Namespace) -> None:
    """Decode to BGR through an ffmpeg pipe, mask with OpenCV, encode through
    an ffmpeg pipe; prints the peak RSS of the three processes as JSON."""
    import cv2
    import numpy as np

    mask = cv2.imread(args.mask, cv2.IMREAD_GRAYSCALE)
    apply = opencv_styles(mask)[args.style]
    dec = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-nostdin", "-i", args.input,
         "-f", "rawvideo", "-pix_fmt", "bgr24", "-"],
        stdout=subprocess.PIPE,
    )
    enc = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24",
         "-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS), "-i", "-", *ENCODER, "-an", args.output],
        stdin=subprocess.PIPE,
    )
    size = WIDTH * HEIGHT * 3
    buf = bytearray(size)
    view = memoryview(buf)
    frame = np.frombuffer(buf, np.uint8).reshape(HEIGHT, WIDTH, 3)
    frames = 0
    while True:
        got = 0
        while got < size:
            n = dec.stdout.readinto(view[got:])
            if not n:
                break
            got += n
        if got < size:
            break
        apply(frame)
        enc.stdin.write(buf)
        frames += 1
    enc.stdin.close()
    rss = {"python": 0, "decoder": 0, "encoder": 0}
    for name, proc in (("decoder", dec), ("encoder", enc)):
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            sys.exit(f"{name} ffmpeg exited with {proc.returncode}")
        rss[name] = usage.ru_maxrss
    import resource

    rss["python"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"frames": frames, "rss_kb": rss}))


def opencv_kernels(clip: Path, mask_path: Path, seconds: float) -> dict:
    """Median µs per call of each OpenCV style on one 1080p BGR frame (the
    clip's first), cv2.setNumThreads(1)."""
    import cv2
    import numpy as np

    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(clip), "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "bgr24", "-"],
        check=True, capture_output=True,
    ).stdout
    original = np.frombuffer(raw, np.uint8).reshape(HEIGHT, WIDTH, 3)
    mask = cv2.imread(str(mask_path), cv2.IMREAD_GRAYSCALE)
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    results = {}
    try:
        for name, apply in opencv_styles(mask).items():
            if name == "plain":
                continue
            frame = original.copy()
            times = []
            deadline = time.perf_counter() + seconds
            while time.perf_counter() < deadline or len(times) < 5:
                t0 = time.perf_counter_ns()
                apply(frame)
                times.append((time.perf_counter_ns() - t0) / 1000)
            results[name] = {
                "median_us": statistics.median(times),
                "min_us": min(times),
                "max_us": max(times),
                "calls": len(times),
            }
    finally:
        cv2.setNumThreads(threads)
    return results


def sladd_kernels(sladd: Path, seconds: float) -> list[dict]:
    text = subprocess.run(
        [str(sladd), "bench", "--format", "rgb24", "--format", "yuv420p",
         "--resolution", f"{WIDTH}x{HEIGHT}", "--threads", "1",
         "--seconds", f"{seconds:g}", "--json"],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(text)["rows"]


# --------------------------------------------------------------------------
# Checks on the outputs


def first_frame_gray(path: Path):
    import numpy as np

    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        check=True, capture_output=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(HEIGHT, WIDTH)


def check_outputs(outputs: dict, mask_path: Path) -> list[str]:
    """Every masked output agrees with its tool's plain output outside the
    zones and has lost detail inside them (mean horizontal gradient below 60%
    of the plain output's); fill is black inside. Guards against a graph or
    config that silently masks nothing."""
    import cv2
    import numpy as np

    mask = cv2.imread(str(mask_path), cv2.IMREAD_GRAYSCALE)
    inside = cv2.erode(mask, np.ones((9, 9), np.uint8)) > 0
    outside = cv2.dilate(mask, np.ones((9, 9), np.uint8)) == 0

    def detail(img):
        return np.abs(img - np.roll(img, 1, axis=1))[inside].mean()

    problems = []
    for tool in TOOLS:
        plain = first_frame_gray(outputs[(tool, "plain")]).astype(np.int16)
        for style in STYLES[1:]:
            img = first_frame_gray(outputs[(tool, style)]).astype(np.int16)
            diff_out = np.abs(img - plain)[outside].mean()
            if diff_out > 1.0 or detail(img) > 0.6 * detail(plain):
                problems.append(
                    f"{tool} {style}: detail inside the zones {detail(img):.2f} "
                    f"(plain {detail(plain):.2f}), mean difference outside {diff_out:.2f}"
                )
            if style == "fill" and img[inside].mean() > 20:
                problems.append(f"{tool} fill: zones not black (mean {img[inside].mean():.1f})")
    return problems


# --------------------------------------------------------------------------
# Report


def summarize(samples: dict, frames: int) -> dict:
    rows = {}
    for (tool, style), runs in samples.items():
        walls = [r["wall"] for r in runs]
        rss = [r["rss_kb"] for r in runs]
        med = statistics.median(walls)
        rows[(tool, style)] = {
            "tool": tool,
            "style": style,
            "runs": len(walls),
            "median_s": med,
            "min_s": min(walls),
            "max_s": max(walls),
            "fps": frames / med,
            "cpu_s": statistics.median(r["cpu"] for r in runs),
            "peak_rss_mb": max(rss) / 1024,
        }
    for (tool, style), row in rows.items():
        row["vs_own_plain"] = row["median_s"] / rows[(tool, "plain")]["median_s"]
        for peer in TOOLS:
            if peer != tool:
                row[f"speedup_over_{peer}"] = rows[(peer, style)]["median_s"] / row["median_s"]
    return rows


def table_md(rows: dict) -> str:
    head = (
        "| tool | style | median s | min–max s | fps | × own plain | speed-up over sladd "
        "| over FFmpeg | over OpenCV | CPU s | peak RSS MB |\n|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for tool in TOOLS:
        for style in STYLES:
            r = rows[(tool, style)]
            cells = [
                tool, style, f"{r['median_s']:.2f}", f"{r['min_s']:.2f}–{r['max_s']:.2f}",
                f"{r['fps']:.1f}", f"{r['vs_own_plain']:.3f}",
            ]
            for peer in TOOLS:
                key = f"speedup_over_{peer}"
                cells.append(f"{r[key]:.2f}×" if key in r else "—")
            cells.append(f"{r['cpu_s']:.2f}")
            cells.append(f"{r['peak_rss_mb']:.0f}")
            lines.append("| " + " | ".join(cells) + " |")
    return head + "\n".join(lines) + "\n"


def kernel_rows(cv: dict, sl: list[dict]) -> list[dict]:
    by = {(r["style"].split(":")[0], r["format"]): r for r in sl if r["threads"] == 1}
    rows = []
    for style, cv_name in (("fill", "fill"), ("pixelate", "pixelate"), ("blur", "blur")):
        rgb = by.get((style, "rgb24"))
        yuv = by.get((style, "yuv420p"))
        c = cv[cv_name]["median_us"]
        rows.append({
            "style": style,
            "opencv_bgr_us": c,
            "sladd_rgb24_us": rgb and rgb["median_us"],
            "sladd_yuv420p_us": yuv and yuv["median_us"],
            "ratio_rgb24": rgb and c / rgb["median_us"],
            "ratio_yuv420p": yuv and c / yuv["median_us"],
        })
    return rows


def kernel_md(rows: list[dict], cv: dict) -> str:
    out = (
        "| style | OpenCV BGR µs | sladd rgb24 µs | OpenCV ÷ sladd rgb24 | sladd yuv420p µs "
        "| OpenCV ÷ sladd yuv420p |\n|---|---|---|---|---|---|\n"
    )
    name = {"fill": "fill (fillPoly)", "pixelate": "pixelate (resize area + nearest)",
            "blur": f"blur (stackBlur {STACK_KSIZE})"}
    for r in rows:
        f = lambda v, fmt: "—" if v is None else format(v, fmt)  # noqa: E731
        out += (
            f"| {name[r['style']]} | {r['opencv_bgr_us']:.0f} | {f(r['sladd_rgb24_us'], '.0f')} "
            f"| {f(r['ratio_rgb24'], '.1f')}× | {f(r['sladd_yuv420p_us'], '.0f')} "
            f"| {f(r['ratio_yuv420p'], '.1f')}× |\n"
        )
    g = cv["gaussian"]["median_us"]
    out += f"| reference: GaussianBlur {STACK_KSIZE} | {g:.0f} | | | | |\n"
    return out


def goals_md(rows: dict, kernels: list[dict]) -> str:
    s = lambda style: rows[("sladd", style)]  # noqa: E731
    f = lambda style: rows[("ffmpeg", style)]  # noqa: E731
    lines = []

    def goal(text, value, ok):
        lines.append(f"| {text} | {value} | {'yes' if ok else 'no'} |")

    b = s("blur")["speedup_over_ffmpeg"]
    goal("sladd blur ≥ 1.15× faster than FFmpeg's blur", f"{b:.2f}×", b >= 1.15)
    for style in ("fill", "pixelate"):
        v = s(style)["speedup_over_ffmpeg"]
        goal(f"sladd {style} no slower than FFmpeg's", f"{v:.2f}×", v >= 1.0)
    for style in STYLES[1:]:
        v = s(style)["vs_own_plain"]
        goal(f"sladd {style} within 5% of sladd plain", f"{(v - 1) * 100:+.1f}%", v <= 1.05)
    for k in kernels:
        v = k["ratio_rgb24"]
        goal(f"kernel {k['style']} rgb24 ≥ 3× OpenCV", "—" if v is None else f"{v:.1f}×",
             v is not None and v >= 3)
    for style in STYLES:
        a, c = s(style)["peak_rss_mb"], f(style)["peak_rss_mb"]
        goal(f"peak RSS sladd {style} ≤ FFmpeg's", f"{a:.0f} MB vs {c:.0f} MB", a <= c)
    return "| goal | measured | met? |\n|---|---|---|\n" + "\n".join(lines) + "\n"


def plot(rows: dict, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=100)
    width = 0.26
    colors = {"sladd": "#1f6f8b", "ffmpeg": "#e07a1f", "opencv": "#6a9a3a"}
    labels = {"sladd": "sladd redact", "ffmpeg": "FFmpeg CLI filter graph",
              "opencv": "OpenCV (Python, ffmpeg pipes)"}
    for i, tool in enumerate(TOOLS):
        xs = [j + (i - 1) * width for j in range(len(STYLES))]
        fps = [rows[(tool, s)]["fps"] for s in STYLES]
        frames = [rows[(tool, s)]["fps"] * rows[(tool, s)]["median_s"] for s in STYLES]
        lo = [f - n / rows[(tool, s)]["max_s"] for f, n, s in zip(fps, frames, STYLES)]
        hi = [n / rows[(tool, s)]["min_s"] - f for f, n, s in zip(fps, frames, STYLES)]
        bars = ax.bar(xs, fps, width, yerr=[lo, hi], capsize=3, color=colors[tool],
                      label=labels[tool])
        ax.bar_label(bars, fmt="%.0f", padding=2, fontsize=8)
    ax.set_xticks(range(len(STYLES)), ["plain re-encode", "fill", "pixelate", "blur"])
    ax.set_ylabel("frames per second (median; bars: min–max)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper center", ncol=3, frameon=False)
    top = max(r["fps"] * r["median_s"] / r["min_s"] for r in rows.values())
    ax.set_ylim(0, top * 1.25)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def machine() -> dict:
    model = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ffmpeg_version = subprocess.run(
        ["ffmpeg", "-version"], capture_output=True, text=True
    ).stdout.splitlines()[0]
    import cv2

    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "os": platform.platform(),
        "ffmpeg": ffmpeg_version,
        "opencv": cv2.__version__,
        "python": platform.python_version(),
    }


# --------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    worker = sub.add_parser("opencv-worker", help="(internal) one OpenCV pipeline run")
    worker.add_argument("--style", required=True, choices=STYLES)
    worker.add_argument("--input", required=True)
    worker.add_argument("--output", required=True)
    worker.add_argument("--mask", required=True)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each job (default 5)")
    parser.add_argument("--seconds", type=float, default=10, help="clip length (default 10)")
    parser.add_argument("--out", default=str(REPO / "target" / "peers"),
                        help="output folder (default target/peers)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 s clip, 1 run")
    parser.add_argument("--sladd", help="sladd binary to use (default: build target/release/sladd)")
    parser.add_argument("--no-build", action="store_true", help="use target/release/sladd as is")
    parser.add_argument("--kernel-seconds", type=float, default=1.0,
                        help="seconds of measuring per kernel row (default 1)")
    args = parser.parse_args()
    if args.command == "opencv-worker":
        opencv_worker(args)
        return
    if args.quick:
        args.runs, args.seconds, args.kernel_seconds = 1, 2, 0.2

    sladd = check_tools(args)
    out = Path(args.out).resolve()
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    started = time.perf_counter()
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    clip = make_clip(out, args.seconds)
    frames = int(round(args.seconds * FPS))
    zones = load_zones()
    masks = make_masks(out, zones)
    site = write_site(out, zones)
    print(f"clip {clip.name}: {frames} frames; zones cover {masks['fraction'] * 100:.1f}% "
          "(fillPoly, pixel centres; sladd's conservative coverage is a little larger)",
          flush=True)

    jobs = []
    for style in STYLES:
        for tool in TOOLS:
            dst = work / f"{tool}-{style}.mp4"
            cmd = {
                "sladd": lambda: sladd_cmd(sladd, style, clip, site, dst),
                "ffmpeg": lambda: ffmpeg_cmd(style, clip, masks, dst),
                "opencv": lambda: opencv_cmd(style, clip, masks, dst),
            }[tool]()
            jobs.append(((tool, style), cmd, dst))

    def run_job(key, cmd, dst):
        dst.unlink(missing_ok=True)
        log = work / f"{key[0]}-{key[1]}.log"
        wall, cpu, rss, text = run_measured(cmd, log)
        if key[0] == "opencv":
            detail = json.loads(text.strip().splitlines()[-1])["rss_kb"]
            # The three processes run together: their peaks summed is an
            # upper bound of the pipeline's peak.
            rss = sum(detail.values())
        return {"wall": wall, "cpu": cpu, "rss_kb": rss}

    # Warm-up round (not counted): page cache, and the time estimate.
    print("warm-up round ...", flush=True)
    warm = 0.0
    for key, cmd, dst in jobs:
        r = run_job(key, cmd, dst)
        warm += r["wall"]
        print(f"  {key[0]:7} {key[1]:9} {r['wall']:6.2f} s wall, {r['cpu']:6.2f} s CPU", flush=True)
    problems = check_outputs({key: dst for key, _, dst in jobs}, masks["mask"])
    for p in problems:
        print(f"CHECK FAILED: {p}", file=sys.stderr)
    if problems:
        sys.exit(1)
    estimate = warm * args.runs + 6 * args.kernel_seconds * 3 + 10
    print(f"outputs checked; {args.runs} interleaved rounds of {len(jobs)} jobs: "
          f"about {estimate / 60:.1f} min more", flush=True)

    samples = {key: [] for key, _, _ in jobs}
    for round_ in range(args.runs):
        shift = round_ % len(jobs)
        for key, cmd, dst in jobs[shift:] + jobs[:shift]:
            samples[key].append(run_job(key, cmd, dst))
        print(f"  round {round_ + 1}/{args.runs} done, load {os.getloadavg()[0]:.2f}", flush=True)

    print("kernels: OpenCV on one thread ...", flush=True)
    cv = opencv_kernels(clip, masks["mask"], args.kernel_seconds)
    print("kernels: sladd bench --threads 1 ...", flush=True)
    sl = sladd_kernels(sladd, args.kernel_seconds)
    kernels = kernel_rows(cv, sl)

    rows = summarize(samples, frames)
    load_after = os.getloadavg()
    meta = {
        "date": when,
        "machine": machine(),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "clip": {"file": clip.name, "width": WIDTH, "height": HEIGHT, "fps": FPS,
                 "seconds": args.seconds, "frames": frames},
        "encoder": " ".join(ENCODER),
        "zones_fraction_fillpoly": masks["fraction"],
        "runs": args.runs,
        "elapsed_s": time.perf_counter() - started,
        "commands": {f"{t}/{s}": " ".join(cmd) for (t, s), cmd, _ in jobs},
    }
    title = (f"{WIDTH}x{HEIGHT} {FPS} fps, libx264 veryfast CRF 23, {meta['machine']['cores']} "
             f"cores, {when}")
    md = (
        f"Measured {when} on {meta['machine']['cpu']} ({meta['machine']['cores']} cores), "
        f"{meta['machine']['ffmpeg']}, OpenCV {meta['machine']['opencv']}; load average "
        f"{load_before[0]:.2f} before, {load_after[0]:.2f} after; {args.runs} interleaved runs "
        f"each, clip {args.seconds:g} s ({frames} frames); zones {masks['fraction'] * 100:.1f}% "
        "of the frame (fillPoly).\n\n"
        "End to end (decode + mask + encode, wall time):\n\n" + table_md(rows)
        + "\nKernels (one 1920x1080 frame, one thread, median µs per frame):\n\n"
        + kernel_md(kernels, cv) + "\nGoals:\n\n" + goals_md(rows, kernels)
    )
    (out / "peers.md").write_text(md)
    (out / "peers.json").write_text(json.dumps({
        "meta": meta,
        "end_to_end": list(rows.values()),
        "samples": {f"{t}/{s}": v for (t, s), v in samples.items()},
        "kernels": {"rows": kernels, "opencv": cv, "sladd_bench": sl},
    }, indent=2))
    plot(rows, out / "peers.png", title)
    print()
    print(md)
    print(f"wrote {out / 'peers.md'}, {out / 'peers.json'}, {out / 'peers.png'} "
          f"in {meta['elapsed_s'] / 60:.1f} min")


if __name__ == "__main__":
    main()
