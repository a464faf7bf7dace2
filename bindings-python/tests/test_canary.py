"""Secret hygiene (issue 8, item 4): distinctive credentials for every scheme go through successful and failing
calls with debug logging on; the canary never appears in stdout, stderr (native writes included), ``logging``
records, ``repr``/``str`` of clients, resources, results and errors, error attributes, tracebacks or pickles.
The Python twin of core/tests/canary.rs."""

from __future__ import annotations

import asyncio
import logging
import pickle
import socket
import sys
import traceback
from typing import Any

import flarekit
import pytest

TOKEN = "CANARYtok-7f3e9a1b2c4d5e6f"
KEY = "CANARYkey-0a1b2c3d4e5f6a7b"
EMAIL = "canary-9d8c7b@example.com"
USK = "v1.0-CANARYusk-5e4d3c2b1a"
CANARIES = (TOKEN, KEY, EMAIL, USK, "CANARY", "9d8c7b")

SCHEMES: dict[str, dict[str, str]] = {
    "token": {"api_token": TOKEN},
    "key": {"api_key": KEY, "api_email": EMAIL},
    "user_service_key": {"user_service_key": USK},
    # Half a pair beside a token: the token is used and a warning logged, which must not quote the ignored key.
    "token+half_pair": {"api_token": TOKEN, "api_key": KEY},
}
ENV_SCHEMES: dict[str, dict[str, str]] = {
    "token": {"CLOUDFLARE_API_TOKEN": TOKEN},
    "key": {"CLOUDFLARE_API_KEY": KEY, "CLOUDFLARE_EMAIL": EMAIL},
    "user_service_key": {"CLOUDFLARE_API_USER_SERVICE_KEY": USK},
}

OK = {"status": 200, "body": {"success": True, "errors": [], "messages": [], "result": {"id": "ok"}}}
OK_LIST = {
    "status": 200,
    "body": {
        "success": True,
        "errors": [],
        "messages": [],
        "result": [{"id": "z1", "name": "example.com"}],
        "result_info": {"page": 1, "per_page": 20, "count": 1, "total_count": 1, "total_pages": 1},
    },
}
HINT_6003 = {
    "status": 400,
    "body": {
        "success": False,
        "errors": [
            {
                "code": 6003,
                "message": "Invalid request headers",
                "error_chain": [{"code": 6103, "message": "Invalid format for X-Auth-Key header"}],
            }
        ],
    },
}
# (fault, times): times covers every attempt, so the call ends in that fault's error.
FAULTS: list[tuple[str, dict[str, Any] | None, int]] = [
    ("rejected credentials", None, 0),
    ("500 with retries", {"status": 500}, 3),
    ("timeout", {"delay_ms": 700}, 3),
    ("html 502", {"html": True, "status": 502}, 3),
    ("6003/6103 hint", HINT_6003, 1),
    ("success", OK_LIST, 1),
]


class Texts:
    """Everything observable about the calls, checked at the end."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, what: str, *objs: Any) -> None:
        for o in objs:
            self.items.append((what, o if isinstance(o, str) else repr(o)))

    def error(self, what: str, e: BaseException) -> None:
        self.add(what, str(e), repr(e), "".join(traceback.format_exception(type(e), e, e.__traceback__)))
        if isinstance(e, flarekit.CloudflareError):
            self.add(what + " attributes", vars(e), e.body, e.headers, e.errors, e.messages, e.codes, e.ray_id)
            blob = pickle.dumps(e)
            self.items.append((what + " pickle", blob.decode("latin-1")))
            back = pickle.loads(blob)
            self.add(what + " unpickled", str(back), repr(back), vars(back))

    def result(self, what: str, r: Any) -> None:
        self.add(what, r, str(r))
        if isinstance(r, (flarekit.SyncPage, flarekit.AsyncPage)):
            self.add(what + " page", r.result, r.result_info)
        if isinstance(r, flarekit.APIResponse):
            self.add(what + " response", r.headers, r.result, r.messages)

    def client(self, what: str, cf: Any) -> None:
        self.add(what, cf, str(cf), cf.auth, cf._native, cf.default_headers, dir(cf))
        self.add(what + " resources", cf.zones, cf.zones.list, cf.user.get)
        with pytest.raises(TypeError) as ei:
            pickle.dumps(cf)
        self.error(what + " pickle refusal", ei.value)


def assert_clean(items: list[tuple[str, str]]) -> None:
    leaks = ["%s: %s" % (what, text) for what, text in items if any(c in text for c in CANARIES)]
    assert not leaks, "a credential leaked:\n" + "\n".join(leaks)


def _options(emu: Any, **kw: Any) -> dict[str, Any]:
    kw.setdefault("base_url", emu.base_url)
    kw.setdefault("retry_delay_scale", 0.001)
    kw.setdefault("timeout", 0.25)
    kw.setdefault("max_retries", 2)
    return kw


def _calls_sync(emu: Any, cf: flarekit.Cloudflare, texts: Texts, label: str, faults: list[Any]) -> None:
    for name, fault, times in faults:
        emu.reset()
        if fault is not None:
            emu.fault(fault, times=times)
        what = "%s / %s" % (label, name)
        try:
            texts.result(what, cf.zones.list(name="example.com"))
        except flarekit.CloudflareError as e:
            texts.error(what, e)
    emu.reset()
    for name, call in (
        ("user success", lambda: cf.request("GET", "/user")),
        ("list success", lambda: cf.zones.list()),
        ("request success", lambda: cf.request("GET", "/zones", query={"page": 1})),
    ):
        emu.fault(OK_LIST if "list" in name or "request" in name else OK)
        texts.result("%s / %s" % (label, name), call())
    emu.reset()
    emu.fault({"status": 500})  # a POST is not retried: the error says the write may have happened
    for name, call in (
        ("post 500", lambda: cf.zones.create(name="example.com", account={"id": "a" * 32})),
        ("generic rejected", lambda: cf.get("/zones", query={"page": 1})),
        ("verify rejected", lambda: cf.user.tokens.verify()),
    ):
        try:
            texts.result("%s / %s" % (label, name), call())
        except flarekit.CloudflareError as e:
            texts.error("%s / %s" % (label, name), e)
    emu.reset()


async def _calls_async(emu: Any, cf: flarekit.AsyncCloudflare, texts: Texts, label: str) -> None:
    for name, fault, times in FAULTS:
        emu.reset()
        if fault is not None:
            emu.fault(fault, times=times)
        what = "%s / %s" % (label, name)
        try:
            texts.result(what, await cf.zones.list(name="example.com"))
        except flarekit.CloudflareError as e:
            texts.error(what, e)
    emu.reset()
    emu.fault(OK)
    texts.result(label + " / user success", await cf.request("GET", "/user"))
    emu.reset()
    try:
        await cf.request("GET", "/user")
    except flarekit.CloudflareError as e:
        texts.error(label + " / generic rejected", e)
    emu.reset()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_canary_never_leaks(emu: Any, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="flarekit")
    # Formatted log lines on stderr too, as an application with logging.basicConfig(level=DEBUG) would print them.
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s %(args)s"))
    logging.getLogger("flarekit").addHandler(stream)
    texts = Texts()
    try:
        # Credentials as options, debug logging by option.
        for scheme, creds in SCHEMES.items():
            cf = flarekit.Cloudflare(**_options(emu, log_level="debug"), env={}, **creds)
            texts.client("options/" + scheme, cf)
            texts.client("options/%s copy" % scheme, cf.copy(timeout=0.25))
            _calls_sync(emu, cf, texts, "options/" + scheme, FAULTS)
            cf.close()
        # Credentials from the environment, debug logging by CLOUDFLARE_LOG.
        for scheme, env in ENV_SCHEMES.items():
            cf = flarekit.Cloudflare(**_options(emu), env={**env, "CLOUDFLARE_LOG": "debug"})
            assert cf.log_level == "debug"
            texts.client("env/" + scheme, cf)
            _calls_sync(emu, cf, texts, "env/" + scheme, [f for f in FAULTS if f[0] != "timeout"])
        # The asyncio client.
        for scheme in ("token", "key"):
            acf = flarekit.AsyncCloudflare(**_options(emu, log_level="debug"), env={}, **SCHEMES[scheme])
            texts.client("async/" + scheme, acf)
            asyncio.run(_calls_async(emu, acf, texts, "async/" + scheme))
        # A connection that never opens.
        cf = flarekit.Cloudflare(
            **_options(emu, base_url="http://127.0.0.1:%d/client/v4" % _free_port(), log_level="debug"),
            env={},
            **SCHEMES["key"],
        )
        with pytest.raises(flarekit.APIConnectionError) as ei:
            cf.user.get()
        texts.error("connection refused", ei.value)
        # Refused at construction, without echoing the value.
        for name, kw in (
            ("crlf token", {"api_token": TOKEN + "\r\nX-Evil: 1"}),
            ("non-ascii token", {"api_token": TOKEN + "\u00e9"}),
            ("control char in email", {"api_key": KEY, "api_email": EMAIL + "\x07"}),
            ("half pair alone", {"api_key": KEY}),
            ("http to a remote host", {"api_token": TOKEN, "base_url": "http://api.example.com/client/v4"}),
            ("unreadable ca_bundle", {"api_token": TOKEN, "ca_bundle": "/nonexistent/ca.pem"}),
            ("credential header in default_headers", {"api_token": TOKEN, "default_headers": {"X-Auth-Key": KEY}}),
        ):
            with pytest.raises(flarekit.CloudflareError) as ei:
                flarekit.Cloudflare(log_level="debug", env={}, **kw)
            texts.error("construction: " + name, ei.value)
        with pytest.raises(flarekit.CloudflareError) as ei:
            flarekit.Cloudflare(env={"CLOUDFLARE_API_TOKEN": TOKEN + "\nX", "CLOUDFLARE_LOG": "debug"})
        texts.error("construction: crlf token from the environment", ei.value)
    finally:
        logging.getLogger("flarekit").removeHandler(stream)

    out, err = capfd.readouterr()
    texts.add("stdout", out)
    texts.add("stderr", err)
    for r in caplog.records:
        texts.add("log record", r.getMessage(), r.args, r.exc_text or "")

    # The checks saw what they were meant to see.
    kinds = {t for what, t in texts.items if what.endswith("attributes")}
    assert kinds, "errors were captured"
    msgs = [r.getMessage() for r in caplog.records]
    assert any(r.levelno == logging.DEBUG for r in caplog.records), "debug logging was on"
    assert any("request" in m.lower() for m in msgs), msgs[:5]
    assert any(r.levelno == logging.WARNING and "api_key" in r.getMessage() for r in caplog.records), (
        "the half-pair warning was logged"
    )
    assert "DEBUG flarekit" in err, "formatted log lines reached stderr"
    seen = {what.split(" / ")[-1] for what, _ in texts.items}
    for needed in ("rejected credentials", "500 with retries", "timeout", "html 502", "6003/6103 hint", "success"):
        assert needed in seen, needed
    texts_by = dict(texts.items)
    assert "InternalServerError" in texts_by["options/token / 500 with retries"]
    assert "APITimeoutError" in texts_by["options/token / timeout"]
    assert "502" in texts_by["options/token / html 502"]
    assert "AuthenticationError" in texts_by["options/key / 6003/6103 hint"]
    assert "AuthenticationError" in texts_by["options/token / rejected credentials"]

    assert_clean(texts.items)
