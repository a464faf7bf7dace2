"""The GIL is released while blocking calls wait; asyncio calls are real awaitables; fork() is survived."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from typing import Any

import flarekit
import pytest

ZONE = "822a5cb2e31326eb7856208ac716c8cd"
DELAY_MS = 400


def slow(emu: Any, times: int) -> None:
    emu.fault({"delay_ms": DELAY_MS}, path="/client/v4/zones/*", method="GET", times=times)


def test_blocking_calls_release_the_gil(emu: Any) -> None:
    cf = flarekit.Cloudflare(api_token=emu.token("Admin"), base_url=emu.base_url, env={})
    cf.zones.get(zone_id=ZONE)  # warm the runtime and the pool
    slow(emu, 8)
    results: list[Any] = []
    counter = [0]
    stop = threading.Event()

    def spin() -> None:  # pure-Python work that needs the GIL the whole time
        while not stop.is_set():
            counter[0] += 1

    spinner = threading.Thread(target=spin)
    spinner.start()
    threads = [threading.Thread(target=lambda: results.append(cf.zones.get(zone_id=ZONE))) for _ in range(8)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    stop.set()
    spinner.join()
    assert len(results) == 8 and all(r.id == ZONE for r in results)
    # 8 calls of 0.4 s each in parallel: about the time of one (serialised they would take 3.2 s).
    assert elapsed < DELAY_MS / 1000 * 3, "8 threads took %.2f s" % elapsed
    assert counter[0] > 1000, "Python code kept running while the calls waited"


def test_asyncio_gather_of_50_slow_calls(emu: Any) -> None:
    async def main() -> float:
        async with flarekit.AsyncCloudflare(api_token=emu.token("Admin"), base_url=emu.base_url, env={}) as cf:
            await cf.zones.get(zone_id=ZONE)
            slow(emu, 50)
            ticks = 0

            async def ticker() -> None:
                nonlocal ticks
                while True:
                    await asyncio.sleep(0.01)
                    ticks += 1

            t = asyncio.create_task(ticker())
            started = time.monotonic()
            zones = await asyncio.gather(*(cf.zones.get(zone_id=ZONE) for _ in range(50)))
            elapsed = time.monotonic() - started
            t.cancel()
            assert len(zones) == 50 and all(z.id == ZONE for z in zones)
            assert ticks >= 10, "the event loop kept running while the calls waited"
            return elapsed

    elapsed = asyncio.run(main())
    assert elapsed < DELAY_MS / 1000 * 3, "50 calls took %.2f s" % elapsed


def test_cancelling_an_async_call(emu: Any) -> None:
    async def main() -> None:
        cf = flarekit.AsyncCloudflare(api_token=emu.token("Admin"), base_url=emu.base_url, env={})
        slow(emu, 1)
        task = asyncio.ensure_future(cf.zones.get(zone_id=ZONE))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The client still works afterwards.
        assert (await cf.zones.get(zone_id=ZONE)).id == ZONE

    asyncio.run(main())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_fork_child_gets_its_own_runtime_and_connections(emu: Any) -> None:
    cf = flarekit.Cloudflare(api_token=emu.token("Admin"), base_url=emu.base_url, env={})
    assert cf.zones.get(zone_id=ZONE).id == ZONE  # the parent's runtime and pooled connection exist now
    page = cf.dns.records.list(zone_id=ZONE, per_page=2)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            os.close(r)
            ok = cf.zones.get(zone_id=ZONE).id == ZONE
            ok = ok and len(list(page)) == 5  # continues a walk begun in the parent
            ok = ok and asyncio.run(_async_get(emu)) == ZONE
            os.write(w, b"ok" if ok else b"bad")
            code = 0
        except BaseException as e:
            os.write(w, repr(e).encode()[:500])
        finally:
            os._exit(code)
    os.close(w)
    deadline = time.monotonic() + 30
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("the forked child hung")
        time.sleep(0.02)
    out = os.read(r, 1000)
    os.close(r)
    assert out == b"ok" and os.WEXITSTATUS(status) == 0, out
    # The parent is unaffected.
    assert cf.zones.get(zone_id=ZONE).id == ZONE


async def _async_get(emu: Any) -> str:
    cf = flarekit.AsyncCloudflare(api_token=emu.token("Admin"), base_url=emu.base_url, env={})
    z = await cf.zones.get(zone_id=ZONE)
    return str(z.id)


def test_import_is_fast_and_lazy() -> None:
    import subprocess

    code = (
        "import sys, time; t = time.perf_counter(); import flarekit; flarekit.Cloudflare(api_token='x'); "
        "print((time.perf_counter() - t) * 1000); "
        "print(','.join(m for m in ('asyncio', 'typing', 'logging', 'json') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    # No table walk, no asyncio/typing/logging at import (a debug build is slower than a release build: be lenient).
    assert out[1] == "", "imported at startup: %s" % out[1]
    assert float(out[0]) < 200
