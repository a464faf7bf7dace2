"""One benchmark program for both Python SDKs: ``sdk_bench.py MODULE MODE WORKLOAD [COUNT] [CONCURRENCY]`` with MODULE
``flarekit`` or ``cloudflare`` (the official SDK). The workload code is the same for both, written against the
official SDK's API: that it runs unchanged on flarekit is the "port by changing only the import" promise, exercised
by every bench run. See common.py for the other arguments. W9 (flarekit only, no count) times
``from flarekit.testing import Emulator`` and the first ``Emulator()``.

Over the TLS link (W6, W7, W8, W4/TLS) the CA to trust is in BENCH_CA: flarekit takes it as its ``ca_bundle`` option;
the official SDK (httpx) through ``SSL_CERT_FILE``, which bench/run.py sets in that process's environment only, so
the workload code stays the same."""

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

if sys.argv[2:3] == ["w9"]:
    # Emulator start-up (issue 16's budget: 50 ms): import flarekit.testing, start the first Emulator (the demo seed,
    # a free port on 127.0.0.1), as a test suite's first fixture does. Measured before the harness is imported; the
    # emulator is stopped after the timing.
    if SDK != "flarekit":
        raise SystemExit("sdk_bench.py: w9 times flarekit.testing, flarekit only")
    t0 = time.perf_counter()
    from flarekit.testing import Emulator

    t1 = time.perf_counter()
    emu = Emulator()
    t2 = time.perf_counter()
    running = emu.running
    emu.stop()
    from common import emit

    emit(import_ms=(t1 - t0) * 1000, start_ms=(t2 - t1) * 1000, total_ms=(t2 - t0) * 1000, ok=running)
    sys.exit(0 if running else 1)

if sys.argv[2:3] == ["w7"]:
    # A cold CI step: import, construct with the defaults (flarekit: plus the CA, see above), verify the token over
    # HTTPS, exit. bench/run.py times the whole process from the outside; these are the parts as seen from inside.
    t0 = time.perf_counter()
    sdk = importlib.import_module(SDK)
    t1 = time.perf_counter()
    ca = {"ca_bundle": os.environ["BENCH_CA"]} if SDK == "flarekit" and os.environ.get("BENCH_CA") else {}
    cf = sdk.Cloudflare(api_token=os.environ["BENCH_TOKEN"], base_url=os.environ["BENCH_BASE_URL"], **ca)
    t2 = time.perf_counter()
    status = cf.user.tokens.verify().status
    t3 = time.perf_counter()
    from common import emit

    emit(import_s=t1 - t0, construct_s=t2 - t1, call_s=t3 - t2, status=status)
    sys.exit(0 if status == "active" else 1)

from common import Args, run_async, run_sync  # noqa: E402

args = Args()

sdk = importlib.import_module(SDK)
# flarekit's client-side budget (1,200 requests per 5 minutes by default, issue 17) would hold W1 and W4's 2,000 calls
# for minutes; the emulator does not rate limit and the official SDK has no budget: off, the one option that differs.
OPTS: dict[str, object] = {"rate_limit": 0} if SDK == "flarekit" else {}
if SDK == "flarekit" and args.ca:
    OPTS["ca_bundle"] = args.ca  # the official SDK: SSL_CERT_FILE (see above)


def record(i: int) -> dict[str, object]:
    """W8's record `i`: a unique name in the zone."""
    return {"type": "A", "name": "bench-w8-%d.example.com" % i, "content": "198.51.100.%d" % (i % 250 + 1), "ttl": 300}


if args.mode == "sync":
    cf = sdk.Cloudflare(api_token=args.token, base_url=args.base_url, **OPTS)

    def get_zone() -> int:
        z = cf.zones.get(zone_id=args.zone)
        return 1 if z is not None and z.id else 0

    def big_page() -> int:
        return sum(1 for r in cf.dns.records.list(zone_id=args.big_zone, per_page=5000).result if r.id)

    def walk() -> int:
        return sum(1 for r in cf.dns.records.list(zone_id=args.big_zone, per_page=100) if r.id)

    def create(i: int) -> int:
        r = cf.dns.records.create(zone_id=args.zone, **record(i))
        return 1 if r is not None and r.id else 0

    run_sync(args, get_zone, big_page, walk, create)
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

    async def acreate(c: object, i: int) -> int:
        r = await c.dns.records.create(zone_id=args.zone, **record(i))
        return 1 if r is not None and r.id else 0

    run_async(args, make_client, aget_zone, abig_page, awalk, acreate)
