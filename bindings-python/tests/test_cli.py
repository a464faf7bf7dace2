"""The `flarekit` console script the package installs: the Rust command of the cli crate, run from the native module.

Run as a user runs it (a subprocess of the venv's script) against the emulator: exit codes, JSON output, and no
secret anywhere but the one value a creation prints on stdout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from typing import Any

import pytest

SCRIPT = shutil.which("flarekit", path=os.path.dirname(sys.executable))


def run(emu: Any, *args: str, token: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    assert SCRIPT, "the package installs a flarekit console script beside the interpreter"
    base = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDFLARE_")}
    base["CLOUDFLARE_BASE_URL"] = emu.base_url
    if token is not None:
        base["CLOUDFLARE_API_TOKEN"] = token
    base.update(env)
    return subprocess.run([SCRIPT, *args], env=base, capture_output=True, text=True, timeout=60)


def no_secret(p: subprocess.CompletedProcess[str], *secrets: str) -> None:
    for s in secrets:
        assert s not in p.stdout and s not in p.stderr


def test_whoami_json_and_exit_codes(emu: Any) -> None:
    admin = emu.token("Admin")
    p = run(emu, "whoami", "--json", token=admin)
    assert p.returncode == 0, p.stderr
    who = json.loads(p.stdout)
    assert who["scheme"] == "api_token" and who["source"] == "CLOUDFLARE_API_TOKEN"
    assert who["token"]["owner"] == "user" and who["token"]["status"] == "active"
    no_secret(p, admin)

    expired = emu.token("Expired")
    p = run(emu, "token", "verify", token=expired)
    assert p.returncode == 4, (p.returncode, p.stderr)
    assert p.stdout == "" and len(p.stderr.strip().splitlines()) == 1
    no_secret(p, expired)

    p = run(emu, "whoami")
    assert p.returncode == 4 and "CLOUDFLARE_API_TOKEN" in p.stderr  # no credentials at all

    p = run(emu, "token", "create", "--name", "x", token=admin)  # --allow is required
    assert p.returncode == 2 and p.stderr.startswith("flarekit: ")

    p = run(emu, "--help")
    assert p.returncode == 0 and "whoami" in p.stdout


def test_create_prints_the_value_once_and_revoke(emu: Any) -> None:
    emu.reset(state=True)
    admin = emu.token("Admin")
    p = run(
        emu,
        "token",
        "create",
        "--name",
        "cli job",
        "--allow",
        "DNS Write@zone:example.com",
        "--ip-allow",
        "127.0.0.0/8",
        "--ttl",
        "1h",
        token=admin,
    )
    assert p.returncode == 0, p.stderr
    value = p.stdout.strip()
    assert len(value) >= 40 and p.stdout.count(value) == 1 and value not in p.stderr
    no_secret(p, admin)

    p = run(emu, "whoami", "--json", token=value)
    assert p.returncode == 0, p.stderr
    token_id = json.loads(p.stdout)["token"]["id"]
    no_secret(p, value)

    p = run(emu, "token", "revoke", token_id, token=admin)
    assert p.returncode == 0, p.stderr
    p = run(emu, "token", "verify", token=value)
    assert p.returncode == 4
    no_secret(p, value)


@pytest.mark.parametrize("args", [["api", "/zones"], ["call", "zones.list"]])
def test_api_and_call(emu: Any, args: list[str]) -> None:
    p = run(emu, *args, token=emu.token("Read only"))
    assert p.returncode == 0, p.stderr
    assert any(z["name"] == "example.com" for z in json.loads(p.stdout))


def test_the_python_tokens_api_matches(emu: Any) -> None:
    """`cf.tokens` and the command resolve the same spec to the same body (one core)."""
    import flarekit

    admin = emu.token("Admin")
    spec = ["--name", "same", "--allow", "Zone Read@zone:example.com", "--expires-on", "2031-01-01T00:00:00Z"]
    p = run(emu, "token", "create", "--dry-run", *spec, token=admin)
    assert p.returncode == 0, p.stderr
    with flarekit.Cloudflare(api_token=admin, base_url=emu.base_url) as cf:
        plan = cf.tokens.create(
            name="same", allow="Zone Read@zone:example.com", expires_on="2031-01-01T00:00:00Z", dry_run=True
        )
    assert json.loads(p.stdout)["body"] == plan["body"]
