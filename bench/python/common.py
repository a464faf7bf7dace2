"""What the Python contenders share: arguments, timing and the one JSON line each run prints for bench/run.py.

    python <contender>.py <sync|async> <w1|w2|w3|w4|w5|w7|w8|w9> [count] [concurrency]

Environment: BENCH_BASE_URL, BENCH_TOKEN, BENCH_ZONE (W1, W4: one zone to get; W8: where records are created),
BENCH_BIG_ZONE (W2, W3: 5,000 DNS records), BENCH_CA (over TLS: the CA to trust). Every workload first makes one
warm-up call, so it measures a warm client with an open connection. W8 (`count` record creations, `concurrency` in
flight) runs on a pool of `concurrency` threads in sync mode and as `concurrency` tasks in async mode.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def cpu_seconds() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


class Args:
    def __init__(self) -> None:
        argv = sys.argv[1:]
        self.mode = argv[0]
        self.workload = argv[1]
        self.count = int(argv[2]) if len(argv) > 2 else 1
        self.concurrency = int(argv[3]) if len(argv) > 3 else 64
        self.base_url = os.environ["BENCH_BASE_URL"]
        self.token = os.environ["BENCH_TOKEN"]
        self.zone = os.environ.get("BENCH_ZONE", "")
        self.big_zone = os.environ.get("BENCH_BIG_ZONE", "")
        self.ca = os.environ.get("BENCH_CA", "")


def emit(**figures: object) -> None:
    print(json.dumps(figures), flush=True)


def run_sync(args: Args, get_zone, big_page, walk, create=None) -> None:  # type: ignore[no-untyped-def]
    """W1-W3 and W8 with blocking calls; each callable returns how many items it saw (and touched)."""
    get_zone()
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    items = 0
    if args.workload == "w8":
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            items = sum(pool.map(create, range(args.count)))
    else:
        fn = {"w1": get_zone, "w2": big_page, "w3": walk}[args.workload]
        for _ in range(args.count):
            items += fn()
    emit(wall_s=time.perf_counter() - t0, cpu_s=cpu_seconds() - cpu0, calls=args.count, items=items)


def run_async(args: Args, make_client, get_zone, big_page, walk, create=None) -> None:  # type: ignore[no-untyped-def]
    """W1-W4 and W8 with coroutines; W4 and W8 keep `concurrency` calls in flight."""
    import asyncio  # here, so W5 (start-up) does not pay for it

    async def main() -> None:
        client = make_client()
        await get_zone(client)
        cpu0, t0 = cpu_seconds(), time.perf_counter()
        items = 0
        if args.workload == "w4":
            left = args.count

            async def worker() -> int:
                nonlocal left
                seen = 0
                while left > 0:
                    left -= 1
                    seen += await get_zone(client)
                return seen

            items = sum(await asyncio.gather(*(worker() for _ in range(args.concurrency))))
        elif args.workload == "w8":
            todo = iter(range(args.count))

            async def creator() -> int:
                return sum([await create(client, i) for i in todo])

            items = sum(await asyncio.gather(*(creator() for _ in range(args.concurrency))))
        else:
            fn = {"w1": get_zone, "w2": big_page, "w3": walk}[args.workload]
            for _ in range(args.count):
                items += await fn(client)
        emit(wall_s=time.perf_counter() - t0, cpu_s=cpu_seconds() - cpu0, calls=args.count, items=items)

    asyncio.run(main())
