"""Emit the Python type stubs for the resource tree: bindings-python/python/flarekit/_resources.pyi.

Called by tools/generate.py (an entry of its OUTPUTS list) with the normalised model; standard library only,
deterministic output. One class per resource path for the blocking client and one for the asyncio client;
each method lists its positional ids, its path, query and header parameters and its body fields as typed keywords
(overloads for a body that is one of several objects told apart by a literal field, as DNS records by `type`; a
`body=` keyword for a body that is not an object; ``**params: <T>`` only for a body of any fields of type T), and
returns the operation's result type (gen_pytypes: a class, ``None``, ``str``/``bytes`` for a body that is not JSON,
``SyncPage[Item]`` / ``AsyncPaginator[Item]`` for a list). ``CloudflareResources`` / ``AsyncCloudflareResources``
hold the top-level resources and are the bases of ``Cloudflare`` / ``AsyncCloudflare`` in the hand-written
``_client.pyi``.
"""

import keyword
import re

import gen_pytypes

OUTPUT = "bindings-python/python/flarekit/_resources.pyi"

# Body kinds whose fields arrive as keyword parameters (the rest are raw bodies, passed positionally).
_FIELD_BODIES = {"Json", "MergePatchJson", "Multipart", "FormUrlEncoded"}
# Path parameters filled by the client when not given.
_OPTIONAL_PATH = {"account_id"}
_SCOPE = ("accounts_or_zones", "account_or_zone_id")


def _attr(name):
    """A name as Python spells it: keywords get a trailing underscore (``import`` -> ``import_``)."""
    return name + "_" if keyword.iskeyword(name) else name


def _camel(path):
    return "".join(part[:1].upper() + part[1:] for seg in path.split(".") for part in seg.split("_") if part)


def _class_names(paths):
    """resource path -> class stem, unique (a numeric suffix settles the rare collision)."""
    names, used = {}, set()
    for p in sorted(paths):
        stem = _camel(p) or "Root"
        cand, n = stem, 2
        while cand in used:
            cand, n = "%s%d" % (stem, n), n + 1
        used.add(cand)
        names[p] = cand
    return names


_TYPING_NAMES = {"str", "int", "float", "bool", "None", "Any", "Literal", "Sequence", "Mapping", "list", "dict",
                 "Model", "TypeAlias"}


def _qualify(expr, defined):
    """Names defined in flarekit.types, qualified (`_t.Zone`); quoted literal values are left alone."""
    parts = re.split(r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")", expr)
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(r"(?<![.\w])([A-Za-z_][A-Za-z0-9_]*)\b",
                          lambda m: "_t." + m.group(1) if m.group(1) in defined else m.group(1), parts[i])
    return "".join(parts)


def _return_type(op, is_async, res):
    if op["pagination"]:
        return ("AsyncPaginator[%s]" if is_async else "SyncPage[%s]") % res
    r = (op.get("returns") or "").strip()
    if r == "void":
        return "None"
    return res


def _signatures(op, em, entry):
    """The parameter lists after ``self``: one, or one per variant of a union body (overloads)."""
    params, seen = [], set()
    path_params = set(op["path_params"])
    types = entry.get("params") or {}
    body_t = entry.get("body", "any")
    for name in op["positional"]:
        a = _attr(name)
        seen.add(a)
        if name in path_params:
            params.append("%s: str" % a)
        elif name == op["body_param"]:
            raw = not any(b in _FIELD_BODIES for b in op["body"])
            params.append("%s: %s" % (a, "_t.FileTypes | str" if raw else em.pt(body_t, _stem(op), "Body")))
        else:
            params.append("%s: object" % a)
    kw = []
    names = [p for p in op["path_params"] if p not in _SCOPE]
    if any(p in _SCOPE for p in op["path_params"]):
        names = [n for n in ("account_id", "zone_id") if n not in names] + names
        scoped = {"account_id", "zone_id"}
    else:
        scoped = set()
    for name in names:
        a = _attr(name)
        if a in seen:
            continue
        seen.add(a)
        optional = name in _OPTIONAL_PATH or name in scoped
        kw.append("%s: str%s" % (a, " = ..." if optional else ""))
    for alias, _target in op["aliases"]:
        a = _attr(alias)
        if a not in seen and a.isidentifier():
            seen.add(a)
            kw.append("%s: %s = ..." % (a, "str" if _target in path_params else _arg_type(op, em, types, body_t,
                                                                                         _target)))
    # Query parameters and headers as the official SDK names them (`date_end` for `dateEnd`).
    official = {wire: py for py, wire, loc in op["args"] if loc == "query"}
    # Dotted filters (`name.contains`, `account.id`) are one keyword taking a dict of them (`name={"contains": ..}`,
    # sent as `name.contains=..`), beside the plain value when the parameter also takes one.
    tops, plain, dotted_fields = [], {}, {}
    for q in op["query"]:
        dotted = "." in q["name"] and q["name"] not in official
        top = official.get(q["name"], q["name"].split(".")[0])
        if not top.isidentifier():
            continue  # reachable with **{"name~neq": ...}
        if top not in tops:
            tops.append(top)
        t = types.get("query:" + q["name"], ["any", ""])[0]
        if dotted:
            dotted_fields.setdefault(top, {})[q["name"].split(".", 1)[1]] = [t, ""]
        else:
            plain.setdefault(top, t)
    for top in tops:
        a = _attr(top)
        if a in seen:
            continue
        seen.add(a)
        parts = []
        if top in plain:
            parts.append(em.pt(plain[top], _stem(op), top))
        if top in dotted_fields:
            parts.append(em.pt(["obj", dotted_fields[top]], _stem(op), top + "Filter"))
        kw.append("%s: %s = ..." % (a, " | ".join(dict.fromkeys(parts))))
    for py, wire, loc in op["args"]:
        if loc == "header" and py not in seen and py.isidentifier():
            seen.add(py)
            t = types.get("header:" + wire)
            kw.append("%s: %s = ..." % (py, em.pt(t[0], _stem(op), py) if t else "str"))
    takes_fields = any(b in _FIELD_BODIES for b in op["body"])
    if not op["body_param"] and op["body"] and not takes_fields and "body" not in seen:
        seen.add("body")
        kw.append("body: _t.FileTypes | str = ...")  # a raw body (text, NDJSON, octet-stream)
    if op["body_param"] and op["body_param"] not in op["positional"]:
        a = _attr(op["body_param"])
        if a not in seen:
            seen.add(a)
            raw = not takes_fields
            kw.append("%s: %s" % (a, "_t.FileTypes | str = ..." if raw else em.pt(body_t, _stem(op), "Body")))
    variants = em.body_variants(body_t) if takes_fields and not op["body_param"] else None
    if not takes_fields or op["body_param"]:
        return [_join(params, kw, [])]
    if variants is None:
        each = em.body_map(body_t)
        if each is not None:  # an object of any fields: each keyword is one
            return [_join(params, kw, ["**params: %s" % em.pt(each, _stem(op), "Body")])]
        return [_join(params, kw, ["**params: object"])]
    renamed = {wire: py for py, wire, loc in op["args"] if loc == "body"}
    files = set(op.get("files") or ())
    if len(variants) > 1 and not _discriminated(variants):
        variants = [_merged(variants)]
    out = []
    for props in variants:
        body_kw, local = [], set(seen)
        for wire, (t, flags) in props.items():
            if "o" in flags:
                continue
            name = _attr(renamed.get(wire, wire))
            if not name.isidentifier() or name in local:
                continue
            local.add(name)
            if wire in files:
                typ = "Sequence[_t.FileTypes]" if isinstance(t, list) and t[0] == "list" else "_t.FileTypes"
            else:
                typ = em.pt(t, _stem(op), wire)
            body_kw.append("%s: %s%s" % (name, typ, "" if "r" in flags else " = ..."))
        for py, wire, loc in op["args"]:
            if loc == "body" and wire not in props and py not in local and py.isidentifier():
                local.add(py)
                body_kw.append("%s: object = ..." % py)  # an official argument the spec does not declare
        # Required keywords first is not needed after `*`; keep the spec's order otherwise.
        out.append(_join(params, kw, body_kw))
    return list(dict.fromkeys(out))


def _arg_type(op, em, types, body_t, wire):
    """The type of the parameter an alias names: its query parameter's or body field's, else `object`."""
    t = types.get("query:" + wire)
    if t:
        return em.pt(t[0], _stem(op), wire)
    for props in em.body_variants(body_t) or ():
        if wire in props:
            return em.pt(props[wire][0], _stem(op), wire)
    return "object"


def _discriminated(variants):
    """Whether each variant has a required field holding one literal, different in every variant (DNS records by
    `type`): then overloads never overlap. Otherwise one signature takes the union of the variants."""
    common = set(variants[0]).intersection(*variants[1:])
    for key in sorted(common):
        values = []
        for props in variants:
            t, flags = props[key]
            if "r" not in flags or not (isinstance(t, list) and t[0] == "lit" and len(t) == 2):
                break
            values.append(repr(t[1]))
        else:
            if len(set(values)) == len(values):
                return True
    return False


def _merged(variants):
    """One property map for a body that may be any of `variants`: each field's types joined, required when every
    variant requires it."""
    out = {}
    for props in variants:
        for wire, (t, flags) in props.items():
            if "o" in flags:
                continue
            out.setdefault(wire, ([], []))
            if repr(t) not in [repr(x) for x in out[wire][0]]:
                out[wire][0].append(t)
    merged = {}
    for wire, (ts, _) in out.items():
        required = all(wire in props and "r" in props[wire][1] and "o" not in props[wire][1] for props in variants)
        merged[wire] = (ts[0] if len(ts) == 1 else ["union"] + ts, "r" if required else "")
    return merged


def _stem(op):
    return _camel(op["resource"].replace(".", "_")) + op["method"][:1].upper() + op["method"][1:]


def _join(params, kw, extra):
    items = list(params)
    rest = kw + [e for e in extra if not e.startswith("**")]
    if rest:
        items.append("*")
        items.extend(rest)
    items.extend(e for e in extra if e.startswith("**"))
    return ", ".join(["self"] + items)


def _method_parts(op, em, results):
    """The method's return types (blocking, asyncio) and its signatures, the same for both clients (computed once,
    so each inline TypedDict is declared once)."""
    key = "%s.%s" % (op["resource"], op["method"])
    entry = em.ops.get(key) or {}
    sigs = _signatures(op, em, entry)
    return (_return_type(op, False, results[key]), sigs), (_return_type(op, True, results[key]), sigs)


def _methods(op, is_async, parts, defined):
    ret, sigs = parts
    ret = _qualify(ret, defined)
    sigs = [_qualify(sig, defined) for sig in sigs]
    prefix = "async def" if is_async and not op["pagination"] else "def"
    doc = '        """%s %s"""' % (op["verb"], op["path"])
    if len(sigs) == 1:
        return ["    %s %s(%s) -> %s:" % (prefix, _attr(op["method_py"]), sigs[0], ret), doc]
    out = []
    for sig in sigs:
        out += ["    @overload", "    %s %s(%s) -> %s:" % (prefix, _attr(op["method_py"]), sig, ret), doc]
    return out


def prepare(model):
    """The types emitter for this model, its result expressions and the signatures, computed once."""
    if "_py" not in model:
        em = gen_pytypes.Emitter(model["types"])
        results = gen_pytypes.result_names(model, em)
        model["_py"] = (em, results)
    return model["_py"]


def emit_pyi(model):
    ops = model["operations"]
    # resource path -> {"children": {attr: child path}, "methods": [op]}
    tree = {"": {"children": {}, "methods": []}}
    for op in ops:
        parent = ""
        for seg in op["resource_py"].split("."):
            path = seg if not parent else parent + "." + seg
            tree.setdefault(path, {"children": {}, "methods": []})
            tree[parent]["children"][_attr(seg)] = path
            parent = path
        tree[parent]["methods"].append(op)
    names = _class_names([p for p in tree if p])
    em, results = prepare(model)

    # Signatures first (they ask the emitter for the TypedDicts they use), then the names they can use.
    parts = {}
    for op in ops:
        blocking, asyncio = _method_parts(op, em, results)
        parts[(op["resource"], op["method"], False)] = blocking
        parts[(op["resource"], op["method"], True)] = asyncio
    em.drain()
    defined = em.defined()
    out = [
        "# @generated by tools/gen_python.py (via tools/generate.py) from operations.json \u2014 do not edit.",
        "# Types of the resource tree of Cloudflare / AsyncCloudflare: %d operations." % len(ops),
        "# The parameter types are flarekit.types' private TypedDicts (`_t._ZonesCreateAccountParam`).",
        "# pyright: reportPrivateUsage=false",
        "",
        "from collections.abc import Mapping, Sequence",
        "from typing import Any, Literal, overload",
        "",
        "from . import types as _t",
        "from ._native import Model",
        "from ._pagination import AsyncPaginator, SyncPage",
        "",
    ]
    for is_async in (False, True):
        pre = "Async" if is_async else ""
        for path in sorted(p for p in tree if p):
            node = tree[path]
            out.append("class %s%sResource:" % (pre, names[path]))
            out.append('    """`%s`"""' % ".".join(_attr(s) for s in path.split(".")))
            for attr in sorted(node["children"]):
                out.append("    %s: %s%sResource" % (attr, pre, names[node["children"][attr]]))
            for op in sorted(node["methods"], key=lambda o: o["method_py"]):
                out.extend(_methods(op, is_async, parts[(op["resource"], op["method"], is_async)], defined))
            out.append("")
        root = "AsyncCloudflareResources" if is_async else "CloudflareResources"
        out.append("class %s:" % root)
        out.append('    """The top-level resources."""')
        for attr in sorted(tree[""]["children"]):
            out.append("    %s: %s%sResource" % (attr, pre, names[tree[""]["children"][attr]]))
        out.append("")
    text = "\n".join(out)
    if not re.search(r"\bAny\b", text.split("from ._pagination import", 1)[1]):
        text = text.replace("from typing import Any, Literal, overload", "from typing import Literal, overload", 1)
    return text


def emit_types(model):
    """bindings-python/python/flarekit/types.pyi (after emit_pyi, whose signatures ask for TypedDicts)."""
    em, _results = prepare(model)
    if "_pyi" not in model:
        model["_pyi"] = emit_pyi(model)
    return gen_pytypes.emit(em)
