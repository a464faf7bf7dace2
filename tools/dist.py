#!/usr/bin/env python3
"""Release artefacts in dist/, and the check that they install and work without a Rust toolchain.

    python3 tools/dist.py build         `make dist`: everything below, into dist/
    python3 tools/dist.py test          `make test-dist`: installs only what dist/ holds, no cargo/rustc/maturin on PATH
    python3 tools/dist.py sdist-check   the sdist builds a working wheel from source (pip wheel; minutes)
    python3 tools/dist.py node-pack --addons DIR [--out DIR]
                                        the npm tarballs from prebuilt addons (DIR/**/flarekit.<platform>.node);
                                        the release workflow packs every platform's with it

`build` writes:
  flarekit-<v>-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
                                                      maturin --zig --compatibility manylinux2014; `auditwheel show`
                                                      must confirm manylinux_2_17
  flarekit-<v>.tar.gz                                 maturin sdist (with the core, cli and emulator crates)
  flarekit-<v>.tgz, flarekit-linux-x64-gnu-<v>.tgz    npm pack of the main package (optionalDependencies on every
                                                      platform package, the Rust source gzipped in native/ for a
                                                      build from source) and of the platform package (the .node,
                                                      linked against glibc 2.17: checked)
  flarekit-<v>.crate, flarekit-emulator-<v>.crate, flarekit-cli-<v>.crate   cargo package (verified)

The build tools (maturin, ziglang, auditwheel, cargo-zigbuild, from PyPI) live in target/dist-tools; the release
builds in target/dist-build (zig links against glibc 2.17, so they do not share artefacts with `make build`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
TOOLS = ROOT / "target" / "dist-tools"
BUILD = ROOT / "target" / "dist-build"
STAGE = ROOT / "target" / "dist-stage"
NODE_DIR = ROOT / "bindings-node"
PY_DIR = ROOT / "bindings-python"

TOOL_REQUIREMENTS = ["maturin>=1.9.4,<2", "ziglang>=0.13,<1", "auditwheel>=6", "cargo-zigbuild>=0.19", "pyelftools"]
# The wheel and the Node addon link against this glibc (manylinux2014 = manylinux_2_17).
GLIBC = "2.17"
HOST_TARGET = "x86_64-unknown-linux-gnu"
HOST_PLATFORM = "linux-x64-gnu"
CRATES = ["flarekit", "flarekit-emulator", "flarekit-cli"]
# What the sdist must hold to build: the extension crate, the crates it depends on, their compiled-in data.
SDIST_MUST_HAVE = [
    "pyproject.toml",
    "Cargo.lock",
    "bindings-python/Cargo.toml",
    "python/flarekit/__init__.py",
    "python/flarekit/_resources.pyi",
    "python/flarekit/testing/__init__.py",
    "core/Cargo.toml",
    "core/src/lib.rs",
    "core/build.rs",
    "cli/Cargo.toml",
    "cli/src/lib.rs",
    "emulator/Cargo.toml",
    "emulator/src/lib.rs",
    "emulator/spec/api.json.gz",
    "emulator/seed/demo.json",
]


def log(msg: str) -> None:
    print(f"[dist] {msg}", flush=True)


def run(
    cmd: list[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None, check: bool = True, capture: bool = False
) -> subprocess.CompletedProcess[str]:
    log("$ " + " ".join("<script>" if "\n" in str(c) else str(c) for c in cmd))
    return subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env,
        check=check,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.STDOUT if capture else None,
    )


def version() -> str:
    m = re.search(r'^\[workspace\.package\][^\[]*?^version = "([^"]+)"', (ROOT / "Cargo.toml").read_text(), re.M | re.S)
    assert m, "no [workspace.package] version in Cargo.toml"
    v = m.group(1)
    node_v = json.loads((NODE_DIR / "package.json").read_text())["version"]
    if node_v != v:
        sys.exit(f"bindings-node/package.json has version {node_v}, Cargo.toml {v}: make them equal")
    return v


def napi_targets() -> list[str]:
    return json.loads((NODE_DIR / "package.json").read_text())["napi"]["targets"]


def platform_of(target: str) -> str:
    """The napi-rs platform name of a Rust target triple (bindings-node/npm/<name>)."""
    arch, _, rest = target.partition("-")
    cpu = {"x86_64": "x64", "aarch64": "arm64", "i686": "ia32", "armv7": "arm"}[arch]
    if "linux" in rest:
        return f"linux-{cpu}-{'musl' if rest.endswith('musl') else 'gnu'}"
    if "darwin" in rest:
        return f"darwin-{cpu}"
    if "windows" in rest:
        return f"win32-{cpu}-msvc"
    raise ValueError(target)


# --- tools --------------------------------------------------------------------------------------------------------


def tools() -> Path:
    """target/dist-tools: a venv with the build tools (PyPI), and `zig` on its bin/ (from the ziglang package)."""
    bin_dir = TOOLS / "bin"
    py = bin_dir / "python"
    if not py.exists():
        run([sys.executable, "-m", "venv", TOOLS])
    ok = (
        subprocess.run([py, "-c", "import maturin, ziglang, auditwheel, elftools"], capture_output=True).returncode == 0
    )
    if not ok or not (bin_dir / "cargo-zigbuild").exists():
        run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *TOOL_REQUIREMENTS])
    zig = bin_dir / "zig"
    if not zig.exists():
        site = subprocess.run(
            [py, "-c", "import ziglang, os; print(os.path.dirname(ziglang.__file__))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        zig.symlink_to(Path(site) / "zig")
    return bin_dir


def build_env(bin_dir: Path, name: str) -> dict[str, str]:
    """The environment of a release build: the tools first on PATH, target/dist-build/<name> as the target directory.
    The wheel and the addon build in separate ones: maturin's and cargo-zigbuild's zig set different flags, which
    (not being part of the artefacts' hashes) would make each rebuild everything the other built."""
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["CARGO_TARGET_DIR"] = str(BUILD / name)
    env.pop("CARGO_BUILD_TARGET", None)  # each build names its target
    env.pop("VIRTUAL_ENV", None)
    return env


# --- Python -------------------------------------------------------------------------------------------------------


def build_wheel(bin_dir: Path, env: dict[str, str]) -> Path:
    for old in DIST.glob("flarekit-*.whl"):
        old.unlink()
    run(
        [
            bin_dir / "maturin",
            "build",
            "--release",
            "--zig",
            "--compatibility",
            "manylinux2014",
            "--target",
            HOST_TARGET,
            "-m",
            PY_DIR / "Cargo.toml",
            "--out",
            DIST,
        ],
        env=env,
    )
    (wheel,) = DIST.glob("flarekit-*.whl")
    out = run([bin_dir / "auditwheel", "show", wheel], capture=True).stdout
    print(out, flush=True)
    (STAGE / "auditwheel.txt").write_text(out)
    if f'"manylinux_{GLIBC.replace(".", "_")}_x86_64"' not in out.replace("\n", " "):
        sys.exit(f"auditwheel does not confirm manylinux_{GLIBC} for {wheel.name}")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    for must in (
        "flarekit/_native.abi3.so",
        "flarekit/testing/__init__.py",
        "flarekit/py.typed",
        "flarekit/_resources.pyi",
    ):
        if must not in names:
            sys.exit(f"{wheel.name} lacks {must}")
    if not any(n.endswith("entry_points.txt") for n in names):
        sys.exit(f"{wheel.name} has no entry_points.txt (the flarekit console script, the pytest plugin)")
    return wheel


def build_sdist(bin_dir: Path, env: dict[str, str]) -> Path:
    for old in DIST.glob("flarekit-*.tar.gz"):
        old.unlink()
    run([bin_dir / "maturin", "sdist", "-m", PY_DIR / "Cargo.toml", "--out", DIST], env=env)
    (sdist,) = DIST.glob("flarekit-*.tar.gz")
    with tarfile.open(sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    missing = [m for m in SDIST_MUST_HAVE if m not in names]
    if missing:
        sys.exit(f"{sdist.name} lacks {', '.join(missing)}")
    log(f"{sdist.name}: {len(names)} files, the core, cli and emulator crates included")
    return sdist


# --- Node ---------------------------------------------------------------------------------------------------------


def build_node_addon(bin_dir: Path, env: dict[str, str]) -> Path:
    """The release addon for linux-x64-gnu, linked by zig against glibc 2.17 (napi build -x: cargo-zigbuild)."""
    out = STAGE / "napi"
    shutil.rmtree(out, ignore_errors=True)
    run(
        [
            NODE_DIR / "node_modules" / ".bin" / "napi",
            "build",
            "--platform",
            "--release",
            "--target",
            f"{HOST_TARGET}.{GLIBC}",
            "-x",
            "--js",
            "binding.js",
            "--dts",
            "binding.d.ts",
            "--output-dir",
            out,
        ],
        cwd=NODE_DIR,
        env=env,
    )
    addon = out / f"flarekit.{HOST_PLATFORM}.node"
    if not addon.exists():
        sys.exit(f"napi build did not write {addon}")
    newest = max_glibc(bin_dir, addon)
    log(f"{addon.name}: needs glibc {newest}")
    if tuple(map(int, newest.split("."))) > tuple(map(int, GLIBC.split("."))):
        sys.exit(f"{addon.name} needs glibc {newest}, more than {GLIBC}")
    return addon


def max_glibc(bin_dir: Path, lib: Path) -> str:
    """The newest GLIBC_x.y symbol version `lib` needs (pyelftools, from the tools venv)."""
    code = r"""
import sys
from elftools.elf.elffile import ELFFile
from elftools.elf.gnuversions import GNUVerNeedSection
best = (0,)
with open(sys.argv[1], "rb") as f:
    for s in ELFFile(f).iter_sections():
        if isinstance(s, GNUVerNeedSection):
            for _, auxs in s.iter_versions():
                for a in auxs:
                    if a.name.startswith("GLIBC_") and a.name[6:].replace(".", "").isdigit():
                        best = max(best, tuple(int(x) for x in a.name[6:].split(".")))
print(".".join(map(str, best)))
"""
    return subprocess.run(
        [bin_dir / "python", "-c", code, lib], capture_output=True, text=True, check=True
    ).stdout.strip()


def stage_native_source(dest: Path) -> None:
    """native/: a Cargo workspace of core, cli, emulator and the napi crate, to build the addon from source where no
    platform package fits (scripts/build-if-missing.js). Each file is gzipped (`core/src/lib.rs.gz`; the install
    script unpacks them into a temporary directory), so the source adds 0.7 MB to an installed package, not 2.6."""
    ws = (ROOT / "Cargo.toml").read_text()
    ws = re.sub(r"^members = \[.*?\]$", 'members = ["core", "emulator", "cli", "node"]', ws, count=1, flags=re.M)
    ws = re.sub(r"^default-members = .*\n", "", ws, flags=re.M)
    ws = re.sub(r"^exclude = .*\n", "", ws, flags=re.M)
    dest.mkdir(parents=True)
    (dest / "Cargo.toml").write_text(
        "# The Rust source of flarekit's native addon: `cargo build --release -p flarekit-node` (the npm install\n"
        "# script runs it when no prebuilt platform package fits this machine).\n" + ws
    )
    shutil.copy2(ROOT / "Cargo.lock", dest / "Cargo.lock")
    for crate in ("core", "emulator", "cli"):
        listed = subprocess.run(
            ["cargo", "package", "--list", "--allow-dirty", "-p", _crate_name(crate)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for rel in listed:
            src = ROOT / crate / rel
            if rel in ("Cargo.toml.orig", ".cargo_vcs_info.json", "Cargo.lock") or rel.startswith("examples/"):
                continue
            if not src.is_file():
                continue
            if rel == "README.md" and src.resolve().parent != (ROOT / crate).resolve():
                continue
            (dest / crate / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / crate / rel)
        (dest / crate / "Cargo.toml").write_text(library_manifest((ROOT / crate / "Cargo.toml").read_text()))
    node = dest / "node"
    shutil.copytree(NODE_DIR / "src", node / "src")
    for f in ("Cargo.toml", "build.rs"):
        shutil.copy2(NODE_DIR / f, node / f)
    for f in sorted(p for p in dest.rglob("*") if p.is_file()):
        data = f.read_bytes()
        # mtime 0: the same source gives the same bytes.
        with open(f.with_name(f.name + ".gz"), "wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as z:
            z.write(data)
        f.unlink()


def library_manifest(text: str) -> str:
    """A crate's manifest for building it only as a dependency: no tests, examples or benches (their files are not
    shipped), no dev-dependencies, no readme outside the crate."""
    out, skip = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("["):
            header = line.strip()
            skip = header in ("[[test]]", "[[bench]]", "[[example]]") or header.startswith("[dev-dependencies")
        if not skip:
            out.append(line)
    text = "".join(out).replace('readme = "../README.md"\n', "")
    return text.replace("[package]\n", "[package]\nautotests = false\nautoexamples = false\nautobenches = false\n", 1)


def _crate_name(directory: str) -> str:
    return {"core": "flarekit", "emulator": "flarekit-emulator", "cli": "flarekit-cli"}[directory]


def npm_pack(pkg_dir: Path, out: Path) -> Path:
    res = run(["npm", "pack", "--json", "--pack-destination", out], cwd=pkg_dir, capture=True)
    info = json.loads(res.stdout[res.stdout.index("[") :])
    return out / info[0]["filename"]


def stage_main_package(dest: Path, v: str) -> Path:
    """The main npm package: package.json's `files` (without any .node), optionalDependencies on every platform
    package of napi.targets (as `napi pre-publish` adds them), the Rust source in native/."""
    pkg = json.loads((NODE_DIR / "package.json").read_text())
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    files = [f for f in pkg["files"] if not f.endswith(".node")]
    for entry in files:
        for src in NODE_DIR.glob(entry.rstrip("/")):
            target = dest / src.relative_to(NODE_DIR)
            if src.is_dir():
                shutil.copytree(src, target, ignore=shutil.ignore_patterns("*.node"))
            else:
                shutil.copy2(src, target)
    for f in ("README.md",):
        shutil.copy2(NODE_DIR / f, dest / f)
    shutil.copy2(ROOT / "LICENSE", dest / "LICENSE")
    stage_native_source(dest / "native")
    pkg["files"] = [*files, "native/"]
    pkg["optionalDependencies"] = {f"flarekit-{platform_of(t)}": v for t in napi_targets()}
    pkg["scripts"] = {"install": pkg["scripts"]["install"]}
    pkg.pop("devDependencies", None)
    (dest / "package.json").write_text(json.dumps(pkg, indent=2) + "\n")
    return dest


def stage_platform_package(dest: Path, platform: str, addon: Path, v: str) -> Path:
    src = NODE_DIR / "npm" / platform
    if not (src / "package.json").exists():
        sys.exit(f"bindings-node/npm/{platform}/package.json is missing (napi create-npm-dirs writes it)")
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest)
    pkg = json.loads((dest / "package.json").read_text())
    if pkg["version"] != v:
        sys.exit(f"bindings-node/npm/{platform}/package.json has version {pkg['version']}, not {v}")
    shutil.copy2(addon, dest / f"flarekit.{platform}.node")
    shutil.copy2(ROOT / "LICENSE", dest / "LICENSE")
    return dest


def node_pack(addons: dict[str, Path], out: Path) -> list[Path]:
    v = version()
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for platform, addon in sorted(addons.items()):
        for old in out.glob(f"flarekit-{platform}-*.tgz"):
            old.unlink()
        made.append(npm_pack(stage_platform_package(STAGE / "npm" / platform, platform, addon, v), out))
    for old in out.glob("flarekit-[0-9]*.tgz"):
        old.unlink()
    made.append(npm_pack(stage_main_package(STAGE / "npm" / "flarekit", v), out))
    for m in made:
        log(f"{m.name}: {m.stat().st_size / 1e6:.2f} MB")
    return made


# --- Rust ---------------------------------------------------------------------------------------------------------


def cargo_package() -> list[Path]:
    """`cargo package` of the publishable crates together (each one's path dependencies resolve to the others'
    packages), verified by building each from its .crate; the .crate files are copied to dist/."""
    args = ["cargo", "package", "--allow-dirty"]
    for c in CRATES:
        args += ["-p", c]
    run(args)
    v = version()
    out = []
    for c in CRATES:
        crate = ROOT / "target" / "package" / f"{c}-{v}.crate"
        shutil.copy2(crate, DIST / crate.name)
        out.append(DIST / crate.name)
    return out


# --- build --------------------------------------------------------------------------------------------------------


def build() -> None:
    t0 = time.monotonic()
    v = version()
    DIST.mkdir(exist_ok=True)
    STAGE.mkdir(parents=True, exist_ok=True)
    bin_dir = tools()
    times = {}
    t = time.monotonic()
    build_wheel(bin_dir, build_env(bin_dir, "python"))
    times["wheel"] = time.monotonic() - t
    t = time.monotonic()
    build_sdist(bin_dir, build_env(bin_dir, "python"))
    times["sdist"] = time.monotonic() - t
    t = time.monotonic()
    if not (NODE_DIR / "node_modules" / ".bin" / "napi").exists():
        run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR)
    addon = build_node_addon(bin_dir, build_env(bin_dir, "node"))
    node_pack({HOST_PLATFORM: addon}, DIST)
    times["npm"] = time.monotonic() - t
    t = time.monotonic()
    cargo_package()
    times["crates"] = time.monotonic() - t
    log(f"dist/ for {v}:")
    for f in sorted(DIST.iterdir()):
        log(f"  {f.name}  {f.stat().st_size / 1e6:.2f} MB")
    log("times: " + ", ".join(f"{k} {s:.0f} s" for k, s in times.items()) + f"; total {time.monotonic() - t0:.0f} s")


# --- test ---------------------------------------------------------------------------------------------------------

PY_SMOKE = ROOT / "tools" / "dist_smoke.py"

NODE_CHECK = r"""
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const { join } = require('node:path')
const { Emulator } = require('flarekit/testing')
const Cloudflare = require('flarekit')
;(async () => {
  assert.ok(require.resolve('flarekit').includes('node_modules'))
  const emu = await Emulator.start()
  try {
    const cf = emu.client()
    assert.ok(cf instanceof Cloudflare)
    const zones = []
    for await (const z of cf.zones.list()) zones.push(z.name)
    assert.ok(zones.length > 0)
    const rec = await cf.dns.records.create({
      zone_id: emu.zoneId, type: 'A', name: 'dist-check', content: '192.0.2.7',
    })
    assert.equal((await cf.dns.records.get(rec.id, { zone_id: emu.zoneId })).content, '192.0.2.7')
    const bin = join(process.cwd(), 'node_modules', '.bin', 'flarekit')
    const who = JSON.parse(execFileSync(bin, ['whoami', '--json'], {
      env: {
        PATH: process.env.PATH,
        CLOUDFLARE_BASE_URL: emu.baseURL,
        CLOUDFLARE_API_TOKEN: emu.tokens['Admin: everything'],
      },
      encoding: 'utf8',
    }))
    const esm = await import('flarekit')
    assert.equal(esm.default, Cloudflare)
    const { Emulator: EsmEmulator } = await import('flarekit/testing')
    assert.equal(EsmEmulator, Emulator)
    console.log(`node ${process.version}: flarekit from ${require.resolve('flarekit')} with the addon of ` +
      `${require.resolve('flarekit-linux-x64-gnu')}; zones ${JSON.stringify(zones)}; a DNS record created and read; ` +
      `bin whoami --json: ${who.scheme}; ESM import ok`)
  } finally {
    await emu.stop()
  }
})().catch((e) => { console.error(e); process.exit(1) })
"""

NODE_NO_ADDON = r"""
const { Emulator } = require('flarekit/testing')
Emulator.start().then(
  () => { console.error('the emulator started without an addon?'); process.exit(1) },
  (e) => { console.log(JSON.stringify({ code: e.code, message: e.message })) },
)
"""


def stripped_env(work: Path, extra_bin: list[Path]) -> dict[str, str]:
    """The environment of a machine with Python and Node but no Rust toolchain: PATH is the venv, node's directory
    and /usr/bin:/bin, none of which holds cargo, rustc or maturin (checked)."""
    node_dir = Path(shutil.which("node") or "/usr/bin/node").resolve().parent
    dirs = [*map(str, extra_bin), str(node_dir), "/usr/bin", "/bin"]
    path = os.pathsep.join(dict.fromkeys(dirs))
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            (
                "CARGO",
                "RUSTUP",
                "RUSTC",
                "PYO3",
                "MATURIN",
                "npm_",
                "NPM_",
                "VIRTUAL_ENV",
                "PYTHON",
                "NODE_PATH",
                "CLOUDFLARE",
            )
        )
    }
    env["PATH"] = path
    env["HOME"] = str(work / "home")
    env["npm_config_update_notifier"] = "false"
    (work / "home").mkdir(exist_ok=True)
    for tool in ("cargo", "rustc", "maturin", "rustup"):
        found = subprocess.run(["sh", "-c", f"command -v {tool}"], env=env, capture_output=True, text=True)
        if found.returncode == 0:
            sys.exit(f"the stripped PATH still finds {tool} at {found.stdout.strip()}: {path}")
    return env


def timed(label: str, cmd: list, times: dict, **kw) -> subprocess.CompletedProcess[str]:
    t = time.monotonic()
    res = run(cmd, **kw)
    times[label] = time.monotonic() - t
    return res


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def test() -> None:
    t0 = time.monotonic()
    v = version()
    wheels = sorted(DIST.glob("flarekit-*.whl"))
    main_tgz = DIST / f"flarekit-{v}.tgz"
    plat_tgz = DIST / f"flarekit-{HOST_PLATFORM}-{v}.tgz"
    if len(wheels) != 1 or not main_tgz.exists() or not plat_tgz.exists():
        sys.exit("dist/ must hold one wheel and the two npm tarballs: run `make dist` first")
    wheel = wheels[0]
    work = Path(tempfile.mkdtemp(prefix="flarekit-test-dist-"))
    times: dict[str, float] = {}
    sizes: dict[str, int] = {}
    passed = 0
    try:
        # Python: a new venv from the interpreter running this script (and Python 3.9, the oldest the abi3 wheel
        # serves, when pyenv has it), the wheel alone (--no-index), a call against the emulator and the command.
        pythons = [Path(sys.executable)]
        pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
        pythons += sorted(pyenv.glob("3.9*/bin/python3.9"))[:1]
        for i, python in enumerate(pythons):
            venv = work / f"venv{i}"
            run([python, "-m", "venv", "--clear", venv])
            env = stripped_env(work, [venv / "bin"])
            label = "pip install" if i == 0 else f"pip install ({python.name})"
            timed(
                label,
                [
                    venv / "bin" / "python",
                    "-m",
                    "pip",
                    "install",
                    "--no-index",
                    "--no-deps",
                    "--disable-pip-version-check",
                    "--quiet",
                    wheel,
                ],
                times,
                env=env,
                cwd=work,
            )
            res = run([venv / "bin" / "python", PY_SMOKE], env=env, cwd=work, capture=True)
            print(res.stdout, end="", flush=True)
            passed += 1
            if i == 0:
                sizes["python installed"] = python_installed_size(venv, env)
        # Node: a new npm project in a temp dir, the two tarballs alone (--offline with an empty cache: nothing
        # comes from the registry), a call against the emulator, the bin, npx.
        env = stripped_env(work, [])
        npm_flags = ["--offline", "--cache", str(work / "npm-cache"), "--no-audit", "--no-fund", "--loglevel=error"]
        app = work / "node-app"
        app.mkdir()
        (app / "package.json").write_text('{"name": "dist-check", "private": true}\n')
        timed("npm install", ["npm", "install", *npm_flags, main_tgz, plat_tgz], times, env=env, cwd=app)
        res = run(["node", "-e", NODE_CHECK], env=env, cwd=app, capture=True)
        print(res.stdout, end="", flush=True)
        passed += 1
        res = run(["npx", "--offline", "flarekit", "--help"], env=env, cwd=app, capture=True)
        assert "whoami" in res.stdout, res.stdout
        log("npx flarekit --help: ok")
        passed += 1
        sizes["node installed"] = dir_size(app / "node_modules" / "flarekit") + dir_size(
            app / "node_modules" / f"flarekit-{HOST_PLATFORM}"
        )
        # Node without the platform package and without cargo: the install says what is missing and fails; with
        # --ignore-scripts it installs, and the first use throws the same explanation.
        bare = work / "node-bare"
        bare.mkdir()
        (bare / "package.json").write_text('{"name": "dist-check-bare", "private": true}\n')
        res = run(
            ["npm", "install", *npm_flags, "--omit=optional", main_tgz], env=env, cwd=bare, check=False, capture=True
        )
        want = [f"flarekit-{HOST_PLATFORM}@{v}", "cargo", "not installed", "https://rustup.rs"]
        if res.returncode == 0 or not all(w in res.stdout for w in want):
            sys.exit(
                f"npm install without the platform package and cargo: exit {res.returncode}, expected a "
                f"failure naming {want}:\n{res.stdout}"
            )
        said = [line.removeprefix("npm error ") for line in res.stdout.splitlines()]
        start = next(i for i, line in enumerate(said) if line.startswith("flarekit: "))
        log(
            "npm install without the platform package or cargo fails, saying:\n    "
            + "\n    ".join(said[start : start + 3])
        )
        passed += 1
        run(["npm", "install", *npm_flags, "--omit=optional", "--ignore-scripts", main_tgz], env=env, cwd=bare)
        res = run(["node", "-e", NODE_NO_ADDON], env=env, cwd=bare, capture=True)
        err = json.loads(res.stdout.strip().splitlines()[-1])
        if not all(w in err["message"] for w in want):
            sys.exit(f"the first use without an addon threw {err}, expected a message naming {want}")
        log(f"installed with --ignore-scripts, the first use throws the same explanation ({err['code']})")
        passed += 1
        sizes["wheel"] = wheel.stat().st_size
        sizes["npm flarekit"] = main_tgz.stat().st_size
        sizes[f"npm flarekit-{HOST_PLATFORM}"] = plat_tgz.stat().st_size
        report = {"version": v, "times_s": {k: round(s, 1) for k, s in times.items()}, "sizes_bytes": sizes}
        STAGE.mkdir(parents=True, exist_ok=True)
        (STAGE / "test-dist.json").write_text(json.dumps(report, indent=2) + "\n")
        log("installs: " + ", ".join(f"{k} {s:.1f} s" for k, s in times.items()))
        log("sizes: " + ", ".join(f"{k} {n / 1e6:.2f} MB" for k, n in sizes.items()))
        log(f"test-dist passed in {time.monotonic() - t0:.0f} s")
        print(f"test-dist: {passed} passed, 0 failed")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def python_installed_size(venv: Path, env: dict[str, str]) -> int:
    code = (
        "import importlib.metadata as md, os; d = md.distribution('flarekit'); "
        "print(sum(os.path.getsize(f.locate()) for f in d.files if os.path.isfile(f.locate())))"
    )
    return int(
        subprocess.run(
            [venv / "bin" / "python", "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout
    )


# --- sdist-check --------------------------------------------------------------------------------------------------


def sdist_check() -> None:
    """pip builds a wheel from dist/flarekit-*.tar.gz (maturin from PyPI, the crates from crates.io), into a new venv
    it installs and makes a call against the emulator."""
    (sdist,) = DIST.glob("flarekit-*.tar.gz")
    work = Path(tempfile.mkdtemp(prefix="flarekit-sdist-check-"))
    try:
        env = dict(os.environ)
        env["CARGO_TARGET_DIR"] = str(BUILD / "sdist")
        env.pop("CARGO_BUILD_TARGET", None)
        t = time.monotonic()
        run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--disable-pip-version-check",
                "-w",
                work / "wheels",
                sdist,
            ],
            env=env,
            cwd=work,
        )
        built = time.monotonic() - t
        (wheel,) = (work / "wheels").glob("flarekit-*.whl")
        run([sys.executable, "-m", "venv", work / "venv"])
        run([work / "venv" / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-index", wheel])
        res = run(
            [work / "venv" / "bin" / "python", PY_SMOKE],
            env={**env, "PATH": f"{work / 'venv' / 'bin'}{os.pathsep}{env['PATH']}"},
            cwd=work,
            capture=True,
        )
        print(res.stdout, end="")
        log(f"the sdist built {wheel.name} in {built:.0f} s; it works")
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- versions -----------------------------------------------------------------------------------------------------


def changelog_section(v: str) -> str:
    text = (ROOT / "CHANGELOG.md").read_text()
    m = re.search(rf"^## \[?{re.escape(v)}\]?[^\n]*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not m:
        sys.exit(f"CHANGELOG.md has no section for {v}")
    return m.group(1).strip()


def check_version(v: str) -> None:
    """Tag vX.Y.Z: the workspace, the npm packages and the CHANGELOG all say X.Y.Z (and it is not unreleased)."""
    errors = []
    if version() != v:
        errors.append(f"Cargo.toml and bindings-node/package.json say {version()}")
    for pkg in sorted((NODE_DIR / "npm").glob("*/package.json")):
        pv = json.loads(pkg.read_text())["version"]
        if pv != v:
            errors.append(f"{pkg.relative_to(ROOT)} says {pv}")
    heading = re.search(rf"^## \[?{re.escape(v)}\]?.*$", (ROOT / "CHANGELOG.md").read_text(), re.M)
    if not heading:
        errors.append(f"CHANGELOG.md has no section for {v}")
    elif "unreleased" in heading.group(0).lower():
        errors.append(f"CHANGELOG.md still calls {v} unreleased: give it its date")
    if errors:
        sys.exit(f"version {v}: " + "; ".join(errors))
    log(f"version {v}: Cargo.toml, package.json, bindings-node/npm/* and CHANGELOG.md agree")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("build")
    sub.add_parser("test")
    sub.add_parser("sdist-check")
    p = sub.add_parser("check-version", help="the tag's version is the packages' and has a CHANGELOG section")
    p.add_argument("version")
    p = sub.add_parser("changelog", help="print a version's CHANGELOG section (the release notes)")
    p.add_argument("version")
    p = sub.add_parser("node-pack")
    p.add_argument("--addons", type=Path, required=True, help="a folder with flarekit.<platform>.node files")
    p.add_argument("--out", type=Path, default=DIST)
    args = ap.parse_args()
    if args.cmd == "build":
        build()
    elif args.cmd == "test":
        test()
    elif args.cmd == "sdist-check":
        sdist_check()
    elif args.cmd == "check-version":
        check_version(args.version)
    elif args.cmd == "changelog":
        print(changelog_section(args.version))
    else:
        addons = {}
        for f in args.addons.rglob("flarekit.*.node"):
            addons[f.name[len("flarekit.") : -len(".node")]] = f
        if not addons:
            sys.exit(f"no flarekit.<platform>.node under {args.addons}")
        node_pack(addons, args.out.resolve())


if __name__ == "__main__":
    main()
