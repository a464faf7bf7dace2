"""The Python typing corpus (issue 14): `good.py` must pass `mypy --strict`; `bad.py` must fail on exactly the lines
marked `# E` (and nowhere else), and each `reveal_type` marked `# R: <type>` must reveal that type, not `Any`.
Run by `make test-typing` with the venv's mypy against the stubs of bindings-python/python.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STUBS = HERE.parents[2] / "bindings-python" / "python"


def main() -> int:
    env = dict(os.environ, MYPYPATH=str(STUBS))
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--no-error-summary", "good.py", "bad.py"],
        cwd=HERE, env=env, capture_output=True, text=True,
    )
    elapsed = time.monotonic() - t0
    errors: dict[str, set[int]] = {"good.py": set(), "bad.py": set()}
    reveals: dict[int, str] = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"^(good\.py|bad\.py):(\d+): (error|note): (.*)$", line)
        if not m:
            if line.strip() and "note:" not in line:
                print("typing: unexpected mypy output:", line)
                return 1
            continue
        f, n, kind, text = m.group(1), int(m.group(2)), m.group(3), m.group(4)
        if kind == "error":
            errors[f].add(n)
        elif text.startswith("Revealed type is"):
            reveals[n] = text.split('"')[1]
    problems = [f"good.py:{n}: unexpected error" for n in sorted(errors["good.py"])]
    marked, wanted = set(), {}
    for n, text in enumerate((HERE / "bad.py").read_text().splitlines(), 1):
        if re.search(r"#\s*E:", text):
            marked.add(n)
        m = re.search(r"#\s*R:\s*(\S+)", text)
        if m:
            wanted[n] = m.group(1)
    problems += [f"bad.py:{n}: the marked mistake is not caught" for n in sorted(marked - errors["bad.py"])]
    problems += [f"bad.py:{n}: an error on an unmarked line" for n in sorted(errors["bad.py"] - marked)]
    for n, want in wanted.items():
        got = reveals.get(n, "nothing")
        if got.split(".")[-1] != want or got == "Any":
            problems.append(f"bad.py:{n}: revealed {got}, wanted {want}")
    for p in problems:
        print("typing:", p)
    if problems:
        print(proc.stdout)
        return 1
    print(f"typing: python: good.py clean, {len(marked)} of {len(marked)} marked mistakes caught, "
          f"{len(wanted)} reveal(s) concrete; mypy --strict {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
