"""The flarekit quickstart in Python. Reads the environment like any flarekit program:
CLOUDFLARE_API_TOKEN (and CLOUDFLARE_BASE_URL for the emulator; unset it for the real API).
`make demo` runs it against the bundled emulator, which also provides the tokens of the error walkthrough
(FLAREKIT_DEMO_READ_ONLY_TOKEN, FLAREKIT_DEMO_EXPIRED_TOKEN).

Install with `pip install ./bindings-python`; the code is the same as with the official `cloudflare` SDK
apart from the import.
"""

from __future__ import annotations

import os

from flarekit import AuthenticationError, Cloudflare, MissingCredentialsError
from flarekit.types import Zone


def main() -> None:
    with Cloudflare() as cf:
        print(f"[python] client uses {cf.auth} at {cf.base_url}")

        status = cf.user.tokens.verify()
        print(f"[python] token {status.id} is {status.status}")

        zones: list[Zone] = []
        for zone in cf.zones.list():  # every page, fetched as the loop reaches it
            print(f"[python] zone {zone.name} ({zone.id})")
            zones.append(zone)
        if not zones:
            raise SystemExit("the token sees no zone")
        zone = zones[0]

        name = f"flarekit-python-demo.{zone.name}"
        created = cf.dns.records.create(zone_id=zone.id, type="A", name=name, content="192.0.2.10", ttl=300)
        print(f"[python] created {created.type} {created.name} -> {created.content}")

        found = cf.dns.records.list(zone_id=zone.id, name=name)
        print(f"[python] listed back {len(found.result)} record(s) named {name}")
        cf.dns.records.delete(created.id, zone_id=zone.id)
        print(f"[python] deleted {created.id}")

        # The typed errors: a token without permission, an expired token, and no credentials at all.
        for what, var in (
            ("read-only token", "FLAREKIT_DEMO_READ_ONLY_TOKEN"),
            ("expired token", "FLAREKIT_DEMO_EXPIRED_TOKEN"),
        ):
            token = os.environ.get(var)
            if not token:
                continue
            try:
                cf.with_options(api_token=token).dns.records.create(
                    zone_id=zone.id, type="A", name=name, content="192.0.2.11", ttl=1
                )
                raise SystemExit(f"expected an authentication error for the {what}")
            except AuthenticationError as e:
                print(f"[python] {what}: {type(e).__name__} (status {e.status_code}, cf-ray {e.ray_id}) -> {e}")

    try:
        Cloudflare(env={})  # an empty environment and no options
        raise SystemExit("expected MissingCredentialsError")
    except MissingCredentialsError as e:
        print(f"[python] no credentials: {type(e).__name__} -> {e}")


if __name__ == "__main__":
    main()
