"""Soak: SOAK_CALLS calls at 64 in flight with 10% injected faults, on AsyncCloudflare (see tests/soak/README.md).
Needs CLOUDFLARE_BASE_URL (an emulator), CLOUDFLARE_API_TOKEN and FLAREKIT_SOAK_ZONE_ID. Run by tests/soak/run.sh;
not collected by pytest."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import urllib.request
from collections import Counter

import flarekit


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def plan(i: int, zone: str) -> tuple[str, str]:
    """Which zone id call `i` asks for, and the outcome it must end in."""
    kind, alt = i % 20, (i // 20) % 2
    if kind == 18:
        return ("soak-503", "InternalServerError") if alt == 0 else ("soak-drop", "APIConnectionError")
    if kind == 19:
        return ("soak-trunc", "APIConnectionError") if alt == 0 else ("soak-404", "NotFoundError")
    return zone, "ok"


async def main() -> int:
    calls = int(os.environ.get("SOAK_CALLS", "20000"))
    zone = os.environ["FLAREKIT_SOAK_ZONE_ID"]
    # Well past the client-side budget (1,200 requests per 5 minutes) on purpose: off.
    cf = flarekit.AsyncCloudflare(retry_delay_scale=0.001, max_retries=2, rate_limit=0)
    admin = cf.base_url.replace("/client/v4", "/__emulator")
    for path, fault in (
        ("soak-503", {"status": 503}),
        ("soak-drop", {"drop": "before_headers"}),
        ("soak-trunc", {"status": 200, "body": {"success": True, "result": {"id": "x"}}, "truncate_body": True}),
        ("soak-404", {"status": 404}),
    ):
        rule = {"method": "GET", "path": "/client/v4/zones/" + path, "times": 1_000_000, "fault": fault}
        req = urllib.request.Request(admin + "/faults", data=json.dumps(rule).encode(), method="POST")
        req.add_header("content-type", "application/json")
        urllib.request.urlopen(req, timeout=10).read()

    expected: Counter[str] = Counter()
    got: Counter[str] = Counter()
    warmup = calls // 5
    rss_warm = 0
    done = 0
    next_i = 0
    started = time.monotonic()

    async def worker() -> None:
        nonlocal next_i, done, rss_warm
        while next_i < calls:
            i = next_i
            next_i += 1
            zone_id, want = plan(i, zone)
            expected[want] += 1
            try:
                await cf.zones.get(zone_id=zone_id)
                got["ok"] += 1
            except flarekit.CloudflareError as e:
                got[type(e).__name__] += 1
            done += 1
            if done == warmup:
                rss_warm = rss_kib()

    await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(64))), timeout=120 + calls / 50)
    secs = time.monotonic() - started
    rss_end = rss_kib()
    print(
        "[python] soak: %d calls in %.2f s (%.0f calls/s), outcomes %s, "
        "peak RSS after warm-up %.1f MiB, at end %.1f MiB"
        % (done, secs, done / secs, dict(sorted(got.items())), rss_warm / 1024, rss_end / 1024)
    )
    if got != expected or done != calls:
        print("outcomes %s do not match the plan %s" % (dict(got), dict(expected)), file=sys.stderr)
        return 1
    growth = rss_end - rss_warm
    if growth > rss_warm * 0.25 and growth > 16 * 1024:
        print("peak RSS grew by %d KiB after warm-up" % growth, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
