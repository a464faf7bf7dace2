"""A typical maintenance script, typed as a user would: bench/run.py times `mypy --strict` on it (the same code as
script_official.py but for the imports). Never run: only type-checked."""

from __future__ import annotations

import os

from flarekit import Cloudflare
from flarekit.types import RecordResponse, ScriptListResponse, TokenVerifyResponse, Zone


def active_zones(cf: Cloudflare, account_id: str) -> list[Zone]:
    return [z for z in cf.zones.list(account={"id": account_id}, status="active", per_page=50)]


def point_www(cf: Cloudflare, zone: Zone, address: str) -> RecordResponse | None:
    rec = cf.dns.records.create(zone_id=zone.id, type="A", name="www", content=address, ttl=300, proxied=True)
    if rec is None:
        return None
    new = cf.dns.records.update(rec.id, zone_id=zone.id, type="A", name="www", content=address, ttl=1, tags=["t:x"])
    cf.dns.records.delete(rec.id, zone_id=zone.id)
    return new


def worker_names(cf: Cloudflare, account_id: str) -> list[str]:
    scripts: list[ScriptListResponse] = list(cf.workers.scripts.list(account_id=account_id))
    return sorted(s.id or "?" for s in scripts if s.created_on)


def main() -> None:
    cf = Cloudflare(api_token=os.environ["CLOUDFLARE_API_TOKEN"], max_retries=3)
    status: TokenVerifyResponse | None = cf.user.tokens.verify()
    if status is None or status.status != "active":
        raise SystemExit("the token is not active")
    account_id = os.environ["CLOUDFLARE_ACCOUNT_ID"]
    for zone in active_zones(cf, account_id):
        rec = point_www(cf, zone, "192.0.2.1")
        print(zone.name, zone.status, rec.name if rec else "-", rec.ttl if rec else 0)
    for name in worker_names(cf, account_id):
        print("worker", name)
