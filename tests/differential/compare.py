"""What "the same request" means: the recorded requests of the two clients, reduced to what carries arguments.

Compared: method; path (as sent, percent-encoding included); query as a multiset of decoded pairs; every request
header except the transport ones below (content type is compared on its own, its multipart boundary ignored);
the body parsed by its content type: JSON as a value, multipart as the multiset of parts (name, filename, content
type, content — JSON content parsed), form-urlencoded as a multiset of pairs, anything else as bytes. The number
of requests too (a client that pages further or retries is different). Standard library only.
"""

from __future__ import annotations

import base64
import json
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl, urlsplit

TRANSPORT_HEADERS = {
    "user-agent",
    "accept",
    "accept-encoding",
    "connection",
    "content-length",
    "host",
    "authorization",
    "content-type",
    "transfer-encoding",
    "keep-alive",
    "expect",
    "accept-language",  # undici (fetch) adds these two to every request
    "sec-fetch-mode",
    # Sent by the official SDKs with every request, not an argument of any call.
    "api-version",
}
TRANSPORT_PREFIXES = ("x-stainless-",)
# fetch (undici) adds these to every conditional request (If-None-Match, If-Modified-Since, ...): the Fetch
# standard's cache mode, not an argument. Ignored with exactly this value only.
TRANSPORT_VALUES = {("cache-control", "no-cache"), ("pragma", "no-cache")}


def content_type(headers: dict) -> tuple[str, dict]:
    raw = headers.get("content-type", "")
    parts = [p.strip() for p in raw.split(";") if p.strip()]
    if not parts:
        return "", {}
    params = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        params[k.strip().lower()] = v.strip().strip('"')
    return parts[0].lower(), params


def _maybe_json(data: bytes):
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None


def _bytes_text(data: bytes):
    try:
        return data.decode()
    except UnicodeDecodeError:
        return "base64:" + base64.b64encode(data).decode()


def parse_multipart(data: bytes, raw_ctype: str):
    msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + raw_ctype.encode() + b"\r\n\r\n" + data)
    if not msg.is_multipart():
        boundary = msg.get_param("boundary") or ""
        if data.strip() == b"--" + boundary.encode() + b"--":
            return []  # a form with no parts: only the closing boundary
        return {"unparseable multipart": _bytes_text(data)[:200]}
    parts = []
    for part in msg.iter_parts():
        payload = part.get_payload(decode=True) or b""
        ctype = part.get_content_type() if part.get("content-type") else None
        parsed = _maybe_json(payload) if ctype in (None, "application/json") else None
        parts.append(
            {
                "name": part.get_param("name", header="content-disposition"),
                "filename": part.get_filename(),
                "content_type": ctype,
                "content": parsed
                if parsed is not None and not isinstance(parsed, (int, float))
                else _bytes_text(payload),
            }
        )
    return sorted(parts, key=lambda p: json.dumps(p, sort_keys=True))


def normalize(req: dict) -> dict:
    """One recorded request as the comparable record."""
    headers: dict[str, str] = {}
    for k, v in req["headers"]:
        headers[k] = f"{headers[k]}, {v}" if k in headers else v
    url = urlsplit(req["target"])
    body = base64.b64decode(req["body"])
    ctype, cparams = content_type(headers)
    if not body:
        parsed = None
    elif ctype == "multipart/form-data":
        parsed = parse_multipart(body, headers.get("content-type", ""))
    elif ctype == "application/x-www-form-urlencoded":
        parsed = sorted(parse_qsl(body.decode(errors="replace"), keep_blank_values=True))
    elif ctype.endswith("json") and _maybe_json(body) is not None:
        parsed = json.loads(body)
    else:
        parsed = _bytes_text(body)
    cparams.pop("boundary", None)
    return {
        "method": req["method"],
        "path": url.path if req.get("under_prefix", True) else "(outside the base URL) " + url.path,
        "query": sorted(parse_qsl(url.query, keep_blank_values=True)),
        "headers": {
            k: v
            for k, v in sorted(headers.items())
            if k not in TRANSPORT_HEADERS and not k.startswith(TRANSPORT_PREFIXES) and (k, v) not in TRANSPORT_VALUES
        },
        "content_type": (ctype + "".join(f"; {k}={v}" for k, v in sorted(cparams.items()))) if ctype else None,
        "body": parsed,
    }


def _short(v, n=160) -> str:
    s = json.dumps(v, sort_keys=True, default=str)
    return s if len(s) <= n else s[: n - 1] + "…"


def diff(official: list[dict], flarekit: list[dict]) -> list[str]:
    """Short lines saying how flarekit's requests differ from the official ones; empty when identical."""
    if len(official) != len(flarekit):
        out = [f"requests: official sent {len(official)}, flarekit {len(flarekit)}"]
        if official and flarekit:
            out += diff(official[:1], flarekit[:1])
        return out
    out: list[str] = []
    for i, (a, b) in enumerate(zip(official, flarekit, strict=True)):
        tag = f"[{i}] " if len(official) > 1 else ""
        for field in ("method", "path", "content_type"):
            if field == "content_type" and a["body"] is None and b["body"] is None:
                continue  # a content type with no body describes nothing (transport_notes counts them)
            if a[field] != b[field]:
                out.append(f"{tag}{field}: official {_short(a[field])}, flarekit {_short(b[field])}")
        if a["query"] != b["query"]:
            only_a = _multiset_minus(a["query"], b["query"])
            only_b = _multiset_minus(b["query"], a["query"])
            out.append(f"{tag}query: official only {_short(only_a)}, flarekit only {_short(only_b)}")
        if a["headers"] != b["headers"]:
            keys = sorted(set(a["headers"]) | set(b["headers"]))
            changed = {
                k: [a["headers"].get(k), b["headers"].get(k)]
                for k in keys
                if a["headers"].get(k) != b["headers"].get(k)
            }
            out.append(f"{tag}headers (official, flarekit): {_short(changed)}")
        if a["body"] != b["body"]:
            out.append(f"{tag}body: " + body_diff(a["body"], b["body"]))
    return out


def _multiset_minus(a: list, b: list) -> list:
    rest = list(b)
    out = []
    for x in a:
        if x in rest:
            rest.remove(x)
        else:
            out.append(x)
    return out


def _is_parts(x) -> bool:
    return isinstance(x, list) and bool(x) and all(isinstance(p, dict) and "content" in p and "name" in p for p in x)


def body_diff(a, b) -> str:
    if _is_parts(a) and _is_parts(b):
        only_a = _short(_multiset_minus(a, b), 400)
        only_b = _short(_multiset_minus(b, a), 400)
        return f"multipart parts official only {only_a}; flarekit only {only_b}"
    if isinstance(a, dict) and isinstance(b, dict):
        keys = sorted(set(a) | set(b))
        parts = []
        for k in keys:
            if k not in b:
                parts.append(f"-{k}")
            elif k not in a:
                parts.append(f"+{k}")
            elif a[k] != b[k]:
                parts.append(f"~{k}: {_short(a[k], 60)} vs {_short(b[k], 60)}")
        return "keys official→flarekit " + ", ".join(parts)
    return f"official {_short(a)}, flarekit {_short(b)}"
