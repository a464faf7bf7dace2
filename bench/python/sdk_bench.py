"""One benchmark program for both Python SDKs: ``sdk_bench.py MODULE MODE WORKLOAD [COUNT] [CONCURRENCY]`` with MODULE
``flarekit`` or ``cloudflare`` (the official SDK). The workload code is the same for both, written against the
official SDK's API: that it runs unchanged on flarekit is the "port by changing only the import" promise, exercised
by every bench run. See common.py for the other arguments."""

from __future__ import annotations

import importlib
import os
import sys
import time

SDK = sys.argv.pop(1)
if SDK not in ("flarekit", "cloudflare"):
    raise SystemExit("sdk_bench.py: MODULE must be flarekit or cloudflare, got %r" % SDK)

if sys.argv[2:3] == ["w5"]:
    # Start-up: import + construct, measured before the harness (common.py, json) is imported, so the time and the
    # peak RSS are the SDK's and the interpreter's only.
    t0 = time.perf_counter()
    sdk = importlib.import_module(SDK)
    cf = sdk.Cloudflare(api_token=os.environ["BENCH_TOKEN"], base_url=os.environ["BENCH_BASE_URL"])
    wall = time.perf_counter() - t0
    # This process's own peak RSS (VmHWM); getrusage's ru_maxrss of a child also counts its parent's RSS at fork.
    with open("/proc/self/status") as f:
        rss_kib = next((int(line.split()[1]) for line in f if line.startswith("VmHWM:")), 0)
    from common import emit

    emit(wall_s=wall, ok=cf is not None, version=sdk.__version__, rss_kib=rss_kib)
    sys.exit(0)

from common import Args, run_async, run_sync  # noqa: E402

args = Args()

sdk = importlib.import_module(SDK)
# flarekit's client-side budget (1,200 requests per 5 minutes by default, issue 17) would hold W1 and W4's 2,000 calls
# for minutes; the emulator does not rate limit and the official SDK has no budget: off, the one option that differs.
OPTS: dict[str, object] = {"rate_limit": 0} if SDK == "flarekit" else {}

if args.mode == "sync":
    cf = sdk.Cloudflare(api_token=args.token, base_url=args.base_url, **OPTS)

    def get_zone() -> int:
        z = cf.zones.get(zone_id=args.zone)
        return 1 if z is not None and z.id else 0

    def big_page() -> int:
        return sum(1 for r in cf.dns.records.list(zone_id=args.big_zone, per_page=5000).result if r.id)

    def walk() -> int:
        return sum(1 for r in cf.dns.records.list(zone_id=args.big_zone, per_page=100) if r.id)

    run_sync(args, get_zone, big_page, walk)
else:

    def make_client() -> object:
        return sdk.AsyncCloudflare(api_token=args.token, base_url=args.base_url, **OPTS)

    async def aget_zone(c: object) -> int:
        z = await c.zones.get(zone_id=args.zone)
        return 1 if z is not None and z.id else 0

    async def abig_page(c: object) -> int:
        page = await c.dns.records.list(zone_id=args.big_zone, per_page=5000)
        return sum(1 for r in page.result if r.id)

    async def awalk(c: object) -> int:
        n = 0
        async for r in c.dns.records.list(zone_id=args.big_zone, per_page=100):
            n += 1 if r.id else 0
        return n

    run_async(args, make_client, aget_zone, abig_page, awalk)
