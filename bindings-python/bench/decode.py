"""How results reach Python: the server's JSON text decoded straight into Models by a serde seed (what flarekit
does), against the way it did before (a serde_json::Value first, then Python objects), the json module, and
serialising a Value again for the json module.

`decode_json` and `reencode_json` are hooks of the native module's `bench-hooks` cargo feature, never in the
package; build with it, in release, into the environment that runs this script:

    maturin develop --release --features bench-hooks -m bindings-python/Cargo.toml
    python bindings-python/bench/decode.py
"""

from __future__ import annotations

import json
import time

from flarekit import Model, _native


def record(i: int) -> dict[str, object]:
    return {
        "id": "%032x" % (i * 7919),
        "zone_id": "822a5cb2e31326eb7856208ac716c8cd",
        "zone_name": "example.com",
        "name": "host-%d.example.com" % i,
        "type": "A",
        "content": "192.0.2.%d" % (i % 250),
        "proxiable": True,
        "proxied": i % 2 == 0,
        "ttl": 300,
        "locked": False,
        "comment": None if i % 3 else "managed by flarekit",
        "tags": ["team:web", "env:prod"],
        "meta": {"auto_added": False, "managed_by_apps": False, "source": "primary"},
        "settings": {"ipv4_only": False, "flatten_cname": False},
        "created_on": "2024-01-01T00:00:00.000000Z",
        "modified_on": "2024-06-01T12:34:56.000000Z",
    }


def best(fn, text: str, n: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - t)
    return min(times) * 1000


def main() -> None:
    if not hasattr(_native, "decode_json"):
        raise SystemExit(
            "flarekit._native was built without the bench-hooks feature "
            "(maturin develop --release --features bench-hooks -m bindings-python/Cargo.toml)"
        )
    cases = {
        "one record": json.dumps(record(1)),
        "100 records": json.dumps([record(i) for i in range(100)]),
        "5,000 records": json.dumps([record(i) for i in range(5000)]),
    }
    ways = {
        "text -> Models (flarekit)": lambda t: _native.decode_json(t),
        "Value -> dicts (before)": lambda t: _native.decode_json(t, True),
        "json.loads (dicts)": json.loads,
        "json.loads(object_hook=Model)": lambda t: json.loads(t, object_hook=Model),
        "Value -> text -> json.loads (dicts)": lambda t: json.loads(_native.reencode_json(t)),
        "Value -> text -> json.loads(object_hook=Model)": lambda t: json.loads(
            _native.reencode_json(t), object_hook=Model
        ),
    }
    for name, text in cases.items():
        n = 2000 if len(text) < 10_000 else (200 if len(text) < 100_000 else 20)
        print("%s (%d bytes of JSON):" % (name, len(text)))
        for way, fn in ways.items():
            print("  %-48s %9.3f ms" % (way, best(fn, text, n)))


if __name__ == "__main__":
    main()
