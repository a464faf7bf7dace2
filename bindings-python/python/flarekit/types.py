"""The API's types as the official SDK names them (``from flarekit.types import Zone, RecordResponse``).

They exist for type checkers (``types.pyi``): at run time every result is a :class:`flarekit.Model`, so each name
here is ``Model`` itself, and importing this module loads nothing else.
"""

from __future__ import annotations

from typing import Any

from ._native import Model


def __getattr__(name: str) -> Any:
    if name[:1].isupper() and name.isidentifier():
        return Model
    raise AttributeError(f"module 'flarekit.types' has no attribute {name!r}")
