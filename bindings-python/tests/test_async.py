"""AsyncCloudflare: the same surface as Cloudflare, as asyncio awaitables."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import flarekit
import pytest

ZONE = "822a5cb2e31326eb7856208ac716c8cd"


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def acf(emu: Any, **kw: Any) -> flarekit.AsyncCloudflare:
    return flarekit.AsyncCloudflare(api_token=emu.token("Admin"), base_url=emu.base_url, env={}, **kw)


def test_calls_are_lazy_coroutines(emu: Any) -> None:
    cf = acf(emu)
    coro = cf.zones.get(zone_id=ZONE)
    assert inspect.iscoroutine(coro)
    assert emu.requests() == [], "nothing is sent until the coroutine is awaited"
    zone = run(coro)
    assert zone.name == "example.com"


def test_async_crud(emu: Any) -> None:
    async def main() -> None:
        async with acf(emu) as cf:
            rec = await cf.dns.records.create(zone_id=ZONE, type="AAAA", name="v6", content="2001:db8::1")
            assert (await cf.dns.records.get(rec.id, zone_id=ZONE)).content == "2001:db8::1"
            await cf.dns.records.delete(rec.id, zone_id=ZONE)
            with pytest.raises(flarekit.NotFoundError):
                await cf.dns.records.get(rec.id, zone_id=ZONE)
        assert cf.closed

    run(main())


def test_async_paging(emu: Any) -> None:
    async def main() -> None:
        cf = acf(emu)
        items = [r async for r in cf.dns.records.list(zone_id=ZONE, per_page=2)]
        assert len(items) == 5
        assert len(emu.requests()) == 3
        emu.reset()
        first = await cf.dns.records.list(zone_id=ZONE, per_page=2)
        assert isinstance(first, flarekit.AsyncPage)
        assert len(first.result) == 2 and first.has_next_page()
        second = await first.get_next_page()
        assert [len(p.result) async for p in first.iter_pages()] == [2, 2, 1]
        assert len(second.result) == 2
        assert [len(p.result) async for p in cf.dns.records.list(zone_id=ZONE, per_page=4).iter_pages()] == [4, 1]

    run(main())


def test_async_errors_are_the_same_classes(emu: Any) -> None:
    async def main() -> None:
        cf = flarekit.AsyncCloudflare(api_token=emu.token("Expired"), base_url=emu.base_url, env={})
        with pytest.raises(flarekit.AuthenticationError) as ei:
            await cf.zones.get(zone_id=ZONE)
        assert ei.value.codes == [10000]
        with pytest.raises(flarekit.InvalidArgumentError):
            await cf.zones.get(zone_id=ZONE, colour="blue")

    run(main())


def test_async_generic_calls(emu: Any) -> None:
    async def main() -> None:
        cf = acf(emu)
        zones = await cf.get("/zones")
        assert len(zones) == 2
        resp = await cf.request("GET", "/zones", query={"per_page": 5})
        assert resp.status_code == 200 and resp.result_info.per_page == 5

    run(main())


def test_async_copy_keeps_the_class(emu: Any) -> None:
    cf = acf(emu)
    c2 = cf.with_options(timeout=3)
    assert type(c2) is flarekit.AsyncCloudflare and c2.timeout == 3.0
