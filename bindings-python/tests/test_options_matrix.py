"""Every option x values of every type (issue 12): a working client, or a ConfigurationError naming the option
(MissingCredentialsError for half a key+email pair given to a variant). Never another exception."""

from __future__ import annotations

import decimal
import enum
import fractions
import math
import pathlib
from collections.abc import Iterator, Mapping
from typing import Any

import flarekit
from flarekit import _native


class _Color(enum.IntEnum):
    RED = 1


class _BadPath:
    def __fspath__(self) -> str:
        raise RuntimeError("no path")


class _BadMapping(Mapping[str, str]):
    def __getitem__(self, k: str) -> str:
        raise RuntimeError("no item")

    def __iter__(self) -> Iterator[str]:
        raise RuntimeError("no iter")

    def __len__(self) -> int:
        return 1


def _values() -> dict[str, Any]:
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    deep: dict[str, Any] = {}
    for _ in range(100):
        deep = {"deep": deep}
    return {
        "zero": 0,
        "minus_one": -1,
        "nan": math.nan,
        "inf": math.inf,
        "minus_inf": -math.inf,
        "huge_float": 1e300,
        "two_to_64": 2**64,
        "huge_int": 10**400,
        "minus_huge_int": -(10**400),
        "fraction": 1.5,
        "tiny": 5e-324,
        "int_enum": _Color.RED,
        "decimal": decimal.Decimal("1.5"),
        "rational": fractions.Fraction(1, 3),
        "complex": complex(1, 2),
        "string": "text",
        "empty": "",
        "non_ascii": "é€",
        "crlf": "a\r\nb",
        "nul": "a\0b",
        "surrogate": "\ud800",
        "true": True,
        "false": False,
        "none": None,
        "bytes": b"x",
        "bytearray": bytearray(b"x"),
        "list": [1, "a"],
        "tuple": (1,),
        "empty_dict": {},
        "dict": {"a": 1},
        "header_like": {"x-a": "1"},
        "int_keys": {1: "a"},
        "set": {1},
        "object": object(),
        "function": lambda: 1,
        "path": pathlib.Path("/nonexistent/ca.pem"),
        "bad_path": _BadPath(),
        "bad_mapping": _BadMapping(),
        "cyclic": cyclic,
        "deep": deep,
    }


def _judge(what: str, opt: str, name: str, e: BaseException, bad: list[str]) -> None:
    if not isinstance(e, (flarekit.ConfigurationError, flarekit.MissingCredentialsError)):
        bad.append(f"{what} {opt}={name}: {type(e).__name__} {str(e)[:200]}")
    elif opt not in str(e):
        bad.append(f"{what} {opt}={name}: the message does not name {opt}: {str(e)[:200]}")


def test_no_option_value_of_any_type_escapes_as_another_error() -> None:
    base: dict[str, Any] = {"api_token": "tok-matrix-123456", "base_url": "http://127.0.0.1:9/client/v4", "env": {}}
    start = flarekit.Cloudflare(**base)
    names = [o["name"] for o in _native.Client.option_table() if o["fronts"] == "All"]
    assert len(names) >= 17
    values = _values()
    bad: list[str] = []
    counts = {"constructed": 0, "refused": 0, "variants": 0, "variants_refused": 0}
    for opt in names:
        for name, v in values.items():
            kw = dict(base, user_service_key="usk-matrix-123456") if opt == "api_token" else dict(base)
            kw[opt] = v
            for cls in (flarekit.Cloudflare, flarekit.AsyncCloudflare):
                try:
                    repr(cls(**kw))
                    counts["constructed"] += 1
                except Exception as e:  # every exception is judged
                    counts["refused"] += 1
                    _judge(cls.__name__, opt, name, e, bad)
            try:
                repr(start.copy(**{opt: v}))
                counts["variants"] += 1
            except Exception as e:
                counts["variants_refused"] += 1
                _judge("copy", opt, name, e, bad)
    assert bad == []
    assert counts["constructed"] > 50 and counts["refused"] > 500, counts
    # An option the Python front door does not have (the JS logger) is an unknown option there.
    try:
        start.copy(logger=print)
    except flarekit.ConfigurationError as e:
        assert "unknown client option" in str(e)
    else:
        raise AssertionError("logger accepted")
