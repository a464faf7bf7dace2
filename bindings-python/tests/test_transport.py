"""Transport security end to end (issue 8, item 5), beyond what tests/vectors already covers: certificates are always
verified and a private CA is trusted only through ``ca_bundle``; ``http://`` to a non-loopback host is refused before
any connection; a 3xx is never followed (the host it names sees nothing); CR/LF in any credential is refused."""

from __future__ import annotations

import asyncio
import http.server
import pathlib
import socket
import ssl
import threading
from collections.abc import Iterator
from typing import Any

import flarekit
import pytest

TLS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "tls"
TOKEN = "tok-transport-canary-123"
KEY = "key-transport-canary-456"
EMAIL = "transport-canary@example.com"
USK = "v1.0-usk-transport-canary-789"
SCHEMES: dict[str, dict[str, str]] = {
    "token": {"api_token": TOKEN},
    "key": {"api_key": KEY, "api_email": EMAIL},
    "user_service_key": {"user_service_key": USK},
}
OK_BODY = b'{"success":true,"errors":[],"messages":[],"result":{"id":"u1"}}'


def client(cls: Any = flarekit.Cloudflare, **kw: Any) -> Any:
    kw.setdefault("api_token", TOKEN)
    kw.setdefault("max_retries", 0)
    kw.setdefault("env", {})
    return cls(**kw)


def assert_no_secret(text: str) -> None:
    for s in (TOKEN, KEY, EMAIL, USK):
        assert s not in text, "a credential appears in: %s" % text


# -- a loopback TLS server with the test certificate (tests/tls)


class TLSServer:
    """Accepts TCP, completes a TLS handshake with server.pem, answers each HTTP request with a success envelope.
    Counts connections, finished handshakes and HTTP requests."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(TLS / "server.pem", TLS / "server.key")
        self.sock = socket.create_server((host, 0), backlog=128)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.handshakes = 0
        self.requests = 0
        self.handshake_errors: list[str] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        try:
            tls = self.ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError) as e:
            with self.lock:
                self.handshake_errors.append(str(e))
            conn.close()
            return
        with self.lock:
            self.handshakes += 1
        try:
            buf = b""
            while b"\r\n\r\n" not in buf:
                chunk = tls.recv(4096)
                if not chunk:
                    return
                buf += chunk
            with self.lock:
                self.requests += 1
            tls.sendall(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
                b"connection: close\r\n\r\n%s" % (len(OK_BODY), OK_BODY)
            )
        except OSError:
            pass
        finally:
            tls.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture()
def tls_server() -> Iterator[TLSServer]:
    srv = TLSServer()
    yield srv
    srv.close()


@pytest.mark.parametrize("cls", [flarekit.Cloudflare, flarekit.AsyncCloudflare], ids=["sync", "async"])
def test_self_signed_server_refused_without_its_ca(tls_server: TLSServer, cls: Any) -> None:
    cf = client(cls, base_url="https://127.0.0.1:%d/client/v4" % tls_server.port)
    with pytest.raises(flarekit.APIConnectionError) as ei:
        out = cf.user.get()
        if cls is flarekit.AsyncCloudflare:
            asyncio.run(out)
    e = ei.value
    assert type(e) is flarekit.APIConnectionError, repr(e)
    assert "certificate" in str(e).lower(), str(e)
    assert e.status_code is None
    assert tls_server.connections >= 1, "the client did connect (the refusal is the certificate's)"
    assert tls_server.handshakes == 0 and tls_server.requests == 0, (
        "no HTTP request (and no credential) crossed an unverified connection"
    )
    assert_no_secret("%s %r" % (e, e))


@pytest.mark.parametrize("cls", [flarekit.Cloudflare, flarekit.AsyncCloudflare], ids=["sync", "async"])
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_private_ca_trusted_when_passed(tls_server: TLSServer, cls: Any, host: str) -> None:
    cf = client(cls, base_url="https://%s:%d/client/v4" % (host, tls_server.port), ca_bundle=str(TLS / "ca.pem"))
    out = cf.user.get()
    if cls is flarekit.AsyncCloudflare:
        out = asyncio.run(out)
    assert out.id == "u1"
    assert tls_server.requests == 1


def test_ca_bundle_takes_a_path_object_and_survives_copy(tls_server: TLSServer) -> None:
    base = "https://127.0.0.1:%d/client/v4" % tls_server.port
    trusted = client(base_url=base, ca_bundle=TLS / "ca.pem")
    assert trusted.get("/user").id == "u1"
    # copy() keeps the CA; a copy of a client without it does not gain it; copy(ca_bundle=...) adds it.
    assert trusted.copy(timeout=5).get("/user").id == "u1"
    plain = client(base_url=base)
    with pytest.raises(flarekit.APIConnectionError, match=r"(?i)certificate"):
        plain.copy(timeout=5).get("/user")
    assert plain.with_options(ca_bundle=str(TLS / "ca.pem")).get("/user").id == "u1"
    assert tls_server.requests == 3


def test_ca_bundle_does_not_turn_off_hostname_checks() -> None:
    # The certificate names localhost and 127.0.0.1; a trusted CA does not make it valid for 127.0.0.2.
    try:
        srv = TLSServer("127.0.0.2")
    except OSError:
        pytest.skip("cannot listen on 127.0.0.2")
    try:
        cf = client(base_url="https://127.0.0.2:%d/client/v4" % srv.port, ca_bundle=TLS / "ca.pem")
        with pytest.raises(flarekit.APIConnectionError, match=r"(?i)certificate") as ei:
            cf.get("/user")
        assert type(ei.value) is flarekit.APIConnectionError
        assert srv.connections >= 1 and srv.handshakes == 0 and srv.requests == 0
    finally:
        srv.close()


@pytest.mark.parametrize(
    "bundle,needle",
    [
        ("/nonexistent/ca.pem", "cannot be read"),
        (str(TLS), "cannot be read"),  # a directory
        (str(TLS / "README.md"), "PEM"),  # readable, but no certificate in it
        (str(TLS / "server.key"), "PEM"),  # PEM, but a key
    ],
    ids=["missing", "directory", "not-pem", "key-not-certificate"],
)
def test_unreadable_ca_bundle_is_a_configuration_error(bundle: str, needle: str) -> None:
    with pytest.raises(flarekit.ConfigurationError, match=needle) as ei:
        client(ca_bundle=bundle)
    assert isinstance(ei.value, ValueError)
    with pytest.raises(flarekit.ConfigurationError, match=needle):
        client().copy(ca_bundle=bundle)


def test_ca_bundle_of_the_wrong_type() -> None:
    with pytest.raises(flarekit.ConfigurationError, match="ca_bundle must be a path"):
        client(ca_bundle=42)


# -- http:// only to loopback, refused before connecting


def _non_loopback_ipv4() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.123", 9))  # no packet is sent: this only picks the outgoing interface
            ip: str = s.getsockname()[0]
        except OSError:
            return None
    return None if ip.startswith("127.") or ip == "0.0.0.0" else ip


@pytest.mark.parametrize(
    "host",
    ["api.example.com", "0.0.0.0", "127.0.0.1.nip.io", "localhost.example.com", "[::ffff:10.0.0.1]", "10.0.0.1"],
)
def test_http_to_non_loopback_hosts_refused(host: str) -> None:
    url = "http://%s:8787/client/v4" % host
    for make in (
        lambda: client(base_url=url),
        lambda: client(env={"CLOUDFLARE_BASE_URL": url}),
        lambda: client().copy(base_url=url),
    ):
        with pytest.raises(flarekit.ConfigurationError, match="non-loopback") as ei:
            make()
        assert_no_secret("%s %r" % (ei.value, ei.value))


def test_http_to_a_real_non_loopback_address_never_connects() -> None:
    ip = _non_loopback_ipv4()
    if ip is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    listener = socket.create_server((ip, 0), backlog=128)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    url = "http://%s:%d/client/v4" % (ip, port)
    try:
        with pytest.raises(flarekit.ConfigurationError, match="non-loopback"):
            client(base_url=url)
        with pytest.raises(flarekit.ConfigurationError, match="non-loopback"):
            client(env={"CLOUDFLARE_BASE_URL": url, "CLOUDFLARE_API_TOKEN": TOKEN})
        with pytest.raises(flarekit.ConfigurationError, match="non-loopback"):
            client().with_options(base_url=url)
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()


# -- redirects are never followed


class _Counting(http.server.BaseHTTPRequestHandler):
    seen: list[dict[str, str]]
    status = 200
    location = ""

    def _answer(self) -> None:
        n = int(self.headers.get("content-length") or 0)
        if n:
            self.rfile.read(n)
        self.seen.append({k.lower(): v for k, v in self.headers.items()})
        body = b"" if self.status != 200 else OK_BODY
        self.send_response(self.status)
        if self.location:
            self.send_header("location", self.location)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True


def _serve(status: int, location: str = "") -> tuple[_Server, list[dict[str, str]]]:
    seen: list[dict[str, str]] = []
    handler = type("H", (_Counting,), {"seen": seen, "status": status, "location": location})
    srv = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return srv, seen


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_never_followed(scheme: str, status: int) -> None:
    other, other_seen = _serve(200)
    target = "http://127.0.0.1:%d/client/v4/user" % other.server_address[1]
    first, first_seen = _serve(status, target)
    try:
        creds = SCHEMES[scheme]
        cf = flarekit.Cloudflare(
            base_url="http://127.0.0.1:%d/client/v4" % first.server_address[1], max_retries=2, env={}, **creds
        )
        for call in (lambda: cf.user.get(), lambda: cf.post("/zones", body={"name": "example.com"})):
            with pytest.raises(flarekit.APIStatusError) as ei:
                call()
            e = ei.value
            assert type(e) is flarekit.APIStatusError, repr(e)
            assert e.status_code == status
            assert e.headers.get("location") == target
            assert e.attempts == 1
            assert_no_secret("%s %r %r" % (e, e, vars(e)))
        assert len(first_seen) == 2, "one request per call, no retry of a 3xx"
        assert other_seen == [], "the host named in Location saw no request (and no credential)"
    finally:
        for srv in (first, other):
            srv.shutdown()
            srv.server_close()


def test_redirect_not_followed_async() -> None:
    other, other_seen = _serve(200)
    first, first_seen = _serve(307, "http://127.0.0.1:%d/client/v4/user" % other.server_address[1])
    try:
        cf = client(flarekit.AsyncCloudflare, base_url="http://127.0.0.1:%d/client/v4" % first.server_address[1])
        with pytest.raises(flarekit.APIStatusError) as ei:
            asyncio.run(cf.user.get())
        assert ei.value.status_code == 307
        assert len(first_seen) == 1 and other_seen == []
    finally:
        for srv in (first, other):
            srv.shutdown()
            srv.server_close()


# -- CR/LF (and other header-breaking characters) in any credential


_COMPANION = {"api_key": {"api_email": EMAIL}, "api_email": {"api_key": KEY}}
_ENV = {
    "api_token": "CLOUDFLARE_API_TOKEN",
    "api_key": "CLOUDFLARE_API_KEY",
    "api_email": "CLOUDFLARE_EMAIL",
    "user_service_key": "CLOUDFLARE_API_USER_SERVICE_KEY",
}
_GOOD = {"api_token": TOKEN, "api_key": KEY, "api_email": EMAIL, "user_service_key": USK}


@pytest.mark.parametrize("bad", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "cr"])
@pytest.mark.parametrize("option", list(_ENV))
def test_line_break_in_any_credential_refused(option: str, bad: str) -> None:
    good = _GOOD[option]
    value = good[:8] + bad + "X-Evil: 1" + bad + good[8:]
    # As an option, from the environment, and through copy().
    with pytest.raises(flarekit.ConfigurationError, match="line break") as ei:
        flarekit.Cloudflare(env={}, **{option: value, **_COMPANION.get(option, {})})
    assert option in str(ei.value)
    errors = [ei.value]
    env = {_ENV[option]: value}
    for k, v in _COMPANION.get(option, {}).items():
        env[_ENV[k]] = v
    with pytest.raises(flarekit.ConfigurationError, match="line break") as ei:
        flarekit.Cloudflare(env=env)
    assert _ENV[option] in str(ei.value)
    errors.append(ei.value)
    with pytest.raises(flarekit.ConfigurationError, match="line break") as ei:
        client().copy(**{option: value, **_COMPANION.get(option, {})})
    errors.append(ei.value)
    for e in errors:
        assert "X-Evil" not in str(e) and good[:8] not in str(e), "the value is not echoed: %s" % e
        assert_no_secret("%s %r %r" % (e, e, vars(e)))


class _RefusingProxy:
    """A loopback HTTP proxy that answers every CONNECT with 502 and records the request lines."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.lines: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    head += chunk
                self.lines.append(head.split(b"\r\n", 1)[0].decode())
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")


@pytest.mark.parametrize("source", ["option", "HTTPS_PROXY"])
def test_a_refused_tunnel_is_explained(source: str) -> None:
    proxy = _RefusingProxy()
    url = "http://someone:pr0xy-pass-word@127.0.0.1:%d" % proxy.port
    kw: dict[str, Any] = {"proxy": url} if source == "option" else {"env": {"HTTPS_PROXY": url}}
    cf = client(base_url="https://api.cloudflare.com/client/v4", **kw)
    with pytest.raises(flarekit.APIConnectionError) as ei:
        cf.get("/user")
    label = "proxy" if source == "option" else "HTTPS_PROXY"
    assert "the proxy at %s (http://***@127.0.0.1:%d) answered 502 to CONNECT api.cloudflare.com:443" % (
        label,
        proxy.port,
    ) in str(ei.value)
    assert "pr0xy-pass-word" not in str(ei.value) + repr(ei.value) + repr(cf)
    assert proxy.lines and set(proxy.lines) == {"CONNECT api.cloudflare.com:443 HTTP/1.1"}
    proxy.sock.close()
