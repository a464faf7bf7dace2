"""The TypeScript declarations of the Node package's resources, from the operation model.

`emit_node_resources(model)` returns bindings-node/resources.d.ts: one interface per resource path with its
sub-resources and methods, each method typed with its positional ids, its params object (path, query and,
for operations with a body, any body field) and its return (a Promise, or a PagePromise for list operations).
The hand-written bindings-node/index.d.ts (client options, pages, errors) merges `Resources` into the client.
Standard library only; deterministic output.
"""

import re

IDENT_RE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")

# Filled by the client's `accountId` option (or CLOUDFLARE_ACCOUNT_ID) when not given.
DEFAULTED = {"account_id"}
# `{accounts_or_zones}/{account_or_zone_id}` is filled from `account_id` or `zone_id`.
SCOPE_PARAMS = ("accounts_or_zones", "account_or_zone_id")

RAW_KINDS = {"OctetStream", "JavaScript", "TextPlain", "NdJson"}
JSON_KINDS = {"Json", "MergePatchJson"}

SCALAR = "string | number | boolean"


def _pascal(seg):
    return seg[:1].upper() + seg[1:]


def _camel(name):
    parts = [p for p in re.split(r"[_\-]+", name) if p]
    if not parts:
        return "arg"
    out = parts[0][:1].lower() + parts[0][1:] + "".join(p[:1].upper() + p[1:] for p in parts[1:])
    return out if IDENT_RE.match(out) else "arg"


def _key(name):
    return name if IDENT_RE.match(name) else '"%s"' % name.replace("\\", "\\\\").replace('"', '\\"')


def _query_type(style):
    if style == "Scalar":
        return SCALAR
    return "%s | Array<string | number | boolean>" % SCALAR


LEAF = "\0leaf"


def _nest(entries):
    """Dotted query names (`account.id`) as nested optional objects; a name may be both a value and an object."""
    tree = {}
    for name, typ in entries:
        node = tree
        for p in name.split("."):
            node = node.setdefault(p, {})
        node.setdefault(LEAF, typ)
    return tree


def _render(node):
    fields = ["%s?: %s" % (_key(k), _render(v)) for k, v in node.items() if k != LEAF]
    obj = "{ " + "; ".join(fields) + " }" if fields else None
    leaf = node.get(LEAF)
    if leaf and obj:
        return "%s | %s" % (leaf, obj)
    return leaf or obj or "unknown"


def _params_type(op):
    """(type text, required?) of an operation's params object."""
    positional = set(op["positional"])
    fields = []
    required = False
    path_params = [p for p in op["path_params"] if p not in positional]
    if all(p in op["path_params"] for p in SCOPE_PARAMS):
        fields.append("account_id?: string")
        fields.append("zone_id?: string")
        path_params = [p for p in path_params if p not in SCOPE_PARAMS]
    aliases = {target: alias for alias, target in op["aliases"]}
    for p in path_params:
        optional = p in DEFAULTED or p in aliases
        required = required or not optional
        fields.append("%s%s: string" % (_key(p), "?" if optional else ""))
    for alias, target in op["aliases"]:
        if target not in positional:
            fields.append("%s?: string" % _key(alias))
    query = _nest([(q["name"], _query_type(q["style"])) for q in op["query"]])
    for k, v in query.items():
        fields.append("%s?: %s" % (_key(k), _render(v)))
    body = set(op["body"])
    if op["body_param"] and op["body_param"] not in positional:
        typ = "string | Uploadable" if body & RAW_KINDS and not body & JSON_KINDS else "unknown"
        fields.append("%s?: %s" % (_key(op["body_param"]), typ))
    if "Multipart" in body:
        fields.append("files?: Array<FileInput>")
    if body:
        fields.append("[field: string]: unknown")
    return ("{ " + "; ".join(fields) + " }" if fields else "{}"), required


def _method(op):
    args = []
    for name in op["positional"]:
        if name == op["body_param"]:
            body = set(op["body"])
            typ = "string | Uploadable" if body & RAW_KINDS and not body & JSON_KINDS else "Array<unknown>"
        else:
            typ = "string | number"
        args.append("%s: %s" % (_camel(name), typ))
    params, required = _params_type(op)
    args.append("params%s: %s" % ("" if required else "?", params))
    args.append("options?: RequestOptions")
    ret = "PagePromise<any>" if op["pagination"] else "Promise<any>"
    doc = "%s %s" % (op["verb"], op["path"])
    if op["pagination"]:
        doc += " (%s)" % op["pagination"]
    return "  /** `%s` */\n  %s(%s): %s;" % (doc, _key(op["method"]), ", ".join(args), ret)


def emit_node_resources(model):
    """bindings-node/resources.d.ts."""
    nodes = {"": {"children": {}, "methods": []}}
    for op in model["operations"]:
        path = ""
        for seg in op["resource"].split("."):
            child = path + "." + seg if path else seg
            if child not in nodes:
                nodes[child] = {"children": {}, "methods": []}
                nodes[path]["children"][seg] = child
            path = child
        nodes[path]["methods"].append(op)

    names = {"": "Resources"}
    used = {"Resources"}
    for path in sorted(nodes):
        if not path:
            continue
        base = "".join(_pascal(s) for s in path.split(".")) + "Resource"
        name, n = base, 2
        while name in used:
            name, n = "%s%d" % (base, n), n + 1
        used.add(name)
        names[path] = name

    out = [
        "// @generated by tools/generate.py (tools/gen_node.py) from operations.json \u2014 do not edit.",
        "// Regenerate with `python3 tools/generate.py`; `--check` verifies it is current.",
        "// %d operations. The client options, pages and errors are in index.d.ts." % model["count"],
        "",
        "import type { FileInput, PagePromise, RequestOptions, Uploadable } from './index';",
        "",
    ]
    for path in sorted(nodes):
        node = nodes[path]
        out.append("export interface %s {" % names[path])
        for seg in sorted(node["children"]):
            out.append("  readonly %s: %s;" % (_key(seg), names[node["children"][seg]]))
        for op in sorted(node["methods"], key=lambda o: o["method"]):
            out.append(_method(op))
        out.append("}")
        out.append("")
    return "\n".join(out)
