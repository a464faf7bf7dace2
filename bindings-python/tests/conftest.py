"""The bundled emulator, started once per session on port 0, with its admin API (faults, request log, reset)."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _emulator_binary() -> Path:
    explicit = os.environ.get("FLAREKIT_EMULATOR")
    if explicit:
        return Path(explicit)
    triple = os.environ.get("CARGO_BUILD_TARGET", "x86_64-unknown-linux-gnu")
    candidates = [
        ROOT / "target" / triple / "debug" / "flarekit-emulator",
        ROOT / "target" / "debug" / "flarekit-emulator",
    ]
    for c in candidates:
        if c.exists():
            return c
    subprocess.run(["cargo", "build", "-p", "flarekit-emulator"], cwd=ROOT, check=True)
    for c in candidates:
        if c.exists():
            return c
    raise RuntimeError("flarekit-emulator was not built (cargo build -p flarekit-emulator)")


class Emulator:
    """A running flarekit-emulator and its demo credentials."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [str(_emulator_binary()), "--port", "0", "--reveal-secrets"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        ready = threading.Event()

        def pump() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
                if line.startswith("user service key:"):
                    ready.set()
            ready.set()

        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(30):
            self.proc.kill()
            raise RuntimeError("the emulator did not start: %s" % "\n".join(self.lines))
        first = self.lines[0] if self.lines else ""
        prefix = "flarekit-emulator listening on "
        if not first.startswith(prefix):
            self.proc.kill()
            raise RuntimeError("unexpected emulator banner: %s" % "\n".join(self.lines))
        self.base_url = first[len(prefix) :].strip()
        self.origin = self.base_url[: -len("/client/v4")]
        self.tokens: dict[str, str] = {}
        for line in self.lines[1:]:
            if line.startswith('api token "'):
                name, _, value = line[len('api token "') :].partition('": ')
                self.tokens[name] = value.strip()
            elif line.startswith("global api key: "):
                parts = line.split()
                self.api_key = parts[3]
                self.api_email = parts[5]
            elif line.startswith("user service key: "):
                self.user_service_key = line.split(": ", 1)[1].strip()

    def token(self, prefix: str) -> str:
        for name, value in self.tokens.items():
            if name.startswith(prefix):
                return value
        raise KeyError(prefix)

    # -- admin API

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.origin + "/__emulator" + path, data=data, method=method)
        if data is not None:
            req.add_header("content-type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as resp:
            text = resp.read().decode()
        return json.loads(text) if text else None

    def reset(self, state: bool = False) -> None:
        self.admin("POST", "/reset", {"state": True} if state else {})

    def fault(self, fault: dict[str, Any], *, path: str = "/*", method: str = "*", times: int = 1) -> None:
        self.admin("POST", "/faults", {"method": method, "path": path, "times": times, "fault": fault})

    def queue(self, response: dict[str, Any]) -> None:
        """Queue one scripted response (a vector's `responses` entry) for the next request, whatever its path."""
        fault: dict[str, Any] = {}
        if isinstance(response.get("fault"), dict):
            fault = dict(response["fault"])
        elif "drop" in response:
            fault["drop"] = response["drop"]
        else:
            fault["status"] = response.get("status", 200)
            if "headers" in response:
                fault["headers"] = response["headers"]
            if "json" in response:
                fault["body"] = response["json"]
            elif "text" in response:
                fault["body"] = response["text"]
            elif "body_hex" in response:
                fault["body_hex"] = response["body_hex"]
            else:
                fault["body"] = ""
        if "delay_ms" in response:
            fault["delay_ms"] = response["delay_ms"]
        self.fault(fault)

    def requests(self, path: str | None = None) -> list[dict[str, Any]]:
        q = "" if path is None else "?path=" + urllib.request.quote(path, safe="/*")
        out: list[dict[str, Any]] = self.admin("GET", "/requests" + q)["requests"]
        return out

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def emulator() -> Any:
    emu = Emulator()
    yield emu
    emu.stop()


@pytest.fixture()
def emu(emulator: Emulator) -> Emulator:
    """The emulator with its demo state reloaded, no faults and an empty request log."""
    emulator.reset(state=True)
    return emulator


@pytest.fixture()
def wait_for() -> Any:
    def wait(pred: Any, timeout: float = 5.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if pred():
                return True
            time.sleep(0.01)
        return bool(pred())

    return wait
