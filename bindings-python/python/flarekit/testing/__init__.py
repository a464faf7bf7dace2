"""Test your Cloudflare code against a local Cloudflare API: ``flarekit-emulator``, in this process.

::

    from flarekit.testing import Emulator

    with Emulator() as emu:  # 127.0.0.1, a free port, the demo seed
        cf = emu.client()  # a flarekit.Cloudflare with the demo admin token
        zone = cf.zones.create(name="shop.example", account={"id": emu.account_id})
        emu.fault(429, headers={"retry-after": "1"}, path="/zones*", times=1)
        emu.requests(path="/zones*")  # what your code sent (credentials masked)
        emu.audit_log()  # what it changed

The emulator is the Rust crate ``flarekit-emulator``, linked into the native extension: no binary to find, no
subprocess. It keeps its state in memory and enforces tokens, permissions and the real error codes (see the
emulator's README for what it answers). Fault injection, the request log and reset go through its admin API; the
pytest plugin (``flarekit.testing.pytest_plugin``, registered as ``flarekit``) adds the ``cloudflare_emulator``
fixtures. ``import flarekit`` does not load this module.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional, TypedDict, Union

from .. import _native

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Literal

    from typing_extensions import Self

    from .._client import AsyncCloudflare, Cloudflare

__all__ = ["ADMIN_TOKEN_NAME", "Emulator", "LoggedRequest", "demo_seed"]

#: The demo seed's token with every permission; ``Emulator.client()`` uses it when the seed has it.
ADMIN_TOKEN_NAME = "Admin: everything"

# Sent by the emulator's own helper requests (``audit_log()``), so ``requests()`` can leave them out.
_INTERNAL_HEADER = "x-flarekit-testing"
_CREDENTIAL_OPTIONS = ("api_token", "api_key", "api_email", "user_service_key")
# The only variable of the environment that reaches ``emu.client()`` unless ``env=`` says otherwise: credentials,
# base URL or account id of the machine running the tests never leak into them.
_ENV_PASSED = ("CLOUDFLARE_LOG",)

Seed = Union[Mapping[str, Any], str, "os.PathLike[str]", None]


class _LoggedRequestFields(TypedDict):
    seq: int
    method: str
    path: str
    query: Optional[str]
    headers: dict[str, str]
    status: Optional[int]


class LoggedRequest(_LoggedRequestFields, total=False):
    """One request the emulator served: ``seq`` (arrival order from 1), ``method``, ``path`` (the full path,
    ``/client/v4/zones``), ``query`` (raw, or ``None``), ``headers`` (lower-case names; ``authorization``,
    ``x-auth-key`` and ``x-auth-user-service-key`` values are ``***``), ``status`` (``None`` when the connection was
    dropped before headers), and ``body`` (UTF-8 text, up to 64 KiB) or ``body_base64`` (other bytes), when sent."""

    body: str
    body_base64: str


def _seed_json(seed: Seed) -> Optional[str]:
    if seed is None:
        return None
    if isinstance(seed, Mapping):
        return json.dumps(seed)
    if isinstance(seed, str) and seed.lstrip().startswith("{"):
        return seed
    if isinstance(seed, (str, os.PathLike)):
        with open(os.fspath(seed), encoding="utf-8") as f:
            return f.read()
    raise TypeError("seed must be a dict, JSON text or a path to a JSON file, not %s" % type(seed).__name__)


def demo_seed() -> dict[str, Any]:
    """The built-in demo seed as a dict (record ids filled in): a starting point for a custom seed.

    ::

        seed = demo_seed()
        seed["zones"][0]["dns_records"].append({"type": "A", "name": "api", "content": "192.0.2.50"})
        with Emulator(seed=seed) as emu: ...
    """
    emu = _native.start_emulator(None, "127.0.0.1", 0)
    try:
        out: dict[str, Any] = json.loads(emu.seed_json)
    finally:
        emu.stop()
    return out


class Emulator:
    """A local Cloudflare API v4, started in this process on construction (``host``, default ``127.0.0.1``;
    ``port`` 0, the default, picks a free one) from ``seed`` (the demo seed when ``None``; a dict, JSON text, or a
    path to a JSON file in the format of the emulator's README). A seed the emulator refuses raises
    :class:`flarekit.InvalidArgumentError` saying what is wrong; an address it cannot bind,
    :class:`flarekit.APIConnectionError`.

    Use it as a context manager (``with`` or ``async with``), or call :meth:`stop`; it also stops when garbage
    collected. Each instance has its own state, so tests can run in parallel with one each.

    The admin methods (:meth:`fault`, :meth:`requests`, :meth:`reset`...) are plain calls to a server on loopback
    that answers in well under a millisecond; they are fine inside async tests too.
    """

    __slots__ = ("__weakref__", "_admin_client", "_base_path", "_ca_path", "_native", "_seed")

    def __init__(
        self, seed: Seed = None, *, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0, tls: bool = False
    ) -> None:
        """``latency`` (seconds) delays every API response, like a real link's round trip; ``tls`` serves HTTPS
        (HTTP/2 and HTTP/1.1) with a certificate made now, whose CA is :attr:`ca_path` (clients from
        :meth:`client` trust it)."""
        self._native = _native.start_emulator(_seed_json(seed), host, port, latency, tls)
        self._ca_path: Optional[str] = None
        pem = self._native.ca_pem
        if pem is not None:
            import tempfile

            with tempfile.NamedTemporaryFile("w", prefix="flarekit-emulator-", suffix="-ca.pem", delete=False) as f:
                f.write(pem)
            self._ca_path = f.name
        self._seed: dict[str, Any] = json.loads(self._native.seed_json)
        origin = self._native.admin_url[: -len("/__emulator")]
        self._base_path = self._native.base_url[len(origin) :]  # /client/v4
        self._admin_client: Optional[Cloudflare] = None

    # -- where it is and what it holds

    @property
    def base_url(self) -> str:
        """The API base URL, ``http://127.0.0.1:PORT/client/v4``: a client's ``base_url``."""
        return self._native.base_url

    @property
    def ca_path(self) -> Optional[str]:
        """With ``tls=True``, a PEM file holding the CA of the server's certificate (a client's ``ca_bundle``);
        else ``None``."""
        return self._ca_path

    @property
    def connections(self) -> int:
        """Connections accepted so far (HTTP/2 carries many calls on one)."""
        return int(self._native.connections)

    def set_latency(self, seconds: float) -> None:
        """Delays every API response by ``seconds`` from now on (0 to 600; the emulator refuses anything else)."""
        ms = seconds * 1000.0
        # NaN and infinities as JSON writes them in JS (null), so the emulator answers both front doors alike.
        self._admin("POST", "/latency", {"ms": ms if ms == ms and abs(ms) != float("inf") else None})

    @property
    def admin_url(self) -> str:
        """The admin API, ``http://127.0.0.1:PORT/__emulator`` (faults, request log, reset; see the README)."""
        return self._native.admin_url

    @property
    def running(self) -> bool:
        """Whether it is serving (``False`` after :meth:`stop`)."""
        return self._native.running

    @property
    def seed(self) -> dict[str, Any]:
        """The seed it started from, as a dict (a copy): ``user``, ``accounts``, ``zones``, ``tokens``..."""
        out: dict[str, Any] = json.loads(self._native.seed_json)
        return out

    @property
    def tokens(self) -> dict[str, str]:
        """The seeded API tokens, name → value (``emu.tokens["DNS edit: example.com"]`` with the demo seed)."""
        return {t["name"]: t["value"] for t in self._seed.get("tokens", [])}

    @property
    def api_key(self) -> str:
        """The user's global API key (goes with :attr:`api_email`)."""
        return str(self._seed["user"]["api_key"])

    @property
    def api_email(self) -> str:
        """The user's email, sent with the global API key."""
        return str(self._seed["user"]["email"])

    @property
    def user_service_key(self) -> Optional[str]:
        """The user's Origin CA service key (only ``/certificates`` accepts it), if the seed has one."""
        key = self._seed["user"].get("user_service_key")
        return None if key is None else str(key)

    @property
    def user_id(self) -> str:
        """The seeded user's id."""
        return str(self._seed["user"]["id"])

    @property
    def accounts(self) -> dict[str, str]:
        """The seeded accounts, name → id."""
        return {a["name"]: a["id"] for a in self._seed.get("accounts", [])}

    @property
    def account_id(self) -> str:
        """The first seeded account's id ("Demo Account" with the demo seed). :exc:`LookupError` if none."""
        accounts = self._seed.get("accounts") or []
        if not accounts:
            raise LookupError("the seed has no accounts")
        return str(accounts[0]["id"])

    @property
    def zones(self) -> dict[str, str]:
        """The seeded zones, name → id (zones created since are not listed: ask the API)."""
        return {z["name"]: z["id"] for z in self._seed.get("zones", [])}

    @property
    def zone_id(self) -> str:
        """The first seeded zone's id (``example.com`` with the demo seed). :exc:`LookupError` if none."""
        zones = self._seed.get("zones") or []
        if not zones:
            raise LookupError("the seed has no zones")
        return str(zones[0]["id"])

    # -- clients

    def _options(self, options: dict[str, Any]) -> dict[str, Any]:
        self._check_running()
        out: dict[str, Any] = {"base_url": self.base_url}
        if self._ca_path is not None:
            out["ca_bundle"] = self._ca_path
        if not any(options.get(k) is not None for k in _CREDENTIAL_OPTIONS):
            admin = self.tokens.get(ADMIN_TOKEN_NAME)
            if admin is not None:
                out["api_token"] = admin
            else:
                out["api_key"] = self.api_key
                out["api_email"] = self.api_email
        if options.get("env") is None:
            out["env"] = {k: os.environ[k] for k in _ENV_PASSED if k in os.environ}
        out.update((k, v) for k, v in options.items() if v is not None or k not in out)
        return out

    def client(self, **options: Any) -> Cloudflare:
        """A :class:`flarekit.Cloudflare` for this emulator. Without a credential option it uses the seed's
        ``"Admin: everything"`` token (the demo seed has one), else the global API key with its email; any
        credential option (``api_token=emu.tokens["DNS edit: example.com"]``) replaces that. Every other option is
        the client's (``max_retries``, ``retry_delay_scale``, ``timeout``...). Unless ``env=`` is given, the
        environment's ``CLOUDFLARE_*`` variables are ignored, except ``CLOUDFLARE_LOG``."""
        from .._client import Cloudflare

        return Cloudflare(**self._options(options))

    def async_client(self, **options: Any) -> AsyncCloudflare:
        """The :class:`flarekit.AsyncCloudflare` twin of :meth:`client`."""
        from .._client import AsyncCloudflare

        return AsyncCloudflare(**self._options(options))

    # -- fault injection

    def fault(
        self,
        status: Optional[int] = None,
        *,
        path: str = "*",
        method: str = "*",
        times: int = 1,
        headers: Optional[Mapping[str, str]] = None,
        body: Any = None,
        delay: Optional[float] = None,
        drop: Optional[Literal["before_headers", "after_headers"]] = None,
        truncate_body: bool = False,
        html: bool = False,
        success_false: bool = False,
        invalid_utf8: bool = False,
        body_bytes: Optional[int] = None,
    ) -> dict[str, Any]:
        """Make the next ``times`` requests matching ``method`` and ``path`` fail; returns the queued rule.

        ``path`` is relative to the base URL (``"/zones*"``; a trailing ``*`` makes it a prefix, ``"*"`` matches
        every request) or a full path (``"/client/v4/zones"``); ``method`` is ``"GET"``, ``"POST"``... or ``"*"``.
        Faults apply before routing and authentication, in the order queued. The fault (fields combine):

        - ``status``: answer with it; ``body`` defaults to a realistic envelope (429 → code 971, 5xx → 10001,
          401/403 → 10000, 404 → 7003, 400 → 1001); ``body`` may be JSON (a dict, list...), ``str`` (sent as text)
          or ``bytes`` (sent as they are, as ``application/json``).
        - ``headers``: added to the response (``{"retry-after": "2"}``, ``{"retry-after-ms": "5"}``), also to the
          real answer when nothing else is asked for.
        - ``delay``: seconds to wait before answering; alone, the real handler answers afterwards.
        - ``drop``: ``"before_headers"`` closes the connection without a byte; ``"after_headers"`` sends status
          and headers, then closes (the real handler still runs, so a write still happens).
        - ``truncate_body``: announce the full length, send half the body, close.
        - ``html``: a Cloudflare-style HTML error page (502 unless ``status`` says otherwise).
        - ``success_false``: 200 with ``success: false``; ``invalid_utf8``: a 200 envelope with invalid UTF-8;
          ``body_bytes``: a valid 200 list envelope of about that many bytes.

        An invalid rule raises :class:`flarekit.InvalidArgumentError` with the emulator's reason.
        """
        fault: dict[str, Any] = {}
        if status is not None:
            fault["status"] = status
        if headers:
            fault["headers"] = dict(headers)
        if isinstance(body, (bytes, bytearray, memoryview)):
            fault["body_hex"] = bytes(body).hex()
        elif body is not None:
            fault["body"] = body
        if delay is not None:
            fault["delay_ms"] = max(0, round(delay * 1000))
        if drop is not None:
            fault["drop"] = drop
        for name, on in (
            ("truncate_body", truncate_body),
            ("html", html),
            ("success_false", success_false),
            ("invalid_utf8", invalid_utf8),
        ):
            if on:
                fault[name] = True
        if body_bytes is not None:
            fault["body_bytes"] = body_bytes
        rule = {"method": method.upper(), "path": self._path(path), "times": times, "fault": fault}
        queued: dict[str, Any] = self._admin("POST", "/faults", rule)["queued"]
        return queued

    def faults(self) -> list[dict[str, Any]]:
        """The fault rules still pending, with their remaining ``times``."""
        out: list[dict[str, Any]] = self._admin("GET", "/faults")["faults"]
        return out

    def clear_faults(self) -> None:
        """Drop every pending fault rule."""
        self._admin("DELETE", "/faults")

    # -- what happened

    def requests(self, path: Optional[str] = None, *, method: Optional[str] = None) -> list[LoggedRequest]:
        """The requests served so far, oldest first (the last 100,000), as :class:`LoggedRequest` dicts;
        ``path`` (as in :meth:`fault`) and ``method`` filter them. Requests made by this object's own helpers
        (:meth:`audit_log`) are left out."""
        query = ""
        if path is not None:
            from urllib.parse import quote

            query = "?path=" + quote(self._path(path), safe="/*")
        entries: list[LoggedRequest] = self._admin("GET", "/requests" + query)["requests"]
        want = None if method is None else method.upper()
        return [
            r for r in entries if _INTERNAL_HEADER not in r.get("headers", {}) and (want is None or r["method"] == want)
        ]

    def clear_requests(self) -> None:
        """Empty the request log."""
        self._admin("DELETE", "/requests")

    def audit_log(self, account_id: Optional[str] = None, **filters: Any) -> list[dict[str, Any]]:
        """The audit log of ``account_id`` (default: :attr:`account_id`), newest first, as dicts: ``action``
        (``type``: ``add``, ``update``, ``delete``, ``roll``), ``actor`` (``id``: the token id, or the user id for
        the global key; ``email``, ``ip``), ``resource`` (``type``: ``zone``, ``dns_record``, ``api_token``...;
        ``id``), ``when``, ``metadata``. Token changes are the user's, so every account's log shows them.

        ``filters`` are the API's, spelled as the official SDK spells them: ``action={"type": "add"}``,
        ``actor={"email": ...}``, ``zone={"name": ...}``, ``since=``, ``before=``, ``direction=``.

        It is an API request (``GET /accounts/{id}/audit_logs`` with the global key): it does not show in
        :meth:`requests`, but a pending fault that matches it applies to it.
        """
        self._check_running()
        if self._admin_client is None:
            from .._client import Cloudflare

            self._admin_client = Cloudflare(
                api_key=self.api_key,
                api_email=self.api_email,
                base_url=self.base_url,
                max_retries=0,
                env={},
                default_headers={_INTERNAL_HEADER: "audit_log"},
            )
        account = self.account_id if account_id is None else account_id
        filters.setdefault("per_page", 1000)
        return [entry.to_dict() for entry in self._admin_client.audit_logs.list(account_id=account, **filters)]

    # -- lifecycle

    def reset(self, state: bool = True) -> None:
        """Back to the start: the seeded state (zones, records, tokens... as the seed has them), no pending
        fault, an empty request log and audit log. ``state=False`` keeps the state and only clears faults and
        the request log."""
        self._admin("POST", "/reset", {"state": bool(state)})

    def stop(self) -> None:
        """Stop serving: in-flight requests finish (up to 5 s), then the port is released. Idempotent."""
        if self._admin_client is not None:
            self._admin_client.close()
            self._admin_client = None
        self._native.stop()
        if self._ca_path is not None:
            try:
                os.unlink(self._ca_path)
            except OSError:
                pass

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        import asyncio

        # Stopping waits for in-flight requests: off the event loop, so requests still being answered on it finish.
        await asyncio.get_running_loop().run_in_executor(None, self.stop)

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return "<flarekit.testing.Emulator %s %s>" % (self.base_url, state)

    # -- the admin API

    def _check_running(self) -> None:
        if not self._native.running:
            raise RuntimeError("this Emulator is stopped")

    def _path(self, path: str) -> str:
        if path == "*":
            return "/*"
        if not path.startswith("/"):
            path = "/" + path
        if path == "/*" or path.startswith((self._base_path + "/", "/__emulator/")) or path == self._base_path:
            return path
        return self._base_path + path

    def _admin(self, method: str, path: str, body: Any = None) -> Any:
        self._check_running()
        import http.client

        from .._exceptions import APIConnectionError, InvalidArgumentError

        scheme, _, origin = self.admin_url[: -len("/__emulator")].partition("://")
        host, _, port = origin.rpartition(":")
        conn: http.client.HTTPConnection
        if scheme == "https":
            import ssl

            context = ssl.create_default_context(cafile=self._ca_path)
            conn = http.client.HTTPSConnection(host.strip("[]"), int(port), timeout=30, context=context)
        else:
            conn = http.client.HTTPConnection(host.strip("[]"), int(port), timeout=30)
        try:
            data = None if body is None else json.dumps(body).encode()
            headers = {} if data is None else {"content-type": "application/json"}
            conn.request(method, "/__emulator" + path, body=data, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode()
            status = resp.status
        except OSError as e:
            raise APIConnectionError("emulator admin API %s %s: %s" % (method, path, e)) from e
        finally:
            conn.close()
        value = json.loads(text) if text else None
        if status >= 400:
            reason = value.get("error") if isinstance(value, dict) else None
            raise InvalidArgumentError(str(reason or "emulator admin API %s %s: %s %s" % (method, path, status, text)))
        return value
