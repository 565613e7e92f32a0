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
import shlex
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
# FFmpeg's blur filters, each as strong as three box passes of radius 24
# (sigma = sqrt(3 * ((2r + 1)^2 - 1) / 12) = 24.5), chroma at half the radius
# where the filter takes a chroma setting.
SIGMA = 24.5
FFMPEG_BLURS = {
    "ffmpeg": f"boxblur=luma_radius={RADIUS}:luma_power=3:chroma_radius={RADIUS // 2}:chroma_power=3",
    "ffmpeg-gblur": f"gblur=sigma={SIGMA}:steps=1",
    "ffmpeg-avgblur": ",".join([f"avgblur=sizeX={RADIUS}"] * 3),
}
# The extra FFmpeg graphs run the blur only.
EXTRA_TOOLS = {"ffmpeg-gblur": ["blur"], "ffmpeg-avgblur": ["blur"]}
CASES = ["e2e", "ultrafast", "hevc4k", "batch", "memory"]


def encoder(preset: str = "veryfast") -> list[str]:
    """The libx264 settings every 1080p job uses, at `preset`."""
    return ["-c:v", "libx264", "-preset", preset, "-crf", "23", "-pix_fmt", "yuv420p"]
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


def zone_polygons_px(zones: list[dict], width: int = WIDTH, height: int = HEIGHT):
    """The zones in fixed-point pixel coordinates for cv2.fillPoly (SHIFT bits)."""
    import numpy as np

    scale = 1 << SHIFT
    return [
        np.array(
            [[round(x * width * scale), round(y * height * scale)] for x, y in z["polygon"]],
            dtype=np.int32,
        )
        for z in zones
    ]


def make_masks(out: Path, zones: list[dict], width: int = WIDTH, height: int = HEIGHT) -> dict:
    """Renders the zones: a grey mask (255 inside) for alphamerge and the
    OpenCV compositing, and an RGBA black-where-masked overlay for the FFmpeg
    fill. Pixel centres inside the polygon count (cv2.fillPoly), which covers
    slightly less than sladd's conservative coverage (any overlap)."""
    import cv2
    import numpy as np

    polys = zone_polygons_px(zones, width, height)
    mask = np.zeros((height, width), np.uint8)
    cv2.fillPoly(mask, polys, 255, lineType=cv2.LINE_8, shift=SHIFT)
    tag = "" if (width, height) == (WIDTH, HEIGHT) else f"-{width}x{height}"
    cv2.imwrite(str(out / f"mask{tag}.png"), mask)
    rgba = np.zeros((height, width, 4), np.uint8)
    rgba[..., 3] = mask
    cv2.imwrite(str(out / f"fill{tag}.png"), rgba)
    return {
        "mask": out / f"mask{tag}.png",
        "fill": out / f"fill{tag}.png",
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


def ffmpeg_cmd(style: str, clip: Path, masks: dict, dst: Path, tool: str = "ffmpeg",
               enc: list[str] | None = None) -> list[str]:
    """The FFmpeg CLI filter graph a user would write, threads auto; `tool`
    picks the blur filter (FFMPEG_BLURS)."""
    head = ["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(clip)]
    tail = [*(enc or ENCODER), "-an", str(dst)]
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
        effect = FFMPEG_BLURS[tool]
    else:
        raise ValueError(style)
    graph = (
        f"[0:v]split[base][fx];[fx]{effect}[eff];[1:v]format=gray[m];"
        "[eff][m]alphamerge[top];[base][top]overlay=format=yuv420[out]"
    )
    return head + ["-i", str(masks["mask"]), "-filter_complex", graph, "-map", "[out]"] + tail


def sladd_cmd(sladd: Path, style: str, clip: Path, site: Path, dst: Path,
              preset: str = "veryfast", crf: str = "23") -> list[str]:
    camera, style_arg = {
        "plain": ("plain", "fill"),
        "fill": ("bench", "fill"),
        "pixelate": ("bench", f"pixelate:{BLOCK}"),
        "blur": ("bench", f"blur:{RADIUS}"),
    }[style]
    return [
        str(sladd), "redact", str(clip), "-c", str(site), "--camera", camera,
        "--style", style_arg, "--preset", preset, "--crf", crf,
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
    for (tool, style), path in outputs.items():
        if style == "plain":
            continue
        plain_path = outputs.get((tool, "plain")) or outputs.get((family(tool), "plain"))
        plain = first_frame_gray(plain_path).astype(np.int16)
        img = first_frame_gray(path).astype(np.int16)
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
    """Medians per (tool, style), each beside its tool's own plain re-encode
    (FFmpeg graphs: the FFmpeg CLI's) and the fastest of each peer family
    for the same style (every FFmpeg graph counts as FFmpeg)."""
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
        plain = rows.get((tool, "plain")) or rows.get((family(tool), "plain"))
        if plain:
            row["vs_own_plain"] = row["median_s"] / plain["median_s"]
        for peer in TOOLS:
            if peer == family(tool):
                continue
            best = fastest(rows, peer, style)
            if best:
                row[f"speedup_over_{peer}"] = best["median_s"] / row["median_s"]
                row[f"fastest_{peer}"] = best["tool"]
    return rows


def family(tool: str) -> str:
    """`ffmpeg-gblur` → `ffmpeg`."""
    return tool.split("-")[0]


def fastest(rows: dict, peer: str, style: str) -> dict | None:
    """The fastest row of `peer`'s family for `style`."""
    found = [r for (t, s), r in rows.items() if family(t) == peer and s == style]
    return min(found, key=lambda r: r["median_s"]) if found else None


def table_md(rows: dict) -> str:
    head = (
        "| tool | style | median s | min–max s | fps | × own plain | speed-up over sladd "
        "| over fastest FFmpeg graph | over OpenCV | CPU s | peak RSS MB |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    order = [t for t in TOOLS + list(EXTRA_TOOLS)]
    for tool in order:
        for style in STYLES:
            r = rows.get((tool, style))
            if r is None:
                continue
            cells = [
                tool, style, f"{r['median_s']:.2f}", f"{r['min_s']:.2f}–{r['max_s']:.2f}",
                f"{r['fps']:.1f}", f"{r['vs_own_plain']:.3f}" if "vs_own_plain" in r else "—",
            ]
            for peer in TOOLS:
                key = f"speedup_over_{peer}"
                if key not in r:
                    cells.append("—")
                elif peer == "ffmpeg":
                    cells.append(f"{r[key]:.2f}× ({r['fastest_ffmpeg']})")
                else:
                    cells.append(f"{r[key]:.2f}×")
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


def goals_md(rows: dict, kernels: list[dict], within: float = 0.02) -> str:
    """The goals of the end-to-end comparison (issue 19's figures)."""
    s = lambda style: rows[("sladd", style)]  # noqa: E731
    lines = []

    def goal(text, value, ok):
        lines.append(f"| {text} | {value} | {'yes' if ok else 'no'} |")

    p = s("plain").get("speedup_over_ffmpeg")
    if p is not None:
        goal("sladd plain re-encode at least as fast as the FFmpeg CLI's", f"{p:.3f}×", p >= 1.0)
    b = s("blur").get("speedup_over_ffmpeg")
    if b is not None:
        goal(f"sladd blur ≥ 1.10× the fastest FFmpeg blur ({s('blur')['fastest_ffmpeg']})",
             f"{b:.2f}×", b >= 1.10)
    for style in ("fill", "pixelate"):
        v = s(style).get("speedup_over_ffmpeg")
        if v is not None:
            goal(f"sladd {style} no slower than FFmpeg's", f"{v:.2f}×", v >= 1.0)
    for style in STYLES[1:]:
        v = s(style)["vs_own_plain"]
        goal(f"sladd {style} within {within:.0%} of sladd plain", f"{(v - 1) * 100:+.1f}%",
             v <= 1 + within)
    for k in kernels:
        v = k["ratio_rgb24"]
        goal(f"kernel {k['style']} rgb24 ≥ 3× OpenCV", "—" if v is None else f"{v:.1f}×",
             v is not None and v >= 3)
    for style in STYLES:
        f = fastest(rows, "ffmpeg", style)
        if f is None:
            continue
        a, c = s(style)["peak_rss_mb"], f["peak_rss_mb"]
        goal(f"peak RSS sladd {style} ≤ FFmpeg's ({f['tool']})", f"{a:.0f} MB vs {c:.0f} MB",
             a <= c)
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
    labels["ffmpeg"] = "FFmpeg CLI, fastest graph"
    for i, tool in enumerate(TOOLS):
        xs = [j + (i - 1) * width for j in range(len(STYLES))]
        best = [fastest(rows, tool, s) for s in STYLES]
        fps = [b["fps"] for b in best]
        frames = [b["fps"] * b["median_s"] for b in best]
        lo = [f - n / b["max_s"] for f, n, b in zip(fps, frames, best)]
        hi = [n / b["min_s"] - f for f, n, b in zip(fps, frames, best)]
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
    parser.add_argument("--case", action="append", choices=CASES + ["all"],
                        help="e2e (default: 1080p, every tool and style), ultrafast (x264 "
                             "ultrafast), hevc4k (4K HEVC, libx265), batch (20 files, --jobs "
                             "auto vs a shell loop of ffmpeg), memory (peak RSS, 10 s vs 10 "
                             "min at 320x180); repeat, or all")
    parser.add_argument("--hevc-seconds", type=float, default=2,
                        help="length of the 4K HEVC clip (default 2)")
    parser.add_argument("--memory-long", type=float, default=600,
                        help="the long clip of the memory case, seconds (default 600)")
    args = parser.parse_args()
    if args.command == "opencv-worker":
        opencv_worker(args)
        return
    if args.quick:
        args.runs, args.seconds, args.kernel_seconds, args.hevc_seconds = 1, 2, 0.2, 0.4
        args.memory_long = 30
    args.case = args.case or ["e2e"]

    sladd = check_tools(args)
    out = Path(args.out).resolve()
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    cases = CASES if "all" in args.case else args.case
    sections = []
    for case in cases:
        started = time.perf_counter()
        print(f"== case {case}", flush=True)
        md = {"e2e": case_e2e, "ultrafast": case_ultrafast, "hevc4k": case_hevc4k,
              "batch": case_batch, "memory": case_memory}[case](args, sladd, out, work)
        sections.append(md)
        print(md, flush=True)
        print(f"case {case}: {(time.perf_counter() - started) / 60:.1f} min", flush=True)
    (out / "peers.md").write_text("\n".join(sections))
    print(f"wrote {out / 'peers.md'}")


def inputs_1080p(args: argparse.Namespace, out: Path) -> tuple[Path, int, dict, Path]:
    """The 1080p clip, its frame count, the masks and the site."""
    clip = make_clip(out, args.seconds)
    frames = int(round(args.seconds * FPS))
    zones = load_zones()
    masks = make_masks(out, zones)
    site = write_site(out, zones)
    print(f"clip {clip.name}: {frames} frames; zones cover {masks['fraction'] * 100:.1f}% "
          "(fillPoly, pixel centres; sladd's conservative coverage is a little larger)",
          flush=True)
    return clip, frames, masks, site


def run_job(key, cmd, dst, work: Path) -> dict:
    """Runs one job; wall and CPU seconds and peak RSS (the OpenCV route:
    its three processes' peaks summed, an upper bound of their joint peak)."""
    dst.unlink(missing_ok=True)
    log = work / f"{key[0]}-{key[1]}.log"
    wall, cpu, rss, text = run_measured(cmd, log)
    if key[0] == "opencv":
        rss = sum(json.loads(text.strip().splitlines()[-1])["rss_kb"].values())
    return {"wall": wall, "cpu": cpu, "rss_kb": rss}


def rounds(jobs: list, runs: int, work: Path, check=None) -> dict:
    """One checked warm-up round (not counted), then `runs` interleaved
    rounds, the order rotated each round; every sample per job."""
    print("warm-up round ...", flush=True)
    warm = 0.0
    for key, cmd, dst in jobs:
        r = run_job(key, cmd, dst, work)
        warm += r["wall"]
        print(f"  {key[0]:14} {key[1]:9} {r['wall']:6.2f} s wall, {r['cpu']:6.2f} s CPU",
              flush=True)
    problems = check({key: dst for key, _, dst in jobs}) if check else []
    for p in problems:
        print(f"CHECK FAILED: {p}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"outputs checked; {runs} interleaved rounds of {len(jobs)} jobs: "
          f"about {warm * runs / 60:.1f} min more", flush=True)
    samples = {key: [] for key, _, _ in jobs}
    for round_ in range(runs):
        shift = round_ % len(jobs)
        for key, cmd, dst in jobs[shift:] + jobs[:shift]:
            samples[key].append(run_job(key, cmd, dst, work))
        print(f"  round {round_ + 1}/{runs} done, load {os.getloadavg()[0]:.2f}", flush=True)
    return samples


def header(args: argparse.Namespace, title: str, load_before, extra: str = "") -> str:
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    m = machine()
    return (
        f"### {title}\n\nMeasured {when} on {m['cpu']} ({m['cores']} cores), {m['ffmpeg']}; "
        f"load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after; "
        f"{args.runs} interleaved runs each after a checked warm-up round{extra}.\n\n"
    )


def case_e2e(args, sladd: Path, out: Path, work: Path, preset: str = "veryfast",
             tools: tuple = ("sladd", "ffmpeg", "opencv", "ffmpeg-gblur", "ffmpeg-avgblur"),
             within: float = 0.02, name: str = "e2e") -> str:
    """The 10 s 1080p clip: every tool × style, FFmpeg with each blur graph."""
    load_before = os.getloadavg()
    clip, frames, masks, site = inputs_1080p(args, out)
    enc = encoder(preset)
    jobs = []
    for style in STYLES:
        for tool in tools:
            if tool in EXTRA_TOOLS and style not in EXTRA_TOOLS[tool]:
                continue
            dst = work / f"{name}-{tool}-{style}.mp4"
            if tool == "sladd":
                cmd = sladd_cmd(sladd, style, clip, site, dst, preset=preset)
            elif family(tool) == "ffmpeg":
                cmd = ffmpeg_cmd(style, clip, masks, dst, tool=tool, enc=enc)
            else:
                cmd = opencv_cmd(style, clip, masks, dst)
            jobs.append(((tool, style), cmd, dst))
    samples = rounds(jobs, args.runs, work, lambda o: check_outputs(o, masks["mask"]))
    rows = summarize(samples, frames)
    kernels = []
    kernel_text = ""
    if "opencv" in tools:
        print("kernels: OpenCV on one thread ...", flush=True)
        cv = opencv_kernels(clip, masks["mask"], args.kernel_seconds)
        print("kernels: sladd bench --threads 1 ...", flush=True)
        sl = sladd_kernels(sladd, args.kernel_seconds)
        kernels = kernel_rows(cv, sl)
        kernel_text = ("\nKernels (one 1920x1080 frame, one thread, median µs per frame):\n\n"
                       + kernel_md(kernels, cv))
    title = f"End to end, 1080p, libx264 {preset} CRF 23 ({name})"
    md = (header(args, title, load_before, f"; clip {args.seconds:g} s ({frames} frames)")
          + table_md(rows) + kernel_text + "\nGoals:\n\n" + goals_md(rows, kernels, within))
    (out / f"{name}.json").write_text(json.dumps({
        "end_to_end": list(rows.values()),
        "samples": {f"{t}/{s}": v for (t, s), v in samples.items()},
        "commands": {f"{t}/{s}": " ".join(c) for (t, s), c, _ in jobs},
        "kernels": kernels,
    }, indent=2))
    if name == "e2e":
        plot(rows, out / "peers.png",
             f"{WIDTH}x{HEIGHT} {FPS} fps, libx264 {preset} CRF 23, {os.cpu_count()} cores")
    return md


def case_ultrafast(args, sladd: Path, out: Path, work: Path) -> str:
    """The same clip with x264 ultrafast, where masking's share is largest."""
    return case_e2e(args, sladd, out, work, preset="ultrafast",
                    tools=("sladd", "ffmpeg", "ffmpeg-gblur"), within=0.05, name="ultrafast")


def quality(dst: Path, src: Path) -> dict:
    """PSNR (all planes) and SSIM of `dst` against `src`, by ffmpeg."""
    text = subprocess.run(
        ["ffmpeg", "-v", "info", "-nostdin", "-i", str(dst), "-i", str(src), "-lavfi",
         "[0:v][1:v]psnr;[0:v][1:v]ssim", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr
    psnr = ssim = None
    for line in text.splitlines():
        if "PSNR" in line and "average:" in line:
            psnr = float(line.split("average:")[1].split()[0])
        if "SSIM" in line and "All:" in line:
            ssim = float(line.split("All:")[1].split()[0])
    return {"psnr_db": psnr, "ssim": ssim, "bytes": dst.stat().st_size}


def case_hevc4k(args, sladd: Path, out: Path, work: Path) -> str:
    """A 4K HEVC source (what modern cameras record) re-encoded with libx265
    by sladd and the FFmpeg CLI with the same settings, and the faster
    choices a user has (x265 ultrafast; H.264 output), with their size and
    quality against the source."""
    load_before = os.getloadavg()
    w, h, seconds = 3840, 2160, args.hevc_seconds
    clip = out / f"clip-{w}x{h}-{seconds:g}s-hevc.mp4"
    x265 = ["-c:v", "libx265", "-preset", "veryfast", "-crf", "24", "-pix_fmt", "yuv420p",
            "-x265-params", "log-level=error"]
    if not clip.exists():
        print(f"making {clip.name} ...", flush=True)
        tmp = clip.with_suffix(".tmp.mp4")
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
             f"testsrc2=size={w}x{h}:rate={FPS}:duration={seconds:g},noise=alls=6:allf=t:all_seed=1",
             *x265, "-metadata", "creation_time=2026-11-24T11:00:00Z", str(tmp)],
            check=True,
        )
        tmp.rename(clip)
    frames = int(round(seconds * FPS))
    zones = load_zones()
    masks = make_masks(out, zones, w, h)
    site = write_site(out, zones)
    d = lambda name: work / f"hevc4k-{name}.mp4"  # noqa: E731
    ff = lambda enc, dst, style="plain", tool="ffmpeg": ffmpeg_cmd(  # noqa: E731
        style, clip, masks, dst, tool=tool, enc=enc)
    jobs = [
        (("sladd", "plain"), sladd_cmd(sladd, "plain", clip, site, d("sladd-plain"), crf="24"),
         d("sladd-plain")),
        (("sladd", "blur"), sladd_cmd(sladd, "blur", clip, site, d("sladd-blur"), crf="24"),
         d("sladd-blur")),
        (("ffmpeg", "plain"), ff(x265, d("ffmpeg-plain")), d("ffmpeg-plain")),
        (("ffmpeg-gblur", "blur"), ff(x265, d("ffmpeg-blur"), "blur", "ffmpeg-gblur"),
         d("ffmpeg-blur")),
        # Faster choices.
        (("sladd", "plain x265 ultrafast"),
         sladd_cmd(sladd, "plain", clip, site, d("sladd-ultrafast"), preset="ultrafast", crf="24"),
         d("sladd-ultrafast")),
        (("ffmpeg", "plain x265 ultrafast"),
         ff([*x265[:2], "-preset", "ultrafast", *x265[4:]], d("ffmpeg-ultrafast")),
         d("ffmpeg-ultrafast")),
        (("ffmpeg", "plain H.264 veryfast"), ff(encoder("veryfast"), d("ffmpeg-h264")),
         d("ffmpeg-h264")),
        (("ffmpeg", "plain H.264 ultrafast"), ff(encoder("ultrafast"), d("ffmpeg-h264uf")),
         d("ffmpeg-h264uf")),
    ]
    samples = rounds(jobs, args.runs, work)
    lines = ["| tool | job | median s | fps | × real time | CPU s | peak RSS MB | size MB "
             "| PSNR dB | SSIM |", "|---|---|---|---|---|---|---|---|---|---|"]
    result = {}
    for key, _, dst in jobs:
        runs = samples[key]
        med = statistics.median(r["wall"] for r in runs)
        q = quality(dst, clip)
        result["/".join(key)] = {"median_s": med, "runs": runs, **q}
        lines.append(
            f"| {key[0]} | {key[1]} | {med:.2f} | {frames / med:.2f} | {med / seconds:.1f} "
            f"| {statistics.median(r['cpu'] for r in runs):.1f} "
            f"| {max(r['rss_kb'] for r in runs) / 1024:.0f} | {q['bytes'] / 1e6:.2f} "
            f"| {q['psnr_db']} | {q['ssim']} |")
    (out / "hevc4k.json").write_text(json.dumps(result, indent=2))
    title = f"4K HEVC source, {seconds:g} s ({frames} frames), libx265 veryfast CRF 24"
    return (header(args, title, load_before) + "\n".join(lines) + "\n\n"
            "sladd re-encodes HEVC as HEVC (libx265) and takes `--preset`; H.264 output of an "
            "HEVC source is measured with the FFmpeg CLI only (sladd has no codec option).\n")


def case_batch(args, sladd: Path, out: Path, work: Path) -> str:
    """20 short files: `sladd redact DIR --jobs auto` against a shell loop of
    the FFmpeg CLI (fastest blur graph) and `--jobs 1`, in files per minute."""
    load_before = os.getloadavg()
    count, seconds = 20, 2.0
    one = make_clip(out, seconds)
    batch = out / "batch-in"
    batch.mkdir(exist_ok=True)
    for i in range(count):
        f = batch / f"cam-{i:02}.mp4"
        if not f.exists():
            shutil.copyfile(one, f)
    zones = load_zones()
    masks = make_masks(out, zones)
    site = write_site(out, zones)
    body = shlex.join(ffmpeg_cmd("blur", Path("@IN@"), masks, Path("@OUT@"), tool="ffmpeg-gblur"))
    body = body.replace("@IN@", '"$f"').replace("@OUT@", '"$o"')
    loop = (f'mkdir -p "$1" && for f in {shlex.quote(str(batch))}/*.mp4; do '
            f'o="$1/$(basename "$f")"; {body} || exit 1; done')

    def sladd_batch(jobs: str, dst: Path) -> list[str]:
        return [str(sladd), "redact", str(batch), "-c", str(site), "--camera", "bench",
                "--style", f"blur:{RADIUS}", "--preset", "veryfast", "--crf", "23",
                "--start", START, "--out-dir", str(dst), "--jobs", jobs, "--json"]

    outs = {name: work / f"batch-{name}" for name in ("auto", "one", "ffmpeg")}
    for o in outs.values():
        shutil.rmtree(o, ignore_errors=True)
    jobs = [
        (("sladd", "--jobs auto"), sladd_batch("auto", outs["auto"]), outs["auto"]),
        (("sladd", "--jobs 1"), sladd_batch("1", outs["one"]), outs["one"]),
        (("ffmpeg-gblur", "shell loop"), ["bash", "-c", loop, "loop", str(outs["ffmpeg"])],
         outs["ffmpeg"]),
    ]
    samples = {}
    print("warm-up round ...", flush=True)
    for key, cmd, dst in jobs:
        shutil.rmtree(dst, ignore_errors=True)
        run_measured(cmd)
        done = len(list(dst.glob("*.mp4")))
        if done != count:
            sys.exit(f"{key}: {done} of {count} files written")
        samples[key] = []
    for round_ in range(args.runs):
        shift = round_ % len(jobs)
        for key, cmd, dst in jobs[shift:] + jobs[:shift]:
            shutil.rmtree(dst, ignore_errors=True)
            wall, cpu, rss, _ = run_measured(cmd)
            samples[key].append({"wall": wall, "cpu": cpu, "rss_kb": rss})
        print(f"  round {round_ + 1}/{args.runs} done, load {os.getloadavg()[0]:.2f}", flush=True)
    lines = ["| tool | how | median s | files per minute | CPU s | peak RSS MB |",
             "|---|---|---|---|---|---|"]
    for key, _, _ in jobs:
        runs = samples[key]
        med = statistics.median(r["wall"] for r in runs)
        lines.append(f"| {key[0]} | {key[1]} | {med:.2f} | {count * 60 / med:.1f} "
                     f"| {statistics.median(r['cpu'] for r in runs):.1f} "
                     f"| {max(r['rss_kb'] for r in runs) / 1024:.0f} |")
    (out / "batch.json").write_text(json.dumps(
        {"/".join(k): v for k, v in samples.items()}, indent=2))
    title = f"Batch: {count} files of {seconds:g} s 1080p, blur, libx264 veryfast CRF 23"
    return header(args, title, load_before) + "\n".join(lines) + "\n"


def peak_rss_time_v(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and "Maximum resident set size" (kB) of `cmd` as
    /usr/bin/time -v reports it."""
    started = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}\n{proc.stderr[-2000:]}")
    line = next(l for l in proc.stderr.splitlines() if "Maximum resident set size" in l)
    return wall, int(line.split(":")[1])


def case_memory(args, sladd: Path, out: Path, work: Path) -> str:
    """Peak RSS against the clip's length at a small size (320x180): 10 s
    against --memory-long seconds (default 600), sladd and the FFmpeg CLI,
    plain and blur, by /usr/bin/time -v."""
    if not Path("/usr/bin/time").exists():
        sys.exit("/usr/bin/time missing: apt-get install time")
    load_before = os.getloadavg()
    w, h = 320, 180
    zones = load_zones()
    masks = make_masks(out, zones, w, h)
    site = write_site(out, zones)
    lengths = [10.0, args.memory_long]
    lines = ["| tool | style | clip s | wall s | peak RSS MB | × the 10 s clip's |",
             "|---|---|---|---|---|---|"]
    result = {}
    for seconds in lengths:
        clip = out / f"clip-{w}x{h}-{seconds:g}s.mp4"
        if not clip.exists():
            print(f"making {clip.name} ...", flush=True)
            subprocess.run(
                ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                 f"testsrc2=size={w}x{h}:rate={FPS}:duration={seconds:g},"
                 "noise=alls=6:allf=t:all_seed=1", *encoder("ultrafast"),
                 "-metadata", "creation_time=2026-11-24T11:00:00Z", str(clip)],
                check=True,
            )
        for tool, style in (("sladd", "plain"), ("sladd", "blur"), ("ffmpeg", "plain"),
                            ("ffmpeg-gblur", "blur")):
            dst = work / f"memory-{tool}-{style}-{seconds:g}.mp4"
            dst.unlink(missing_ok=True)
            cmd = (sladd_cmd(sladd, style, clip, site, dst) if tool == "sladd"
                   else ffmpeg_cmd(style, clip, masks, dst, tool=tool))
            wall, rss = peak_rss_time_v(cmd)
            result[(tool, style, seconds)] = (wall, rss)
            base = result[(tool, style, lengths[0])][1]
            lines.append(f"| {tool} | {style} | {seconds:g} | {wall:.1f} | {rss / 1024:.1f} "
                         f"| {rss / base:.3f} |")
            print(lines[-1], flush=True)
    (out / "memory.json").write_text(json.dumps(
        {"/".join(map(str, k)): {"wall_s": v[0], "max_rss_kb": v[1]} for k, v in result.items()},
        indent=2))
    title = f"Peak memory against clip length, {w}x{h}, libx264 veryfast (/usr/bin/time -v)"
    return header(args, title, load_before).replace(
        f"{args.runs} interleaved runs each after a checked warm-up round", "one run each") + \
        "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
