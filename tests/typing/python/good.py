"""Typical flarekit code that must type-check under mypy --strict and pyright (strict), with concrete result types:
each `# R: <type>` line must reveal that type (module names left out), never Any / Unknown.

Never run: the checkers read it (run.py). Each function is one everyday program.
"""

from __future__ import annotations

import asyncio
import os
import sys

from flarekit import AsyncCloudflare, Cloudflare, SyncPage
from flarekit.types import Project, RecordResponse, TokenVerifyResponse, Zone

ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"


def dns_records_crud(cf: Cloudflare) -> None:
    """Create, read, update, list and delete DNS records of one zone."""
    zone: Zone = cf.zones.get(zone_id=ZONE_ID)
    print(zone.name.upper(), zone.id, zone.status, zone.owner.id)
    rec: RecordResponse = cf.dns.records.create(
        zone_id=zone.id, type="A", name="www", content="192.0.2.1", ttl=300, proxied=True, tags=["team:web"]
    )
    reveal_type(rec.id)  # R: str
    cf.dns.records.create(zone_id=zone.id, type="MX", name="@", content="mx.example.com", priority=10, ttl=1)
    cf.dns.records.create(zone_id=zone.id, type="CNAME", name="docs", content="example.pages.dev", ttl=1)
    cf.dns.records.create(
        zone_id=zone.id, type="CAA", name="@", ttl=3600, data={"flags": 0, "tag": "issue", "value": "letsencrypt.org"}
    )
    updated = cf.dns.records.edit(rec.id, zone_id=zone.id, type="A", name="www", content="192.0.2.2", ttl=1)
    print(updated.content, updated.modified_on)
    cf.dns.records.update(rec.id, zone_id=zone.id, type="A", name="www", content="192.0.2.3", ttl=120, comment="v2")
    fetched = cf.dns.records.get(rec.id, zone_id=zone.id)
    print(fetched.name, fetched.ttl, fetched.proxied)
    for r in cf.dns.records.list(zone_id=zone.id, type="A", name={"endswith": ".example.com"}, per_page=100):
        reveal_type(r.name)  # R: str
        if r.type == "A" and r.content and r.content.startswith("192.0.2."):
            print("test record", r.name, r.comment or "")
    page: SyncPage[RecordResponse] = cf.dns.records.list(zone_id=zone.id, order="name", direction="asc")
    print(len(page.result), page.has_next_page())
    zone_file: str = cf.dns.records.export(zone_id=zone.id)
    print(zone_file.count("\n"))
    gone = cf.dns.records.delete(rec.id, zone_id=zone.id)
    print(gone.id)
    cf.dns.records.batch(
        zone_id=zone.id, deletes=[{"id": rec.id}], posts=[{"type": "TXT", "name": "t", "content": "x", "ttl": 1}]
    )


def zones_report(cf: Cloudflare) -> dict[str, list[str]]:
    """Every active zone, its plan and its name servers; pause the ones on a plan given in the environment."""
    by_plan: dict[str, list[str]] = {}
    for z in cf.zones.list(status="active", per_page=50, order="name", account={"id": "acc"}):
        reveal_type(z)  # R: Zone
        plan = z.plan.name or "unknown"
        by_plan.setdefault(plan, []).append(z.name)
        if z.paused:
            continue
        if plan == os.environ.get("PAUSE_PLAN"):
            cf.zones.edit(zone_id=z.id, paused=True)
        for ns in z.name_servers:
            print(z.name, ns.lower())
        if z.meta.phishing_detected:
            print("phishing on", z.name, file=sys.stderr)
    first: SyncPage[Zone] = cf.zones.list(per_page=5)
    for p in first.iter_pages():
        print([z.name for z in p.result])
    created = cf.zones.create(name="example.net", account={"id": "acc"}, type="partial")
    print(created.verification_key, created.created_on)
    deleted = cf.zones.delete(zone_id=created.id)
    reveal_type(deleted)  # R: ZoneDeleteResponse | None
    for image in cf.images.v1.list(account_id="acc"):  # a list whose items are under `images`, not `items`
        reveal_type(image)  # R: V1ListResponseImage
        print(image.filename, image.variants)
    if deleted is not None:
        print(deleted.id)
    return by_plan


def verify_token(cf: Cloudflare) -> bool:
    """Is the token in use valid, and until when? Then list the user's tokens and the permission groups."""
    v: TokenVerifyResponse = cf.user.tokens.verify()
    reveal_type(v.status)  # R: Literal['active', 'disabled', 'expired']
    if v.status != "active":
        print("token", v.id, "is", v.status, file=sys.stderr)
        return False
    print("valid until", v.expires_on or "never")
    for t in cf.user.tokens.list(per_page=20, direction="desc"):
        print(t.name, t.status, t.expires_on)
        for policy in t.policies or []:
            print("  ", policy.effect, [g.id for g in policy.permission_groups])
    new = cf.user.tokens.create(
        name="ci",
        policies=[
            {
                "effect": "allow",
                "permission_groups": [{"id": "c8fed203ed3043cba015a93ad1616f1f"}],
                "resources": {"com.cloudflare.api.account.zone.*": "*"},
            }
        ],
        expires_on="2030-01-01T00:00:00Z",
    )
    print(new.id, new.value is not None)
    cf.user.tokens.delete(new.id or "")
    account_token = cf.accounts.tokens.verify(account_id="acc")
    print(account_token.status)
    return True


def pages_and_workers(cf: Cloudflare, account_id: str) -> None:
    """The Pages projects and their latest deployments, the Workers scripts and the KV namespaces of an account."""
    for project in cf.pages.projects.list(account_id=account_id):
        reveal_type(project)  # R: Project
        print(project.name, project.subdomain, project.production_branch)
        latest = project.latest_deployment
        print(latest.url, latest.environment, latest.created_on)
        for d in cf.pages.projects.deployments.list(project.name, account_id=account_id, env="production"):
            print(d.id, d.short_id, d.deployment_trigger.metadata.branch)
    proj: Project = cf.pages.projects.create(
        account_id=account_id,
        name="docs",
        production_branch="main",
        build_config={"build_command": "npm run build", "destination_dir": "dist"},
    )
    print(proj.id)
    for script in cf.workers.scripts.list(account_id=account_id):
        print(script.id, script.usage_model, script.modified_on)
        for route in script.routes or []:
            print("  route", route.pattern)
    source = cf.workers.scripts.get("hello", account_id=account_id)
    reveal_type(source)  # R: str | bytes
    print(len(source))
    for ns in cf.kv.namespaces.list(account_id=account_id, per_page=100):
        print(ns.id, ns.title)
    value = cf.kv.namespaces.values.get("key", account_id=account_id, namespace_id="ns")
    reveal_type(value)  # R: bytes
    cf.dns.records.scan_trigger(zone_id=ZONE_ID)
    reveal_type(cf.dns.records.scan_trigger(zone_id=ZONE_ID))  # R: None


async def async_main() -> None:
    """The same with AsyncCloudflare: awaited calls, `async for` over pages, the first page awaited."""
    async with AsyncCloudflare(api_token=os.environ.get("CLOUDFLARE_API_TOKEN", "")) as cf:
        zone = await cf.zones.get(zone_id=ZONE_ID)
        reveal_type(zone)  # R: Zone
        async for z in cf.zones.list(status="active"):
            reveal_type(z)  # R: Zone
            print(z.name, z.plan.name)
        first = await cf.dns.records.list(zone_id=zone.id, per_page=10)
        for r in first.result:
            print(r.name)
        async for page in cf.dns.records.list(zone_id=zone.id).iter_pages():
            print(len(page.result))
        rec = await cf.dns.records.create(zone_id=zone.id, type="AAAA", name="v6", content="2001:db8::1", ttl=1)
        print(rec.id)
        v = await cf.user.tokens.verify()
        print(v.status)
        results = await asyncio.gather(cf.zones.get(zone_id=ZONE_ID), cf.user.tokens.verify())
        print(results[0].name, results[1].id)


def main() -> None:
    with Cloudflare(api_token=os.environ.get("CLOUDFLARE_API_TOKEN", "")) as cf:
        dns_records_crud(cf)
        print(zones_report(cf))
        verify_token(cf)
        pages_and_workers(cf, cf.account_id or "acc")
    asyncio.run(async_main())


if __name__ == "__main__":
    main()
