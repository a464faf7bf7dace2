"""One argument set per official Python method, built from its signature and type hints only.

A value per type: str a short deterministic string (ids for path-like names), int 1, float 1.5, bool True,
Literal its first value, list/Sequence/Iterable [one value], Mapping {"key": value}, TypedDict its required keys
plus every optional key the SDK renames on the wire (PropertyInfo alias), recursively to a depth cap, FileTypes a
(name, bytes, content type) tuple, FileContent/BinaryTypes bytes, Union its first member that is not None/Omit.
Parameters that the official method takes positionally are passed positionally to both clients.
"""

from __future__ import annotations

import collections.abc as cabc
import datetime as dt
import inspect
import os
import types
import typing

import typing_extensions as te

ID = "023e105f4ecef8ad9ca31a8372d0c353"
FILE_BYTES = b"hello, differential"
MAX_DEPTH = 5
_REQ_WRAPPERS = {typing.Required, typing.NotRequired, te.Required, te.NotRequired, te.ReadOnly}


def is_path_like(name: str) -> bool:
    return name == "id" or name.endswith("_id") or name.endswith("_identifier") or name.endswith("_tag")


class ArgMaker:
    def __init__(self, cloudflare_module, include_optional: bool, file_mode: str = "tuple"):
        from cloudflare import _types
        from cloudflare._utils._transform import PropertyInfo

        self.include_optional = include_optional
        self.file_mode = file_mode  # "tuple": (name, bytes, content type); "bytes": the content alone
        self.property_info = PropertyInfo
        self.file_types = _types.FileTypes
        self.file_content = _types.FileContent
        self.binary_types = getattr(_types, "BinaryTypes", None)
        self.skip_types = tuple(t for t in (_types.Omit, _types.NotGiven, type(None)) if isinstance(t, type))

    # -- parameters

    def arguments(self, params: list[inspect.Parameter], hints: dict) -> tuple[list, dict]:
        args, kwargs = [], {}
        for p in params:
            required = p.default is inspect.Parameter.empty
            if not required and not self.include_optional:
                continue
            if p.kind is inspect.Parameter.VAR_KEYWORD or p.kind is inspect.Parameter.VAR_POSITIONAL:
                continue
            ann = hints.get(p.name, p.annotation)
            positional = p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
            value = self.value(ann, p.name, 0, (), path_like=positional or is_path_like(p.name))
            if positional:
                args.append(value)
            else:
                kwargs[p.name] = value
        return args, kwargs

    # -- values

    def strip(self, ann):
        """Annotated / Required / NotRequired removed; returns (type, PropertyInfo list)."""
        infos = []
        while True:
            origin = typing.get_origin(ann)
            if origin is typing.Annotated:
                infos += [m for m in ann.__metadata__ if isinstance(m, self.property_info)]
                ann = typing.get_args(ann)[0]
            elif origin in _REQ_WRAPPERS:
                ann = typing.get_args(ann)[0]
            else:
                return ann, infos

    def file_value(self):
        return FILE_BYTES if self.file_mode == "bytes" else ("file.txt", FILE_BYTES, "text/plain")

    def _covers(self, targs, alias) -> bool:
        members = set(typing.get_args(alias)) or {alias}
        return bool(members) and members <= set(targs)

    def value(self, ann, name: str, depth: int, stack: tuple, path_like: bool = False):
        ann, _ = self.strip(ann)
        origin = typing.get_origin(ann)
        targs = typing.get_args(ann)
        # A union that takes a file (str | FileTypes, FileTypes | Omit) is a file argument: give it a file.
        if ann == self.file_types or self._covers(targs, self.file_types):
            return self.file_value()
        if ann == self.file_content or self._covers(targs, self.file_content):
            return FILE_BYTES
        if self.binary_types is not None and (ann == self.binary_types or self._covers(targs, self.binary_types)):
            return FILE_BYTES
        if ann is str or ann is inspect.Parameter.empty:
            return ID if path_like else f"{name or 'value'}-x"[:24]
        if ann is bool:
            return True
        if ann is int:
            return 1
        if ann is float:
            return 1.5
        if ann is bytes or origin is typing.IO or ann is typing.IO:
            return FILE_BYTES
        if ann is dt.datetime:
            return dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
        if ann is dt.date:
            return dt.date(2024, 1, 2)
        if ann is object or ann is typing.Any:
            return {"key": "value"}
        if ann is type(None):
            return None
        if origin is typing.Literal or origin is te.Literal:
            return targs[0]
        if origin is typing.Union or isinstance(ann, types.UnionType):
            members = [a for a in targs if not (isinstance(a, type) and issubclass(a, self.skip_types))]
            if not members:
                return None
            # Streams and paths are consumed or point at files: bytes (or another member) says the same.
            plain = [a for a in members if typing.get_origin(a) not in (typing.IO, os.PathLike) and a is not bytearray]
            members = plain or members
            return self.value(members[0], name, depth, stack, path_like)
        if origin in (list, cabc.Sequence, cabc.Iterable, cabc.MutableSequence, set, frozenset, cabc.Set, list):
            return [self.value(targs[0] if targs else str, name, depth + 1, stack)]
        if origin is tuple:
            return tuple(self.value(a, name, depth + 1, stack) for a in targs if a is not Ellipsis)
        if origin in (dict, cabc.Mapping, cabc.MutableMapping):
            return {"key": self.value(targs[1] if len(targs) > 1 else str, "key", depth + 1, stack)}
        if te.is_typeddict(ann):
            return self.typed_dict(ann, depth, stack)
        if isinstance(ann, type) and issubclass(ann, str):
            return f"{name}-x"
        if isinstance(ann, typing.TypeVar):
            return f"{name}-x"
        raise TypeError(f"no value for type {ann!r} (parameter {name})")

    @staticmethod
    def is_required(td, key: str, ann) -> bool:
        """Whether a TypedDict key is required. `__required_keys__` cannot tell under `from __future__ import
        annotations` (the SDK's modules): the `Required[...]` is still a string when the class is built."""
        while typing.get_origin(ann) is typing.Annotated:
            ann = typing.get_args(ann)[0]
        origin = typing.get_origin(ann)
        if origin in (typing.Required, te.Required):
            return True
        if origin in (typing.NotRequired, te.NotRequired):
            return False
        return key not in getattr(td, "__optional_keys__", ())

    def typed_dict(self, td, depth: int, stack: tuple) -> dict:
        if depth >= MAX_DEPTH or td in stack:
            return {}
        hints = typing.get_type_hints(td, include_extras=True)
        out = {}
        for key, ann in hints.items():
            _, infos = self.strip(ann)
            renamed = any(i.alias and i.alias != key for i in infos)
            if self.is_required(td, key, ann) or renamed:
                out[key] = self.value(ann, key, depth + 1, (*stack, td), path_like=is_path_like(key))
        return out


def jsonable(v):
    """A JSON rendering of an argument set for the report."""
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, bytes):
        return f"<bytes {len(v)}>"
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return repr(v)
