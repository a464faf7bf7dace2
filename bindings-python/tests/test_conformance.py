"""Conformance with Cloudflare's own spec (issue 8, item 6): each of the 18 operations of
``../shared/cloudflare-api/subset.openapi.json``, called by name from tests/conformance/cases.json, against Prism
serving that spec. Prism reports a request that breaks the spec in an ``sl-violations`` response header; an operation
called by name returns only its result, so the calls go through a loopback proxy in front of Prism that records each
response's status and that header. A case passes when there is exactly one exchange, Prism reports no request-side
violation (its reports about its own generated responses and the known quirks a case lists are ignored), and the
response decodes. The Python twin of core/tests/conformance.rs; skipped, saying why, when ``../shared`` is absent or
Prism is not installed (``make conformance-deps``)."""

from __future__ import annotations

import functools
import http.client
import http.server
import json
import pathlib
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from typing import Any

import flarekit
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "cloudflare-api" / "subset.openapi.json"
PRISM = ROOT / "tests" / "conformance" / "node_modules" / ".bin" / "prism"
DOC = json.loads((ROOT / "tests" / "conformance" / "cases.json").read_text())
CASES: list[dict[str, Any]] = DOC["cases"]
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "host"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


class Exchange:
    def __init__(self, method: str, path: str, status: int, violations: str | None) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.violations = violations

    def __repr__(self) -> str:
        return "%s %s -> %d (sl-violations: %s)" % (self.method, self.path, self.status, self.violations)


class RecordingProxy:
    """Forwards every request to Prism unchanged and relays the answer; records status and ``sl-violations``."""

    def __init__(self, upstream_port: int) -> None:
        self.seen: list[Exchange] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _body(self) -> bytes:
                if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
                    out = b""
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                        if size == 0:
                            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                                pass
                            return out
                        out += self.rfile.read(size)
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("content-length") or 0))

            def _forward(self) -> None:
                body = self._body()
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                if body or self.command in ("POST", "PUT", "PATCH"):
                    headers["content-length"] = str(len(body))
                conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
                try:
                    conn.request(self.command, self.path, body=body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                    proxy.seen.append(Exchange(self.command, self.path, resp.status, resp.getheader("sl-violations")))
                    self.send_response(resp.status)
                    for k, v in resp.getheaders():
                        if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                            self.send_header(k, v)
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    conn.close()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

            def log_message(self, *args: Any) -> None:
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.base_url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def prism() -> Iterator[RecordingProxy]:
    if not SPEC.exists():
        pytest.skip("conformance skipped: %s is absent" % SPEC)
    if not PRISM.exists():
        pytest.skip("conformance skipped: Prism is not installed (run `make conformance-deps`)")
    port = _free_port()
    proc = subprocess.Popen(
        [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(SPEC)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    proxy = None
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, "prism exited with %s" % proc.returncode
                assert time.monotonic() < deadline, "prism did not start within 30 s"
                time.sleep(0.1)
        proxy = RecordingProxy(port)
        yield proxy
    finally:
        if proxy is not None:
            proxy.close()
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def request_violations(raw: str | None, allowed: list[list[str]]) -> list[Any]:
    """Prism's ``sl-violations`` about the request (not about its own generated response), minus known quirks."""
    if raw is None:
        return []
    try:
        found = json.loads(raw)
    except ValueError:
        return [raw]
    return [v for v in found if (v.get("location") or [None])[0] != "response" and v.get("location") not in allowed]


def client(base_url: str, auth: str) -> flarekit.Cloudflare:
    creds = DOC["credentials"]
    if auth == "key":
        return flarekit.Cloudflare(
            base_url=base_url, max_retries=0, page_prefetch=0, env={}, api_key=creds["key"], api_email=creds["email"]
        )
    # One request per call (no page fetched ahead), so each operation's request stands alone.
    return flarekit.Cloudflare(base_url=base_url, max_retries=0, page_prefetch=0, env={}, api_token=creds["token"])


def test_the_subset_has_18_cases() -> None:
    assert len(CASES) == 18
    assert len({c["operation"] for c in CASES}) == 18


@pytest.mark.parametrize("case", CASES, ids=[c["operation"] for c in CASES])
def test_operation_conforms_to_the_spec(prism: RecordingProxy, case: dict[str, Any]) -> None:
    op = case["operation"]
    allowed: list[list[str]] = case.get("allowed_request_violations", [])
    cf = client(prism.base_url, case.get("auth", "token"))
    method: Any = functools.reduce(getattr, op.split("."), cf)  # by name: "dns.records.edit" is cf.dns.records.edit
    before = len(prism.seen)
    error: flarekit.CloudflareError | None = None
    try:
        out = method(*case.get("positional", []), **case.get("params", {}))
    except flarekit.CloudflareError as e:
        error = e
    seen = prism.seen[before:]
    assert len(seen) == 1, "%s: expected one request (max_retries=0, first page only), got %s" % (op, seen)
    violations = request_violations(seen[0].violations, allowed)
    assert not violations, "%s: our request broke the spec: %s" % (op, violations)
    if error is None:
        if isinstance(out, flarekit.SyncPage):
            assert isinstance(out.result, list), "%s: a page without a list of items: %r" % (op, out)
        assert 200 <= seen[0].status < 300, seen[0]
    else:
        # A status error whose only cause is an allowed Prism quirk still decoded as a typed error.
        assert allowed and isinstance(error, flarekit.APIStatusError), "%s: %r" % (op, error)
        assert error.status_code == seen[0].status
        assert error.headers.get("sl-violations") == seen[0].violations, "the proxy relays Prism's headers as sent"
