#!/usr/bin/env python3
"""Reads the C2PA manifest embedded in a file with c2pa-python, a C2PA reader
independent of sladd's own build, and prints what a verifier sees: the
validation state, the claim generator, the actions with their regions, the
ingredients, the custom assertions and every validation code.

    scripts/c2pa-read.py FILE [--trust-anchors PEM] [--expect-action LABEL]... [--json]

Exit 0 when the manifest has no failure codes (an untrusted signer is a
failure only when --trust-anchors is given) and every expected action is
there; 1 otherwise; 2 when the file has no manifest or cannot be read.
Run it with the venv's python (scripts/c2pa-venv).
"""

import argparse
import importlib.metadata
import json
import sys

import c2pa


def read(path, trust_anchors):
    settings = {"verify": {"verify_after_reading": True}}
    if trust_anchors:
        with open(trust_anchors, encoding="utf-8") as f:
            settings["trust"] = {"trust_anchors": f.read()}
    context = c2pa.Context(c2pa.Settings.from_dict(settings))
    with c2pa.Reader(path, context=context) as reader:
        return json.loads(reader.json()), reader.get_validation_state()


def codes(store):
    """Every validation code of the active manifest: (kind, code, explanation)."""
    out = []
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    for kind in ("success", "informational", "failure"):
        for item in results.get(kind) or []:
            out.append((kind, item.get("code", "?"), item.get("explanation", "")))
    for item in store.get("validation_status") or []:
        entry = ("failure", item.get("code", "?"), item.get("explanation", ""))
        if entry not in out:
            out.append(entry)
    return out


def region_text(region):
    parts = []
    for r in region.get("region", []):
        kind = r.get("type")
        if kind == "spatial":
            shape = r.get("shape", {})
            vertices = shape.get("vertices") or []
            inside = "" if shape.get("inside", True) else " (outside)"
            parts.append(f"{shape.get('type')} of {len(vertices)} vertices in {shape.get('unit')}{inside}")
        elif kind == "frame":
            f = r.get("frame", {})
            parts.append(f"frames {f.get('start')}-{f.get('end')}")
        elif kind == "temporal":
            t = r.get("time", {})
            end = t.get("end")
            parts.append(f"npt {t.get('start')}-{end} s" if end else f"npt {t.get('start')} s to the end")
    name = region.get("name") or region.get("identifier") or "?"
    return f"{name}: {', '.join(parts)}"


def summary(path, store, state, trusted_given):
    label = store.get("active_manifest")
    manifest = (store.get("manifests") or {}).get(label, {})
    lines = [
        f"reader      c2pa-python {importlib.metadata.version('c2pa-python')} "
        f"(c2pa-rs {c2pa.sdk_version()})",
        f"file        {path}",
        f"state       {state}" + ("" if trusted_given else " (no trust anchors given)"),
        f"manifest    {label}",
    ]
    for g in manifest.get("claim_generator_info") or []:
        lines.append(f"generator   {g.get('name')} {g.get('version', '')}".rstrip())
    sig = manifest.get("signature_info") or {}
    if sig:
        lines.append(f"signed by   {sig.get('common_name') or sig.get('issuer')} ({sig.get('alg')})")
    for ing in manifest.get("ingredients") or []:
        lines.append(
            f"ingredient  {ing.get('title')} ({ing.get('format')}, {ing.get('relationship')})"
        )
    for assertion in manifest.get("assertions") or []:
        if assertion.get("label", "").startswith("c2pa.actions"):
            for action in assertion.get("data", {}).get("actions", []):
                agent = action.get("softwareAgent")
                if isinstance(agent, dict):
                    agent = f"{agent.get('name')} {agent.get('version', '')}".rstrip()
                text = f"action      {action.get('action')}"
                if agent:
                    text += f" by {agent}"
                if action.get("description"):
                    text += f": {action['description']}"
                lines.append(text)
                for change in action.get("changes") or []:
                    lines.append(f"  region    {region_text(change)}")
        else:
            lines.append(f"assertion   {assertion.get('label')}")
    for kind, code, explanation in codes(store):
        lines.append(f"{kind:<11} {code}: {explanation}")
    return lines


def action_labels(store):
    label = store.get("active_manifest")
    manifest = (store.get("manifests") or {}).get(label, {})
    return [
        action.get("action")
        for assertion in manifest.get("assertions") or []
        if assertion.get("label", "").startswith("c2pa.actions")
        for action in assertion.get("data", {}).get("actions", [])
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--trust-anchors", metavar="PEM")
    parser.add_argument("--expect-action", metavar="LABEL", action="append", default=[])
    parser.add_argument("--json", action="store_true", help="print the reader's JSON")
    args = parser.parse_args()

    try:
        store, state = read(args.file, args.trust_anchors)
    except c2pa.C2paError as error:
        print(f"c2pa-read: {args.file}: {error}", file=sys.stderr)
        return 2

    if args.json:
        print(json.dumps(store, indent=2))
    else:
        print("\n".join(summary(args.file, store, state, bool(args.trust_anchors))))

    failures = [
        (code, explanation)
        for kind, code, explanation in codes(store)
        if kind == "failure"
        and (args.trust_anchors or code != "signingCredential.untrusted")
    ]
    missing = [a for a in args.expect_action if a not in action_labels(store)]
    for action in missing:
        print(f"c2pa-read: no {action} action in the active manifest", file=sys.stderr)
    if failures:
        print(f"c2pa-read: {len(failures)} failure code(s)", file=sys.stderr)
    return 1 if failures or missing else 0


if __name__ == "__main__":
    sys.exit(main())
