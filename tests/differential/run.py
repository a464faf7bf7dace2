"""Differential test: flarekit against the official Cloudflare SDKs, request by request (tests/differential/README.md).

    python3 tests/differential/run.py [--front python|node|both] [--only PREFIX]... [--sample N]
                                      [--min-identical PCT] [--args all|required]

Installs the official SDKs into tests/differential/.venv and tests/differential/node/node_modules when missing,
starts one recording server per front door on 127.0.0.1, runs the two callers (py_calls.py in the venv,
node/calls.mjs) side by side, classifies every official method, writes results/<front>.json (full runs) or
results/partial-<front>.json (--only/--sample; not committed) and prints a summary. Exit status: 1 when a front
door's identical share, overall or among the operations with renamed/header/whole-body/file arguments, is below
--min-identical; 2 when the harness itself failed; else 0.
"""

from __future__ import annotations

import argparse
import base64
import collections
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import causes  # noqa: E402
import compare  # noqa: E402
import spec  # noqa: E402
from server import RecordingServer  # noqa: E402

VENV = HERE / ".venv"
VENV_PY = VENV / "bin" / "python"
NODE_DIR = HERE / "node"
RESULTS = HERE / "results"
FLAREKIT_PY = ROOT / "bindings-python" / "python"
FLAREKIT_NODE = ROOT / "bindings-node"
STATUSES = ("identical", "differs", "refused_flarekit", "missing", "refused_official", "skipped", "out_of_scope")
# What the identical share is taken over: the operations both SDKs could be asked to call.
COUNTED = ("identical", "differs", "refused_flarekit", "missing")
CATEGORIES = ("renamed", "header", "whole_body", "file")


def sh(cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr)
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def ensure_envs(fronts) -> None:
    if "python" in fronts:
        if not VENV_PY.exists():
            sh([sys.executable, "-m", "venv", VENV])
        probe = "import importlib.metadata as m, sys; sys.exit(m.version('cloudflare') != '5.9.0')"
        if subprocess.run([VENV_PY, "-c", probe], capture_output=True).returncode != 0:
            sh(
                [
                    VENV_PY,
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "-r",
                    HERE / "requirements.txt",
                ]
            )
    if "node" in fronts:
        if (
            not (NODE_DIR / "node_modules" / "cloudflare").is_dir()
            or not (NODE_DIR / "node_modules" / "typescript").is_dir()
        ):
            sh(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR)


def check_builds(fronts) -> None:
    missing = []
    if "python" in fronts and not list((FLAREKIT_PY / "flarekit").glob("_native*.so")):
        missing.append("the Python extension (make build-python)")
    if "node" in fronts and not list(FLAREKIT_NODE.glob("*.node")):
        missing.append("the Node addon (make build-node)")
    if missing:
        sys.exit("differential: flarekit is not built: " + ", ".join(missing))


def flarekit_state(front: str) -> dict:
    """Which flarekit was measured: the commit, whether its sources had uncommitted changes, when the measured
    build was made (other work may rebuild it between runs)."""
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()  # noqa: E731
    dirty = git("status", "--porcelain", "--", "core", "bindings-python", "bindings-node", "tools").splitlines()
    built = (
        sorted((FLAREKIT_PY / "flarekit").glob("_native*.so"))
        if front == "python"
        else sorted(FLAREKIT_NODE.glob("*.node"))
    )
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_source_files": len(dirty),
        "build": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(built[-1].stat().st_mtime)) if built else None,
    }


def caller_env() -> dict:
    # The official SDKs read CLOUDFLARE_* (credentials, base URL); flarekit is given env={} itself.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDFLARE_")}
    env["PYTHONWARNINGS"] = "ignore"
    return env


def run_front(front: str, ops: spec.Operations, opts) -> tuple[list[dict], float]:
    server = RecordingServer(match=ops.match, respond=spec.response_for).start()
    out = RESULTS / f".raw-{front}.jsonl"
    filters = [x for p in opts.only for x in ("--only", p)]
    if opts.sample:
        filters += ["--sample", str(opts.sample), "--seed", str(opts.seed)]
    filters += ["--args", opts.args]
    if front == "python":
        cmd = [VENV_PY, HERE / "py_calls.py", "--server", server.base_url, "--flarekit-path", FLAREKIT_PY]
        cwd = HERE
    else:
        cmd = ["node", NODE_DIR / "calls.mjs", "--server", server.base_url, "--flarekit-path", FLAREKIT_NODE]
        cwd = NODE_DIR
    t0 = time.monotonic()
    try:
        subprocess.run([str(c) for c in [*cmd, "--out", out, *filters]], check=True, cwd=cwd, env=caller_env())
    finally:
        server.stop()
    elapsed = time.monotonic() - t0
    records = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    if opts.keep_raw:
        out.replace(RESULTS / f"raw-{front}.jsonl")
    else:
        out.unlink()
    return records, elapsed


# -- classification


def operation_of(front: str, rec: dict, ops: spec.Operations, sent: list[dict]):
    """The operations.json entry an official method belongs to: by the request it sent, else by its name."""
    if sent:
        req = sent[0]
        o = ops.match(req["method"], urlsplit(req["target"]).path, argument_values(rec.get("args")))
        if o is not None:
            return o
    resource, _, method = rec["path"].rpartition(".")
    table = ops.by_name if front == "python" else ops.by_js_name
    return table.get((resource, method))


def argument_values(args) -> tuple[set[str], dict[str, set[str]]]:
    """Where a path segment can come from: the positional arguments, and each keyword or params-object
    property by (squashed) name. Python records {"args": [...], "kwargs": {...}}; Node records [ids..., params]."""
    positional: set[str] = set()
    named: dict[str, set[str]] = {}
    if isinstance(args, dict):
        items, params = args.get("args", []), [args.get("kwargs", {})]
    else:
        items = [a for a in args or [] if not isinstance(a, dict)]
        params = [a for a in args or [] if isinstance(a, dict)]
    positional |= {str(a) for a in items if isinstance(a, (str, int))}
    for p in params:
        for k, v in p.items():
            if isinstance(v, (str, int)) and not isinstance(v, bool):
                named.setdefault(causes.squash(k), set()).add(str(v))
    return positional, named


def _names(v, out: set[str]) -> set[str]:
    if isinstance(v, dict):
        for k, x in v.items():
            out.add(k)
            _names(x, out)
    elif isinstance(v, list):
        for x in v:
            _names(x, out)
    return out


def official_renames(args, official: list[dict]) -> list[str]:
    """Argument names (at any depth) that the official client sent under another name: a name of the argument
    set that appears nowhere in its request (query, headers, body keys, part names), the path parameters aside.
    The spec cannot show these where the official SDK is newer than it, or renames a plain name
    (healthcheck_timeout → timeout)."""
    if not isinstance(args, dict) or not official:
        return []
    kwargs = args.get("kwargs", {})
    sent: set[str] = set()
    path = " ".join(urlsplit(r["target"]).path for r in official)
    for r in official:
        n = compare.normalize(r)
        # Query keys may be deep-object forms (filters[0][operator], account.id): their parts are names too.
        sent |= {part for k, _ in n["query"] for part in re.split(r"[\[\].]+", k) if part} | set(n["headers"])
        body = n["body"]
        if isinstance(body, list) and body and all(isinstance(p, dict) and "content" in p for p in body):
            for p in body:
                sent.add(re.sub(r"\[.*", "", p["name"] or ""))
                sent |= set(re.findall(r"\[([^\]]+)\]", p["name"] or ""))
                _names(p["content"], sent)
        else:
            _names(body, sent)
    out = []
    for k, v in kwargs.items():
        if isinstance(v, str) and v in path:
            continue  # a path parameter
        if k not in sent and k.lower() not in sent:
            out.append(k)
        out += [f"{k}.{n}" for n in sorted(_names(v, set()) - sent - {"key"})] if isinstance(v, (dict, list)) else []
    return out


def classify(front: str, records: list[dict], ops: spec.Operations, exceptions: dict) -> list[dict]:
    rows = []
    for rec in records:
        if rec.get("resource_failed"):
            # The official package cannot load this resource at all: every operation under it is refused.
            prefix = rec["path"] + "."
            for o in ops.ops:
                name = (o["resource_py"] if front == "python" else o["resource"]) + "."
                if name.startswith(prefix) or name == prefix:
                    method = o["method_py"] if front == "python" else o["method"]
                    rows.append(row(f"{name}{method}", o, ops, "refused_official", error=rec["official"]["error"]))
            continue
        if "skipped" in rec:
            o = operation_of(front, rec, ops, [])
            rows.append(row(rec["path"], o, ops, "skipped", error=rec["skipped"]))
            continue
        off = rec["official"]
        o = operation_of(front, rec, ops, off["requests"])
        if o is None:
            first = off["requests"][0] if off["requests"] else None
            sent = f"{first['method']} {urlsplit(first['target']).path}" if first else None
            why = "not an operation of operations.json"
            rows.append(row(rec["path"], None, ops, "out_of_scope", error=why, sent=sent))
            continue
        if not off["requests"]:
            rows.append(row(rec["path"], o, ops, "refused_official", error=off.get("error"), args=rec.get("args")))
            continue
        mine = rec["flarekit"]
        if "missing" in mine:
            rows.append(row(rec["path"], o, ops, "missing", error=mine["missing"]))
            continue
        if not mine["requests"]:
            renames = official_renames(rec.get("args"), off["requests"]) or None
            rows.append(
                row(
                    rec["path"],
                    o,
                    ops,
                    "refused_flarekit",
                    error=mine.get("error"),
                    args=rec.get("args"),
                    renamed_by_official=renames,
                )
            )
            continue
        renames = official_renames(rec.get("args"), off["requests"])
        a = [compare.normalize(r) for r in off["requests"]]
        b = [compare.normalize(r) for r in mine["requests"]]
        lines = compare.diff(a, b)
        if not lines:
            rows.append(row(rec["path"], o, ops, "identical", renamed_by_official=renames or None))
            continue
        why = sorted({c for x, y in zip(a, b, strict=False) for c in causes.request_causes(x, y)})
        if len(a) != len(b):
            why.insert(0, f"request count: official {len(a)}, flarekit {len(b)}")
        rows.append(
            row(
                rec["path"],
                o,
                ops,
                "differs",
                diff=lines,
                causes=why,
                args=rec.get("args"),
                renamed_by_official=renames or None,
            )
        )
    listed = exceptions.get(front, {})
    for r in rows:
        if r["sdk_path"] in listed:
            r["excepted"] = listed[r["sdk_path"]]
    return rows


def row(sdk_path, o, ops: spec.Operations, status, **extra) -> dict:
    out = {"sdk_path": sdk_path, "status": status}
    if o is not None:
        feats = ops.features(o)
        out["operation"] = f"{o['http']} {o['path']}"
        out["categories"] = spec.feature_flags(feats)
        if extra.get("renamed_by_official") and "renamed" not in out["categories"]:
            out["categories"] = ["renamed", *out["categories"]]
    for k, v in extra.items():
        if v is not None:
            out[k] = v
    err = out.get("error") or ""
    if status == "refused_flarekit":
        wire = ops.features(o)["wire"] if o is not None else {}
        out["causes"] = ["refused: " + c for c in causes.refusal_causes(err, wire)]
    elif status == "missing":
        out["causes"] = [causes.missing_cause(err)]
    elif status in ("refused_official", "skipped", "out_of_scope"):
        out["cause"] = causes.error_cause(err)
    return out


def share(rows, with_exceptions: bool = False) -> dict:
    """The identical share of the calls both clients made; the reviewed exceptions are left out unless
    `with_exceptions` (then they count as different)."""
    counted = [r for r in rows if r["status"] in COUNTED and (with_exceptions or "excepted" not in r)]
    ident = sum(r["status"] == "identical" for r in counted)
    return {"identical": ident, "of": len(counted), "share": round(100 * ident / len(counted), 2) if counted else None}


def transport_notes(records: list[dict]) -> dict:
    """Observations about requests that are no argument of any call, reported and not compared."""
    notes: dict = {}
    for side in ("official", "flarekit"):
        reqs = [q for r in records for q in (r.get(side) or {}).get("requests", [])]
        constant = collections.Counter()
        bodyless = {"with content-length": 0, "without": 0}
        typed_empty = 0
        for q in reqs:
            headers = dict(q["headers"])
            for k, v in headers.items():
                constant[(k, v)] += 1
            empty = not base64.b64decode(q["body"])
            if q["method"] in ("POST", "PUT", "PATCH") and empty:
                bodyless["with content-length" if "content-length" in headers else "without"] += 1
            typed_empty += empty and "content-type" in headers
        notes[side] = {
            "requests": len(reqs),
            "headers_on_every_request": sorted(
                f"{k}: {v}" for (k, v), n in constant.items() if reqs and n == len(reqs) and k not in ("host",)
            ),
            "bodyless_post_put_patch": bodyless,
            "empty_body_with_content_type": typed_empty,
        }
    return notes


def summarize(front: str, rows: list[dict], elapsed: float, records: list[dict]) -> dict:
    counts = collections.Counter(r["status"] for r in rows if "excepted" not in r)
    by_cat = {}
    for cat in (*CATEGORIES, "any"):
        sel = [r for r in rows if (r.get("categories") if cat == "any" else cat in r.get("categories", []))]
        by_cat[cat] = share(sel)
    cause_count: collections.Counter = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    for r in rows:
        if "excepted" in r:
            continue
        for c in r.get("causes", []):
            cause_count[c] += 1
            if len(examples[c]) < 3:
                examples[c].append(r["sdk_path"])
    refused_official = collections.Counter(r.get("cause", "?") for r in rows if r["status"] == "refused_official")
    return {
        "front": front,
        "seconds": round(elapsed, 1),
        "methods": len(rows),
        "counts": {s: counts.get(s, 0) for s in STATUSES},
        "excepted": sum("excepted" in r for r in rows),
        "identical_share": share(rows),
        "identical_share_by_category": by_cat,
        "identical_share_counting_exceptions": share(rows, with_exceptions=True),
        "causes": [{"cause": c, "operations": n, "examples": examples[c]} for c, n in cause_count.most_common()],
        "refused_by_official": [{"cause": c, "operations": n} for c, n in refused_official.most_common()],
        "transport": transport_notes(records),
    }


def write_report(path: Path, summary: dict, rows: list[dict], meta: dict) -> None:
    # One operation a line, so a later run's diff reads operation by operation.
    head = json.dumps({"meta": meta, "summary": summary}, indent=1, sort_keys=False)[:-2]
    lines = ",\n".join("  " + json.dumps(r, sort_keys=True) for r in sorted(rows, key=lambda r: r["sdk_path"]))
    path.write_text(head + ',\n "operations": [\n' + lines + "\n ]\n}\n")


def pct(share: dict) -> str:
    return f"{share['identical']}/{share['of']} ({'n/a' if share['share'] is None else str(share['share']) + '%'})"


def print_summary(s: dict) -> None:
    c = s["counts"]
    print(f"\n== {s['front']}: {pct(s['identical_share'])} identical in {s['seconds']}s")
    print("   " + ", ".join(f"{k} {v}" for k, v in c.items()) + f", excepted {s['excepted']}")
    print(f"   counting the excepted as different: {pct(s['identical_share_counting_exceptions'])}")
    cats = s["identical_share_by_category"]
    print("   by category: " + ", ".join(f"{k} {pct(v)}" for k, v in cats.items()))
    print("   top causes:")
    for x in s["causes"][:12]:
        print(f"     {x['operations']:5d}  {x['cause']}   e.g. {', '.join(x['examples'][:2])}")
    if s["refused_by_official"]:
        print(
            "   refused by the official SDK: "
            + "; ".join(f"{x['operations']} {x['cause']}" for x in s["refused_by_official"][:4])
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--front", choices=("python", "node", "both"), default="both")
    ap.add_argument("--only", action="append", default=[], help="method path prefix (official names), repeatable")
    ap.add_argument("--sample", type=int, default=0, help="a seeded random sample of N methods per front door")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--args", choices=("all", "required"), default="all", help="optional parameters too (default)")
    ap.add_argument("--keep-raw", action="store_true", help="keep every recorded call in results/raw-<front>.jsonl")
    ap.add_argument("--min-identical", type=float, default=None, help="fail below this identical share (percent)")
    opts = ap.parse_args()
    fronts = ("python", "node") if opts.front == "both" else (opts.front,)
    ensure_envs(fronts)
    check_builds(fronts)
    RESULTS.mkdir(exist_ok=True)
    ops = spec.Operations()
    exceptions = json.loads((HERE / "exceptions.json").read_text())
    partial = bool(opts.only or opts.sample or opts.args != "all")
    with ThreadPoolExecutor(len(fronts)) as pool:
        futures = {f: pool.submit(run_front, f, ops, opts) for f in fronts}
        runs = {f: fut.result() for f, fut in futures.items()}
    failed = False
    for front in fronts:
        records, elapsed = runs[front]
        rows = classify(front, records, ops, exceptions)
        summary = summarize(front, rows, elapsed, records)
        meta = {
            "official": "cloudflare 5.9.0 (PyPI)" if front == "python" else "cloudflare 7.3.0 (npm)",
            "flarekit": flarekit_state(front),
            "measured": time.strftime("%Y-%m-%d %H:%M"),
            "arguments": opts.args,
            "only": opts.only,
            "sample": opts.sample,
            "seed": opts.seed if opts.sample else None,
            "exceptions": exceptions.get(front, {}),
        }
        name = f"partial-{front}.json" if partial else f"{front}.json"
        write_report(RESULTS / name, summary, rows, meta)
        print_summary(summary)
        print(f"   report: {(RESULTS / name).relative_to(ROOT)}")
        if opts.min_identical is not None:
            gates = [("overall", summary["identical_share"])]
            gates += [(f"category {k}", v) for k, v in summary["identical_share_by_category"].items()]
            gates.append(
                ("overall, counting the excepted as different", summary["identical_share_counting_exceptions"])
            )
            for label, sh_ in gates:
                if sh_["share"] is not None and sh_["share"] < opts.min_identical:
                    print(f"   FAIL: {front} {label} identical share {sh_['share']}% < {opts.min_identical}%")
                    failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as e:
        print(f"differential: {e}", file=sys.stderr)
        sys.exit(2)
