"""Python types from the types model (tools/types-model.json): bindings-python/python/flarekit/types.pyi.

Results are classes that derive from `Model` (in the stubs only: at run time every object is a `Model`, and
`flarekit.types` names resolve to it), with typed attributes and nested classes for inline objects. Request shapes
are `TypedDict`s (`<Name>Param`). Component schemas are private classes (`_ZonesZone`, `_ZonesZoneParam`) that the
official result names (`Zone`, `RecordResponse`) derive from. Called by gen_python; standard library only.

What the spec leaves open is `object` (never `Any`, so a checker still sees a concrete type): a result with no
schema is an official-named alias of `object` (`MetadataGetResponse`), a field of any type an `object` attribute, a
page whose items the spec does not describe `SyncPage[object]`. An object of any fields is `Model` (it is one at run
time; its fields read as `m["field"]`).
"""

import keyword
import re

import gen_types

OUTPUT = "bindings-python/python/flarekit/types.pyi"
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_OVERLOADS = 32
# Names a nested class must not take: they would hide the names the stubs use inside the class.
RESERVED = {"Model", "Any", "Literal", "Mapping", "Sequence", "IO", "PathLike", "NotRequired", "TypeAlias",
            "TypedDict", "FileContent", "FileTypes"}


def pascal(name):
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if p]
    out = "".join(p[:1].upper() + p[1:] for p in parts) or "X"
    out = "_" + out if out[0].isdigit() else out
    return out + "_" if keyword.iskeyword(out) else out


def attr(name):
    return name + "_" if keyword.iskeyword(name) else name


def _variant(t, prop, n):
    """A name for one object of a union: its discriminator's value (`type: "A"` -> `A`), else `<prop><n>`."""
    for key in ("type", "kind", "action", "mode"):
        field = t[1].get(key)
        if field and isinstance(field[0], list) and field[0][0] == "lit" and len(field[0]) == 2 and isinstance(
                field[0][1], str):
            return field[0][1]
    return "%s%d" % (prop, n)


def lit(values):
    def one(v):
        if isinstance(v, bool):
            return "True" if v else "False"
        if isinstance(v, str):
            return repr(v)
        if isinstance(v, float) and v.is_integer():
            return None  # Literal takes no floats
        return repr(v) if isinstance(v, int) else None

    items = [one(v) for v in values]
    if any(i is None for i in items):
        return "float"
    return "Literal[%s]" % ", ".join(items)


class Emitter:
    def __init__(self, types):
        self.schemas = types["schemas"]
        self.ops = types["operations"]
        self.comp_result = {}  # component -> class name
        self.comp_param = {}
        self.want_result, self.want_param = [], []
        self.blocks = []  # top-level definitions, in order of creation
        self.param_names = set()
        self.named = {}  # official result name -> (type key, class name)
        self.used = set()  # every top-level name given out

    def unique(self, base):
        name, n = base, 2
        while name in self.used:
            name, n = "%s%d" % (base, n), n + 1
        self.used.add(name)
        return name

    # -- results

    def comp_r(self, name):
        if name not in self.comp_result:
            self.comp_result[name] = self.unique("_" + pascal(name))
            self.want_result.append(name)
        return self.comp_result[name]

    def rt(self, t, owner, prop, nested):
        """A result type expression; inline objects become classes nested in `owner` (lines into `nested`)."""
        if isinstance(t, str):
            return {"str": "str", "int": "int", "float": "float", "bool": "bool", "any": "object", "null": "None"}[t]
        k = t[0]
        if k == "bytes":
            return "bytes"
        if k == "lit":
            return lit(t[1:])
        if k == "list":
            return "list[%s]" % self.rt(t[1], owner, prop, nested)
        if k == "map":
            return "Model"
        if k == "ref":
            return self.comp_r(t[1])
        if k == "union":
            parts = []
            objs = 0
            single = sum(isinstance(x, list) and x[0] == "obj" for x in t[1:]) == 1
            for x in t[1:]:
                if isinstance(x, list) and x[0] == "obj":
                    objs += 1
                    parts.append(self.rt(x, owner, prop if single else _variant(x, prop, objs), nested))
                else:
                    parts.append(self.rt(x, owner, prop, nested))
            return " | ".join(dict.fromkeys(parts))
        if k == "obj":
            cls = pascal(prop) or "Item"
            if cls in RESERVED:
                cls += "_"
            taken = {line.split("(")[0].split()[-1] for line in nested if line.startswith("    class ")}
            base, n = cls, 2
            while cls in taken:
                cls, n = "%s%d" % (base, n), n + 1
            body = self.class_body(t[1], "%s.%s" % (owner, cls), depth=1)
            nested.append("    class %s(Model):" % cls)
            nested.extend("    " + line for line in body)
            return "%s.%s" % (owner, cls)
        return "object"

    def class_body(self, props, owner, depth=0):
        nested, attrs = [], []
        for name, (t, flags) in props.items():
            if "w" in flags or not IDENT.match(name):
                continue
            typ = self.rt(t, owner, name, nested)
            if "r" not in flags and typ not in ("object", "None") and not typ.endswith("| None"):
                typ += " | None"
            attrs.append("    %s: %s" % (attr(name), typ))
        out = nested + attrs
        return out or ["    pass"]

    def result_class(self, cls, t):
        """A top-level class (or alias) `cls` for result type t."""
        if isinstance(t, list) and t[0] == "obj":
            return ["class %s(Model):" % cls] + self.class_body(t[1], cls)
        if isinstance(t, list) and t[0] == "ref" and isinstance(self.schemas.get(t[1]), list) and \
                self.schemas[t[1]][0] == "obj":
            return ["class %s(%s): ..." % (cls, self.comp_r(t[1]))]
        nested = []
        expr = self.rt(t, cls + "_", "Item", nested)
        if nested:
            return ["class %s_(Model):" % cls] + nested + ["%s: TypeAlias = %s" % (cls, expr)]
        return ["%s: TypeAlias = %s" % (cls, expr)]

    # -- requests

    def comp_p(self, name):
        if name not in self.comp_param:
            self.comp_param[name] = self.unique("_" + pascal(name) + "Param")
            self.want_param.append(name)
        return self.comp_param[name]

    def pt(self, t, owner, prop):
        """A request type expression; inline objects become top-level TypedDicts named after `owner` and `prop`."""
        if isinstance(t, str):
            return {"str": "str", "int": "int", "float": "float", "bool": "bool", "any": "object", "null": "None"}[t]
        k = t[0]
        if k == "bytes":
            return "FileContent"
        if k == "lit":
            return lit(t[1:])
        if k == "list":
            return "Sequence[%s]" % self.pt(t[1], owner, prop)
        if k == "map":
            return "Mapping[str, %s]" % self.pt(t[1], owner, prop)
        if k == "ref":
            return self.comp_p(t[1])
        if k == "union":
            parts, objs = [], 0
            single = sum(isinstance(x, list) and x[0] == "obj" for x in t[1:]) == 1
            for x in t[1:]:
                if isinstance(x, list) and x[0] == "obj":
                    objs += 1
                    parts.append(self.pt(x, owner, prop if single else "%s%d" % (prop, objs)))
                else:
                    parts.append(self.pt(x, owner, prop))
            return " | ".join(dict.fromkeys(parts))
        if k == "obj":
            name = self.unique("_%s%sParam" % (owner, pascal(prop)))
            self.param_names.add(name)
            self.blocks.append(self.typed_dict(name, t[1], owner + pascal(prop)))
            return name
        return "object"

    def typed_dict(self, name, props, owner):
        fields = []
        for key, (t, flags) in props.items():
            if "o" in flags:
                continue
            typ = self.pt(t, owner, key)
            fields.append("%r: %s" % (key, typ if "r" in flags else "NotRequired[%s]" % typ))
        return ["%s = TypedDict(%r, {%s})" % (name, name, ", ".join(fields))]

    def drain(self):
        """Emit the component classes and TypedDicts asked for so far (which may ask for more)."""
        while self.want_result or self.want_param:
            while self.want_result:
                name = self.want_result.pop()
                self.blocks.append(self.result_class(self.comp_result[name], self.schemas[name]))
            while self.want_param:
                name = self.want_param.pop()
                t = self.schemas[name]
                cls = self.comp_param[name]
                if isinstance(t, list) and t[0] == "obj":
                    self.param_names.add(cls)
                    self.blocks.append(self.typed_dict(cls, t[1], pascal(name)))
                else:
                    self.blocks.append(["%s: TypeAlias = %s" % (cls, self.pt(t, pascal(name), "Item"))])

    def defined(self):
        """Every name types.pyi defines."""
        return set(self.comp_result.values()) | set(self.comp_param.values()) | self.param_names | set(
            self.named) | {n + "_" for n in self.named} | {"FileContent", "FileTypes"}

    # -- operations

    def body_variants(self, t):
        """The objects a request body may be (several for a union), as property maps, or None. A body the spec
        gives no schema for has no fields (`{}`); a body that may be null is the object it may be (or nothing)."""
        if isinstance(t, list) and t[0] == "ref":
            t = self.schemas.get(t[1], "any")
        if t == "any":
            return [{}]
        if isinstance(t, list) and t[0] == "obj":
            return [t[1]]
        if isinstance(t, list) and t[0] == "union":
            out = []
            for x in t[1:]:
                if x == "null":
                    continue
                v = self.body_variants(x)
                if v is None:
                    return None
                out.extend(v)
            return out[:MAX_OVERLOADS] if out else None
        return None

    def body_map(self, t):
        """The type of each field of a body that is a map (an object of any fields), or None."""
        if isinstance(t, list) and t[0] == "ref":
            t = self.schemas.get(t[1], "any")
        if isinstance(t, list) and t[0] == "map":
            return t[1]
        return None


def result_names(model, em):
    """Per operation key: the result type expression (the page's item type for list operations)."""
    out = {}
    for op in model["operations"]:
        key = "%s.%s" % (op["resource"], op["method"])
        entry = em.ops.get(key) or {}
        t = entry.get("result", "any")
        if op["pagination"]:
            key_ = gen_types.items_key(em.schemas, op, t)
            item = gen_types.page_item(em.schemas, t, op["pagination"], key_)
            name = gen_types.item_name(op.get("returns"), op["pagination"], key_)
            out[key] = "object" if item == "any" else name_for(em, name, op, item)
            continue
        returns = (op.get("returns") or "").split("|")[0].strip()
        nullable = "| null" in (op.get("returns") or "")
        if returns == "void" or t == "null":
            out[key] = "None"
            continue
        if _content(t):
            out[key] = em.rt(t, "X", "Item", [])  # a body that is no JSON: str (text), bytes, or either
            continue
        if not returns or not IDENT.match(returns) or returns in ("string", "unknown", "void", "Response"):
            if t == "any":
                out[key] = "object"
            elif not _has_obj(t):
                out[key] = em.rt(t, "X", "Item", [])
            else:
                name = pascal(op["resource"].split(".")[-1]) + pascal(op["method"]) + "Response"
                out[key] = name_for(em, name, op, t)
            continue
        if _optional(t) and len(t) == 3:  # one type or null: the type has the name, the method says `| None`
            out[key] = name_for(em, returns, op, [x for x in t[1:] if x != "null"][0]) + " | None"
            continue
        cls = name_for(em, returns, op, t)
        out[key] = cls + (" | None" if nullable and not _optional(t) else "")
    return out


def _content(t):
    """Whether t is what the client returns for a body that is not JSON: str, bytes, or a union of them."""
    if t == "str" or t == ["bytes"]:
        return True
    return isinstance(t, list) and t[0] == "union" and all(_content(x) for x in t[1:])


def _optional(t):
    return isinstance(t, list) and t[0] == "union" and "null" in t[1:]


def _has_obj(t):
    if isinstance(t, str):
        return False
    if t[0] in ("obj", "ref"):
        return True
    return any(_has_obj(x) for x in t[1:] if isinstance(x, (list, str)))


def name_for(em, name, op, t):
    """The official name for a result type, unique: a second, different type of the same name is prefixed with
    its resource (`CloudforceOneThreatEventsTagsCategoryCreateResponse`). A result the spec says nothing of is an
    alias of `object`."""
    if not IDENT.match(name or ""):
        return em.rt(t, "X", "Item", []) if not _has_obj(t) else "object"
    sig = repr(t)
    cls = name
    if cls in em.named and em.named[cls][0] != sig:
        cls = pascal(op["resource"]) + name
        n = 2
        while cls in em.named and em.named[cls][0] != sig:
            cls, n = "%s%s%d" % (pascal(op["resource"]), name, n), n + 1
    if cls not in em.named:
        em.named[cls] = (sig, None)
        em.blocks.append(em.result_class(cls, t))
    return cls


HEADER = [
    "# @generated by tools/gen_pytypes.py (via tools/generate.py) from tools/types-model.json \u2014 do not edit.",
    "# The API's types as the official SDK names them, for type checkers only: at run time every object of a",
    "# result is a flarekit.Model, and importing a name from flarekit.types gives Model.",
    "",
    "from collections.abc import Mapping, Sequence",
    "from os import PathLike",
    "from typing import IO, Any, Literal",
    "",
    "from typing_extensions import NotRequired, TypeAlias, TypedDict",
    "",
    "from ._native import Model",
    "",
    "FileContent: TypeAlias = bytes | bytearray | memoryview | IO[bytes] | PathLike[str]",
    "FileTypes: TypeAlias = FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]",
    "",
]


def emit(em):
    em.drain()
    assert not em.want_result and not em.want_param
    names = sorted(n for n in em.named)
    out = list(HEADER)
    out.append("__all__ = [%s]" % ", ".join(repr(n) for n in ["FileContent", "FileTypes"] + names))
    out.append("")
    for block in em.blocks:
        out.extend(block)
        out.append("")
    text = "\n".join(out)
    if not re.search(r"\bAny\b", text.split("from ._native import Model", 1)[1]):
        text = text.replace("from typing import IO, Any, Literal", "from typing import IO, Literal", 1)
    return text


def emit_runtime_names(em):
    return sorted(em.named)
