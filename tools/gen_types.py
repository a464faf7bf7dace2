"""The types of every operation, from the OpenAPI document: a compact model (tools/types-model.json) that the
Python and TypeScript emitters read, so `generate.py --check` runs without ../shared.

A type is a small JSON value:
    "str" "int" "float" "bool" "any" "null"          scalars (`any`: the spec says nothing)
    ["lit", v, ...]                                   literal values (an enum)
    ["list", T]  ["map", T]                           arrays, objects with additionalProperties
    ["obj", {name: [T, flags]}]                       objects; flags: "r" required, "o" read-only, "w" write-only
    ["ref", name]                                     a component schema (in "schemas")
    ["union", T, ...]                                 oneOf / anyOf / nullable
    ["bytes"]                                         a body that is not JSON nor text (an image, a PDF, a zip)
`allOf` is merged into one object where its branches are objects. Standard library only, deterministic.

An operation is {"params": {"<in>:<name>": [T, flags]}, "body": T, "result": T}: `result` is what the client
returns, the envelope's `result` (`"null"` when the API returns nothing: no body, an envelope without `result`, a
`void`), the whole body when it is not an envelope, `"str"` for a text body, `["bytes"]` for a binary one.
"""

import json
import re

OUTPUT = "tools/types-model.json"
MAX_DEPTH = 12


class Types:
    def __init__(self, spec):
        self.spec = spec
        self.schemas = spec.get("components", {}).get("schemas", {})
        self.used = {}  # component name -> type (filled as referenced)
        self.pending = []

    def resolve(self, node, seen=()):
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen:
                return {}
            seen = seen + (ref,)
            cur = self.spec
            for part in ref.lstrip("#/").split("/"):
                cur = cur.get(part, {}) if isinstance(cur, dict) else {}
            node = cur
        return node if isinstance(node, dict) else {}

    def ref(self, node):
        """A component schema name for a `$ref` node (following `$ref`s to other components), else None."""
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name in self.schemas:
                if name not in self.used:
                    self.used[name] = None
                    self.pending.append(name)
                return name
        return None

    def drain(self):
        while self.pending:
            name = self.pending.pop()
            self.used[name] = self.of(self.schemas[name], 0, inline_ref=False)

    def _props(self, schema, depth):
        """Merged properties of an object schema through allOf: (props, required), or None if not an object."""
        schema = self.resolve(schema)
        props, required, any_obj = {}, set(schema.get("required") or ()), False
        if "properties" in schema or schema.get("type") == "object":
            any_obj = True
            props.update(schema.get("properties") or {})
        for branch in schema.get("allOf") or ():
            sub = self._props(branch, depth + 1)
            if sub is None:
                continue
            any_obj = True
            bp, br = sub
            for k, v in bp.items():
                props.setdefault(k, v)
            required |= br
        return (props, required) if any_obj else None

    def of(self, node, depth, inline_ref=True):
        """The type of a schema node."""
        if depth > MAX_DEPTH or not isinstance(node, dict):
            return "any"
        if "$ref" in node:
            name = self.ref(node)
            if name is not None and inline_ref:
                return ["ref", name]
            return self.of(self.resolve(node), depth + 1, inline_ref=True)
        t = self._core(node, depth)
        if node.get("nullable") and t not in ("any", "null"):
            t = _union([t, "null"])
        return t

    def _core(self, s, depth):
        if "enum" in s and isinstance(s["enum"], list) and s["enum"]:
            values = [v for v in s["enum"] if isinstance(v, (str, int, float, bool))]
            if values:
                t = ["lit", *sorted(set(values), key=lambda v: (str(type(v)), str(v)))]
                return _union([t, "null"]) if None in s["enum"] else t
            if all(v is None for v in s["enum"]):
                return "null"  # `enum: [null]`: the value is always null
        for key in ("oneOf", "anyOf"):
            if s.get(key):
                if s.get("properties") or s.get("allOf"):
                    # Properties beside the union: each variant has them too.
                    base = {k: v for k, v in s.items() if k not in ("oneOf", "anyOf", "nullable")}
                    return _union([self.of({"allOf": [base, b]}, depth + 1) for b in s[key]])
                return _union([self.of(b, depth + 1) for b in s[key]])
        if s.get("allOf"):
            # A union among the parts: the union of the parts merged with each of its alternatives.
            for i, part in enumerate(s["allOf"]):
                r = self.resolve(part)
                alts = r.get("oneOf") or r.get("anyOf")
                if alts and depth < MAX_DEPTH - 2:
                    own = {k: v for k, v in r.items() if k not in ("oneOf", "anyOf", "nullable")}
                    rest = s["allOf"][:i] + s["allOf"][i + 1:] + ([own] if own.get("properties") else [])
                    return _union([self.of({"allOf": rest + [alt]}, depth + 1) for alt in alts])
            merged = self._props(s, depth)
            if merged is not None:
                return self._object(merged[0], merged[1], s, depth)
            branches = [self.of(b, depth + 1) for b in s["allOf"]]
            concrete = [b for i, b in enumerate(branches) if b != "any" and b not in branches[:i]]
            if len(concrete) == 1:
                return concrete[0]
            # A reference or a literal beside the scalar it narrows (`allOf: [{$ref: <an enum>}, {type: string}]`).
            scalars = [b for b in concrete if b in ("str", "int", "float", "bool")]
            others = [b for b in concrete if b not in scalars]
            if len(others) == 1 and len(scalars) == len(concrete) - 1:
                if others[0][0] == "union" and len(scalars) == 1 and scalars[0] in others[0][1:]:
                    return scalars[0]
                if others[0][0] in ("ref", "lit"):
                    return others[0]
            return "any"
        typ = s.get("type")
        if typ == "string" and s.get("properties"):
            typ = "object"  # a string with properties is an object typed wrong (a PATCH body of pools)
        if isinstance(typ, list):
            return _union([self._core(dict(s, type=t), depth) for t in typ])
        if typ == "string":
            return "str"
        if typ == "integer":
            return "int"
        if typ == "number":
            return "float"
        if typ == "boolean":
            return "bool"
        if typ == "null":
            return "null"
        if typ == "array":
            return ["list", self.of(s.get("items") or {}, depth + 1)]
        if typ == "object" or "properties" in s or "additionalProperties" in s:
            props = s.get("properties") or {}
            if not props:
                extra = s.get("additionalProperties")
                if isinstance(extra, dict) and extra:
                    return ["map", self.of(extra, depth + 1)]
                return ["map", "any"]
            return self._object(props, set(s.get("required") or ()), s, depth)
        return "any"

    def _object(self, props, required, s, depth):
        out = {}
        for name in sorted(props):
            sub = props[name]
            resolved = self.resolve(sub)
            flags = ("r" if name in required else "") + ("o" if resolved.get("readOnly") else "") + (
                "w" if resolved.get("writeOnly") else "")
            out[name] = [self.of(sub, depth + 1), flags]
        return ["obj", out]


def _union(items):
    flat = []
    for t in items:
        for x in (t[1:] if isinstance(t, list) and t[0] == "union" else [t]):
            if x not in flat:
                flat.append(x)
    if "any" in flat:
        return "any"
    lits = [x for x in flat if isinstance(x, list) and x[0] == "lit"]
    if len(lits) > 1:
        merged = ["lit", *sorted({v for x in lits for v in x[1:]}, key=lambda v: (str(type(v)), str(v)))]
        flat = [x for x in flat if not (isinstance(x, list) and x[0] == "lit")] + [merged]
    return flat[0] if len(flat) == 1 else ["union", *flat]


def _json_media(content):
    for ct in sorted(content or {}):
        if "json" in ct:
            return content[ct]
    return None


# The envelope's own keys: an envelope with only these (no `result`) returns nothing.
ENVELOPE_KEYS = {"errors", "messages", "success", "result_info"}
# Media types whose 2xx bodies the client hands back as a string (core/src/envelope.rs, is_text_type).
TEXT_TYPES = {"application/javascript", "application/x-javascript", "application/ecmascript", "application/xml",
              "application/x-pem-file", "application/pem-certificate-chain", "application/x-ndjson",
              "application/yaml", "message/rfc822", "string"}


def _is_text(media_type):
    essence = media_type.split(";")[0].strip().lower()
    return essence.startswith("text/") or essence.endswith("+xml") or essence in TEXT_TYPES


def _success_response(t, op):
    """The content of the operation's success response, or None when it has no body (or no success response)."""
    responses = op.get("responses") or {}
    codes = sorted(c for c in responses if c.startswith("2")) or [c for c in ("default",) if c in responses]
    for code in codes:
        content = t.resolve(responses[code]).get("content") or {}
        if content and code != "204":  # a 204 has no body, whatever its content says
            return content
    return None


def _body_result(t, schema, depth=0):
    """What the client returns for a JSON body of this schema: its `result`, nothing for an envelope without one,
    the whole body for a body that is no envelope."""
    r = t.resolve(schema)
    alts = r.get("oneOf") or r.get("anyOf")
    if alts and depth < 4 and not r.get("properties"):
        return _union([_body_result(t, alt, depth + 1) for alt in alts])
    merged = t._props(schema, 0)
    if merged is None:
        if not r:
            return "any"
        return t.of(schema, 0)
    props = merged[0]
    if "result" in props:
        return t.of(props["result"], 0)
    if not props or set(props) <= ENVELOPE_KEYS:
        return "null" if props else t.of(schema, 0)
    return t.of(schema, 0)


def _result_type(t, op):
    """The type of what the client returns for an operation (see the module's docstring)."""
    content = _success_response(t, op)
    if not content:
        return "null"  # no success response (a WebSocket upgrade) or no body
    media = _json_media(content)
    if media is not None:
        if "schema" not in media:
            return "any"
        return _body_result(t, media["schema"])
    return _union(["str" if _is_text(ct) else ["bytes"] for ct in sorted(content)])


_SINGULAR = ((re.compile(r"ies$"), "y"), (re.compile(r"(x|ss|ch|sh)es$"), r"\1"), (re.compile(r"s$"), ""))


def singular(word):
    for rx, rep in _SINGULAR:
        if rx.search(word):
            return rx.sub(rep, word)
    return word


def item_name(returns, pagination, items_key="items"):
    """The official name of a page's item type: `ZonesV4PagePaginationArray` -> `Zone`. A page whose items are
    under a key of their own (`reports`, see `items_key`) names them as the official SDK's nested class of that
    page type, flattened: `AbuseReportListResponsesV4PagePagination` -> `AbuseReportListResponseReport`."""
    stem = (returns or "").split("|")[0].strip()
    if pagination and stem.endswith(pagination):
        stem = stem[: -len(pagination)]
    stem = singular(stem)
    if items_key != "items":
        leaf = singular("".join(w[:1].upper() + w[1:] for w in items_key.split("_")))
        stem = stem if leaf.lower() == stem.lower() else stem + leaf
    return stem


def unwrap(schemas, t):
    """t through references, without `null` in a union."""
    for _ in range(32):
        if isinstance(t, list) and t[0] == "ref":
            t = schemas.get(t[1], "any")
            continue
        if isinstance(t, list) and t[0] == "union" and "null" in t[1:]:
            rest = [x for x in t[1:] if x != "null"]
            t = rest[0] if len(rest) == 1 else ["union"] + rest
            continue
        break
    return t


def items_key(schemas, op, result):
    """Where a V4PagePagination result keeps its items: `items`, as in most of them, or the one array field of
    the result when it has no `items` (`{"reports": [...]}`); of several array fields, the one named as the path's
    last segment (`/radar/bgp/leaks/events` -> `events`). The core reads the items there (core/src/pagination.rs)."""
    r = unwrap(schemas, result)
    if op.get("pagination") != "V4PagePagination" or not (isinstance(r, list) and r[0] == "obj"):
        return "items"
    if "items" in r[1]:
        return "items"
    lists = [k for k, (t, _flags) in r[1].items() if _is_list(unwrap(schemas, t))]
    if len(lists) > 1:
        last = op["path"].rstrip("/").rsplit("/", 1)[-1]
        lists = [k for k in lists if k == last]
    return lists[0] if len(lists) == 1 else "items"


def _is_list(t):
    return isinstance(t, list) and t[0] == "list"


def page_item(schemas, t, pagination, key="items"):
    """The type of a page's items as the core finds them (core/src/pagination.rs): the array under `key` (see
    `items_key`) of a V4PagePagination result; else the result's items when it is an array (a union of arrays
    giving the union of their items), the result itself when it is one object. "any" when the spec says nothing
    of them."""
    r = unwrap(schemas, t)
    if pagination == "V4PagePagination":
        if isinstance(r, list) and r[0] == "obj" and key in r[1]:
            items = unwrap(schemas, r[1][key][0])
            if isinstance(items, list) and items[0] == "list":
                return items[1]
        return "any"
    if isinstance(r, list) and r[0] == "list":
        return r[1]
    if isinstance(r, list) and r[0] == "union":
        parts = [unwrap(schemas, x) for x in r[1:]]
        if all(isinstance(x, list) and x[0] == "list" for x in parts):
            return _union([x[1] for x in parts])
        if all(isinstance(x, list) and x[0] in ("list", "obj", "map") for x in parts):
            return _union([x[1] if x[0] == "list" else x for x in parts])
        return "any"
    if isinstance(r, list) and r[0] in ("obj", "map"):
        return r
    return "any"


def _simple(t):
    """A type with no object and no reference in it (a scalar, a literal, or lists, maps and unions of them)."""
    if isinstance(t, str):
        return True
    if t[0] == "lit":
        return True
    if t[0] in ("list", "map"):
        return _simple(t[1])
    if t[0] == "union":
        return all(_simple(x) for x in t[1:])
    return False


def _substitute(t, table):
    if isinstance(t, str):
        return t
    if t[0] == "ref":
        return table.get(t[1], t)
    if t[0] == "obj":
        return ["obj", {k: [_substitute(v[0], table), v[1]] for k, v in t[1].items()}]
    if t[0] in ("list", "map"):
        return [t[0], _substitute(t[1], table)]
    if t[0] == "union":
        return _union([_substitute(x, table) for x in t[1:]])
    return t


def _inline_simple(schemas, operations):
    """Put schemas that are only scalars, literals and lists of them in place of their references."""
    while True:
        table = {n: t for n, t in schemas.items() if _simple(t)}
        if not table:
            break
        schemas = {n: _substitute(t, table) for n, t in schemas.items() if n not in table}
        operations = {k: _substitute_op(v, table) for k, v in operations.items()}
    return schemas, operations


def _substitute_op(entry, table):
    out = {}
    for k, v in entry.items():
        if k == "params":
            out[k] = {n: [_substitute(p[0], table), p[1]] for n, p in v.items()}
        else:
            out[k] = _substitute(v, table)
    return out


def build(spec, ops):
    """ops: [(model op, spec path item, spec operation)] -> the types model."""
    t = Types(spec)
    out = {}
    for op, item, sop in ops:
        key = "%s.%s" % (op["resource"], op["method"])
        entry = {}
        if sop is not None:
            params = {}
            for source in (item.get("parameters") or [], sop.get("parameters") or []):
                for p in source:
                    p = t.resolve(p)
                    if p.get("in") in ("query", "header", "path"):
                        params["%s:%s" % (p["in"], p["name"])] = [
                            t.of(p.get("schema") or {}, 0), "r" if p.get("required") else ""]
            body = (t.resolve(sop.get("requestBody") or {}).get("content")) or {}
            media = _json_media(body) or body.get("multipart/form-data") or body.get(
                "application/x-www-form-urlencoded")
            if media is not None:
                schema = media.get("schema") or {}
                if set(schema) == {"required"} and isinstance(schema["required"], list):
                    # Only the names of required fields (firewall rules' PATCH): those fields, of any type.
                    schema = {"type": "object", "required": schema["required"],
                              "properties": {n: {} for n in schema["required"]}}
                entry["body"] = t.of(schema, 0)
            entry["params"] = dict(sorted(params.items()))
            entry["result"] = _result_type(t, sop)
        out[key] = entry
    t.drain()
    schemas, operations = _inline_simple(dict(t.used), out)
    return {"schemas": dict(sorted(schemas.items())), "operations": dict(sorted(operations.items()))}


def dump(types):
    """Deterministic text: one schema or operation per line."""
    lines = ["{", ' "schemas": {']
    items = list(types["schemas"].items())
    lines += ["  %s: %s%s" % (json.dumps(k), json.dumps(v, separators=(",", ":")), "," if i < len(items) - 1 else "")
              for i, (k, v) in enumerate(items)]
    lines += [" },", ' "operations": {']
    items = list(types["operations"].items())
    lines += ["  %s: %s%s" % (json.dumps(k), json.dumps(v, separators=(",", ":")), "," if i < len(items) - 1 else "")
              for i, (k, v) in enumerate(items)]
    lines += [" }", "}", ""]
    return "\n".join(lines)


def load(text):
    return json.loads(text)
