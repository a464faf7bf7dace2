"""Everyday mistakes: mypy --strict and pyright (strict) must each report an error on every line marked `# E`, and
on no other line; each `# R: <type>` must reveal that type (never Any / Unknown). Never run: run.py reads it."""

from __future__ import annotations

from flarekit import AsyncCloudflare, Cloudflare

ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"


def main() -> None:
    cf = Cloudflare(api_token="x" * 40)
    zone = cf.zones.get(zone_id=ZONE_ID)
    print(zone.nmae)  # E: a misspelled attribute
    cf.dns.records.create(zone_id=zone.id, type="A", name="www", content="192.0.2.1", ttl="auto")  # E: ttl is a number
    cf.zones.list(per_page="twenty")  # E: per_page is a number
    cf.zones.edit(zone_id=zone.id, paused=True, colour="blue")  # E: an unknown body field
    cf.zones.create(name="example.com", account={"id": "a"}, type="enterprise")  # E: a zone type that does not exist
    cf.user.tokens.create(name="ci", policies="all")  # E: policies is a list of policies
    cf.zones.list(direction="up")  # E: a wrong enum literal
    cf.dns.records.get(zone_id=zone.id)  # E: the record id is missing
    cf.zones.create(name="example.com", account="a")  # E: account is an object
    cf.zones.edit(zone_id=zone.id, paused="yes")  # E: paused is a bool
    reveal_type(zone)  # R: Zone


def nested_and_params(cf: Cloudflare) -> None:
    zone = cf.zones.get(zone_id=ZONE_ID)
    print(zone.owner.emial)  # E: a misspelled attribute of a nested model
    print(zone.plan.price + "1")  # E: a nested field's type (price is a number)
    cf.zones.create(name="example.com", account={"id": 42})  # E: a nested field of the wrong type
    cf.zones.create(name="example.com", account={"idd": "a"})  # E: an unknown key in a nested object
    cf.dns.records.list()  # E: the zone id (a required path parameter) is missing
    cf.dns.records.delete(zone_id=ZONE_ID)  # E: the record id (a required path parameter) is missing
    cf.dns.records.list(zone_id=ZONE_ID, order="size")  # E: a wrong enum literal in a query parameter
    cf.zones.list(status="live")  # E: a zone status that does not exist
    cf.dns.records.list(zone_id=ZONE_ID, name={"startswith": 3})  # E: a filter's value is a string
    cf.dns.records.list(zone_id=ZONE_ID, name={"beginswith": "www"})  # E: a filter that does not exist
    cf.zones.list(per_pgae=5)  # E: an unknown keyword
    cf.dns.records.create(zone_id=ZONE_ID, type="AAAA", name="v6", ttl=1, contents="::1")  # E: an unknown body field
    cf.dns.records.create(zone_id=ZONE_ID, type="SPF", name="@", content="v=spf1", ttl=1)  # E: a record type not in the API
    cf.dns.records.create(zone_id=ZONE_ID, type="MX", name="@", content="mx", ttl=1, priority="high")  # E: priority
    cf.dns.records.create(zone_id=ZONE_ID, type="CAA", name="@", ttl=1, data={"flags": "0"})  # E: a nested number
    cf.pages.projects.create(name="docs", production_branch="main", build_config={"build_caching": "yes"})  # E: a bool
    cf.pages.projects.create(name="docs")  # E: production_branch is required
    cf.user.tokens.create(name="ci", policies=[{"effect": "permit", "permission_groups": [], "resources": {}}])  # E
    cf.workers.scripts.list(account_id=42)  # E: account_id is a string


def results(cf: Cloudflare) -> None:
    for z in cf.zones.list():
        reveal_type(z)  # R: Zone
        print(z.nmae)  # E: a misspelled attribute of a page item
    record = cf.dns.records.get("r1", zone_id=ZONE_ID)
    print(record.ttl.upper())  # E: ttl is a number
    n: int = cf.dns.records.export(zone_id=ZONE_ID)  # E: the zone file is text
    pdf: str = cf.addressing.loa_documents.get("d1", account_id="a1")  # E: a PDF is bytes
    reveal_type(cf.addressing.loa_documents.get("d1", account_id="a1"))  # R: bytes
    cf.dns.records.scan_trigger(zone_id=ZONE_ID).id  # E: it returns nothing
    verified = cf.user.tokens.verify()
    if verified.status == "revoked":  # E: a status the API never returns
        print(verified.id)
    page = cf.zones.list()
    print(page.result[0].nmae)  # E: a misspelled attribute of a page's item
    for deployment in cf.pages.projects.deployments.list("docs", account_id="a1"):
        print(deployment.urll)  # E: a misspelled attribute of a page item


async def asynchronous() -> None:
    acf = AsyncCloudflare(api_token="x" * 40)
    zone = await acf.zones.get(zone_id=ZONE_ID)
    reveal_type(zone)  # R: Zone
    print(zone.nmae)  # E: a misspelled attribute
    print(acf.zones.get(zone_id=ZONE_ID).name)  # E: the call is not awaited
    async for z in acf.zones.list(status="active"):
        reveal_type(z)  # R: Zone
        print(z.owner.emial)  # E: a misspelled nested attribute
    for _ in acf.zones.list():  # E: an async paginator needs `async for`
        break
    await acf.dns.records.create(zone_id=zone.id, type="A", name="www", content="192.0.2.1", ttl="auto")  # E: ttl
    await acf.zones.list(per_page="ten")  # E: per_page is a number
    async for image in acf.images.v1.list(account_id="acc"):
        print(image.file_name)  # E: the items of a list keyed `images` are typed too
    await acf.dns.records.get(zone_id=zone.id)  # E: the record id is missing
