"""The Python front door: calls the official `cloudflare` package and flarekit with the same arguments.

Run by run.py with the differential venv's interpreter (the official SDK is installed there; flarekit is imported
from the dev build's source tree, --flarekit-path). For every method of the official client's resource tree:
build one argument set from the official method's own signature and type hints (args.py), call the official
client, take what the recording server saw, call the same method path on flarekit, take that, and write one JSON
line per method. Nothing here compares: run.py does, for both front doors alike.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import json
import random
import re
import sys
import time
import typing
import urllib.request

from py_args import ArgMaker, jsonable

TIMEOUT = 10.0
BOTH = re.compile(r"cannot provide both `?(\w+)`? and `?(\w+)`?")
SKIP_PARAMS = {"self", "extra_headers", "extra_query", "extra_body", "timeout"}


def drain(server: str) -> list[dict]:
    root = server.split("/client/v4")[0]
    with urllib.request.urlopen(root + "/__diff/drain", timeout=30) as r:
        return json.loads(r.read())


def official_methods(client):
    """(dotted path, bound method, unbound function) for every API method of the official client, and the
    resources that could not be loaded (dotted path, error)."""
    from cloudflare._resource import SyncAPIResource

    methods, failed = [], []

    def walk(obj, path):
        cls = type(obj)
        for name, attr in sorted(vars_chain(cls).items()):
            if name.startswith("_") or name in ("with_raw_response", "with_streaming_response"):
                continue
            if isinstance(attr, functools.cached_property):
                try:
                    child = getattr(obj, name)
                except Exception as e:  # the official package itself fails to import this resource
                    failed.append((".".join([*path, name]), f"{type(e).__name__}: {e}"))
                    continue
                if isinstance(child, SyncAPIResource):
                    walk(child, [*path, name])
            elif inspect.isfunction(attr) and path:
                methods.append((".".join([*path, name]), getattr(obj, name), attr))

    walk(client, [])
    return methods, failed


def vars_chain(cls) -> dict:
    out: dict = {}
    for c in reversed(cls.__mro__):
        if c.__module__.startswith("cloudflare.resources") or c is cls:
            out.update(vars(c))
    return out


def signature_of(func):
    """The signature and type hints the argument set is built from: the first @overload when there are some
    (the implementation behind them takes the union of every variant, all optional), else the function's."""
    target = func
    overloads = typing.get_overloads(inspect.unwrap(func)) or typing.get_overloads(func)
    if overloads:
        target = overloads[0]
    sig = inspect.signature(target)
    try:
        hints = typing.get_type_hints(target, include_extras=True)
    except Exception:
        hints = {}
    return sig, hints, len(overloads)


def resolve(root, dotted: str):
    obj = root
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def error_text(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}"[:600]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--flarekit-path", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--args", choices=("all", "required"), default="all")
    opts = ap.parse_args()

    sys.path.insert(0, opts.flarekit_path)
    import cloudflare
    import flarekit

    official = cloudflare.Cloudflare(api_token="differential-token", base_url=opts.server, max_retries=0)
    # One request per call, as the official client makes: no page fetched ahead, and no client-side budget (some
    # 2,700 calls in a few minutes; the recording server does not rate limit).
    fk = flarekit.Cloudflare(
        api_token="differential-token",
        base_url=opts.server,
        max_retries=0,
        timeout=TIMEOUT,
        env={},
        rate_limit=0,
        page_prefetch=0,
    )
    methods, failed = official_methods(official)
    methods = [m for m in methods if not opts.only or any(m[0].startswith(p) for p in opts.only)]
    failed = [f for f in failed if not opts.only or any(f[0].startswith(p) or p.startswith(f[0]) for p in opts.only)]
    if opts.sample and not opts.only:
        failed = []  # a sample is of methods; a resource that does not load has none to draw
    if opts.sample and opts.sample < len(methods):
        methods = sorted(random.Random(opts.seed).sample(methods, opts.sample))
    makers = [ArgMaker(cloudflare, opts.args == "all", mode) for mode in ("tuple", "bytes")]
    drain(opts.server)
    t0 = time.monotonic()
    with open(opts.out, "w") as out:
        for dotted, reason in failed:
            out.write(json.dumps({"path": dotted, "resource_failed": True, "official": {"error": reason}}) + "\n")
        for dotted, bound, func in methods:
            out.write(json.dumps(call_one(opts.server, fk, dotted, bound, func, makers)) + "\n")
    print(f"python: {len(methods)} methods in {time.monotonic() - t0:.1f}s", file=sys.stderr)
    return 0


def call_one(server, fk, dotted, bound, func, makers) -> dict:
    rec: dict = {"path": dotted}
    try:
        sig, hints, n_overloads = signature_of(func)
    except Exception as e:
        rec["skipped"] = f"no signature: {error_text(e)}"
        return rec
    params = [p for p in sig.parameters.values() if p.name not in SKIP_PARAMS]
    if "extra_headers" not in sig.parameters:
        rec["skipped"] = "not an API method (no extra_headers parameter)"
        return rec
    if n_overloads:
        rec["overloads"] = n_overloads
    try:
        sets = [m.arguments(params, hints) for m in makers]
    except Exception as e:
        rec["skipped"] = f"no argument set: {error_text(e)}"
        return rec
    # Files go as (name, bytes, content type) tuples; where the official client refuses that (a raw body it
    # JSON-encodes, say), the same call is tried once more with the bytes alone, and flarekit gets that set.
    chosen = 0
    rec["args"] = jsonable({"args": list(sets[0][0]), "kwargs": sets[0][1]})
    rec["official"] = invoke(server, lambda: bound(*sets[0][0], **sets[0][1], timeout=TIMEOUT))
    if not rec["official"]["requests"] and jsonable(sets[1]) != jsonable(sets[0]):
        retry = invoke(server, lambda: bound(*sets[1][0], **sets[1][1], timeout=TIMEOUT))
        if retry["requests"]:
            chosen = 1
            rec["official"] = retry
            rec["args"] = jsonable({"args": list(sets[1][0]), "kwargs": sets[1][1]})
            rec["file_form"] = "bytes"
    both = BOTH.search(rec["official"].get("error") or "") if not rec["official"]["requests"] else None
    if both and both.group(2) in sets[chosen][1]:
        # Mutually exclusive options (account_id or zone_id): every optional parameter was given, so keep the first.
        for a in sets:
            a[1].pop(both.group(2), None)
        retry = invoke(server, lambda: bound(*sets[chosen][0], **sets[chosen][1], timeout=TIMEOUT))
        rec["official"] = retry
        rec["args"] = jsonable({"args": list(sets[chosen][0]), "kwargs": sets[chosen][1]})
        rec["dropped"] = both.group(2)
    try:
        target = resolve(fk, dotted)
    except AttributeError as e:
        rec["flarekit"] = {"missing": error_text(e)}
        return rec
    args2, kwargs2 = makers[chosen].arguments(params, hints)  # a fresh, equal set: nothing consumed leaks over
    if "dropped" in rec:
        kwargs2.pop(rec["dropped"], None)
    rec["flarekit"] = invoke(server, lambda: target(*args2, **kwargs2))
    return rec


def invoke(server, fn) -> dict:
    out: dict = {}
    try:
        result = fn()
        if inspect.isgenerator(result):
            result.close()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # pyo3's PanicException is a BaseException: a panic is a refusal, not a crash
        out["error"] = error_text(e)
    out["requests"] = drain(server)
    return out


if __name__ == "__main__":
    sys.exit(main())
