"""Against the emulator's demo seed: CRUD, paging with exact request counts, uploads, auth failures, generic calls."""

from __future__ import annotations

import io
import logging
import sys
import time
from typing import Any

import flarekit
import pytest

ZONE = "822a5cb2e31326eb7856208ac716c8cd"  # example.com
ORG_ZONE = "4a5201fa32fcbc6a56dfccdcb91a44b0"  # example.org
ACCOUNT = "d213db106595949fb4bb9e86844c4400"


def cf_for(emu: Any, token: str | None = None, **kw: Any) -> flarekit.Cloudflare:
    if token is None:
        token = emu.token("Admin")
    return flarekit.Cloudflare(api_token=token, base_url=emu.base_url, env={}, retry_delay_scale=0.001, **kw)


def test_verify_user_and_user_agent(emu: Any) -> None:
    cf = cf_for(emu)
    status = cf.user.tokens.verify()
    assert status.status == "active"
    assert cf.user.get().email == "demo@example.com"
    ua = emu.requests()[0]["headers"]["user-agent"]
    v = sys.version_info
    assert ua.startswith("flarekit/%s (python %d.%d.%d)" % (flarekit.__version__, v.major, v.minor, v.micro))


def test_dns_record_crud(emu: Any) -> None:
    cf = cf_for(emu, emu.token("DNS edit"))
    created = cf.dns.records.create(zone_id=ZONE, type="A", name="crud", content="192.0.2.50", ttl=300, proxied=False)
    assert created.name == "crud.example.com" and created.content == "192.0.2.50"
    got = cf.dns.records.get(created.id, zone_id=ZONE)
    assert got == created
    edited = cf.dns.records.edit(created.id, zone_id=ZONE, content="192.0.2.51")
    assert edited.content == "192.0.2.51"
    updated = cf.dns.records.update(created.id, zone_id=ZONE, type="A", name="crud", content="192.0.2.52")
    assert updated.content == "192.0.2.52"
    listed = cf.dns.records.list(zone_id=ZONE, name="crud.example.com")
    assert [r.id for r in listed] == [created.id]
    deleted = cf.dns.records.delete(created.id, zone_id=ZONE)
    assert deleted.id == created.id
    with pytest.raises(flarekit.NotFoundError) as ei:
        cf.dns.records.get(created.id, zone_id=ZONE)
    e = ei.value
    assert e.status_code == 404 and e.codes == [81044]
    assert e.errors[0].code == 81044 and e.errors[0]["message"] == "Record does not exist."
    assert e.ray_id and e.ray_id.endswith("-EMU") and e.headers["cf-ray"] == e.ray_id
    assert e.attempts == 1
    methods = [r["method"] for r in emu.requests()]
    assert methods == ["POST", "GET", "PATCH", "PUT", "GET", "DELETE", "GET"]


def test_validation_errors_are_classified(emu: Any) -> None:
    cf = cf_for(emu, emu.token("DNS edit"))
    with pytest.raises(flarekit.BadRequestError) as ei:
        cf.dns.records.create(zone_id=ZONE, type="A", name="bad", content="not-an-ip")
    assert ei.value.status_code == 400 and 9005 in ei.value.codes
    # A create is never retried on a 4xx.
    assert len(emu.requests()) == 1


def test_paging_walks_every_item_with_exact_request_counts(emu: Any) -> None:
    # One page at a time, so the request log's order is the pages' (fetching ahead: the test below).
    cf = cf_for(emu, page_prefetch=0)
    page = cf.dns.records.list(zone_id=ZONE, per_page=2)
    assert len(emu.requests()) == 1, "the first page is fetched by the call"
    assert len(page.result) == 2 and page.has_next_page()
    assert page.result_info.total_count == 5 and page.result_info.total_pages == 3
    items = list(page)
    assert len(items) == 5 and len({r.id for r in items}) == 5
    assert len(emu.requests()) == 3, "5 items at per_page 2: exactly 3 requests"
    pages = list(page.iter_pages())
    assert [len(p.result) for p in pages] == [2, 2, 1]
    assert not pages[-1].has_next_page()
    with pytest.raises(RuntimeError, match="no next page"):
        pages[-1].get_next_page()
    queries = [r["query"] for r in emu.requests()]
    assert queries[:3] == ["per_page=2", "per_page=2&page=2", "per_page=2&page=3"]


def test_paging_is_lazy(emu: Any) -> None:
    cf = cf_for(emu, page_prefetch=0)
    it = iter(cf.dns.records.list(zone_id=ZONE, per_page=1))
    next(it)
    assert len(emu.requests()) == 1
    next(it)
    assert len(emu.requests()) == 2


def test_pages_are_fetched_ahead_within_page_prefetch(emu: Any, wait_for: Any) -> None:
    cf = cf_for(emu, page_prefetch=2)
    it = iter(cf.dns.records.list(zone_id=ZONE, per_page=1))
    next(it)
    # Page 1 read; pages 2 and 3 requested ahead, and no more.
    assert wait_for(lambda: len(emu.requests()) == 3)
    time.sleep(0.1)
    assert len(emu.requests()) == 3
    assert [r["name"] for r in it] == ["www.example.com", "mail.example.com", "example.com", "example.com"]
    assert len(emu.requests()) == 5, "a full walk makes one request per page"


def test_zones_list_with_nested_filter(emu: Any) -> None:
    cf = cf_for(emu)
    names = [z.name for z in cf.zones.list(account={"id": ACCOUNT})]
    assert names == ["example.com"]
    assert emu.requests()[0]["query"] == "account.id=%s" % ACCOUNT
    assert {z.name for z in cf.zones.list()} == {"example.com", "example.org"}


def test_account_id_default_fills_the_path(emu: Any) -> None:
    cf = cf_for(emu, account_id=ACCOUNT)
    assert list(cf.workers.scripts.list()) == []
    assert emu.requests()[0]["path"] == "/client/v4/accounts/%s/workers/scripts" % ACCOUNT


def test_workers_script_upload_multipart(emu: Any) -> None:
    cf = cf_for(emu, account_id=ACCOUNT)
    src = "export default { fetch() { return new Response('hi') } }"
    helper = io.BytesIO(b"export const x = 1;")
    helper.name = "/tmp/lib/helper.js"
    script = cf.workers.scripts.update(
        "hello-py",
        metadata={"main_module": "worker.js", "compatibility_date": "2024-01-01"},
        files=[("worker.js", src, "application/javascript+module"), helper],
    )
    assert script.id == "hello-py"
    assert [m.name for m in script.modules] == ["worker.js", "helper.js"]
    assert script.modules[0].type == "application/javascript+module"
    assert script.modules[1].size == len(b"export const x = 1;")
    req = emu.requests()[0]
    assert req["method"] == "PUT" and req["headers"]["content-type"].startswith("multipart/form-data")
    assert [s.id for s in cf.workers.scripts.list()] == ["hello-py"]
    cf.workers.scripts.delete("hello-py")
    with pytest.raises(flarekit.NotFoundError) as ei:
        cf.workers.scripts.delete("hello-py")
    assert ei.value.codes == [10007]


def test_upload_without_metadata_is_a_bad_request(emu: Any) -> None:
    cf = cf_for(emu, account_id=ACCOUNT)
    with pytest.raises(flarekit.BadRequestError) as ei:
        cf.workers.scripts.update("nometa", files=[{"name": "worker.js", "content": b"x"}])
    assert ei.value.codes == [10021]


@pytest.mark.parametrize(
    "token,cls,status,codes",
    [
        ("Expired", flarekit.AuthenticationError, 403, [10000]),
        ("Not yet valid", flarekit.AuthenticationError, 403, [10000]),
        ("Revoked", flarekit.AuthenticationError, 403, [10000]),
        ("IP restricted", flarekit.AuthenticationError, 403, [10000]),
        ("unknown", flarekit.AuthenticationError, 403, [9109]),
    ],
)
def test_demo_seed_auth_failures(emu: Any, token: str, cls: type, status: int, codes: list[int]) -> None:
    value = "x" * 40 if token == "unknown" else emu.token(token)
    cf = cf_for(emu, value)
    with pytest.raises(cls) as ei:
        cf.zones.get(zone_id=ZONE)
    assert type(ei.value) is cls
    assert ei.value.status_code == status and ei.value.codes == codes
    assert value not in str(ei.value) and value not in repr(ei.value)
    assert len(emu.requests()) == 1, "auth failures are not retried"


def test_verify_with_a_bad_token_is_an_authentication_error(emu: Any) -> None:
    cf = cf_for(emu, emu.token("Expired"))
    with pytest.raises(flarekit.AuthenticationError) as ei:
        cf.user.tokens.verify()
    assert ei.value.status_code == 401 and ei.value.codes == [1000]


def test_malformed_token_is_an_authentication_error(emu: Any) -> None:
    cf = cf_for(emu, "short")
    with pytest.raises(flarekit.AuthenticationError) as ei:
        cf.zones.list()
    assert ei.value.status_code == 400 and ei.value.codes == [6003, 6111]


def test_token_without_permission(emu: Any) -> None:
    cf = cf_for(emu, emu.token("DNS edit"))
    with pytest.raises(flarekit.AuthenticationError) as ei:
        cf.dns.records.list(zone_id=ORG_ZONE)
    assert ei.value.codes == [10000]


def test_global_key_and_service_key(emu: Any) -> None:
    cf = flarekit.Cloudflare(api_key=emu.api_key, api_email=emu.api_email, base_url=emu.base_url, env={})
    assert cf.auth == "api_key+api_email from options"
    assert {a.name for a in cf.accounts.list()} == {"Demo Account", "Demo Staging Account"}
    usk = flarekit.Cloudflare(user_service_key=emu.user_service_key, base_url=emu.base_url, env={})
    assert list(usk.origin_ca_certificates.list(zone_id=ZONE)) == []
    with pytest.raises(flarekit.AuthenticationError) as ei:
        usk.zones.list()
    # 9106: the service key is not a credential outside /certificates.
    assert ei.value.status_code == 400 and ei.value.codes == [9106]


def test_generic_calls(emu: Any) -> None:
    cf = cf_for(emu)
    zones = cf.get("/zones", query={"name": "example.com"})
    assert [z.id for z in zones] == [ZONE]
    resp = cf.request("GET", "zones", query={"per_page": 5})
    assert resp.status_code == 200 and resp.result_info.per_page == 5
    assert resp.headers["cf-ray"].endswith("-EMU")
    rec = cf.post("/zones/%s/dns_records" % ZONE, body={"type": "TXT", "name": "gen", "content": "hello"})
    assert cf.patch("/zones/%s/dns_records/%s" % (ZONE, rec.id), body={"content": "bye"}).content == "bye"
    assert cf.delete("/zones/%s/dns_records/%s" % (ZONE, rec.id)).id == rec.id
    with pytest.raises(flarekit.NotFoundError) as ei:
        cf.get("/nowhere")
    assert ei.value.codes == [7003]


def test_retries_then_success(emu: Any) -> None:
    cf = cf_for(emu)
    emu.fault({"status": 503}, path="/client/v4/zones", times=2)
    assert len(list(cf.zones.list())) == 2
    assert [r["status"] for r in emu.requests()] == [503, 503, 200]


def test_retries_exhausted(emu: Any) -> None:
    # 429s are waited out apart from max_retries, within max_rate_limit_wait: 3 ms each (scaled), 4.5 ms in all.
    cf = cf_for(emu, max_retries=0, max_rate_limit_wait=0.0045)
    emu.fault({"status": 429, "headers": {"Retry-After": "3"}}, path="/client/v4/zones", times=5)
    with pytest.raises(flarekit.RateLimitError) as ei:
        cf.zones.list()
    assert ei.value.attempts == 2 and ei.value.retry_after == 3.0
    assert len(emu.requests()) == 2


def test_timeout_is_api_timeout_error(emu: Any) -> None:
    cf = cf_for(emu, timeout=0.2, max_retries=0)
    emu.fault({"delay_ms": 1500}, path="/client/v4/zones")
    with pytest.raises(flarekit.APITimeoutError):
        cf.zones.list()


def test_connection_refused_is_api_connection_error() -> None:
    cf = flarekit.Cloudflare(api_token="x" * 40, base_url="http://127.0.0.1:9/client/v4", env={}, max_retries=0)
    with pytest.raises(flarekit.APIConnectionError) as ei:
        cf.zones.list()
    assert not isinstance(ei.value, flarekit.APITimeoutError)


def test_html_502_is_an_internal_server_error(emu: Any) -> None:
    cf = cf_for(emu, max_retries=0)
    emu.fault({"html": True}, path="/client/v4/zones")
    with pytest.raises(flarekit.InternalServerError) as ei:
        cf.zones.list()
    assert ei.value.status_code == 502 and "text/html" in str(ei.value)


def test_request_logging(emu: Any, caplog: pytest.LogCaptureFixture) -> None:
    token = emu.token("Admin")
    cf = cf_for(emu, token, log_level="debug")
    emu.fault({"status": 503}, path="/client/v4/zones")
    with caplog.at_level(logging.DEBUG, logger="flarekit"):
        cf.zones.list()
    texts = [r.getMessage() for r in caplog.records if r.name == "flarekit"]
    assert any("request method=GET path=/zones attempt=1" in t for t in texts)
    assert any(r.levelno == logging.INFO and "retrying" in r.getMessage() for r in caplog.records)
    assert any("status=200" in t for t in texts)
    assert not any(token in t for t in texts)
