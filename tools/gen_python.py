"""Emit the Python type stubs for the resource tree: bindings-python/python/flarekit/_resources.pyi.

Called by tools/generate.py (an entry of its OUTPUTS list) with the normalised model; standard library only,
deterministic output. One class per resource path for the blocking client and one for the asyncio client;
each method lists its positional ids, its path and query parameters as keywords, and ``**params`` when the
operation takes a body. ``CloudflareResources`` / ``AsyncCloudflareResources`` hold the top-level resources and
are the bases of ``Cloudflare`` / ``AsyncCloudflare`` in the hand-written ``_client.pyi``.
"""

import keyword

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


def _return_type(op, is_async):
    if op["pagination"]:
        return "AsyncPaginator[Model]" if is_async else "SyncPage[Model]"
    r = (op.get("returns") or "").strip()
    if r == "void":
        return "None"
    if r == "string":
        return "str"
    if r in ("unknown", ""):
        return "Any"
    if r.endswith("| null"):
        return "Model | None"
    return "Model"


def _signature(op):
    """The parameter list after ``self``."""
    params, seen = [], set()
    path_params = set(op["path_params"])
    for name in op["positional"]:
        a = _attr(name)
        seen.add(a)
        params.append("%s: %s" % (a, "str" if name in path_params else "Any"))
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
            kw.append("%s: str = ..." % a)
    # Query parameters and headers as the official SDK names them (`date_end` for `dateEnd`).
    official = {wire: py for py, wire, loc in op["args"] if loc == "query"}
    for q in op["query"]:
        top = official.get(q["name"], q["name"].split(".")[0])
        if not top.isidentifier():
            continue  # reachable with **{"name~neq": ...}
        a = _attr(top)
        if a in seen:
            continue
        seen.add(a)
        kw.append("%s: Any = ..." % a)
    for py, _wire, loc in op["args"]:
        if loc == "header" and py not in seen and py.isidentifier():
            seen.add(py)
            kw.append("%s: str = ..." % py)
    takes_fields = any(b in _FIELD_BODIES for b in op["body"])
    if not op["body_param"] and op["body"] and not takes_fields and "body" not in seen:
        seen.add("body")
        kw.append("body: bytes | str = ...")  # a raw body (text, NDJSON, octet-stream)
    if op["body_param"] and op["body_param"] not in op["positional"]:
        a = _attr(op["body_param"])
        if a not in seen:
            seen.add(a)
            kw.append("%s: Any = ..." % a)
    if kw:
        params.append("*")
        params.extend(kw)
    if takes_fields:
        params.append("**params: Any")
    return ", ".join(["self"] + params)


def _method(op, is_async):
    ret = _return_type(op, is_async)
    prefix = "async def" if is_async and not op["pagination"] else "def"
    return '    %s %s(%s) -> %s:\n        """%s %s"""' % (
        prefix, _attr(op["method_py"]), _signature(op), ret, op["verb"], op["path"])


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

    out = [
        "# @generated by tools/gen_python.py (via tools/generate.py) from operations.json \u2014 do not edit.",
        "# Types of the resource tree of Cloudflare / AsyncCloudflare: %d operations." % len(ops),
        "",
        "from typing import Any",
        "",
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
                out.append(_method(op, is_async))
            out.append("")
        root = "AsyncCloudflareResources" if is_async else "CloudflareResources"
        out.append("class %s:" % root)
        out.append('    """The top-level resources."""')
        for attr in sorted(tree[""]["children"]):
            out.append("    %s: %s%sResource" % (attr, pre, names[tree[""]["children"][attr]]))
        out.append("")
    return "\n".join(out)
