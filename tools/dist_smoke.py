"""An installed flarekit works: run by `make test-dist` (tools/dist.py) in a venv holding only the wheel, and by the
release workflow after installing each platform's wheel. The emulator (in the wheel), a paged list, a write and a
read, the `flarekit` console script against it, `flarekit --help`, the pytest plugin's entry point."""

import importlib.metadata
import json
import os
import subprocess
import sys
import sysconfig

import flarekit
from flarekit.testing import ADMIN_TOKEN_NAME, Emulator

eps = importlib.metadata.entry_points()
plugins = eps.select(group="pytest11") if hasattr(eps, "select") else eps.get("pytest11", [])
assert any(ep.value == "flarekit.testing.pytest_plugin" for ep in plugins), "no pytest11 entry point for flarekit"

site = os.path.realpath(sysconfig.get_paths()["purelib"])
assert os.path.realpath(flarekit.__file__).startswith(site), f"flarekit comes from {flarekit.__file__}, not {site}"
with Emulator() as emu:
    cf = emu.client()
    zones = [z.name for z in cf.zones.list()]
    assert zones, "the demo seed has zones"
    rec = cf.dns.records.create(zone_id=emu.zone_id, type="A", name="dist-check", content="192.0.2.7")
    assert cf.dns.records.get(rec.id, zone_id=emu.zone_id).content == "192.0.2.7"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDFLARE_")}
    env.update(CLOUDFLARE_BASE_URL=emu.base_url, CLOUDFLARE_API_TOKEN=emu.tokens[ADMIN_TOKEN_NAME])
    out = subprocess.run(["flarekit", "whoami", "--json"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    who = json.loads(out.stdout)
help_out = subprocess.run(["flarekit", "--help"], capture_output=True, text=True)
assert help_out.returncode == 0 and "whoami" in help_out.stdout, help_out
print(
    f"python {sys.version.split()[0]}: flarekit from {os.path.dirname(flarekit.__file__)}; zones {zones}; "
    f"a DNS record created and read; `flarekit whoami --json` -> {who.get('scheme')}; `flarekit --help` ok; "
    "the pytest plugin registered"
)
