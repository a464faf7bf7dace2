"""Why two requests differ, or why flarekit refused a call, as short labels for counting.

One operation can have several causes. Heuristic on purpose: the labels group the differences for the summary;
the per-operation diff in the report is the exact record. Names are matched loosely (`squash`: lower case, no
separators, a clash prefix `body_`/`path_`/`query_` removed), so `min_tls` pairs with `minTLS`, `aisearch` with
`ai_search`, `cf_r2_jurisdiction` with `cf-r2-jurisdiction`. Standard library only.
"""

from __future__ import annotations

import re

CLASH_PREFIXES = ("body_", "path_", "query_")


def squash(name: str) -> str:
    name = name or ""
    for p in CLASH_PREFIXES:
        if name.startswith(p):
            name = name[len(p) :]
            break
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _is_parts(body) -> bool:
    return (
        isinstance(body, list)
        and bool(body)
        and all(isinstance(p, dict) and {"name", "content"} <= set(p) for p in body)
    )


def request_causes(a: dict, b: dict) -> list[str]:
    """Causes for one pair of normalized requests (official a, flarekit b)."""
    out: set[str] = set()
    if a["method"] != b["method"]:
        out.add("method differs")
    if a["path"] != b["path"]:
        out.add("path differs")
    if a["content_type"] != b["content_type"] and (a["body"] is not None or b["body"] is not None):
        out.add(f"content type: official {a['content_type']}, flarekit {b['content_type']}")
    ha, hb = a["headers"], b["headers"]
    qa = {k for k, _ in a["query"]}
    qb = {k for k, _ in b["query"]}
    body_b_names = _top_names(b["body"])
    body_a_names = _top_names(a["body"])
    # Names the official sends in one place and flarekit in another: each counted once, under its header/query.
    moved: set[str] = set()
    for h in sorted(set(ha) - set(hb)):
        s = squash(h)
        if s in {squash(k) for k in body_b_names}:
            out.add("header parameter sent in the body" + (" (a multipart part)" if _is_parts(b["body"]) else ""))
        elif s in {squash(k) for k in qb}:
            out.add("header parameter sent in the query")
        else:
            out.add("header parameter not sent")
        moved.add(s)
    if set(hb) - set(ha):
        out.add("header sent that the official does not send")
    for h in sorted(set(ha) & set(hb)):
        if ha[h] != hb[h]:
            out.add("header value differs")
    if a["query"] != b["query"]:
        only_a, only_b = qa - qb, qb - qa
        sq_b = {squash(x) for x in only_b}
        for k in only_a:
            s = squash(k)
            if s in sq_b:
                out.add("query name not mapped to its wire name")
            elif s in {squash(x) for x in body_b_names}:
                out.add("query parameter sent in the body")
            else:
                out.add("query parameter not sent")
            moved.add(s)
        for k in only_b:
            if squash(k) not in {squash(x) for x in only_a} and squash(k) not in {squash(x) for x in body_a_names}:
                out.add("query parameter the official does not send")
        if not only_a and not only_b:
            out.add("query value or repetition differs")
    for k in set(qb) - set(qa):
        if squash(k) in {squash(x) for x in body_a_names}:
            out.add("body parameter sent in the query")
            moved.add(squash(k))
    if a["body"] != b["body"]:
        out |= body_causes(a["body"], b["body"], moved)
    return sorted(out) or ["other"]


def _top_names(body) -> set[str]:
    if isinstance(body, dict):
        return set(body)
    if _is_parts(body):
        return {p["name"] or "" for p in body}
    return set()


def body_causes(a, b, moved: set[str]) -> set[str]:
    if _is_parts(a) or _is_parts(b):  # an empty form ([]) against a multipart one lands here too
        return multipart_causes(a, b, moved)
    if a is None:
        return {"body sent that the official does not send"}
    if b is None:
        return {"body not sent"}
    if isinstance(b, dict) and len(b) == 1 and next(iter(b.values())) == a:
        return {"whole body wrapped in {name: ...}"}
    if isinstance(a, dict) and isinstance(b, dict):
        return dict_causes(a, b, moved, 0)
    if type(a) is not type(b):
        return {f"body shape: official {type(a).__name__}, flarekit {type(b).__name__}"}
    return value_causes(a, b, 0)


def dict_causes(a: dict, b: dict, moved: set[str], depth: int) -> set[str]:
    out: set[str] = set()
    where = "body key" if depth == 0 else "nested body key"
    only_a = {k for k in a if k not in b}
    only_b = {k for k in b if k not in a}
    by_squash_b = {squash(k): k for k in only_b}
    paired_b = set()
    for k in only_a:
        kb = by_squash_b.get(squash(k))
        if kb is None:
            # A name the SDK prefixed to free a keyword of its own (healthcheck_timeout → timeout).
            ends = [x for x in only_b if squash(x).endswith(squash(k)) and x not in paired_b]
            kb = ends[0] if len(ends) == 1 else None
        if kb is not None:
            paired_b.add(kb)
            out.add(
                "clash name (body_/path_/query_) sent as is"
                if kb.startswith(CLASH_PREFIXES)
                else f"{where} not mapped to its wire name"
            )
            if a[k] != b[kb]:
                out |= value_causes(a[k], b[kb], depth + 1)
        elif squash(k) not in moved:
            out.add(f"{where} not sent")
    for kb in only_b - paired_b:
        if squash(kb) in moved:
            continue
        out.add(
            "clash name (body_/path_/query_) sent as is"
            if kb.startswith(CLASH_PREFIXES)
            else f"{where} the official does not send"
        )
    for k in set(a) & set(b):
        if a[k] != b[k]:
            out |= value_causes(a[k], b[k], depth + 1)
    return out


def value_causes(a, b, depth: int) -> set[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        return dict_causes(a, b, set(), depth)
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out: set[str] = set()
        for x, y in zip(a, b, strict=True):
            if x != y:
                out |= value_causes(x, y, depth + 1)
        return out
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        return {f"body value type: official {type(a).__name__}, flarekit {type(b).__name__}"}
    return {"body value differs"}


def multipart_causes(a, b, moved: set[str]) -> set[str]:
    if a == [] or b == []:
        return {f"multipart: {'official' if a == [] else 'flarekit'} sends a form with no parts"}
    if not (_is_parts(a) and _is_parts(b)):
        return {"multipart on one side only"}
    out: set[str] = set()
    names_a = {p["name"] or "" for p in a}
    names_b = {p["name"] or "" for p in b}
    files_a = [p for p in a if p["filename"]]
    only_a = names_a - names_b
    only_b = names_b - names_a
    json_b = {p["name"] for p in b if p["content_type"] == "application/json" and p["name"] in only_b}
    for n in sorted(json_b):
        nested = {x for x in only_a if x.startswith(n + "[")}
        lost = [p for p in a if p["filename"] and p["name"] in only_a]
        if nested and not any(x["filename"] for x in a if x["name"] in nested):
            out.add("object argument: official bracketed text parts (name[key]), flarekit one JSON part")
            only_a -= nested
            only_b.discard(n)
        elif lost:
            out.add("files inside an object argument sent as a JSON part (bytes lost)")
            only_a -= {p["name"] for p in lost}
            only_b.discard(n)
    for p in b:
        if p["name"] in only_b and p["filename"] and p["name"] == p["filename"] and files_a:
            out.add("file part named after the file, not the argument")
            only_a -= {x["name"] for x in files_a}
            only_b.discard(p["name"])
    sq_b = {squash(n): n for n in only_b}
    for n in only_a:
        if squash(n) in moved:
            continue
        if squash(n) in sq_b:
            out.add("multipart part name not mapped to its wire name")
            only_b.discard(sq_b[squash(n)])
        else:
            out.add("multipart part not sent")
    for n in only_b:
        if squash(n) not in moved:
            out.add("whole body sent as one part" if n == "body" else "multipart part the official does not send")
    pa: dict[str, dict] = {}
    for p in a:
        pa.setdefault(p["name"] or "", p)
    for p in b:
        q = pa.get(p["name"] or "")
        if q is None or q == p:
            continue
        lost = bool(q["filename"]) and p["content_type"] == "application/json"
        if lost:
            out.add("file sent as a JSON part (bytes lost)")
            continue
        if q["filename"] != p["filename"]:
            out.add("multipart part filename differs")
        if q["content_type"] != p["content_type"]:
            out.add("multipart part content type differs")
        if q["content"] != p["content"]:
            out.add("multipart part content differs")
    return out or {"multipart parts differ"}


# -- refusals

_UNKNOWN = re.compile(r"unknown parameters? ([^;]+)")


def refusal_causes(error: str, wire: dict[str, list[str]]) -> list[str]:
    """Why flarekit refused: for `unknown parameter(s) ...`, what each name is in the spec's operation (wire:
    name → locations); otherwise the message with its specifics cut."""
    m = _UNKNOWN.search(error or "")
    if not m:
        return [error_cause(error or "")]
    out = set()
    by_squash: dict[str, list[tuple[str, list[str]]]] = {}
    for w, locs in wire.items():
        by_squash.setdefault(squash(w), []).append((w, locs))
    for name in (n.strip() for n in m.group(1).split(",")):
        hits = by_squash.get(squash(name), [])
        locs = {loc for _, where in hits for loc in where}
        if not hits:
            out.add("unknown parameter: not in the spec's operation")
        elif name.startswith(CLASH_PREFIXES) and len(locs) > 1:
            out.add("unknown parameter: a clash name (body_/path_/query_)")
        elif "header" in locs:
            out.add("unknown parameter: a header parameter")
        elif any(w == name for w, _ in hits):
            out.add(f"unknown parameter: its wire name ({'/'.join(sorted(locs))})")
        else:
            out.add(f"unknown parameter: a renamed {'/'.join(sorted(locs))} parameter")
    return sorted(out)


_WORD = re.compile(r"^[a-z]+[,:;.]?$")


def error_cause(error: str) -> str:
    """An exception message with its specifics cut (method paths, parameter names, ids, numbers: any token that
    is not a plain lower-case word), so equal causes count together."""
    cls, _, msg = error.partition(": ")
    msg = msg.split(" (", 1)[0].split("; ", 1)[0].split(". ", 1)[0]
    words: list[str] = []
    for tok in msg.split()[:12]:
        w = tok if _WORD.match(tok) else "…"
        if not (w == "…" and words and words[-1] == "…"):
            words.append(w)
    return f"{cls}: {' '.join(words)}".strip()


def missing_cause(error: str) -> str:
    """`missing: no <attribute>` (the first name of the official path that flarekit does not resolve)."""
    m = re.search(r"no attribute '([^']+)'|: no (\S+) on", error or "")
    return f"missing: no {(m.group(1) or m.group(2)) if m else '?'}"
