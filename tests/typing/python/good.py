"""Typical flarekit code that must type-check under mypy --strict, with concrete result types."""

from __future__ import annotations

from flarekit import Cloudflare
from flarekit.types import RecordResponse, Zone


def main() -> None:
    cf = Cloudflare(api_token="x" * 40)
    zone: Zone = cf.zones.get(zone_id="023e105f4ecef8ad9ca31a8372d0c353")
    print(zone.name.upper(), zone.id)
    for z in cf.zones.list(per_page=50, status="active"):
        print(z.name)
    rec: RecordResponse = cf.dns.records.create(zone_id=zone.id, type="A", name="www", content="192.0.2.1", ttl=300)
    print(rec)
    cf.zones.edit(zone_id=zone.id, paused=True)
    tokens = cf.user.tokens.list()
    for t in tokens:
        print(t)
