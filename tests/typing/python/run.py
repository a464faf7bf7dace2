"""The Python typing corpus (issue 14), under two checkers: mypy --strict (the venv's) and pyright in strict mode
(tests/typing/python/node_modules, from package-lock.json: `npm ci` here installs it).

Each checker must find no error in `good.py`, an error on every line of `bad.py` marked `# E` (and on no other line),
and reveal at each `reveal_type` marked `# R: <type>` (in either file) that type, never Any (module names left out:
`flarekit.types.Zone` is `Zone`). pyright also checks the generated stubs themselves (types.pyi, _resources.pyi) in
strict mode, as a library's stubs are read by its users' checkers. The stubs are bindings-python/python's, found by
path; the time each checker takes is printed. Run by `make test-typing`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STUBS = HERE.parents[2] / "bindings-python" / "python"
PYRIGHT = HERE / "node_modules" / ".bin" / "pyright"
FILES = ("good.py", "bad.py")
# The generated stubs pyright checks in strict mode (the hand-written ones are checked by mypy.stubtest).
GENERATED = ("types.pyi", "_resources.pyi", "_pagination.pyi", "_client.pyi")
# pyright's strict-mode reports that follow from another error on the line (the type of a misspelled attribute is
# unknown; a variable given a wrong value is not used after): they do not count as catching a marked mistake.
CONSEQUENCES = {
    "reportUnknownMemberType",
    "reportUnknownArgumentType",
    "reportUnknownVariableType",
    "reportUnusedVariable",
    "reportUnusedExpression",
}


class Report:
    def __init__(self, checker: str) -> None:
        self.checker = checker
        self.errors: dict[str, set[int]] = {f: set() for f in FILES}
        self.caught: set[int] = set()  # lines of bad.py with an error that is no mere consequence of another
        self.reveals: dict[tuple[str, int], str] = {}
        self.unexpected: list[str] = []
        self.seconds = 0.0


def mypy() -> Report:
    rep = Report("mypy --strict")
    env = dict(os.environ, MYPYPATH=str(STUBS))
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--no-error-summary", *FILES],
        cwd=HERE,
        env=env,
        capture_output=True,
        text=True,
    )
    rep.seconds = time.monotonic() - t0
    for line in proc.stdout.splitlines():
        m = re.match(r"^(good\.py|bad\.py):(\d+): (error|note): (.*)$", line)
        if not m:
            if line.strip() and "note:" not in line:
                rep.unexpected.append(line)
            continue
        f, n, kind, text = m.group(1), int(m.group(2)), m.group(3), m.group(4)
        if kind == "error":
            rep.errors[f].add(n)
            if f == "bad.py":
                rep.caught.add(n)
        elif text.startswith("Revealed type is"):
            rep.reveals[(f, n)] = text.split('"', 1)[1].rsplit('"', 1)[0]
    if proc.returncode not in (0, 1) or proc.stderr.strip():
        rep.unexpected.append(proc.stderr.strip() or f"exit status {proc.returncode}")
    return rep


def pyright_json(args: list[str], cwd: Path) -> tuple[dict[str, Any], float]:
    t0 = time.monotonic()
    proc = subprocess.run([str(PYRIGHT), "--outputjson", *args], cwd=cwd, capture_output=True, text=True)
    seconds = time.monotonic() - t0
    try:
        return json.loads(proc.stdout), seconds
    except ValueError:
        return {"error": (proc.stdout + proc.stderr).strip() or f"exit status {proc.returncode}"}, seconds


def pyright() -> Report:
    """pyright on the corpus, strict (pyrightconfig.json here)."""
    rep = Report("pyright --strict")
    out, rep.seconds = pyright_json([], HERE)
    if "error" in out:
        rep.unexpected.append(out["error"])
        return rep
    for d in out.get("generalDiagnostics", []):
        f = Path(d.get("file", "")).name
        n = d["range"]["start"]["line"] + 1
        if f not in rep.errors:
            rep.unexpected.append(f"{d.get('file')}:{n}: {d['message']}")
        elif d["severity"] in ("error", "warning"):
            rep.errors[f].add(n)
            if f == "bad.py" and d.get("rule") not in CONSEQUENCES:
                rep.caught.add(n)
        elif d["severity"] == "information" and d["message"].startswith("Type of "):
            rep.reveals[(f, n)] = d["message"].split('" is "', 1)[1].rsplit('"', 1)[0]
    return rep


def pyright_stubs() -> tuple[list[str], float]:
    """pyright, strict, on a copy of the generated stubs (a copy: pyright reports nothing in a library it finds
    through an import). Returns the errors and the time taken."""
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / "flarekit"
        shutil.copytree(STUBS / "flarekit", pkg, ignore=shutil.ignore_patterns("*.so", "__pycache__"))
        config = {
            "include": ["flarekit/" + f for f in GENERATED],
            "strict": ["flarekit"],
            "venvPath": str(HERE.parents[2]),
            "venv": ".venv",
        }
        (Path(tmp) / "pyrightconfig.json").write_text(json.dumps(config))
        out, seconds = pyright_json([], Path(tmp))
    if "error" in out:
        return [out["error"]], seconds
    return [
        f"{Path(d['file']).name}:{d['range']['start']['line'] + 1}: {d['message']}"
        for d in out.get("generalDiagnostics", [])
        if d["severity"] in ("error", "warning")
    ], seconds


def normal(t: str) -> list[str]:
    """A revealed type, comparable across checkers: module paths left out, `X | Y` members sorted, `Literal[a] |
    Literal[b]` (mypy) and `Literal[a, b]` (pyright) both as one member per value."""
    t = re.sub(r"\b(?:[A-Za-z_]\w*\.)+([A-Za-z_]\w*)", r"\1", t.strip())
    parts, depth, cur = [], 0, ""
    for ch in t:
        depth += (ch in "[(") - (ch in "])")
        if ch == "|" and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    out: list[str] = []
    for p in parts:
        m = re.fullmatch(r"Literal\[(.*)\]", p)
        out.extend(f"Literal[{v.strip()}]" for v in m.group(1).split(",")) if m else out.append(p)
    return sorted(out)


def marks() -> tuple[set[int], dict[tuple[str, int], str]]:
    marked: set[int] = set()
    wanted: dict[tuple[str, int], str] = {}
    for f in FILES:
        for n, text in enumerate((HERE / f).read_text().splitlines(), 1):
            if f == "bad.py" and re.search(r"#\s*E(:|\s*$)", text):
                marked.add(n)
            m = re.search(r"#\s*R:\s*(.+?)\s*$", text)
            if m and "reveal_type(" in text:
                wanted[(f, n)] = m.group(1)
    return marked, wanted


def check(rep: Report, marked: set[int], wanted: dict[tuple[str, int], str]) -> list[str]:
    problems = [f"{rep.checker}: unexpected output: {u}" for u in rep.unexpected]
    problems += [f"{rep.checker}: good.py:{n}: unexpected error" for n in sorted(rep.errors["good.py"])]
    problems += [f"{rep.checker}: bad.py:{n}: the marked mistake is not caught" for n in sorted(marked - rep.caught)]
    problems += [
        f"{rep.checker}: bad.py:{n}: an error on an unmarked line" for n in sorted(rep.errors["bad.py"] - marked)
    ]
    for (f, n), want in sorted(wanted.items()):
        got = rep.reveals.get((f, n))
        if got is None:
            problems.append(f"{rep.checker}: {f}:{n}: nothing revealed, wanted {want}")
        elif normal(got) != normal(want) or re.search(r"\b(Any|Unknown)\b", got):
            problems.append(f"{rep.checker}: {f}:{n}: revealed {got}, wanted {want}")
    return problems


def main() -> int:
    if not PYRIGHT.exists():
        print(f"typing: {PYRIGHT} is missing: run `npm ci` in {HERE}")
        return 1
    marked, wanted = marks()
    reports = [mypy(), pyright()]
    stub_errors, stub_seconds = pyright_stubs()
    problems: list[str] = []
    for rep in reports:
        problems += check(rep, marked, wanted)
    problems += [f"pyright --strict on the stubs: {e}" for e in stub_errors]
    for p in problems:
        print("typing:", p)
    if problems:
        return 1
    timing = ", ".join(f"{r.checker} {r.seconds:.1f} s" for r in reports)
    print(
        f"typing: python: good.py clean, {len(marked)} of {len(marked)} marked mistakes caught and "
        f"{len(wanted)} reveals concrete under each checker ({timing}); "
        f"the generated stubs pass pyright --strict ({stub_seconds:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
