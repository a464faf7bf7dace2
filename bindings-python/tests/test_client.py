"""The client surface: construction, options, repr and secret hygiene, copy, close, resources, Models, errors."""

from __future__ import annotations

import copy
import gc
import json
import logging
import pickle
import sys
import weakref
from typing import Any

import flarekit
import pytest
from flarekit import _native

SECRET = "tok-SECRET-1234567890"


def client(**kw: Any) -> flarekit.Cloudflare:
    kw.setdefault("env", {})
    return flarekit.Cloudflare(**kw)


# -- construction and configuration


def test_defaults_and_auth() -> None:
    cf = client(api_token=SECRET)
    assert cf.auth == "api_token from options"
    assert cf.base_url == "https://api.cloudflare.com/client/v4"
    assert cf.timeout == 60.0
    assert cf.max_retries == 2
    assert cf.account_id is None
    assert cf.log_level == "off"


def test_environment_is_read_once_at_construction() -> None:
    env = {"CLOUDFLARE_API_TOKEN": SECRET, "CLOUDFLARE_ACCOUNT_ID": "acc1", "CLOUDFLARE_LOG": "info"}
    cf = flarekit.Cloudflare(env=env)
    env.clear()
    assert cf.auth == "api_token from CLOUDFLARE_API_TOKEN"
    assert cf.account_id == "acc1"
    assert cf.log_level == "info"


def test_missing_credentials() -> None:
    with pytest.raises(flarekit.MissingCredentialsError) as ei:
        client()
    e = ei.value
    assert isinstance(e, flarekit.AuthenticationError)
    assert str(e).startswith(
        "Could not resolve authentication method. Expected one of api_email, api_key, api_token or "
        "user_service_key to be set."
    )
    assert "CLOUDFLARE_API_TOKEN" in str(e)


def test_half_pair_is_a_clear_error() -> None:
    with pytest.raises(flarekit.MissingCredentialsError, match="api_key was given without api_email"):
        client(api_key="0123456789abcdef")


@pytest.mark.parametrize(
    "kw,needle",
    [
        ({"base_url": "http://example.com/client/v4"}, "non-loopback"),
        ({"base_url": "ftp://127.0.0.1/"}, "scheme"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"log_level": "loud"}, "log_level must be one of|log_level must be a str: one of"),
        ({"default_headers": {"Authorization": "Bearer x"}}, "may not set authorization"),
        ({"default_headers": {"x-a": "line\nbreak"}}, "line break"),
        ({"api_token": "tok\r\nX-Evil: 1"}, "line break"),
        ({"api_token": "tok\u00e9"}, "non-ASCII"),
    ],
)
def test_configuration_errors(kw: dict[str, Any], needle: str) -> None:
    kw.setdefault("api_token", SECRET)
    with pytest.raises(flarekit.ConfigurationError, match=needle) as ei:
        client(**kw)
    assert isinstance(ei.value, ValueError)
    assert SECRET not in str(ei.value)


def test_option_types_are_checked() -> None:
    with pytest.raises(flarekit.ConfigurationError, match="timeout must be a number"):
        client(api_token=SECRET, timeout="soon")
    with pytest.raises(flarekit.ConfigurationError, match="api_token must be a str of printable ASCII"):
        client(api_token=123)


def test_repr_never_shows_secrets() -> None:
    cf = client(api_key="0123456789abcdef0123456789abcdef01234", api_email="someone@example.com")
    text = repr(cf) + str(cf) + repr(cf._native) + repr(vars(cf))
    assert "0123456789abcdef" not in text
    assert "someone@example.com" not in text
    assert "api_key+api_email from options" in repr(cf)
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(cf)


def test_copy_and_with_options() -> None:
    cf = client(api_key="0123456789abcdef0123456789abcdef01234", api_email="a@example.com", timeout=5)
    c2 = cf.copy(timeout=7.5, max_retries=0, account_id="acc")
    assert (c2.timeout, c2.max_retries, c2.account_id) == (7.5, 0, "acc")
    assert c2.auth == cf.auth
    assert cf.timeout == 5.0
    # Credentials given to copy replace the client's as a set.
    c3 = cf.with_options(api_token=SECRET)
    assert c3.auth == "api_token from options"
    assert type(c3) is flarekit.Cloudflare
    c4 = cf.copy(default_headers={"x-one": "1"}).copy(default_headers={"x-two": "2"})
    assert c4.default_headers == {"x-one": "1", "x-two": "2"}
    with pytest.raises(flarekit.ConfigurationError, match=r"unknown client option .api_tokn. \(did you mean api_token"):
        cf.copy(api_tokn="x")


def test_copy_keeps_the_environment_snapshot() -> None:
    cf = flarekit.Cloudflare(env={"CLOUDFLARE_API_TOKEN": SECRET})
    assert cf.copy(timeout=1).auth == "api_token from CLOUDFLARE_API_TOKEN"


def test_close_and_context_manager() -> None:
    with client(api_token=SECRET) as cf:
        assert not cf.closed
    assert cf.closed
    assert repr(cf) == "Cloudflare(closed)"
    with pytest.raises(flarekit.APIConnectionError, match="closed"):
        cf.zones.list()


# -- resources and methods


def test_every_operation_is_reachable() -> None:
    cf = client(api_token=SECRET)
    n = _native.operation_count()
    assert n == 2589
    for i in range(n):
        info = _native.operation_info(i)
        obj: Any = cf
        for part in info["attr_path"].split("."):
            obj = getattr(obj, part)
        assert isinstance(obj, flarekit._client.Method), info["attr_path"]


def test_keyword_names_take_an_underscore() -> None:
    cf = client(api_token=SECRET)
    assert repr(cf.dns.records.import_).startswith("<flarekit method dns.records.import_: POST")
    assert cf.d1.database.import_.info["method_py"] == "import"
    assert cf.security_center.insights.class_.get.info["path"].endswith("/class")


def test_the_table_says_which_arguments_are_files() -> None:
    cf = client(api_token=SECRET)
    assert cf.kv.namespaces.values.update.info["files"] == ["value"]
    assert cf.workers.scripts.update.info["files"] == ["files"]
    assert cf.r2.buckets.objects.upload.info["files"] == []
    assert cf.r2.buckets.objects.upload.info["body_param"] == "body"
    assert cf.r2.buckets.objects.upload.info["positional"] == ["object_key", "body"]
    assert cf.zones.create.info["files"] == []


def test_unknown_attribute_names_what_exists() -> None:
    cf = client(api_token=SECRET)
    with pytest.raises(AttributeError, match="methods: batch, create"):
        cf.dns.records.nope  # noqa: B018
    with pytest.raises(AttributeError, match=r"resources: .*zones"):
        cf.zonez  # noqa: B018
    assert "records" in dir(cf.dns)
    assert "zones" in dir(cf)


def test_resources_are_cached() -> None:
    cf = client(api_token=SECRET)
    assert cf.dns.records is cf.dns.records
    assert cf.dns.records.create is cf.dns.records.create


def test_unknown_keyword_is_a_type_error_naming_valid_ones() -> None:
    cf = client(api_token=SECRET)
    with pytest.raises(flarekit.InvalidArgumentError) as ei:
        cf.zones.get(zone_id="z1", colour="blue")
    assert isinstance(ei.value, TypeError)
    assert "unknown parameter colour" in str(ei.value)
    assert "valid parameters: zone_id" in str(ei.value)


def test_missing_path_param_fails_before_any_request() -> None:
    cf = client(api_token=SECRET, base_url="http://127.0.0.1:9/client/v4")
    with pytest.raises(flarekit.InvalidArgumentError, match="missing required path parameter zone_id"):
        cf.dns.records.list()
    with pytest.raises(flarekit.InvalidArgumentError, match="CLOUDFLARE_ACCOUNT_ID"):
        cf.workers.scripts.list()


def test_values_without_json_form_are_refused() -> None:
    cf = client(api_token=SECRET, base_url="http://127.0.0.1:9/client/v4")
    with pytest.raises(flarekit.InvalidArgumentError, match="has type object"):
        cf.dns.records.create(zone_id="z", comment=object())
    with pytest.raises(flarekit.InvalidArgumentError, match="NaN"):
        cf.dns.records.create(zone_id="z", ttl=float("nan"))
    with pytest.raises(flarekit.InvalidArgumentError, match="keys must be strings"):
        cf.dns.records.create(zone_id="z", data={1: 2})


def test_generic_path_must_be_relative() -> None:
    cf = client(api_token=SECRET)
    with pytest.raises(flarekit.InvalidArgumentError, match="relative"):
        cf.get("https://evil.example/zones")


# -- Models


def served(emu: Any, result: Any) -> Any:
    """`result` as a call returns it: served in an envelope by the emulator, decoded by the client."""
    emu.queue({"status": 200, "json": {"success": True, "errors": [], "messages": [], "result": result}})
    return flarekit.Cloudflare(api_token=SECRET, base_url=emu.base_url, env={}).get("/zones/z1")


def test_model_access_equality_and_conversion(emu: Any) -> None:
    m = served(emu, {"id": "z1", "meta": {"step": 2}, "tags": [{"k": "v"}], "from": "a", "items": [1]})
    assert isinstance(m, flarekit.Model)
    assert m.id == m["id"] == "z1"
    assert m.meta.step == 2
    assert m.tags[0].k == "v"
    assert m.from_ == "a"
    assert m["items"] == [1]
    assert "id" in m and len(m) == 5 and list(m)[:2] == ["id", "meta"]
    assert m == {"id": "z1", "meta": {"step": 2}, "tags": [{"k": "v"}], "from": "a", "items": [1]}
    assert m != {"id": "z2"}
    assert m.to_dict() == json.loads(m.to_json())
    assert type(m.to_dict()["meta"]) is dict
    assert m.to_json(indent=None).startswith('{"id":"z1"')
    assert "\n  " in m.to_json()
    with pytest.raises(AttributeError, match='no field "nope"'):
        m.nope  # noqa: B018
    with pytest.raises(KeyError):
        m["nope"]
    with pytest.raises(TypeError):
        hash(m)


def test_model_repr_is_readable() -> None:
    m = flarekit.Model({"id": "z1", "name": "example.com", "meta": {"a": 1}})
    assert repr(m) == "Model(id='z1', name='example.com', meta=Model(a=1))"
    assert repr(flarekit.Model({"content-type": "x"})) == "Model({'content-type': 'x'})"


def test_model_pickles_copies_and_mutates() -> None:
    m = flarekit.Model({"a": {"b": [1, {"c": 2}]}})
    for other in (pickle.loads(pickle.dumps(m)), copy.copy(m), copy.deepcopy(m)):
        assert other == m
        assert other.a.b[1].c == 2
    d = copy.deepcopy(m)
    d.a.b[1].c = 3
    assert m.a.b[1].c == 2
    m.x = {"y": 1}
    assert m.x.y == 1 and m["x"] == {"y": 1}
    del m["x"]
    assert "x" not in m


def test_decode_matches_json_loads(emu: Any) -> None:
    value = {"n": [1, -2, 2**63 + 5, 1.5, True, False, None, "é\u2603"], "o": {"k": {}}}
    m = served(emu, value)
    assert m == flarekit.Model(json.loads(json.dumps(value)))
    assert m.to_dict() == value
    assert type(m.n[2]) is int and type(m.n[3]) is float and type(m.n[4]) is bool


def test_big_result_decodes_with_gc_restored_and_keys_shared(emu: Any) -> None:
    # Over 64 KiB: the decoder pauses the cyclic GC while it builds, and must turn it back on.
    rows = [{"id": "r%d" % i, "name": "h%d" % i, "meta": {}, "tags": ["t:%d" % (i % 3)], "ttl": i} for i in range(3000)]
    assert gc.isenabled()
    m = served(emu, rows)
    assert gc.isenabled()
    assert [r.to_dict() for r in m] == rows
    assert m[5].id == "r5" and m[2999].ttl == 2999
    assert m[0].to_dict().keys() == rows[0].keys()
    # One key object per distinct key, as json.loads does.
    assert all(next(iter(r)) is next(iter(m[0])) for r in m)
    gc.disable()
    try:
        assert served(emu, rows)[1].name == "h1"
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_fields_never_shadow_methods_and_dunders(emu: Any) -> None:
    m = served(emu, {"to_dict": 1, "to_json": 2, "__class__": 3, "id": "x"})
    assert callable(m.to_dict) and callable(m.to_json) and m.__class__ is flarekit.Model
    assert m["to_dict"] == 1 and m["__class__"] == 3 and m.id == "x"


def test_cycles_through_decoded_models_are_collected(emu: Any) -> None:
    class Marker:
        pass

    page = served(emu, [{"id": "a", "meta": {}}, {"id": "b", "meta": {"n": 1}}])
    meta = page[0].meta
    # Holding only atoms, it is not watched by the GC; writing a field must put it back under watch.
    assert not gc.is_tracked(meta)
    marker = Marker()
    alive = weakref.ref(marker)
    meta.me = meta
    meta["marker"] = marker
    assert gc.is_tracked(meta)
    del marker, meta, page
    gc.collect()
    assert alive() is None


# -- errors


ALL_ERRORS = [
    flarekit.CloudflareError,
    flarekit.APIError,
    flarekit.APIStatusError,
    flarekit.BadRequestError,
    flarekit.AuthenticationError,
    flarekit.MissingCredentialsError,
    flarekit.PermissionDeniedError,
    flarekit.NotFoundError,
    flarekit.ConflictError,
    flarekit.UnprocessableEntityError,
    flarekit.RateLimitError,
    flarekit.InternalServerError,
    flarekit.APIConnectionError,
    flarekit.APITimeoutError,
    flarekit.APIUserAbortError,
    flarekit.ConfigurationError,
    flarekit.InvalidArgumentError,
]


def test_error_tree() -> None:
    for cls in ALL_ERRORS:
        assert issubclass(cls, flarekit.CloudflareError)
        assert cls.__doc__ and cls.__doc__.strip()
    for cls in ALL_ERRORS[3:12]:
        assert issubclass(cls, flarekit.APIStatusError) and issubclass(cls, flarekit.APIError)
    assert issubclass(flarekit.MissingCredentialsError, flarekit.AuthenticationError)
    assert issubclass(flarekit.ConfigurationError, ValueError)
    assert issubclass(flarekit.InvalidArgumentError, TypeError)
    assert issubclass(flarekit.APITimeoutError, flarekit.APIConnectionError)
    assert not issubclass(flarekit.APIConnectionError, flarekit.APIError)


@pytest.mark.parametrize("cls", ALL_ERRORS, ids=lambda c: c.__name__)
def test_every_exception_pickles(cls: type[flarekit.CloudflareError]) -> None:
    e = cls(
        "403 Forbidden: [10000] Authentication error",
        status_code=403,
        errors=[flarekit.Model({"code": 10000, "message": "Authentication error"})],
        messages=[],
        body=flarekit.Model({"success": False}),
        headers={"cf-ray": "abc-EMU"},
        ray_id="abc-EMU",
        codes=[10000],
        retry_after=1.5,
        attempts=3,
    )
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is cls
    assert str(back) == str(e) and back.args == e.args
    for f in ("status_code", "errors", "messages", "body", "headers", "ray_id", "codes", "retry_after", "attempts"):
        assert getattr(back, f) == getattr(e, f), f
    assert repr(back) == "%s(%r, status_code=403)" % (cls.__name__, str(e))


def test_raised_errors_pickle_too() -> None:
    with pytest.raises(flarekit.MissingCredentialsError) as ei:
        client()
    back = pickle.loads(pickle.dumps(ei.value))
    assert type(back) is flarekit.MissingCredentialsError and str(back) == str(ei.value)


# -- logging


def test_logging_goes_to_the_flarekit_logger_without_secrets(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="flarekit"):
        client(api_token=SECRET, api_key="halfpair-key-0000", log_level="debug")
    texts = [r.getMessage() for r in caplog.records if r.name == "flarekit"]
    assert any("client ready" in t for t in texts)
    assert any(
        r.levelno == logging.WARNING and "api_key was given without api_email" in r.getMessage() for r in caplog.records
    )
    assert not any(SECRET in t or "halfpair-key-0000" in t for t in texts)


def test_logging_off_by_default(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="flarekit"):
        client(api_token=SECRET, api_key="halfpair-key-0000")
    assert not [r for r in caplog.records if r.name == "flarekit"]


def test_version() -> None:
    assert flarekit.__version__ == _native.__version__
    assert sys.modules["flarekit._native"].__version__.count(".") == 2


def test_official_python_spellings_resolve() -> None:
    # Names the official Python SDK runs together or spells otherwise than snake_case of the JS names.
    cf = client(api_token=SECRET)
    for path in (
        "aisearch.instances.list",
        "radar.netflows.summary",
        "logs.rayid.get",
        "radar.dns.summary.dnssec_e2e",
        "realtime_kit.livestreams.start_livestreaming_a_meeting",
        "realtime_kit.livestreams.stop_livestreaming_a_meeting",
    ):
        obj: Any = cf
        for seg in path.split("."):
            obj = getattr(obj, seg)
        assert type(obj).__name__ == "Method", path
