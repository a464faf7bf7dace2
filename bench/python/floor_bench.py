"""The Python floor: what a hand-written client does with httpx and orjson (the fastest JSON parser for Python),
on the plain loopback workloads. ``floor_bench.py <w1|w2> [count]``, environment as in common.py.

No SDK: one ``httpx.Client`` with the token header, ``orjson.loads`` on the body, a check of ``success``, plain dicts;
W1 reads the zone's id, W2 touches every record's id as the SDK contenders do."""

from __future__ import annotations

import httpx
import orjson
from common import Args, run_sync

args = Args()
http = httpx.Client(base_url=args.base_url, headers={"Authorization": "Bearer " + args.token})


def get(path: str, params: dict[str, object] | None = None) -> dict:
    body = orjson.loads(http.get(path, params=params).content)
    if body.get("success") is not True:
        raise RuntimeError("GET %s failed: %r" % (path, body))
    return body


def get_zone() -> int:
    return 1 if get("/zones/" + args.zone)["result"]["id"] else 0


def big_page() -> int:
    result = get("/zones/%s/dns_records" % args.big_zone, {"per_page": 5000})["result"]
    return sum(1 for r in result if r["id"])


def walk() -> int:
    raise SystemExit("floor_bench.py runs W1 and W2 only")


run_sync(args, get_zone, big_page, walk)
