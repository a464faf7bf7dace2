"""Everyday mistakes: mypy --strict must report an error on every line marked `# E`, and on no other line."""

from __future__ import annotations

from flarekit import Cloudflare


def main() -> None:
    cf = Cloudflare(api_token="x" * 40)
    zone = cf.zones.get(zone_id="023e105f4ecef8ad9ca31a8372d0c353")
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
