"""flarekit (Python) as a benchmark contender; see common.py for the arguments."""

from __future__ import annotations

import sys
import time

from common import Args, emit, peak_rss_kib, run_async, run_sync

args = Args()

if args.workload == "w5":
    t0 = time.perf_counter()
    import flarekit

    cf = flarekit.Cloudflare(api_token=args.token, base_url=args.base_url)
    wall = time.perf_counter() - t0
    emit(wall_s=wall, ok=cf is not None, version=flarekit.__version__, rss_kib=peak_rss_kib())
    sys.exit(0)

import flarekit  # noqa: E402

if args.mode == "sync":
    cf = flarekit.Cloudflare(api_token=args.token, base_url=args.base_url)

    def get_zone() -> int:
        return 1 if cf.zones.get(zone_id=args.zone).id else 0

    def big_page() -> int:
        return sum(1 for r in cf.dns.records.list(zone_id=args.big_zone, per_page=5000).result if r.id)

    def walk() -> int:
        return sum(1 for r in cf.dns.records.list(zone_id=args.big_zone, per_page=100) if r.id)

    run_sync(args, get_zone, big_page, walk)
else:

    def make_client() -> flarekit.AsyncCloudflare:
        return flarekit.AsyncCloudflare(api_token=args.token, base_url=args.base_url)

    async def aget_zone(c: flarekit.AsyncCloudflare) -> int:
        return 1 if (await c.zones.get(zone_id=args.zone)).id else 0

    async def abig_page(c: flarekit.AsyncCloudflare) -> int:
        page = await c.dns.records.list(zone_id=args.big_zone, per_page=5000)
        return sum(1 for r in page.result if r.id)

    async def awalk(c: flarekit.AsyncCloudflare) -> int:
        n = 0
        async for r in c.dns.records.list(zone_id=args.big_zone, per_page=100):
            n += 1 if r.id else 0
        return n

    run_async(args, make_client, aget_zone, abig_page, awalk)
