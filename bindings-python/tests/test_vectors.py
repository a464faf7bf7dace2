"""Plays every case of tests/vectors/*.json (see tests/vectors/README.md) through the Python front door, on the
blocking client and on the asyncio client, against the emulator's fault queue and request log."""

from __future__ import annotations

import asyncio
import base64
import collections
import json
import logging
import math
import time
import urllib.parse
from pathlib import Path
from typing import Any

import flarekit
import pytest
from flarekit import _native

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"


MANIFEST = "manifest.json"


def _load() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for f in sorted(VECTORS.glob("*.json")):
        if f.name == MANIFEST:
            continue
        for case in json.loads(f.read_text())["cases"]:
            out.append((f.stem, case))
    return out


CASES = _load()
# How many cases of each file were played, per mode (sync, async); the manifest test reads it.
_PLAYED: collections.Counter[tuple[str, bool]] = collections.Counter()


def test_vectors_present() -> None:
    assert len(CASES) >= 40, "expected the shared behaviour vectors in tests/vectors"


def decode(v: Any) -> Any:
    """Vector values as Python values: {"$float": s} a float, {"$int": s} an int, {"$path": s} a pathlib.Path."""
    if isinstance(v, dict):
        if len(v) == 1:
            ((k, x),) = v.items()
            if isinstance(x, str):
                if k == "$float":
                    return float(x)  # "NaN", "Infinity", "-Infinity", "1e300"
                if k == "$int":
                    return int(x)
                if k == "$path":
                    return Path(x)
        return {k: decode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [decode(x) for x in v]
    return v


def decode_args(v: Any) -> Any:
    """Call arguments: {"$file": {"name"?, "text", "type"?}} is a file as the official SDK takes one: a
    `(name, bytes, type)` tuple, or bare bytes when it has no name."""
    if isinstance(v, dict):
        if set(v) == {"$file"}:
            f = v["$file"]
            data = f["text"].encode()
            return (f["name"], data, f.get("type")) if "name" in f else data
        return {k: decode_args(x) for k, x in v.items()}
    if isinstance(v, list):
        return [decode_args(x) for x in v]
    return v


def same_value(got: Any, want: Any) -> bool:
    """Numbers compare as numbers (60 == 60.0; NaN equals NaN); a bool only equals a bool; the rest exactly."""
    if isinstance(got, bool) or isinstance(want, bool):
        return type(got) is type(want) and got == want
    if isinstance(got, (int, float)) and isinstance(want, (int, float)):
        if isinstance(got, float) and isinstance(want, float) and math.isnan(got) and math.isnan(want):
            return True
        return got == want
    if isinstance(want, dict):
        return isinstance(got, dict) and got.keys() == want.keys() and all(same_value(got[k], want[k]) for k in want)
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(same_value(a, b) for a, b in zip(got, want))
    return type(got) is type(want) and got == want


def _subst(v: Any, base: str, origin: str) -> Any:
    if isinstance(v, str):
        return v.replace("{base}", base).replace("{origin}", origin)
    if isinstance(v, list):
        return [_subst(x, base, origin) for x in v]
    if isinstance(v, dict):
        return {k: _subst(x, base, origin) for k, x in v.items()}
    return v


def plain(v: Any) -> Any:
    """Results as plain JSON-like values (Models to dicts, pages to their items)."""
    if isinstance(v, flarekit.Model):
        return v.to_dict()
    if isinstance(v, (flarekit.SyncPage, flarekit.AsyncPage)):
        return [plain(x) for x in v.result]
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, bytes):
        return {"$bytes_hex": v.hex()}
    return v


def _secrets_of(client: dict[str, Any]) -> list[str]:
    out = []
    for section in ("options", "env", "variant"):
        for k, v in (client.get(section) or {}).items():
            if any(s in k.lower() for s in ("token", "key", "email")) and isinstance(v, str) and len(v.strip()) >= 8:
                out.append(v.strip())
    return out


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        return "\n".join("%s %s" % (r.levelname, r.getMessage()) for r in self.records)


def _method_of(cf: Any, operation: str) -> Any:
    resource, _, method = operation.rpartition(".")
    idx = _native.find_operation(resource, method)  # the core's lookup error when there is no such operation
    obj = cf
    for part in _native.operation_info(idx)["attr_path"].split("."):
        obj = getattr(obj, part)
    return obj


def _token_args(call: dict[str, Any]) -> tuple[str, list[Any], dict[str, Any]]:
    """A token vector's call as the public methods take it: `create`'s spec is keyword arguments, ids positional."""
    op, args = call["tokens"], dict(call.get("args") or {})
    if op == "create":
        return op, [], {**args.pop("spec"), **args}
    if op in ("roll", "revoke"):
        return op, [args.pop("id")], args
    if op == "expiring":
        return op, [args.pop("within")], args
    return op, [], args


def _token_result(op: str, out: Any) -> tuple[Any, Any]:
    """The result and the secret handed over (`create` a CreatedToken with `.value`, `roll` a Secret)."""
    if op == "roll":
        return None, out
    if isinstance(out, flarekit.CreatedToken):
        return {k: plain(v) for k, v in out.to_dict().items()}, out.value
    return plain(out), None


def _sync_call(cf: flarekit.Cloudflare, call: dict[str, Any]) -> tuple[Any, Any]:
    if "tokens" in call:
        op, pos, kw = _token_args(call)
        return _token_result(op, getattr(cf.tokens, op)(*pos, **kw))
    if "operation" in call:
        method = _method_of(cf, call["operation"])
        out = method(*decode_args(call.get("positional", [])), **decode_args(call.get("params", {})))
        if call.get("paginate") == "all":
            return [plain(x) for x in out], None
        if isinstance(out, flarekit.SyncPage):
            return plain(out), plain(out.result_info)
        return plain(out), None
    out = cf.request(call.get("method", "GET"), call["path"], query=call.get("query"), body=call.get("body"))
    return plain(out.result), plain(out.result_info)


async def _async_call(cf: flarekit.AsyncCloudflare, call: dict[str, Any]) -> tuple[Any, Any]:
    if "tokens" in call:
        op, pos, kw = _token_args(call)
        return _token_result(op, await getattr(cf.tokens, op)(*pos, **kw))
    if "operation" in call:
        method = _method_of(cf, call["operation"])
        out = method(*decode_args(call.get("positional", [])), **decode_args(call.get("params", {})))
        if call.get("paginate") == "all":
            return [plain(x) async for x in out], None
        res = await out
        if isinstance(res, flarekit.AsyncPage):
            return plain(res), plain(res.result_info)
        return plain(res), None
    out = await cf.request(call.get("method", "GET"), call["path"], query=call.get("query"), body=call.get("body"))
    return plain(out.result), plain(out.result_info)


def _is_subset(got: Any, want: Any) -> bool:
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and _is_subset(got[k], v) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(map(_is_subset, got, want))
    return bool(got == want)


def check_token_result(result: Any, secret: Any, expect: dict[str, Any], problems: list[str]) -> None:
    """`result_subset`, `result_has` (dotted paths), `result_ids_include` / `_exclude`, `secret` (tests/vectors);
    `secret` only for token operations."""
    if "result_subset" in expect and not _is_subset(result, expect["result_subset"]):
        problems.append("result %r does not contain %r" % (result, expect["result_subset"]))
    for path in expect.get("result_has") or []:
        at = result
        for part in path.split("."):
            try:
                at = at[int(part)] if part.isdigit() else at[part]
            except (KeyError, IndexError, TypeError):
                at = None
                break
        if at is None:
            problems.append("result %r has nothing at %s" % (result, path))
    ids = [x.get("id") for x in result if isinstance(x, dict)] if isinstance(result, list) else []
    for key, present in (("result_ids_include", True), ("result_ids_exclude", False)):
        for i in expect.get(key) or []:
            if (i in ids) != present:
                problems.append("ids %r: %s %s" % (ids, key, i))
    if "secret" in expect:
        if (secret is not None) != expect["secret"]:
            problems.append("a secret was handed over: %s, expected %s" % (secret is not None, expect["secret"]))
        if secret is not None:
            if not isinstance(secret, flarekit.Secret) or "*" not in repr(secret) or "*" not in str(secret):
                problems.append("the value is not kept in a Secret: %r" % type(secret).__name__)
            elif len(secret.reveal()) < 20:
                problems.append("the secret reveals no token value")


def _check_error(e: BaseException, exp: dict[str, Any], problems: list[str]) -> None:
    kind = exp.get("kind")
    if kind is not None and type(e).__name__ != kind:
        problems.append("error %s != expected %s (%s)" % (type(e).__name__, kind, e))
    if kind is not None and not isinstance(e, getattr(flarekit, kind)):
        problems.append("error is not an instance of flarekit.%s" % kind)
    if "status" in exp and getattr(e, "status_code", None) != exp["status"]:
        problems.append("status %r != expected %r" % (getattr(e, "status_code", None), exp["status"]))
    if "codes" in exp and getattr(e, "codes", None) != exp["codes"]:
        problems.append("codes %r != expected %r" % (getattr(e, "codes", None), exp["codes"]))
    msg = str(e)
    if "option" in exp and exp["option"] not in msg:
        problems.append("message %r does not name the option %r" % (msg, exp["option"]))
    for t in exp.get("message_contains", []):
        if t not in msg:
            problems.append("message %r lacks %r" % (msg, t))
    for t in exp.get("message_excludes", []):
        if t in msg:
            problems.append("message %r contains %r, which it must not" % (msg, t))
    if "message_starts_with" in exp and not msg.startswith(exp["message_starts_with"]):
        problems.append("message %r does not start with %r" % (msg, exp["message_starts_with"]))
    if "message" in exp and msg != exp["message"]:
        problems.append("message %r != expected %r" % (msg, exp["message"]))
    if "ray_id" in exp and getattr(e, "ray_id", None) != exp["ray_id"]:
        problems.append("ray_id %r != expected %r" % (getattr(e, "ray_id", None), exp["ray_id"]))
    if "retry_after" in exp:
        ra = getattr(e, "retry_after", None)
        if ra is None or abs(ra - exp["retry_after"]) > 1e-6:
            problems.append("retry_after %r != expected %r" % (ra, exp["retry_after"]))


def _body_bytes(got: dict[str, Any]) -> bytes:
    if got.get("body_base64"):
        return base64.b64decode(got["body_base64"])
    b = got.get("body")
    return b.encode() if isinstance(b, str) else b""


def parse_multipart(content_type: str, body: bytes) -> list[dict[str, str]]:
    if "boundary=" not in content_type:
        return []
    boundary = content_type.split("boundary=", 1)[1].strip('"')
    text = body.decode("utf-8", "replace")
    out = []
    for chunk in text.split("--" + boundary)[1:]:
        if chunk.startswith("--"):
            break
        chunk = chunk.removeprefix("\r\n")
        head, sep, content = chunk.partition("\r\n\r\n")
        if not sep:
            continue
        content = content.removesuffix("\r\n")
        part: dict[str, str] = {}
        for line in head.split("\r\n"):
            low = line.lower()
            if low.startswith("content-disposition:"):
                for attr in line.split(";")[1:]:
                    k, _, v = attr.strip().partition("=")
                    if k in ("name", "filename"):
                        part[k] = v.strip('"')
            elif low.startswith("content-type:"):
                part["content_type"] = line[13:].strip()
        part["content"] = content
        out.append(part)
    return out


def check_request(i: int, want: dict[str, Any], got: dict[str, Any], problems: list[str]) -> None:
    def p(m: str) -> None:
        problems.append("request %d: %s" % (i, m))

    headers = {k.lower(): v for k, v in (got.get("headers") or {}).items()}
    for k in ("method", "path"):
        if k in want and got.get(k) != want[k]:
            p("%s %r != expected %r" % (k, got.get(k), want[k]))
    if "query" in want:
        pairs = [list(kv) for kv in urllib.parse.parse_qsl(got.get("query") or "", keep_blank_values=True)]
        if pairs != want["query"]:
            p("query %r != expected %r" % (pairs, want["query"]))
    for k, v in (want.get("headers") or {}).items():
        if headers.get(k) != v:
            p("header %s is %r, expected %r" % (k, headers.get(k), v))
    for k, v in (want.get("header_prefix") or {}).items():
        if not str(headers.get(k, "")).startswith(v) or k not in headers:
            p("header %s is %r, expected prefix %r" % (k, headers.get(k), v))
    for k in want.get("absent_headers") or []:
        if k in headers:
            p("header %s was sent but must not be" % k)
    if "content_type_prefix" in want and not str(headers.get("content-type", "")).startswith(
        want["content_type_prefix"]
    ):
        p("content-type %r lacks prefix %r" % (headers.get("content-type"), want["content_type_prefix"]))
    body = _body_bytes(got)
    if "json" in want:
        try:
            v = json.loads(body)
        except ValueError as e:
            p("body is not JSON (%s): %r" % (e, body[:200]))
        else:
            if v != want["json"]:
                p("json body %r != expected %r" % (v, want["json"]))
    if "body_text" in want and body != want["body_text"].encode():
        p("body %r != expected %r" % (body, want["body_text"]))
    if "multipart" in want:
        parts = parse_multipart(str(headers.get("content-type", "")), body)
        if len(parts) != len(want["multipart"]):
            p("%d multipart parts, expected %d: %r" % (len(parts), len(want["multipart"]), parts))
        for w, g in zip(want["multipart"], parts):
            for k in ("name", "filename", "content_type", "content"):
                if k in w and g.get(k) != w[k]:
                    p("multipart part %s %r != expected %r" % (k, g.get(k), w[k]))


def _kwargs(client: dict[str, Any]) -> dict[str, Any]:
    opts = dict(client.get("options") or {})
    opts.setdefault("retry_delay_scale", 0.001)
    opts.setdefault("log_level", "debug")
    return opts


def _construct(cls: Any, client: dict[str, Any]) -> Any:
    """The client a case describes: with `exact`, its options as written (decoded) and `env` unless they give one;
    otherwise with the runner's additions (retry_delay_scale, log_level)."""
    env = client.get("env") or {}
    if client.get("exact"):
        opts = decode(client.get("options") or {})
        if "env" in opts:
            return cls(**opts)
        return cls(**opts, env=env)
    return cls(**_kwargs(client), env=env)


def _config_problems(cf: Any, want: dict[str, Any]) -> list[str]:
    got = cf._native.effective_options()
    out = []
    for k, w in want.items():
        if k not in got:
            out.append("the effective options have no %r: %r" % (k, got))
        elif not same_value(got[k], w):
            out.append("effective option %s is %r, expected %r" % (k, got[k], w))
    return out


def _variant(cf: Any, variant: dict[str, Any], problems: list[str]) -> Any:
    """`cf.copy(**variant)`; `with_options` must give the same client (or the same error)."""
    overrides = decode(variant)
    try:
        other = cf.with_options(**overrides)
    except flarekit.CloudflareError as e:
        other = e
    try:
        out = cf.copy(**overrides)
    except flarekit.CloudflareError as e:
        if not isinstance(other, flarekit.CloudflareError) or (type(other), str(other)) != (type(e), str(e)):
            problems.append("with_options gave %r where copy raised %r" % (other, e))
        raise
    if isinstance(other, flarekit.CloudflareError):
        problems.append("with_options raised %r where copy succeeded" % (other,))
    elif other._native.effective_options() != out._native.effective_options() or other.auth != out.auth:
        problems.append(
            "with_options gave %r where copy gave %r"
            % (other._native.effective_options(), out._native.effective_options())
        )
    return out


def run_case(emu: Any, case: dict[str, Any], use_async: bool) -> list[str]:
    client = _subst(case.get("client") or {}, emu.base_url, emu.origin)
    opts = client.setdefault("options", {})
    env = client.get("env") or {}
    if "base_url" not in opts and "CLOUDFLARE_BASE_URL" not in env and not client.get("exact"):
        opts["base_url"] = emu.base_url
    expect = _subst(case.get("expect") or {}, emu.base_url, emu.origin)
    secrets = _secrets_of(client)
    emu.reset(state=bool(case.get("reload_state")))
    for r in case.get("responses") or []:
        emu.queue(_subst(r, emu.base_url, emu.origin))

    problems: list[str] = []
    capture = _Capture()
    logger = logging.getLogger("flarekit")
    old_level = logger.level
    logger.addHandler(capture)
    logger.setLevel(logging.DEBUG)

    def check_secret(what: str, text: str) -> None:
        for s in secrets:
            if s in text:
                problems.append("a credential appears in %s" % what)

    try:
        exp_err = expect.get("error")
        variant = client.get("variant")
        # With a variant, every expectation is about the variant: an expected error is the variant's (whether or
        # not it says `construction`), and the client it is made from must construct.
        construction = bool(exp_err and (exp_err.get("construction") or variant is not None))
        cls = flarekit.AsyncCloudflare if use_async else flarekit.Cloudflare
        if variant is not None:
            try:
                base = _construct(cls, client)
            except flarekit.CloudflareError as e:
                check_secret("the error", "%s %r" % (e, e))
                problems.append("the client to make a variant of failed: %s (%s)" % (e, type(e).__name__))
                return problems
            check_secret("the client's repr", repr(base))
        try:
            cf = _construct(cls, client) if variant is None else _variant(base, variant, problems)
        except flarekit.CloudflareError as e:
            check_secret("the error", "%s %r" % (e, e))
            if construction:
                _check_error(e, exp_err, problems)
            else:
                problems.append("construction failed unexpectedly: %s (%s)" % (e, type(e).__name__))
            check_secret("logs", capture.text())
            return problems
        if construction:
            problems.append("construction succeeded but an error was expected")
        check_secret("the client's repr", repr(cf))
        if "auth" in expect and cf.auth != expect["auth"]:
            problems.append("auth is %r, expected %r" % (cf.auth, expect["auth"]))
        if "base_url" in expect and cf.base_url != expect["base_url"]:
            problems.append("base_url is %r, expected %r" % (cf.base_url, expect["base_url"]))
        if "config" in expect:
            problems.extend(_config_problems(cf, expect["config"]))

        call = case.get("call")
        if call is not None:
            started = time.monotonic()
            result: Any = None
            info: Any = None
            error: BaseException | None = None
            try:
                if use_async:
                    result, info = asyncio.run(_async_call(cf, call))  # type: ignore[arg-type]
                else:
                    result, info = _sync_call(cf, call)  # type: ignore[arg-type]
                secret = None
                if "tokens" in call:
                    # info is the secret handed over: it must show nowhere else (result, logs, reprs).
                    secret, info = info, None
                    if secret is not None:
                        secrets.append(secret.reveal())
                        check_secret("the result", repr(result))
                check_token_result(result, secret, expect, problems)
            except flarekit.CloudflareError as e:
                error = e
            elapsed_ms = (time.monotonic() - started) * 1000
            if error is None:
                if exp_err is not None:
                    problems.append("call succeeded with %r but an error was expected" % (result,))
                else:
                    if "result" in expect and result != expect["result"]:
                        problems.append("result %r != expected %r" % (result, expect["result"]))
                    if "result_info" in expect and info != expect["result_info"]:
                        problems.append("result_info %r != expected %r" % (info, expect["result_info"]))
            elif exp_err is not None and not construction:
                _check_error(error, exp_err, problems)
                check_secret("the error", "%s %r %r" % (error, error, getattr(error, "body", None)))
            else:
                problems.append("call failed unexpectedly: %s (%s)" % (error, type(error).__name__))
            rng = expect.get("elapsed_ms") or {}
            if "min" in rng and elapsed_ms < rng["min"]:
                problems.append("took %.0f ms, expected at least %s" % (elapsed_ms, rng["min"]))
            if "max" in rng and elapsed_ms > rng["max"]:
                problems.append("took %.0f ms, expected at most %s" % (elapsed_ms, rng["max"]))

        seen = emu.requests()
        if "attempts" in expect and len(seen) != expect["attempts"]:
            problems.append("the server saw %d requests, expected %d" % (len(seen), expect["attempts"]))
        if "requests" in expect:
            if len(seen) != len(expect["requests"]):
                problems.append("the server saw %d requests, expected %d" % (len(seen), len(expect["requests"])))
            for i, (want, got) in enumerate(zip(expect["requests"], seen)):
                check_request(i, want, got, problems)
        for t in expect.get("warnings_contain") or []:
            if not any(r.levelno >= logging.WARNING and t in r.getMessage() for r in capture.records):
                problems.append("no warning containing %r was logged" % t)
        check_secret("logs", capture.text())
        return problems
    finally:
        logger.removeHandler(capture)
        logger.setLevel(old_level)


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("section,case", CASES, ids=["%s::%s" % (s, c["name"]) for s, c in CASES])
def test_vector(emulator: Any, section: str, case: dict[str, Any], use_async: bool) -> None:
    problems = run_case(emulator, case, use_async)
    _PLAYED[(section, use_async)] += 1
    assert not problems, "%s::%s (%s):\n  %s" % (section, case["name"], case.get("rule", ""), "\n  ".join(problems))


def test_manifest_counts(request: pytest.FixtureRequest) -> None:
    """Every vector file is in manifest.json with its number of cases, and (when every vector was selected) each
    of them was played on both clients: a skipped vector is a failure."""
    manifest = json.loads((VECTORS / MANIFEST).read_text())
    per_file = collections.Counter("%s.json" % s for s, _ in CASES)
    files = {f.name for f in VECTORS.glob("*.json") if f.name != MANIFEST}
    problems = []
    for f in sorted(files - set(manifest)):
        problems.append("%s is not in %s" % (f, MANIFEST))
    for f in sorted(set(manifest) - files):
        problems.append("%s lists %s, which is not in tests/vectors" % (MANIFEST, f))
    for f in sorted(files & set(manifest)):
        if per_file[f] != manifest[f]:
            problems.append("%d cases of %s were collected, %s says %d" % (per_file[f], f, MANIFEST, manifest[f]))
    selected = [i for i in request.session.items if getattr(i, "originalname", None) == "test_vector"]
    if len(selected) == 2 * len(CASES):
        for f in sorted(files & set(manifest)):
            for use_async in (False, True):
                played = _PLAYED[(f.removesuffix(".json"), use_async)]
                if played != manifest[f]:
                    problems.append(
                        "%d of the %d cases of %s were played on the %s client"
                        % (played, manifest[f], f, "async" if use_async else "sync")
                    )
    assert not problems, "\n".join(problems)
