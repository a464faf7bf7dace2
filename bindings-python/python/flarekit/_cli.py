"""The ``flarekit`` console script: the Rust command of the ``cli`` crate, run from the native module."""

from __future__ import annotations

import sys

from . import _native


def main() -> None:
    """Run ``flarekit`` with ``sys.argv`` and exit with its code (0 ok, 1 API error, 2 usage or configuration,
    3 connection or timeout, 4 missing or rejected credentials)."""
    sys.stdout.flush()
    sys.exit(_native.cli_main(["flarekit", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
