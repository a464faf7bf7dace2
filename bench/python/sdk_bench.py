"""One benchmark program for both Python SDKs: ``sdk_bench.py MODULE MODE WORKLOAD [COUNT] [CONCURRENCY]`` with MODULE
``flarekit`` or ``cloudflare`` (the official SDK). The workload code is the same for both, written against the
official SDK's API: that it runs unchanged on flarekit is the "port by changing only the import" promise, exercised
by every bench run. See common.py for the other arguments."""

from __future__ import annotations

import importlib
import sys
import time
from typing import Any

SDK = sys.argv.pop(1)
if SDK not in ("flarekit", "cloudflare"):
    raise SystemExit("sdk_bench.py: MODULE must be flarekit or cloudflare, got %r" % SDK)

from common import Args, emit, peak_rss_kib, run_async, run_sync  # noqa: E402

args = Args()

if args.workload == "w5":
    t0 = time.perf_counter()
    sdk: Any = importlib.import_module(SDK)
    cf = sdk.Cloudflare(api_token=args.token, base_url=args.base_url)
    wall = time.perf_counter() - t0
    emit(wall_s=wall, ok=cf is not None, version=sdk.__version__, rss_kib=peak_rss_kib())
    sys.exit(0)

sdk = importlib.import_module(SDK)

if args.mode == "sync":
    cf = sdk.Cloudflare(api_token=args.token, base_url=args.base_url)

    def get_zone() -> int:
        z = cf.zones.get(zone_id=args.zone)
        return 1 if z is not None and z.id else 0

    def big_page() -> int:
        return sum(1 for r in cf.dns.records.list(zone_id=args.big_zone, per_page=5000).result if r.id)

    def walk() -> int:
        return sum(1 for r in cf.dns.records.list(zone_id=args.big_zone, per_page=100) if r.id)

    run_sync(args, get_zone, big_page, walk)
else:

    def make_client() -> Any:
        return sdk.AsyncCloudflare(api_token=args.token, base_url=args.base_url)

    async def aget_zone(c: Any) -> int:
        z = await c.zones.get(zone_id=args.zone)
        return 1 if z is not None and z.id else 0

    async def abig_page(c: Any) -> int:
        page = await c.dns.records.list(zone_id=args.big_zone, per_page=5000)
        return sum(1 for r in page.result if r.id)

    async def awalk(c: Any) -> int:
        n = 0
        async for r in c.dns.records.list(zone_id=args.big_zone, per_page=100):
            n += 1 if r.id else 0
        return n

    run_async(args, make_client, aget_zone, abig_page, awalk)
