#!/usr/bin/env python3
"""flarekit against the official Cloudflare SDKs, side by side, in one run, on one local emulator.

    python3 bench/run.py                           # `make bench`: release builds, full counts, writes bench/results/
    python3 bench/run.py --quick --profile debug   # `make bench-quick`: small counts, the debug builds of `make test`

Builds what it runs (cargo, maturin), installs the official SDKs into bench-only environments when missing
(bench/.venv from PyPI, bench/node/node_modules from npm), starts two release emulators on 127.0.0.1 with a seed that
adds a zone of 5,000 DNS records: one over plain HTTP with no delay (W1-W5), one with `--tls --latency 50ms` (the
TLS link: HTTP/2 or HTTP/1.1 by ALPN, every response 50 ms late, i.e. 25 ms each way; W4/TLS, W6-W8), and runs every
workload for every contender as a fresh subprocess that prints one JSON line of figures. Each (workload, contender)
cell is repeated `--reps` times in interleaved rounds and the median is kept; ratios are taken between medians of the
same run. Only loopback is contacted.

Workloads on the plain link: W1 2,000 sequential zone gets (calls/s, CPU s per call), W2 one page of 5,000 DNS records
(ms per call, decoded into native objects and every item touched), W3 walking 5,000 records at per_page=100 (time,
requests the emulator counted), W4 2,000 zone gets with 64 in flight (calls/s), W5 import + construct a client in a
fresh process (median wall time and peak RSS over 10 processes) and installed size. W1 and W2 also run the floors:
raw httpx + orjson (Python) and raw fetch + JSON.parse (Node). On the TLS link: W6 the W3 walk, W7 a cold process that
imports, constructs and verifies the token over HTTPS (10 processes; the `flarekit` command too), W8 500 DNS record
creations with 32 in flight (the emulator's state reset before each run and the records counted after), W4/TLS the W4
calls and the connections each contender opened (the emulator's /__emulator/stats). On neither link: W9 emulator
start-up (flarekit Python and Node only, issue 16's 50 ms budget), a fresh process that imports the testing module
(`flarekit.testing`, `flarekit/testing`) and starts its first in-process emulator, timed from inside (median import,
start and total over 10 processes). T1 type-checking one typical 40-line script (bench/typing: `mypy --strict` for
Python, `tsc --noEmit` in strict mode for Node; the same code for both SDKs but for the imports; median wall time of 3
cold runs, and the same checker on an empty program as the floor).

The quick mode asserts nothing about speed: only that every contender ran and saw the right items, that flarekit's
(and the raw floor's) W3 and W6 walks took exactly 50 requests, W8 created exactly its records and each W7 process made
one request; its TLS link answers after 10 ms, not 50. It leaves T1 out (mypy alone takes ~30 s on the official SDK's
script): `--quick --workloads t1` runs it once.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
TARGET = os.environ.get("CARGO_BUILD_TARGET", "x86_64-unknown-linux-gnu")
TARGET_DIR = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / TARGET
BENCH_VENV = BENCH / ".venv"
BENCH_PY = BENCH_VENV / "bin" / "python"
DEV_VENV = ROOT / ".venv"
NODE_DIR = BENCH / "node"
NODE_BUILD = NODE_DIR / "build" / "flarekit"  # a release copy of the flarekit Node package (bench-only)
TYPING = BENCH / "typing"  # T1: the scripts mypy and tsc check, and the TypeScript compiler (typing/ts/node_modules)
TSC = TYPING / "ts" / "node_modules" / "typescript" / "bin" / "tsc"

ZONE = "822a5cb2e31326eb7856208ac716c8cd"  # the demo seed's example.com
BIG_ZONE = "b3c4000000000000000000000000b3c4"  # added by this script: 5,000 DNS records
BIG_RECORDS = 5000
WALK_PER_PAGE = 100

FULL = {"w1": 2000, "w2": 20, "w3": 1, "w4": 2000, "w5": 10, "w6": 1, "w7": 10, "w8": 500, "w4tls": 2000, "w9": 10}
FULL.update(t1=3, reps=5, latency_ms=50)
QUICK = {"w1": 40, "w2": 2, "w3": 1, "w4": 128, "w5": 2, "w6": 1, "w7": 1, "w8": 64, "w4tls": 128, "w9": 1, "t1": 1}
QUICK.update(reps=1, latency_ms=10)
QUICK_SKIPS = ["t1"]  # ~50 s even with one run each: not in `make bench-quick` unless asked for with --workloads
CONCURRENCY = 64  # W4, W4/TLS
W8_CONCURRENCY = 32
# Over the TLS link, the delay of every response: 50 ms is one round trip of 25 ms each way (the emulator delays the
# answer once; the TLS handshake itself is not delayed, which favours whoever opens more connections).
TLS_WORKLOADS = ("w6", "w7", "w8", "w4tls")
PROGRAM_WORKLOAD = {"w6": "w3", "w4tls": "w4"}  # the same code as on the plain link

# name -> (label, language, official counterpart or None)
CONTENDERS = {
    "flarekit-py": ("flarekit Python", "python", "official-py"),
    "official-py": ("official Python", "python", None),
    "flarekit-py-async": ("flarekit Python async", "python", "official-py-async"),
    "official-py-async": ("official Python async", "python", None),
    "raw-httpx": ("raw httpx + orjson", "python", None),
    "flarekit-node": ("flarekit Node", "node", "official-node"),
    "official-node": ("official Node", "node", None),
    "raw-fetch": ("raw fetch + JSON.parse", "node", None),
    "flarekit-rust": ("flarekit Rust", "rust", None),
    "raw-rust": ("raw reqwest + serde_json", "rust", None),
    "flarekit-cli": ("flarekit command", "rust", None),
}
SDKS = [
    "flarekit-py",
    "official-py",
    "flarekit-py-async",
    "official-py-async",
    "flarekit-node",
    "official-node",
    "flarekit-rust",
    "raw-rust",
]
CONCURRENT = ["flarekit-py-async", "official-py-async", "flarekit-node", "official-node", "flarekit-rust", "raw-rust"]
FLOORS = ["raw-httpx", "raw-fetch"]
WORKLOADS = {
    "w1": SDKS + FLOORS,
    "w2": SDKS + FLOORS,
    "w3": SDKS,
    "w4": CONCURRENT,
    "w5": ["flarekit-py", "official-py", "flarekit-node", "official-node", "flarekit-rust", "raw-rust"],
    "w6": SDKS,
    "w7": ["flarekit-py", "official-py", "flarekit-node", "official-node", "flarekit-cli"],
    "w8": SDKS,
    "w4tls": CONCURRENT,
    "w9": ["flarekit-py", "flarekit-node"],  # flarekit's testing module: the official SDKs have none
    "t1": ["flarekit-py", "official-py", "flarekit-node", "official-node"],
}
# The walks whose request count must be exactly ceil(5,000 / 100) = 50 (the official SDKs ask for one page more).
EXACT_WALKERS = ["flarekit-py", "flarekit-py-async", "flarekit-node", "flarekit-rust", "raw-rust"]
# (workload, metric key, label, unit, higher is better; None: a count that must be exact)
METRICS = [
    ("w1", "calls_per_s", "W1 sequential get zone", "calls/s", True),
    ("w1", "cpu_us_per_call", "W1 CPU per call", "µs", False),
    ("w2", "ms_per_call", "W2 list 5,000 records, one page", "ms/call", False),
    ("w3", "total_ms", "W3 walk 5,000 records, per_page=100", "ms", False),
    ("w3", "requests", "W3 requests the server counted", "requests", False),
    ("w4", "calls_per_s", "W4 get zone, 64 in flight", "calls/s", True),
    ("w5", "startup_ms", "W5 import + construct client", "ms", False),
    ("w5", "peak_rss_mb", "W5 peak RSS of that process", "MB", False),
    ("w5", "installed_mb", "W5 installed size", "MB", False),
    ("w6", "total_ms", "W6 walk 5,000 records, per_page=100, over TLS + latency", "ms", False),
    ("w6", "requests", "W6 requests the server counted", "requests", False),
    ("w7", "process_ms", "W7 cold process: import, construct, verify the token over TLS", "ms", False),
    ("w8", "creates_per_s", "W8 create 500 DNS records, 32 in flight, over TLS + latency", "records/s", True),
    ("w8", "created", "W8 records the emulator holds afterwards", "records", None),
    ("w4tls", "calls_per_s", "W4/TLS get zone, 64 in flight, over TLS + latency", "calls/s", True),
    ("w4tls", "connections", "W4/TLS connections opened", "connections", False),
    ("w9", "total_ms", "W9 emulator start-up: import the testing module + first start", "ms", False),
    ("t1", "check_s", "T1 type-check a 40-line script (mypy --strict / tsc)", "s", False),
]
COUNTS = ("requests", "records", "connections")  # units shown as whole numbers, never ratios


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def sh(cmd: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None, nice: bool = False) -> None:
    if nice and shutil.which("nice"):
        cmd = ["nice", *cmd]
    log("+ " + " ".join(str(c) for c in cmd))
    subprocess.run(cmd, cwd=cwd, env=env, check=True)


# --- environments and builds -------------------------------------------------------------------------------------


def ensure_bench_venv(chart: bool) -> None:
    if not BENCH_PY.exists():
        sh([sys.executable, "-m", "venv", str(BENCH_VENV)])
    wanted = ["cloudflare", "mypy", "orjson"] + (["matplotlib"] if chart else [])
    probe = "import importlib.util, sys; sys.exit(any(importlib.util.find_spec(m) is None for m in sys.argv[1:]))"
    if subprocess.run([str(BENCH_PY), "-c", probe, *wanted]).returncode != 0:
        reqs = [line for line in (BENCH / "requirements.txt").read_text().splitlines() if line and line[0] != "#"]
        if not chart:
            reqs = [r for r in reqs if not r.startswith("matplotlib")]
        sh([str(BENCH_PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *reqs])


def ensure_node_modules(typing: bool) -> None:
    if not (NODE_DIR / "node_modules" / "cloudflare").is_dir():
        sh(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR)
    # T1's TypeScript compiler and @types/node, apart from bench/node so that they do not count in the official SDK's
    # installed size.
    if typing and not TSC.is_file():
        sh(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TYPING / "ts")


def node_package_files(src: Path) -> list[Path]:
    """The files the flarekit Node package ships (its package.json `files`), without any built addon."""
    pkg = json.loads((src / "package.json").read_text())
    out = [src / "package.json"]
    for pattern in pkg["files"]:
        if pattern.endswith(".node"):
            continue
        p = src / pattern.rstrip("/")
        if p.is_dir():
            out += [f for f in p.rglob("*") if f.is_file()]
        elif p.is_file():
            out.append(p)
    return out


def build(profile: str) -> None:
    cargo_env = dict(os.environ, CARGO_BUILD_TARGET=TARGET)
    cargo_env.setdefault("PYO3_PYTHON", shutil.which("python3") or sys.executable)
    if profile == "debug":
        # The debug builds `make test` made: the emulator and the bindings are there; only the Rust contender is new.
        sh(
            ["cargo", "build", "-p", "flarekit-emulator", "-p", "flarekit-bench", "-p", "flarekit-cli"],
            env=cargo_env,
            nice=True,
        )
        return
    sh(
        [
            "cargo",
            "build",
            "--release",
            "-p",
            "flarekit-emulator",
            "-p",
            "flarekit-bench",
            "-p",
            "flarekit-cli",
            "-p",
            "flarekit-node",
        ],
        env=cargo_env,
        nice=True,
    )
    # Node: the package's files plus the release addon, copied aside so a concurrent debug build cannot swap it.
    src = ROOT / "bindings-node"
    if NODE_BUILD.exists():
        shutil.rmtree(NODE_BUILD)
    for f in node_package_files(src):
        dest = NODE_BUILD / f.relative_to(src)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, dest)
    shutil.copy2(TARGET_DIR / "release" / "libflarekit_node.so", NODE_BUILD / "flarekit.linux-x64-gnu.node")
    # Python: a release wheel installed into the bench venv, next to the official SDK.
    maturin = DEV_VENV / "bin" / "maturin"
    if not maturin.exists():
        maturin = BENCH_VENV / "bin" / "maturin"
        if not maturin.exists():
            sh([str(BENCH_PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "maturin>=1.9.4,<2"])
    wheels = Path(tempfile.mkdtemp(prefix="flarekit-bench-wheels-"))
    try:
        sh(
            [str(maturin), "build", "--release", "--quiet", "--out", str(wheels), "-m", "bindings-python/Cargo.toml"],
            env=cargo_env,
            nice=True,
        )
        wheel = sorted(wheels.glob("flarekit-*.whl"))[-1]
        sh(
            [
                str(BENCH_PY),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--force-reinstall",
                "--no-deps",
                str(wheel),
            ]
        )
    finally:
        shutil.rmtree(wheels, ignore_errors=True)


# --- the emulator --------------------------------------------------------------------------------------------------


def write_seed(path: Path) -> None:
    seed = json.loads((ROOT / "emulator" / "seed" / "demo.json").read_text())
    account = seed["zones"][0]["account_id"]
    records = []
    for i in range(BIG_RECORDS):
        r: dict[str, object] = {
            "type": "A" if i % 4 else "AAAA",
            "name": "host-%d" % i,
            "content": "198.51.100.%d" % (i % 250 + 1) if i % 4 else "2001:db8::%x" % (i + 1),
            "ttl": 300 if i % 3 else 1,
            "proxied": i % 2 == 0,
            "tags": ["team:%d" % (i % 7), "env:prod"],
        }
        if i % 5 == 0:
            r["comment"] = "managed by the benchmark"
        records.append(r)
    seed["zones"].append(
        {"id": BIG_ZONE, "name": "bench.example", "account_id": account, "status": "active", "dns_records": records}
    )
    path.write_text(json.dumps(seed))


class Emulator:
    """One emulator process; with `tls`, HTTPS (h2 and http/1.1 by ALPN) with the CA it prints, `latency_ms` late."""

    def __init__(self, binary: Path, seed: Path, tls: bool = False, latency_ms: float = 0) -> None:
        self.out = tempfile.TemporaryFile(mode="w+")
        cmd = [str(binary), "--host", "127.0.0.1", "--port", "0", "--seed", str(seed)]
        if tls:
            cmd.append("--tls")
        if latency_ms:
            cmd += ["--latency", "%gms" % latency_ms]
        self.latency_ms = latency_ms
        self.proc = subprocess.Popen(cmd, stdout=self.out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        text = ""
        while time.monotonic() < deadline:
            self.out.seek(0)
            text = self.out.read()
            if 'api token "Admin: everything"' in text or self.proc.poll() is not None:
                break
            time.sleep(0.05)
        m = re.search(r"listening on (\S+)", text)
        t = re.search(r'api token "Admin: everything": (\S+)', text)
        if not m or not t:
            self.stop()
            raise SystemExit("the emulator did not start:\n" + text)
        self.base_url = m.group(1)
        self.admin_url = self.base_url.rsplit("/client/v4", 1)[0] + "/__emulator"
        self.token = t.group(1)
        ca = re.search(r"tls ca: (\S+)", text)
        self.ca = ca.group(1) if ca else None
        if tls and not self.ca:
            self.stop()
            raise SystemExit("the TLS emulator printed no CA:\n" + text)
        self.ssl = ssl.create_default_context(cafile=self.ca) if self.ca else None

    def _send(self, req: urllib.request.Request) -> dict:
        with urllib.request.urlopen(req, timeout=30, context=self.ssl) as resp:
            body = resp.read()
        return json.loads(body) if body else {}

    def admin(self, method: str, path: str, body: dict | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode()
        headers = {} if body is None else {"Content-Type": "application/json"}
        return self._send(urllib.request.Request(self.admin_url + path, data=data, headers=headers, method=method))

    def api(self, path: str) -> dict:
        """GET an API path with the admin token (to count what a workload left behind)."""
        headers = {"Authorization": "Bearer " + self.token}
        return self._send(urllib.request.Request(self.base_url + path, headers=headers))

    def requests(self, path_glob: str) -> list[dict]:
        return list(self.admin("GET", "/requests?path=" + path_glob)["requests"])

    def request_count(self, path_glob: str) -> int:
        return int(self.admin("GET", "/requests?path=" + path_glob)["count"])

    def connections(self) -> int:
        return int(self.admin("GET", "/stats")["connections"])

    def record_count(self, zone: str) -> int:
        return int(self.api("/zones/%s/dns_records?per_page=1" % zone)["result_info"]["total_count"])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.ca:
            Path(self.ca).unlink(missing_ok=True)


# --- contenders ----------------------------------------------------------------------------------------------------


class Runner:
    def __init__(self, profile: str, emu: Emulator, tls: Emulator) -> None:
        self.profile = profile
        self.emu = emu
        self.tls = tls
        flarekit_py = BENCH_PY if profile == "release" else DEV_VENV / "bin" / "python"
        node_pkg = NODE_BUILD if profile == "release" else ROOT / "bindings-node"
        rust = TARGET_DIR / profile / "flarekit-bench"
        py = BENCH / "python"
        node = NODE_DIR
        self.commands = {
            "flarekit-py": [str(flarekit_py), str(py / "sdk_bench.py"), "flarekit", "sync"],
            "official-py": [str(BENCH_PY), str(py / "sdk_bench.py"), "cloudflare", "sync"],
            "flarekit-py-async": [str(flarekit_py), str(py / "sdk_bench.py"), "flarekit", "async"],
            "official-py-async": [str(BENCH_PY), str(py / "sdk_bench.py"), "cloudflare", "async"],
            "raw-httpx": [str(BENCH_PY), str(py / "floor_bench.py"), "sync"],
            "flarekit-node": ["node", str(node / "sdk_bench.mjs"), "flarekit"],
            "official-node": ["node", str(node / "sdk_bench.mjs"), "cloudflare"],
            "raw-fetch": ["node", str(node / "floor_bench.mjs")],
            "flarekit-rust": [str(rust), "flarekit"],
            "raw-rust": [str(rust), "raw"],
            # W7 only: one HTTPS call, as a CI step would make it (`whoami` makes two: verify, then the token's name).
            "flarekit-cli": [
                str(TARGET_DIR / profile / "flarekit"),
                *("--ca-bundle", str(tls.ca), "token", "verify", "--json"),
            ],
        }
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOUDFLARE_", "BENCH_"))}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # let both Pythons use (and write) bytecode caches as users do
        env.update(
            BENCH_BASE_URL=emu.base_url,
            BENCH_TOKEN=emu.token,
            BENCH_ZONE=ZONE,
            BENCH_BIG_ZONE=BIG_ZONE,
            FLAREKIT_NODE_PATH=str(node_pkg),
        )
        self.env = env
        # The TLS link: its base URL and CA. flarekit takes the CA as an option (BENCH_CA, read by the programs), the
        # official SDKs from the variable their HTTP stack reads, set for their processes only: SSL_CERT_FILE (httpx)
        # and NODE_EXTRA_CA_CERTS (Node's fetch). Raw reqwest adds it as a root certificate.
        tls_env = dict(env, BENCH_BASE_URL=tls.base_url, BENCH_CA=str(tls.ca))
        self.tls_env = {c: tls_env for c in CONTENDERS}
        for c in ("official-py", "official-py-async"):
            self.tls_env[c] = dict(tls_env, SSL_CERT_FILE=str(tls.ca))
        self.tls_env["official-node"] = dict(tls_env, NODE_EXTRA_CA_CERTS=str(tls.ca))
        # The flarekit command reads its credentials and base URL from the environment, as in a CI step.
        self.tls_env["flarekit-cli"] = dict(tls_env, CLOUDFLARE_API_TOKEN=tls.token, CLOUDFLARE_BASE_URL=tls.base_url)

    def run(self, contender: str, workload: str, count: int) -> dict:
        tls = workload in TLS_WORKLOADS
        emu, env = (self.tls, self.tls_env[contender]) if tls else (self.emu, self.env)
        concurrency = {"w4": CONCURRENCY, "w4tls": CONCURRENCY, "w8": W8_CONCURRENCY}.get(workload)
        args = [PROGRAM_WORKLOAD.get(workload, workload), str(count)] + ([str(concurrency)] if concurrency else [])
        cmd = self.commands[contender] + args
        seeded = 0
        if workload in ("w3", "w6"):
            emu.admin("DELETE", "/requests")
        elif workload == "w8":
            # The seed's state again (earlier runs' records gone), and an empty request log.
            emu.admin("POST", "/reset", {"state": True})
            seeded = emu.record_count(ZONE)
            emu.admin("DELETE", "/requests")
        conns = emu.connections() if workload == "w4tls" else 0
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = proc.communicate(timeout=600)
        if proc.returncode != 0:
            raise RuntimeError("%s %s failed (%d):\n%s%s" % (contender, workload, proc.returncode, out, err[-4000:]))
        line = [ln for ln in out.splitlines() if ln.startswith("{")][-1]
        figures = json.loads(line)
        if workload in ("w3", "w6"):
            figures["requests"] = emu.request_count("/client/v4/zones/%s/dns_records*" % BIG_ZONE)
        elif workload == "w8":
            posts = emu.requests("/client/v4/zones/%s/dns_records" % ZONE)
            figures["requests"] = sum(1 for r in posts if r.get("method") == "POST")
            figures["created"] = emu.record_count(ZONE) - seeded
            if figures["created"] != count or figures["requests"] != count:
                raise RuntimeError(
                    "%s w8: %d records created in %d POSTs, expected exactly %d"
                    % (contender, figures["created"], figures["requests"], count)
                )
        elif workload == "w4tls":
            # Less the one the second stats request itself opened (the admin client does not keep connections).
            figures["connections"] = emu.connections() - conns - 1
        return figures

    def cold(self, contender: str) -> dict:
        """W7: one fresh process that imports, constructs and verifies the token over TLS, timed from outside."""
        cmd = [*self.commands[contender]] + ([] if contender == "flarekit-cli" else ["w7"])
        self.tls.admin("DELETE", "/requests")
        t0 = time.monotonic()
        proc = subprocess.Popen(
            cmd, env=self.tls_env[contender], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        out, err = proc.communicate(timeout=120)
        wall = time.monotonic() - t0
        if proc.returncode != 0:
            raise RuntimeError("%s w7 failed (%d):\n%s%s" % (contender, proc.returncode, out, err[-4000:]))
        if contender == "flarekit-cli":  # the token as pretty-printed JSON
            figures: dict = {"status": json.loads(out).get("status")}
        else:
            figures = json.loads([ln for ln in out.splitlines() if ln.startswith("{")][-1])
        figures["wall_s"] = wall
        figures["requests"] = self.tls.request_count("/client/v4*")
        if figures["requests"] != 1 or figures.get("status") != "active":
            raise RuntimeError("%s w7: %s, expected one request and an active token" % (contender, figures))
        return figures

    def startup(self, contender: str, workload: str = "w5") -> dict:
        """One fresh process timing its own start-up; returns its figures. W5: import + construct a client, with the
        process's own peak RSS; W9: import the testing module + start the first emulator (its own, in the process)."""
        cmd = [*self.commands[contender], workload]
        proc = subprocess.Popen(cmd, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = proc.communicate(timeout=120)
        if proc.returncode != 0:
            raise RuntimeError("%s %s failed (%d):\n%s%s" % (contender, workload, proc.returncode, out, err[-4000:]))
        # W5's rss_kib is the child's own VmHWM, reported by itself just before it exits.
        return json.loads([ln for ln in out.splitlines() if ln.startswith("{")][-1])


# --- T1: type-checking --------------------------------------------------------------------------------------------


class TypeCheck:
    """T1: `mypy --strict` (Python) and `tsc` (Node) on bench/typing's script for each SDK, each run a cold process.

    mypy is the bench venv's (where the official SDK is, and in release the flarekit wheel: both found as a user's
    mypy finds them; in debug flarekit's stubs come from bindings-python/python through MYPYPATH), with
    --no-incremental and no cache. tsc is bench/typing/ts's, run in a fresh project per SDK: the committed
    tsconfig.<sdk>.json and script_<sdk>.ts, node_modules linking the package (flarekit: the contender's package
    directory; official: bench/node/node_modules/cloudflare) and @types/node. Each checker also runs on an empty
    program with the same options (the floor: what the checker costs before it reads either SDK).
    """

    def __init__(self, profile: str, node_pkg: Path) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="flarekit-bench-typing-"))
        py_dir = TYPING / "python"
        env = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
        mypy = [str(BENCH_PY), "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=" + os.devnull]
        (self.tmp / "empty.py").write_text("")
        flarekit_env = dict(env)
        if profile == "debug":  # the bench venv holds no current flarekit: the source tree's stubs
            flarekit_env["MYPYPATH"] = str(ROOT / "bindings-python" / "python")
        tsc = ["node", str(TSC), "-p", "tsconfig.json"]
        self.cases: dict[str, tuple[list[str], Path, dict[str, str]]] = {
            "floor-mypy": ([*mypy, "empty.py"], self.tmp, env),
            "flarekit-py": ([*mypy, "script_flarekit.py"], py_dir, flarekit_env),
            "official-py": ([*mypy, "script_official.py"], py_dir, env),
            "floor-tsc": (tsc, self.ts_project("floor", None, None), env),
            "flarekit-node": (tsc, self.ts_project("flarekit", "flarekit", node_pkg), env),
            "official-node": (
                tsc,
                self.ts_project("official", "cloudflare", NODE_DIR / "node_modules" / "cloudflare"),
                env,
            ),
        }

    def ts_project(self, sdk: str, package: str | None, package_dir: Path | None) -> Path:
        src = TYPING / "ts"
        d = self.tmp / ("ts-" + sdk)
        (d / "node_modules").mkdir(parents=True)
        (d / "node_modules" / "@types").symlink_to(src / "node_modules" / "@types", target_is_directory=True)
        if package is None:  # the floor: flarekit's options, an empty module
            (d / "tsconfig.json").write_text(
                (src / "tsconfig.flarekit.json").read_text().replace("script_flarekit", "empty")
            )
            (d / "empty.ts").write_text("export {}\n")
            return d
        assert package_dir is not None
        (d / "node_modules" / package).symlink_to(package_dir.resolve(), target_is_directory=True)
        shutil.copy2(src / ("tsconfig.%s.json" % sdk), d / "tsconfig.json")
        shutil.copy2(src / ("script_%s.ts" % sdk), d / ("script_%s.ts" % sdk))
        return d

    def run(self, case: str) -> dict:
        cmd, cwd, env = self.cases[case]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise RuntimeError(
                "T1 %s: %s failed (%d), the script must type-check:\n%s%s"
                % (case, " ".join(cmd), proc.returncode, proc.stdout[-4000:], proc.stderr[-4000:])
            )
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        return {"wall_s": wall, "cpu_s": cpu}

    def versions(self) -> dict:
        ts = json.loads((TSC.parent.parent / "package.json").read_text())["version"]
        return {
            "mypy": cmd_out([str(BENCH_PY), "-m", "mypy", "--version"]).split(" (")[0].replace("mypy ", ""),
            "typescript": ts,
        }

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


# --- sizes and versions ---------------------------------------------------------------------------------------------

DIST_SIZE = r"""
import importlib.metadata as md, json, os, re, sys
def norm(n): return re.sub(r"[-_.]+", "-", n).lower()
def closure(name):
    seen, todo = {}, [name]
    while todo:
        n = norm(todo.pop())
        if n in seen:
            continue
        try:
            d = md.distribution(n)
        except md.PackageNotFoundError:
            continue
        seen[n] = d
        for req in d.requires or []:
            if "extra ==" in req:
                continue
            todo.append(re.match(r"[A-Za-z0-9._-]+", req).group(0))
    return seen
out = {}
for name in sys.argv[1:]:
    dists = closure(name)
    total = 0
    for d in dists.values():
        for f in d.files or []:
            p = f.locate()
            if os.path.isfile(p):
                total += os.path.getsize(p)
    if name == "flarekit" and total < 100_000:  # an editable (debug) install: measure the package directory
        import flarekit
        pkg = os.path.dirname(flarekit.__file__)
        total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(pkg) for f in fs)
    out[name] = {"bytes": total, "packages": sorted(dists), "version": dists[norm(name)].version}
print(json.dumps(out))
"""


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def python_sizes(runner: Runner) -> dict:
    flarekit_py = runner.commands["flarekit-py"][0]
    a = json.loads(
        subprocess.run([flarekit_py, "-c", DIST_SIZE, "flarekit"], capture_output=True, text=True, check=True).stdout
    )
    b = json.loads(
        subprocess.run(
            [str(BENCH_PY), "-c", DIST_SIZE, "cloudflare"], capture_output=True, text=True, check=True
        ).stdout
    )
    return {"flarekit-py": a["flarekit"], "official-py": b["cloudflare"]}


def node_sizes(runner: Runner) -> dict:
    pkg = Path(runner.env["FLAREKIT_NODE_PATH"])
    addon = pkg / "flarekit.linux-x64-gnu.node"
    flarekit_bytes = sum(f.stat().st_size for f in node_package_files(pkg)) + addon.stat().st_size
    official = json.loads((NODE_DIR / "node_modules" / "cloudflare" / "package.json").read_text())
    return {
        "flarekit-node": {"bytes": flarekit_bytes, "packages": ["flarekit"], "version": node_version(pkg)},
        # Everything `npm install cloudflare` put in node_modules (the SDK and its dependencies, if any).
        "official-node": {
            "bytes": dir_bytes(NODE_DIR / "node_modules"),
            "packages": sorted(p.name for p in (NODE_DIR / "node_modules").iterdir() if not p.name.startswith(".")),
            "version": official["version"],
        },
    }


def node_version(pkg: Path) -> str:
    return json.loads((pkg / "package.json").read_text())["version"]


def rust_sizes(runner: Runner) -> dict:
    binary = Path(runner.commands["flarekit-rust"][0])
    size = binary.stat().st_size
    return {
        "flarekit-rust": {"bytes": size, "packages": ["flarekit-bench binary (both Rust contenders)"]},
        "raw-rust": {"bytes": size, "packages": ["flarekit-bench binary (both Rust contenders)"]},
    }


def cmd_out(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = "%.1f GiB" % (kib / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "os": "%s %s" % (platform.system(), platform.release()),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def versions(sizes: dict) -> dict:
    lock = (ROOT / "Cargo.lock").read_text()
    m = re.search(r'name = "reqwest"\nversion = "([^"]+)"', lock)
    return {
        "flarekit": sizes["flarekit-py"].get("version", "?"),
        "cloudflare (PyPI)": sizes["official-py"]["version"],
        "cloudflare (npm)": sizes["official-node"]["version"],
        "rustc": cmd_out(["rustc", "--version"]).replace("rustc ", ""),
        "python": cmd_out([str(BENCH_PY), "-c", "import platform; print(platform.python_version())"]),
        "node": cmd_out(["node", "--version"]).lstrip("v"),
        "reqwest": m.group(1) if m else "?",
        "httpx": cmd_out([str(BENCH_PY), "-c", "import httpx; print(httpx.__version__)"]),
        "orjson": cmd_out([str(BENCH_PY), "-c", "import orjson; print(orjson.__version__)"]),
    }


# --- the run -------------------------------------------------------------------------------------------------------


def derive(workload: str, runs: list[dict]) -> dict:
    """Per-run figures -> medians of the workload's metrics."""

    def med(f) -> float:  # type: ignore[no-untyped-def]
        return statistics.median(f(r) for r in runs)

    if workload == "w1":
        return {
            "calls_per_s": med(lambda r: r["calls"] / r["wall_s"]),
            "cpu_us_per_call": med(lambda r: r["cpu_s"] / r["calls"] * 1e6),
        }
    if workload == "w2":
        return {
            "ms_per_call": med(lambda r: r["wall_s"] / r["calls"] * 1000),
            "cpu_ms_per_call": med(lambda r: r["cpu_s"] / r["calls"] * 1000),
        }
    if workload in ("w3", "w6"):
        return {
            "total_ms": med(lambda r: r["wall_s"] / r["calls"] * 1000),
            "cpu_ms": med(lambda r: r["cpu_s"] / r["calls"] * 1000),
            "requests": med(lambda r: r["requests"]),
        }
    if workload in ("w4", "w4tls"):
        out = {
            "calls_per_s": med(lambda r: r["calls"] / r["wall_s"]),
            "cpu_us_per_call": med(lambda r: r["cpu_s"] / r["calls"] * 1e6),
        }
        if workload == "w4tls":
            out["connections"] = med(lambda r: r["connections"])
        return out
    if workload == "w7":
        out = {"process_ms": med(lambda r: r["wall_s"] * 1000), "requests": med(lambda r: r["requests"])}
        for part in ("import_s", "construct_s", "call_s"):  # as seen from inside (not for the flarekit command)
            if all(part in r for r in runs):
                out[part.replace("_s", "_ms")] = statistics.median(r[part] * 1000 for r in runs)
        return out
    if workload == "w8":
        return {
            "creates_per_s": med(lambda r: r["calls"] / r["wall_s"]),
            "cpu_us_per_call": med(lambda r: r["cpu_s"] / r["calls"] * 1e6),
            "created": min(r["created"] for r in runs),
            "requests": max(r["requests"] for r in runs),
        }
    if workload == "t1":
        return {"check_s": med(lambda r: r["wall_s"]), "check_cpu_s": med(lambda r: r["cpu_s"])}
    if workload == "w9":
        return {
            "total_ms": med(lambda r: r["total_ms"]),
            "import_ms": med(lambda r: r["import_ms"]),
            "start_ms": med(lambda r: r["start_ms"]),
        }
    return {"startup_ms": med(lambda r: r["wall_s"] * 1000), "peak_rss_mb": med(lambda r: r["rss_kib"] * 1024 / 1e6)}


def check_items(contender: str, workload: str, count: int, r: dict) -> None:
    expected = {
        "w1": count,
        "w2": count * BIG_RECORDS,
        "w3": count * BIG_RECORDS,
        "w4": count,
        "w6": count * BIG_RECORDS,
        "w8": count,
        "w4tls": count,
    }.get(workload)
    if expected is not None and r.get("items") != expected:
        raise RuntimeError("%s %s saw %s items, expected %d" % (contender, workload, r.get("items"), expected))


def ratio(a: float | None, b: float | None) -> float | None:
    return None if not a or not b else a / b


def targets(m: dict, w8_count: int = FULL["w8"]) -> list[dict]:
    def get(c: str, w: str, k: str) -> float | None:
        return m.get(c, {}).get(w, {}).get(k)

    rows = []

    def add(name: str, value: float | None, unit: str, ok: bool | None, goal: str) -> None:
        rows.append({"target": name, "goal": goal, "measured": value, "unit": unit, "holds": ok})

    ms = get("flarekit-py", "w5", "startup_ms")
    add("Python import + client time", ms, "ms", None if ms is None else ms <= 15, "≤ 15 ms")
    rss = get("flarekit-py", "w5", "peak_rss_mb")
    add("Python import + client peak RSS", rss, "MB", None if rss is None else rss <= 15, "≤ 15 MB")
    r = ratio(get("official-py", "w1", "cpu_us_per_call"), get("flarekit-py", "w1", "cpu_us_per_call"))
    add("W1 CPU per call: official Python / flarekit Python", r, "×", None if r is None else r >= 5, "≥ 5×")
    r = ratio(get("flarekit-rust", "w1", "cpu_us_per_call"), get("raw-rust", "w1", "cpu_us_per_call"))
    add("W1 CPU per call: flarekit Rust / raw reqwest", r, "×", None if r is None else r <= 1.5, "≤ 1.5×")
    r = ratio(get("official-py", "w2", "ms_per_call"), get("flarekit-py", "w2", "ms_per_call"))
    add("W2 time: official Python / flarekit Python", r, "×", None if r is None else r >= 10, "≥ 10×")
    r = ratio(get("official-node", "w2", "ms_per_call"), get("flarekit-node", "w2", "ms_per_call"))
    add("W2 time: official Node / flarekit Node", r, "×", None if r is None else r >= 1, "≥ 1×")
    for c in ("flarekit-py", "flarekit-py-async", "flarekit-node", "flarekit-rust"):
        n = get(c, "w3", "requests")
        add("W3 requests: %s" % CONTENDERS[c][0], n, "requests", None if n is None else n == 50, "= 50")
    r = ratio(get("flarekit-py-async", "w4", "calls_per_s"), get("official-py-async", "w4", "calls_per_s"))
    add("W4 calls/s: flarekit Python async / official", r, "×", None if r is None else r >= 2, "≥ 2×")
    r = ratio(get("flarekit-node", "w4", "calls_per_s"), get("official-node", "w4", "calls_per_s"))
    add("W4 calls/s: flarekit Node / official Node", r, "×", None if r is None else r >= 1, "≥ 1×")
    r = ratio(get("official-py", "w5", "installed_mb"), get("flarekit-py", "w5", "installed_mb"))
    # Issue 14's budget, types included: flarekit at most 1/5 of the official package's installed size (it replaces
    # the at-least-10-times target set before the package carried the API's types).
    add("Installed size: official Python / flarekit Python", r, "×", None if r is None else r >= 5, "≥ 5×")
    r = ratio(get("official-node", "w5", "installed_mb"), get("flarekit-node", "w5", "installed_mb"))
    add("Installed size: official Node / flarekit Node", r, "×", None if r is None else r >= 5, "≥ 5×")
    # Issue 17: over TLS with 25 ms each way.
    for fk, ref in (
        ("flarekit-py", "official-py"),
        ("flarekit-py-async", "official-py-async"),
        ("flarekit-node", "official-node"),
        ("flarekit-rust", "raw-rust"),
    ):
        r = ratio(get(ref, "w6", "total_ms"), get(fk, "w6", "total_ms"))
        what = "raw reqwest walking page after page" if ref == "raw-rust" else CONTENDERS[ref][0]
        add("W6 walk time: %s / %s" % (what, CONTENDERS[fk][0]), r, "×", None if r is None else r >= 3.5, "≥ 3.5×")
    for c in EXACT_WALKERS:
        n = get(c, "w6", "requests")
        add("W6 requests: %s" % CONTENDERS[c][0], n, "requests", None if n is None else n == 50, "= 50")
    for fk, ref in (
        ("flarekit-py", "official-py"),
        ("flarekit-node", "official-node"),
        ("flarekit-cli", "official-py"),
        ("flarekit-cli", "official-node"),
    ):
        r = ratio(get(fk, "w7", "process_ms"), get(ref, "w7", "process_ms"))
        add(
            "W7 cold process: %s / %s" % (CONTENDERS[fk][0], CONTENDERS[ref][0]),
            r,
            "×",
            None if r is None else r <= 0.5,
            "≤ 0.50×",
        )
    for fk, ref in (
        ("flarekit-py", "official-py"),
        ("flarekit-py-async", "official-py-async"),
        ("flarekit-node", "official-node"),
        ("flarekit-rust", "raw-rust"),
    ):
        r = ratio(get(fk, "w8", "creates_per_s"), get(ref, "w8", "creates_per_s"))
        name = "W8 creations/s: %s / %s" % (CONTENDERS[fk][0], CONTENDERS[ref][0])
        if ref == "raw-rust":
            # No official Rust SDK: the floor stands in, and with 32 in flight over a 50 ms round trip both are held
            # to the same 640 calls/s by the link, so this row is shown, not judged (issue 17 compares with the
            # official SDK of the same language).
            add(name, r, "×", None, "shown (no official Rust SDK)")
        else:
            add(name, r, "×", None if r is None else r >= 1, "≥ 1×")
    for c in SDKS:
        n = get(c, "w8", "created")
        ok = None if n is None else n == w8_count
        add("W8 records created: %s" % CONTENDERS[c][0], n, "records", ok, "= %d" % w8_count)
    for c in ("flarekit-py-async", "flarekit-node", "flarekit-rust"):
        n = get(c, "w4tls", "connections")
        name = "W4/TLS connections: %s (64 in flight)" % CONTENDERS[c][0]
        add(name, n, "connections", None if n is None else n == 1, "= 1")
    r = ratio(get("flarekit-py", "w2", "ms_per_call"), get("raw-httpx", "w2", "ms_per_call"))
    add("W2 time: flarekit Python / raw httpx + orjson", r, "×", None if r is None else r <= 1.25, "≤ 1.25×")
    r = ratio(get("flarekit-node", "w2", "ms_per_call"), get("raw-fetch", "w2", "ms_per_call"))
    add("W2 time: flarekit Node / raw fetch + JSON.parse", r, "×", None if r is None else r <= 1.1, "≤ 1.10×")
    r = ratio(get("flarekit-py", "w1", "cpu_us_per_call"), get("flarekit-rust", "w1", "cpu_us_per_call"))
    add("W1 CPU per call: flarekit Python / flarekit Rust", r, "×", None if r is None else r <= 1.5, "≤ 1.5×")
    r = ratio(get("flarekit-py", "t1", "check_s"), get("official-py", "t1", "check_s"))
    add("T1 mypy --strict time: flarekit Python / official Python", r, "×", None if r is None else r <= 0.2, "≤ 0.20×")
    r = ratio(get("flarekit-node", "t1", "check_s"), get("official-node", "t1", "check_s"))
    add("T1 tsc time: flarekit Node / official Node", r, "×", None if r is None else r <= 0.5, "≤ 0.50×")
    # Issue 16: a test suite's emulator, import of the testing module + first start, within 50 ms.
    for c in ("flarekit-py", "flarekit-node"):
        ms = get(c, "w9", "total_ms")
        add("W9 emulator start-up: %s" % CONTENDERS[c][0], ms, "ms", None if ms is None else ms <= 50, "≤ 50 ms")
    return rows


def link_note(doc: dict) -> str:
    """How the TLS link is made, for the table's note."""
    cfg = doc["config"]
    if not any(w in doc["medians"].get(c, {}) for c in CONTENDERS for w in TLS_WORKLOADS):
        return ""
    lat = cfg["latency_ms"]
    return (
        " W4/TLS and W6-W8 run against a second emulator started with `--tls --latency %gms`: HTTPS with a CA made at"
        " start-up (flarekit takes it as `ca_bundle` / `caBundle` / `--ca-bundle`, the official SDKs by"
        " `SSL_CERT_FILE` and `NODE_EXTRA_CA_CERTS`), HTTP/2 or HTTP/1.1 as each client offers, and every response"
        " %g ms late: one round trip, %g ms each way, per request (the TLS handshake itself is not delayed). W7 is"
        " timed from outside the process (interpreter start included) and makes exactly one request; W8's state is"
        " reset before each run and the records counted after it; flarekit's clients run without the client-side"
        " budget (`rate_limit=0`) except in W5 and W7, which use the defaults." % (lat, lat, lat / 2)
    )


def typing_note(doc: dict) -> str:
    """T1's floors (each checker on an empty program) and the ratios of the time above them, for the table's note."""
    floor, m = doc.get("typing_floor"), doc["medians"]
    if not floor:
        return ""
    parts = []
    for checker, fk, official in (("mypy", "flarekit-py", "official-py"), ("tsc", "flarekit-node", "official-node")):
        f = floor.get(checker, {}).get("check_s")
        a, b = m.get(fk, {}).get("t1", {}).get("check_s"), m.get(official, {}).get("t1", {}).get("check_s")
        if f is None or a is None or b is None:
            continue
        parts.append(
            "%s on an empty program with the same options takes %s s, so flarekit's script costs %s s above it and "
            "the official's %s s (%s×)" % (checker, fmt(f), fmt(a - f), fmt(b - f), fmt(ratio(a - f, b - f)))
        )
    return (
        " T1: median wall time of %d cold runs of each checker (versions below); %s."
        % (doc["config"]["t1"], "; ".join(parts))
        if parts
        else ""
    )


def speedups(m: dict) -> dict:
    """For each flarekit contender with an official counterpart: how many times better it is, per metric (>1 wins)."""
    out: dict = {}
    for c, (_, _, official) in CONTENDERS.items():
        if official is None:
            continue
        for w, key, _label, unit, higher in METRICS:
            if unit in COUNTS:
                continue
            mine, theirs = m.get(c, {}).get(w, {}).get(key), m.get(official, {}).get(w, {}).get(key)
            if c == "flarekit-py-async" and w == "w5":
                continue
            r = ratio(mine, theirs) if higher else ratio(theirs, mine)
            if r is not None:
                out.setdefault(c, {})["%s.%s" % (w, key)] = r
    return out


def fmt(v: float | None, unit: str = "") -> str:
    if v is None:
        return "–"
    if unit in COUNTS:
        return "%d" % v
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


def markdown(doc: dict) -> str:
    m = doc["medians"]
    cols = list(CONTENDERS)
    lines = [
        "| workload | unit | " + " | ".join(CONTENDERS[c][0] for c in cols) + " |",
        "| --- | --- | " + " | ".join("---:" for _ in cols) + " |",
    ]
    for w, key, label, unit, higher in METRICS:
        cells = [fmt(m.get(c, {}).get(w, {}).get(key), unit) for c in cols]
        arrow = {True: "higher is better", False: "lower is better", None: "must be exact"}[higher]
        lines.append("| %s | %s (%s) | %s |" % (label, unit, arrow, " | ".join(cells)))
    lines += ["", "| target | goal | measured | holds |", "| --- | --- | ---: | :---: |"]
    for t in doc["targets"]:
        v = t["measured"]
        shown = "–" if v is None else (fmt(v, t["unit"]) + ("×" if t["unit"] == "×" else " " + t["unit"]))
        ok = {True: "yes", False: "**no**", None: "–"}[t["holds"]]
        lines.append("| %s | %s | %s | %s |" % (t["target"], t["goal"], shown, ok))
    mach, ver = doc["machine"], doc["versions"]
    lines += [
        "",
        "Medians of %d interleaved rounds (W5: %d, W7: %d, W9: %d fresh processes per contender), all from one run "
        "on %s; machine: %s, %s cores, %s, %s (shared: load average %s at the start).%s%s Versions: %s."
        % (
            doc["config"]["reps"],
            doc["config"]["w5"],
            doc["config"].get("w7", 0),
            doc["config"].get("w9", 0),
            doc["date"],
            mach["cpu"],
            mach["cores"],
            mach["memory"],
            mach["os"],
            " / ".join(str(x) for x in mach["load_average_at_start"]),
            link_note(doc),
            typing_note(doc),
            ", ".join("%s %s" % kv for kv in ver.items()),
        ),
    ]
    return "\n".join(lines) + "\n"


README_START = "<!-- bench results: written by bench/run.py -->"
README_END = "<!-- end of bench results -->"


def update_readme(table: str) -> None:
    """Put the table between the README's markers (a full run to bench/results only)."""
    readme = ROOT / "README.md"
    text = readme.read_text()
    if README_START not in text or README_END not in text:
        return
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    readme.write_text(head + README_START + "\n\n" + table + "\n" + README_END + tail)


def chart(doc: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sp = doc["speedups"]
    series = [c for c in ("flarekit-py", "flarekit-py-async", "flarekit-node") if c in sp]
    keys = [
        ("w1.calls_per_s", "W1\ncalls/s"),
        ("w1.cpu_us_per_call", "W1\nCPU/call"),
        ("w2.ms_per_call", "W2\nbig page"),
        ("w3.total_ms", "W3\nwalk"),
        ("w4.calls_per_s", "W4\n64 in flight"),
        ("w5.startup_ms", "W5\nstart-up"),
        ("w5.peak_rss_mb", "W5\npeak RSS"),
        ("w5.installed_mb", "W5\ninstalled"),
        ("w4tls.calls_per_s", "W4/TLS\n64 in flight"),
        ("w6.total_ms", "W6\nwalk, TLS"),
        ("w7.process_ms", "W7\ncold call"),
        ("w8.creates_per_s", "W8\n500 creates"),
        ("t1.check_s", "T1\ntype-check"),
    ]
    colors = {"flarekit-py": "#f38020", "flarekit-py-async": "#fbad41", "flarekit-node": "#2c7cb0"}
    fig, ax = plt.subplots(figsize=(14, 5.2), dpi=110)
    width = 0.8 / max(1, len(series))
    for i, c in enumerate(series):
        xs, ys = [], []
        for j, (k, _) in enumerate(keys):
            if k in sp[c]:
                xs.append(j + (i - (len(series) - 1) / 2) * width)
                ys.append(sp[c][k])
        bars = ax.bar(xs, ys, width * 0.92, label="%s vs official" % CONTENDERS[c][0], color=colors[c])
        for b, y in zip(bars, ys):
            ax.annotate(
                "%.1f×" % y if y < 100 else "%.0f×" % y,
                (b.get_x() + b.get_width() / 2, y),
                ha="center",
                va="bottom",
                fontsize=7.5,
                xytext=(0, 2),
                textcoords="offset points",
            )
    ax.axhline(1, color="#444", lw=1, ls="--")
    ax.set_yscale("log")
    ax.set_xticks(range(len(keys)), [label for _, label in keys])
    ax.set_ylabel("times better than the official SDK (log scale; 1 = even)")
    ax.set_title(
        "flarekit vs the official Cloudflare SDKs, same run, medians (%s); W4/TLS, W6-W8: TLS, %g ms round trips"
        % (doc["date"][:10], doc["config"].get("latency_ms", 0))
    )
    ax.legend(loc="upper left", fontsize=9)
    ax.grid(axis="y", which="both", alpha=0.25)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main() -> int:
    if sys.argv[1:2] == ["--chart"]:
        chart(json.loads(Path(sys.argv[2]).read_text()), Path(sys.argv[3]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small counts, no chart; checks only that everything ran")
    ap.add_argument("--profile", choices=["release", "debug"], default="release")
    ap.add_argument("--reps", type=int, help="rounds per cell (default 5, quick 1)")
    ap.add_argument("--no-build", action="store_true", help="use what is built")
    ap.add_argument(
        "--out",
        type=Path,
        help="where to write latest.json/.md/chart.png (default bench/results; quick: nothing is written unless given)",
    )
    ap.add_argument("--only", help="comma-separated contenders (default: all)")
    ap.add_argument(
        "--workloads",
        help="comma-separated workloads, e.g. w1,w5 (default: all; quick: all but %s)" % ",".join(QUICK_SKIPS),
    )
    opts = ap.parse_args()

    cfg = dict(QUICK if opts.quick else FULL)
    if opts.reps:
        cfg["reps"] = opts.reps
    out_dir = opts.out or (None if opts.quick else RESULTS)
    only = opts.only.split(",") if opts.only else list(CONTENDERS)
    if opts.workloads:
        workloads = opts.workloads.split(",")
    else:
        workloads = [w for w in WORKLOADS if not (opts.quick and w in QUICK_SKIPS)]
    started = time.monotonic()

    ensure_bench_venv(chart=out_dir is not None)
    ensure_node_modules(typing="t1" in workloads)
    if not opts.no_build:
        build(opts.profile)

    seed = Path(tempfile.mkstemp(prefix="flarekit-bench-seed-", suffix=".json")[1])
    write_seed(seed)
    emulator = TARGET_DIR / opts.profile / "flarekit-emulator"
    emu = Emulator(emulator, seed)
    try:
        tls = Emulator(emulator, seed, tls=True, latency_ms=cfg["latency_ms"])
    except BaseException:
        emu.stop()
        raise
    try:
        runner = Runner(opts.profile, emu, tls)
        raw: dict = {c: {} for c in CONTENDERS}
        date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        mach = machine()
        for rep in range(cfg["reps"]):
            for w in [w for w in ("w1", "w2", "w3", "w4", "w6", "w8", "w4tls") if w in workloads]:
                for c in WORKLOADS[w]:
                    if c not in only:
                        continue
                    r = runner.run(c, w, cfg[w])
                    check_items(c, w, cfg[w], r)
                    raw[c].setdefault(w, []).append(r)
                    log("round %d/%d %s %-18s %s" % (rep + 1, cfg["reps"], w, c, json.dumps(r)))
        if "w5" in workloads:
            for c in WORKLOADS["w5"]:
                if c not in only:
                    continue
                runner.startup(c)  # warm the page cache and bytecode caches; not counted
            for i in range(cfg["w5"]):
                for c in WORKLOADS["w5"]:
                    if c not in only:
                        continue
                    r = runner.startup(c)
                    raw[c].setdefault("w5", []).append(r)
                    log("start-up %d/%d %-18s %s" % (i + 1, cfg["w5"], c, json.dumps(r)))
        if "w9" in workloads:
            starters = [c for c in WORKLOADS["w9"] if c in only]
            for c in starters:
                runner.startup(c, "w9")  # warm the page cache and bytecode caches; not counted
            for i in range(cfg["w9"]):
                for c in starters:
                    r = runner.startup(c, "w9")
                    raw[c].setdefault("w9", []).append(r)
                    log("emulator start-up %d/%d %-18s %s" % (i + 1, cfg["w9"], c, json.dumps(r)))
        if "w7" in workloads:
            cold = [c for c in WORKLOADS["w7"] if c in only]
            if not opts.quick:
                for c in cold:
                    runner.cold(c)  # warm the page cache and bytecode caches; not counted
            for i in range(cfg["w7"]):
                for c in cold:
                    r = runner.cold(c)
                    raw[c].setdefault("w7", []).append(r)
                    log("cold call %d/%d %-18s %s" % (i + 1, cfg["w7"], c, json.dumps(r)))
    finally:
        emu.stop()
        tls.stop()
        seed.unlink(missing_ok=True)

    typing_floor: dict = {}
    typing_versions: dict = {}
    if "t1" in workloads:  # after the emulator stopped: nothing else runs
        tc = TypeCheck(opts.profile, Path(runner.env["FLAREKIT_NODE_PATH"]))
        try:
            cases = [c for c in tc.cases if c.startswith("floor-") or c in only]
            floor_runs: dict = {}
            for i in range(cfg["t1"]):
                for c in cases:
                    r = tc.run(c)
                    if c.startswith("floor-"):
                        floor_runs.setdefault(c[len("floor-") :], []).append(r)
                    else:
                        raw[c].setdefault("t1", []).append(r)
                    log("type-check %d/%d %-18s %s" % (i + 1, cfg["t1"], c, json.dumps(r)))
            typing_floor = {k: {**derive("t1", v), "runs": v} for k, v in floor_runs.items()}
            typing_versions = tc.versions()
        finally:
            tc.close()

    sizes = {**python_sizes(runner), **node_sizes(runner), **rust_sizes(runner)}
    medians: dict = {}
    for c, per in raw.items():
        for w, runs in per.items():
            medians.setdefault(c, {})[w] = derive(w, runs)
        if c in sizes and "w5" in medians.get(c, {}):
            medians[c]["w5"]["installed_mb"] = sizes[c]["bytes"] / 1e6
    doc = {
        "date": date,
        "mode": "quick" if opts.quick else "full",
        "profile": opts.profile,
        "config": {
            **cfg,
            "concurrency": CONCURRENCY,
            "w8_concurrency": W8_CONCURRENCY,
            "big_zone_records": BIG_RECORDS,
            "walk_per_page": WALK_PER_PAGE,
        },
        "machine": mach,
        "versions": {**versions(sizes), **typing_versions},
        "sizes": sizes,
        "medians": medians,
        "targets": [],
        "speedups": {},
        "typing_floor": typing_floor,
        "runs": raw,
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    doc["targets"] = targets(medians, cfg["w8"])
    doc["speedups"] = speedups(medians)
    table = markdown(doc)
    print(table)

    failures = []
    for c in only:
        for w in workloads:
            if c in WORKLOADS[w] and not raw.get(c, {}).get(w):
                failures.append("%s did not run %s" % (c, w))
    for w in ("w3", "w6"):
        if w not in workloads:
            continue
        for c in EXACT_WALKERS:
            counts = {r.get("requests") for r in raw.get(c, {}).get(w, [])}
            if c in only and counts != {50}:
                failures.append(
                    "%s %s walked %d records at per_page=%d in %s requests, not 50"
                    % (c, w, BIG_RECORDS, WALK_PER_PAGE, sorted(counts))
                )

    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "latest.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
        (out_dir / "latest.md").write_text(table)
        # matplotlib lives in the bench venv: draw there.
        subprocess.run(
            [str(BENCH_PY), __file__, "--chart", str(out_dir / "latest.json"), str(out_dir / "chart.png")], check=True
        )
        log("wrote %s/latest.json, latest.md, chart.png" % out_dir)
        if out_dir.resolve() == RESULTS.resolve():
            update_readme(table)
    log("bench %s (%s) took %.0f s" % (doc["mode"], opts.profile, time.monotonic() - started))
    if failures:
        log("FAILED:\n  " + "\n  ".join(failures))
        return 1
    if opts.quick:
        log("bench-quick: every contender ran every workload; W3/W6 request counts, W7 requests and W8 records exact")
    return 0


if __name__ == "__main__":
    sys.exit(main())
