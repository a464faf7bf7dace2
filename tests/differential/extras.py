"""Derive `tools/official-arguments.json`: the arguments the official SDKs take that the shared OpenAPI document
does not declare for an operation (the SDKs are built from a newer spec), read off what the official clients
actually sent in a differential run.

    python3 tests/differential/run.py --keep-raw          # records every call in results/raw-<front>.jsonl
    python3 tests/differential/extras.py                   # rewrites tools/official-arguments.json
    python3 tests/differential/extras.py --check           # fails when the file would change

For every call that flarekit refused with "unknown parameter(s) …", each unknown name is looked for in the official
request by its value (the argument values of the harness are distinct strings such as `search-x`): a query key, a
header, or a top-level body field. The location and wire name found go in the file, keyed by the operation
(`VERB /path template` of operations.json), with the Python and TypeScript names the official SDKs use. The generator
(tools/generate.py) reads the file as one more input beside the spec, so the core routes these arguments like the
spec's own. Only facts about the wire are recorded; names that cannot be located are reported and left out.
Standard library only.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = HERE / "results"
OUT = ROOT / "tools" / "official-arguments.json"
UNKNOWN = re.compile(r"unknown parameters? (.+?); valid parameters")

ABOUT = (
    "Arguments the official SDKs (cloudflare 5.9.0 on PyPI, 7.3.0 on npm) take and send that "
    "../shared/cloudflare-api/openapi.structure.json.gz does not declare for the operation. Derived by "
    "tests/differential/extras.py from what the official clients sent in a differential run; read by "
    "tools/generate.py. Per operation: [python name, typescript name, wire name, location]; location whole_body: the "
    "argument whose value is the whole request body (wire name empty, or #<index> when it is given positionally)."
)


def _scalars(v) -> list[str]:
    if isinstance(v, bool):
        return ["true", "True"]
    if isinstance(v, (str, int, float)):
        return [str(v)]
    if isinstance(v, list):
        return [s for x in v for s in _scalars(x)]
    return []


def locate(name: str, value, request: dict) -> tuple[str, str] | None:
    """(location, wire name) of an argument in a recorded official request, found by its value."""
    url = urlsplit(request["target"])
    query = parse_qsl(url.query, keep_blank_values=True)
    wanted = set(_scalars(value))
    squash = re.sub(r"[^a-z0-9]", "", name.lower())
    by_name = [k for k, _ in query if re.sub(r"[^a-z0-9]", "", k.lower()) == squash]
    if by_name:
        return "query", by_name[0]
    hits = sorted({k for k, v in query if v in wanted})
    if len(hits) == 1:
        return "query", hits[0]
    headers = [(k, v) for k, v in request["headers"]]
    hits = sorted({k for k, v in headers if v in wanted and not k.startswith("x-stainless")})
    if len(hits) == 1:
        return "header", hits[0]
    doc = _json_body(request)
    if isinstance(doc, dict):
        keys = [k for k in doc if re.sub(r"[^a-z0-9]", "", k.lower()) == squash]
        if len(keys) == 1:
            return "body", keys[0]
    return None


def _json_body(request: dict):
    body = base64.b64decode(request["body"]) if request.get("body") else b""
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


def whole_body(named: dict, official: dict, mine: list[dict]) -> str | None:
    """The argument whose value the official client sent as the whole JSON body while flarekit sent it as a field
    of that name (`{"rules": {...}}` against `{...}`)."""
    if len(mine) != 1:
        return None
    theirs, ours = _json_body(official), _json_body(mine[0])
    if not isinstance(ours, dict):
        return None
    hits = [k for k, v in named.items() if k in ours and ours[k] == v and theirs == v]
    return hits[0] if len(hits) == 1 else None


def _sent(request: dict) -> dict[str, dict[str, object]]:
    """Where a request carries values: query pairs, headers (without the clients' own), top-level JSON fields."""
    url = urlsplit(request["target"])
    body = _json_body(request)
    return {
        "query": dict(parse_qsl(url.query, keep_blank_values=True)),
        "header": {k: v for k, v in request["headers"] if not k.startswith("x-stainless")},
        "body": body if isinstance(body, dict) else {},
    }


def _same(a, b) -> bool:
    return a == b or (isinstance(b, str) and not isinstance(a, (dict, list)) and str(a) == b)


def renamed(named: dict, official: dict, mine: dict) -> list[tuple[str, str, str]]:
    """Arguments the official client sent under another name than flarekit did, by value (one place only) or by
    a name equal but for case and separators (`aisearch` -> `ai_search`): (argument, wire name, location)."""
    theirs, ours = _sent(official), _sent(mine)
    out = []
    for name, value in named.items():
        if value is None or any(name in ours[loc] and name in theirs[loc] for loc in theirs):
            continue
        if sum(1 for v in named.values() if v == value) > 1 and not isinstance(value, str):
            value_unique = False
        else:
            value_unique = sum(1 for v in named.values() if v == value) == 1
        hits = [
            (wire, loc)
            for loc, fields in theirs.items()
            for wire, v in fields.items()
            if wire != name and _same(value, v) and not (wire in ours[loc] and _same(value, ours[loc][wire]))
        ]
        if not value_unique or len(hits) != 1:
            hits = [(w, loc) for w, loc in hits if _squash(w) == _squash(name)]
        if len(hits) == 1:
            out.append((name, hits[0][0], hits[0][1]))
    return out


def _squash(n: str) -> str:
    return re.sub(r"[^a-z0-9]", "", n.lower())


def _alike(a, b) -> bool:
    """Equal values, object keys compared but for case and separators."""
    if isinstance(a, dict) and isinstance(b, dict):
        ka, kb = {_squash(k): v for k, v in a.items()}, {_squash(k): v for k, v in b.items()}
        return ka.keys() == kb.keys() and all(_alike(ka[k], kb[k]) for k in ka)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_alike(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def nested_renames(theirs, ours, path: str) -> list[tuple[str, str, str]]:
    """Fields inside body objects that the official client sent under another spelling than flarekit:
    (field path as in the operation table's `nested`, flarekit's name, wire name)."""
    out = []
    if isinstance(theirs, list) and isinstance(ours, list):
        for x, y in zip(theirs, ours, strict=False):
            out += nested_renames(x, y, path + "[]")
        return sorted(set(out))
    if not (isinstance(theirs, dict) and isinstance(ours, dict)):
        return out
    for k, v in ours.items():
        here = f"{path}.{k}" if path else k
        if k in theirs:
            out += nested_renames(theirs[k], v, here)
            continue
        match = [w for w in theirs if w not in ours and _squash(w) == _squash(k) and _alike(theirs[w], v)]
        if len(match) == 1 and path:
            out.append((path, k, match[0]))
        if len(match) == 1:
            out += nested_renames(theirs[match[0]], v, f"{path}.{match[0]}" if path else match[0])
    return sorted(set(out))


def positional_body(args, err: str) -> int | None:
    """The index of a positional argument holding the bytes of the body (`r2.buckets.objects.upload(key, body)`)
    when flarekit refused the call for it."""
    items = args.get("args", []) if isinstance(args, dict) else [a for a in args if not isinstance(a, dict)]
    files = [i for i, a in enumerate(items) if isinstance(a, str) and a.startswith(("<bytes", "<file"))]
    if len(files) == 1 and ("positional" in err or "is bytes" in err):
        return files[0]
    return None


def derive() -> tuple[dict, list[str]]:
    results = {f: json.loads((RESULTS / f"{f}.json").read_text()) for f in ("python", "node")}
    operation = {f: {r["sdk_path"]: r.get("operation") for r in results[f]["operations"]} for f in results}
    found: dict[str, dict[tuple[str, str], dict[str, str]]] = {}
    problems = []
    for front in ("python", "node"):
        raw = RESULTS / f"raw-{front}.jsonl"
        if not raw.exists():
            raise SystemExit(f"extras: {raw.relative_to(ROOT)} is missing; run run.py --keep-raw first")
        for line in raw.read_text().splitlines():
            rec = json.loads(line)
            err = (rec.get("flarekit") or {}).get("error") or ""
            m = UNKNOWN.search(err)
            off = (rec.get("official") or {}).get("requests") or []
            op = operation[front].get(rec["path"])
            if not off or not op:
                continue
            args = rec["args"]
            named = (
                args.get("kwargs", {}) if isinstance(args, dict) else next((a for a in args if isinstance(a, dict)), {})
            )
            whole = whole_body(named, off[0], (rec.get("flarekit") or {}).get("requests") or [])
            if whole is not None:
                found.setdefault(op, {}).setdefault(("whole_body", ""), {})[front] = whole
            mine = (rec.get("flarekit") or {}).get("requests") or []
            if mine and len(mine) == len(off):
                for name, wire, loc in renamed(named, off[0], mine[0]):
                    found.setdefault(op, {}).setdefault((loc, wire), {})[front] = name
                for path, name, wire in nested_renames(_json_body(off[0]), _json_body(mine[0]), ""):
                    found.setdefault(op, {}).setdefault((f"nested:{path}", wire), {})[front] = name
            at = positional_body(args, err)
            if at is not None:
                found.setdefault(op, {}).setdefault(("whole_body", f"#{at}"), {})[front] = "body"
            if not m:
                continue
            for name in [n.strip() for n in m.group(1).split(",")]:
                if name not in named:
                    problems.append(f"{front} {rec['path']}: {name} is not among the arguments")
                    continue
                where = locate(name, named[name], off[0])
                if where is None:
                    problems.append(f"{front} {rec['path']}: {name} not found in the official request")
                    continue
                entry = found.setdefault(op, {}).setdefault(where, {})
                entry[front] = name
    out = {}
    for op in sorted(found):
        rows = []
        for (loc, wire), names in sorted(found[op].items(), key=lambda kv: (kv[0][1], kv[0][0])):
            rows.append([names.get("python"), names.get("node"), wire, loc])
        out[op] = rows
    return out, problems


def render(ops: dict) -> str:
    lines = ["{", f'  "about": {json.dumps(ABOUT)},', '  "operations": {']
    items = list(ops.items())
    for i, (op, rows) in enumerate(items):
        lines.append(f"    {json.dumps(op)}: [")
        for j, row in enumerate(rows):
            lines.append("      " + json.dumps(row) + ("," if j < len(rows) - 1 else ""))
        lines.append("    ]" + ("," if i < len(items) - 1 else ""))
    lines += ["  }", "}", ""]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail when the committed file differs")
    opts = ap.parse_args()
    ops, problems = derive()
    # Merge: what an earlier run found stays (this run's calls are refused no more once the file is used).
    if OUT.exists():
        old = json.loads(OUT.read_text())["operations"]
        for op, rows in old.items():
            have = {(r[2], r[3]) for r in ops.get(op, [])}
            ops.setdefault(op, []).extend(r for r in rows if (r[2], r[3]) not in have)
            ops[op].sort(key=lambda r: (r[2], r[3]))
        ops = dict(sorted(ops.items()))
    for p in problems:
        print("extras:", p, file=sys.stderr)
    text = render(ops)
    if opts.check:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"extras: {OUT.relative_to(ROOT)} is not current", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    print(f"extras: {sum(len(r) for r in ops.values())} arguments of {len(ops)} operations -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
