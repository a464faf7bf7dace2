#!/usr/bin/env python3
"""Generate flarekit's operation table from the Cloudflare API data.

Input:  <shared>/operations.json and <shared>/openapi.structure.json.gz, or, when the data directory
        is absent (a fresh clone), the committed model dump tools/operations-model.jsonl.
Output: core/src/operations/table.rs, bindings-node/resources.d.ts, bindings-python/.../_resources.pyi and
        the dump itself (all committed), optionally the full normalised model (--json FILE).

    python3 tools/generate.py               write the outputs
    python3 tools/generate.py --check       exit 1 if a committed output (or the dump) is stale
    python3 tools/generate.py --shared DIR  read the data from DIR
    python3 tools/generate.py --no-shared   build from the committed dump even if the data is present
    python3 tools/generate.py --json FILE   also write the normalised model as JSON

Layout: load_model() reads and normalises the data into plain dicts; dump_model() keeps the fields the
emitters read, one line per operation; every output is emitted from load_dump() of that text, so the
committed dump is by construction enough to regenerate and check everything without the data. Each output
file has its own emitter (emit_rust_table, ...) registered in OUTPUTS. Standard library only; output is
deterministic (no timestamps, sorted operations).
"""

import argparse
import gzip
import json
import keyword
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_node  # noqa: E402  (the Node .d.ts emitter, beside this file)
import gen_python  # noqa: E402  (the Python .pyi emitter, beside this file)
import gen_pytypes  # noqa: E402  (the Python result and parameter types)
import gen_tstypes  # noqa: E402  (the TypeScript result and params types)
import gen_types  # noqa: E402  (the types model, from the OpenAPI document)

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SHARED = os.path.join(REPO_ROOT, "..", "shared", "cloudflare-api")

VERBS = {"GET": "Get", "POST": "Post", "PUT": "Put", "PATCH": "Patch", "DELETE": "Delete"}

PAGINATION_KINDS = (
    "V4PagePaginationArray",
    "V4PagePagination",
    "CursorPagination",
    "CursorPaginationAfter",
    "CursorLimitPagination",
    "SinglePage",
)

# Request content type -> BodyKind variant. Anything else is an error.
BODY_KINDS = {
    "application/json": "Json",
    "application/merge-patch+json": "MergePatchJson",
    "multipart/form-data": "Multipart",
    "application/octet-stream": "OctetStream",
    "application/javascript": "JavaScript",
    "text/javascript": "JavaScript",
    "text/plain": "TextPlain",
    "text/plain;charset=UTF-8": "TextPlain",
    "application/x-ndjson": "NdJson",
    "application/x-www-form-urlencoded": "FormUrlEncoded",
}

# Body kinds that carry raw bytes/text rather than a params object, so a positional
# that is not a path param may stand for the whole body.
RAW_BODY_KINDS = {"OctetStream", "TextPlain", "NdJson", "JavaScript"}

ARRAY_BODY_RE = re.compile(r"^\[ \.\.\.([A-Za-z_][A-Za-z0-9_]*) \]$")
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
PY_IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
JS_IDENT_RE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")

# ECMAScript reserved words: valid as property names (client.x.delete()), not as bindings.
JS_RESERVED = frozenset(
    "break case catch class const continue debugger default delete do else enum export extends "
    "false finally for function if import in instanceof new null return super switch this throw "
    "true try typeof var void while with yield let static implements interface package private "
    "protected public await".split()
)


class DataError(Exception):
    pass


# --------------------------------------------------------------------------- loading


def _ident(name):
    """A path placeholder as an identifier: hyphens become underscores."""
    return name.replace("-", "_")


def _resolve(spec, node):
    """Follow local $refs (possibly chained) to the referenced object."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise DataError("non-local $ref %r" % ref)
        target = spec
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
        seen += 1
        if seen > 32:
            raise DataError("$ref cycle at %r" % ref)
    return node


def _has_array(spec, schema, depth=0):
    """Whether a (resolved) schema is an array or may be one (an anyOf/oneOf/allOf branch)."""
    schema = _resolve(spec, schema)
    if not isinstance(schema, dict) or depth > 16:
        return False, False
    t = schema.get("type")
    if t == "array" or (isinstance(t, list) and "array" in t):
        return True, False
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key) or ():
            if _has_array(spec, branch, depth + 1)[0]:
                return True, True
    return False, False


def _spec_operation(spec, paths_by_shape, path, http):
    """(path item, operation) for path+verb, matching placeholder names loosely if needed."""
    item = spec["paths"].get(path)
    if item is None:
        candidates = paths_by_shape.get(PLACEHOLDER_RE.sub("{}", path), [])
        if len(candidates) == 1:
            item = spec["paths"][candidates[0]]
    if item is None:
        return None, None
    return item, item.get(http.lower())


def _spec_query_params(spec, item, op):
    """name -> parameter object for the query parameters of an operation (op-level wins)."""
    out = {}
    for source in (item.get("parameters") or [], op.get("parameters") or []):
        for p in source:
            p = _resolve(spec, p)
            if p.get("in") == "query":
                out[p["name"]] = p
    return out


# The data snake-cases acronym runs without splitting them from the next word ("originCACertificates" ->
# "origin_cacertificates"); the Python SDK's names split them ("origin_ca_certificates"). Where the data's segment
# differs from an acronym-aware conversion, the conversion wins; two names need a hand spelling.
PY_SEGMENT_SPELLING = {"DDoSProtection": "ddos_protection", "IdPFederationGrants": "idp_federation_grants",
                       # The official Python SDK runs these words together (checked by tests/differential).
                       "aiSearch": "aisearch", "RayID": "rayid", "netFlows": "netflows"}
# Method names the official Python SDK spells otherwise than the data (checked by tests/differential).
PY_METHOD_SPELLING = {"dnssecE2E": "dnssec_e2e", "startLivestreamingAMeeting": "start_livestreaming_a_meeting",
                      "stopLivestreamingAMeeting": "stop_livestreaming_a_meeting"}


def _acronym_snake(seg):
    seg = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", seg)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", seg).lower()


def _py_resource(js_resource, data_py):
    out = []
    for js, py in zip(js_resource.split("."), data_py.split(".")):
        fixed = PY_SEGMENT_SPELLING.get(js) or _acronym_snake(js)
        out.append(py if py == fixed else fixed)
    return ".".join(out)


def official_snake(wire):
    """The official Python SDK's name for a wire name: snake_case with acronym runs split from the next word
    (`minTLS` -> `min_tls`, `requireSignedURLs` -> `require_signed_urls`), separators as underscores
    (`cf-r2-jurisdiction` -> `cf_r2_jurisdiction`, `workers/message` -> `workers_message`), a leading underscore
    kept, a leading digit or a Python keyword escaped with an underscore."""
    s = re.sub(r"([A-Z]{2,})s(?=[A-Z]|[^A-Za-z0-9]|$)", lambda m: m.group(1) + "S", wire)
    lead = "_" if s.startswith("_") else ""
    s = re.sub(r"[^A-Za-z0-9]+", "_", s)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    s = lead + s.lower().strip("_")
    for words, joined in RUN_TOGETHER_PAIRS.items():
        s = re.sub(r"(^|_)%s(?=_|$)" % words, lambda m: m.group(1) + joined, s)
    if s[:1].isdigit():
        s = "_" + s
    if keyword.iskeyword(s):
        s += "_"
    return s


# Word pairs the official Python SDK writes as one word in every name (`ai_search` -> `aisearch`, `raw_cf_ray_id` ->
# `raw_cf_rayid`); checked by tests/differential.
RUN_TOGETHER_PAIRS = {"ai_search": "aisearch", "open_api": "openapi", "ray_id": "rayid"}

# Body fields the official Python SDK renames because the name is one of its own per-call arguments (`timeout`):
# resource (Python spelling) -> {wire name: official name}; checked by tests/differential.
PY_RESERVED_RENAMES = {
    "healthchecks": {"timeout": "healthcheck_timeout"},
    "healthchecks.previews": {"timeout": "healthcheck_timeout"},
    "load_balancers.monitors": {"timeout": "load_balancer_monitor_timeout"},
    "load_balancers.monitors.previews": {"timeout": "load_balancer_monitor_timeout"},
    "load_balancers.pools.health": {"timeout": "load_balancer_monitor_timeout"},
}

# Templates that name one placeholder twice where the API means two ids: the official SDKs call the second one
# by its own name and take it positionally. (template -> (template with the second name, positional))
REPEATED_PLACEHOLDERS = {
    "/accounts/{account_id}/addressing/address_maps/{address_map_id}/accounts/{account_id}": (
        "/accounts/{account_id}/addressing/address_maps/{address_map_id}/accounts/{member_account_id}",
        ["member_account_id"]),
}

# Header parameters the transport owns: never taken from arguments.
TRANSPORT_HEADERS = {"content-type", "content-length"}


def _spec_header_params(spec, item, op):
    """The header parameter names of an operation, in spec order (op-level first, each once)."""
    out = []
    for source in (op.get("parameters") or [], item.get("parameters") or []):
        for p in source:
            p = _resolve(spec, p)
            if p.get("in") == "header" and p["name"].lower() not in TRANSPORT_HEADERS and p["name"] not in out:
                out.append(p["name"])
    return out


def _schema_properties(spec, schema, depth=0):
    """Top-level property names of a request body schema (allOf merged, oneOf/anyOf branches united)."""
    schema = _resolve(spec, schema)
    if not isinstance(schema, dict) or depth > 16:
        return []
    out = list((schema.get("properties") or {}).keys())
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in schema.get(key) or ():
            for name in _schema_properties(spec, branch, depth + 1):
                if name not in out:
                    out.append(name)
    return out


def _body_properties(spec, op):
    """Property names of the JSON or multipart request body, in schema order."""
    content = ((_resolve(spec, op.get("requestBody") or {}) or {}).get("content")) or {}
    out = []
    for ct, media in sorted(content.items()):
        if BODY_KINDS.get(ct) in ("Json", "MergePatchJson", "Multipart"):
            for name in _schema_properties(spec, (media or {}).get("schema") or {}):
                if name not in out:
                    out.append(name)
    return out


def _schema_property_map(spec, schema, depth=0):
    """name -> schema of a body schema's properties (allOf merged, oneOf/anyOf branches united, first wins)."""
    schema = _resolve(spec, schema)
    if not isinstance(schema, dict) or depth > 16:
        return {}
    out = dict(schema.get("properties") or {})
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in schema.get(key) or ():
            for name, sub in _schema_property_map(spec, branch, depth + 1).items():
                out.setdefault(name, sub)
    return out


def _array_items(spec, schema, depth=0):
    """The items schema of an array schema (or of an array branch), else None."""
    schema = _resolve(spec, schema)
    if not isinstance(schema, dict) or depth > 16:
        return None
    if schema.get("type") == "array":
        return schema.get("items") or {}
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in schema.get(key) or ():
            found = _array_items(spec, branch, depth + 1)
            if found is not None:
                return found
    return None


def _map_values(spec, schema, depth=0):
    """The value schema of a map (an object with `additionalProperties`, through allOf/oneOf/anyOf), else None."""
    schema = _resolve(spec, schema)
    if not isinstance(schema, dict) or depth > 16:
        return None
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) and extra:
        return extra
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in schema.get(key) or ():
            found = _map_values(spec, branch, depth + 1)
            if found is not None:
                return found
    return None


def _multipart_is_map(spec, op):
    """Whether the multipart body is a map of parts with no named fields (`{hash: content}`)."""
    content = ((_resolve(spec, op.get("requestBody") or {}) or {}).get("content")) or {}
    media = content.get("multipart/form-data")
    if not media:
        return False
    schema = (media or {}).get("schema") or {}
    return not _schema_property_map(spec, schema) and _map_values(spec, schema) is not None


def _nested_renames(spec, op):
    """Fields inside body objects whose official Python name differs from the wire name:
    `[path, python name, wire name]`, path being the dotted field path (`[]` for array items), e.g.
    `["cookies[]", "http_only", "httpOnly"]`. Top-level fields are in the arguments instead."""
    content = ((_resolve(spec, op.get("requestBody") or {}) or {}).get("content")) or {}
    out = set()

    def below(sub, here, depth):
        if depth > 6:
            return
        walk(sub, here, depth + 1)
        items = _array_items(spec, sub)
        if items is not None:
            walk(items, here + "[]", depth + 1)
        values = _map_values(spec, sub)
        if values is not None:
            below(values, here + ".*", depth + 1)

    def walk(schema, path, depth):
        if depth > 6:
            return
        for name, sub in _schema_property_map(spec, schema).items():
            if path and official_snake(name) != name:
                out.add((path, official_snake(name), name))
            below(sub, (path + "." if path else "") + name, depth)

    for ct, media in sorted(content.items()):
        if BODY_KINDS.get(ct) in ("Json", "MergePatchJson", "Multipart"):
            schema = (media or {}).get("schema") or {}
            walk(schema, "", 0)
            # A whole body that is an array or a map: its items' fields (`[]`, `*`).
            items = _array_items(spec, schema)
            if items is not None:
                walk(items, "[]", 1)
            values = _map_values(spec, schema)
            if values is not None:
                walk(values, "*", 1)
    # A name given twice at one place (two spellings of one field) is left as given.
    clashing = {(p, py) for p, py, _w in out if sum(1 for q, y, _x in out if (q, y) == (p, py)) > 1}
    return [list(t) for t in sorted(out) if (t[0], t[1]) not in clashing]


def _takes_modules(spec, op):
    """Whether the multipart body uploads Workers modules: a `metadata` part naming the main module (or body
    part) by file name, so each module's part is named after its file."""
    content = ((_resolve(spec, op.get("requestBody") or {}) or {}).get("content")) or {}
    media = content.get("multipart/form-data")
    if not media:
        return False
    meta = _schema_property_map(spec, media.get("schema") or {}).get("metadata")
    return meta is not None and bool({"main_module", "body_part"} & set(_schema_property_map(spec, meta)))


def _is_binary(spec, schema, depth=0):
    """Whether a schema is a file: `format: binary` (or an array of them), through allOf/oneOf/anyOf."""
    schema = _resolve(spec, schema)
    if not isinstance(schema, dict) or depth > 8:
        return False
    if schema.get("format") == "binary":
        return True
    items = schema.get("items")
    if schema.get("type") == "array" and items is not None and _is_binary(spec, items, depth + 1):
        return True
    return any(_is_binary(spec, b, depth + 1) for k in ("allOf", "oneOf", "anyOf") for b in schema.get(k) or ())


def _file_fields(spec, op):
    """The multipart fields that are files, by wire name, in schema order."""
    content = ((_resolve(spec, op.get("requestBody") or {}) or {}).get("content")) or {}
    media = content.get("multipart/form-data")
    if not media:
        return []
    props = _schema_property_map(spec, (media or {}).get("schema") or {})
    return [name for name, sub in props.items() if _is_binary(spec, sub)]


def _json_body_is_array(spec, op):
    """Whether the operation's JSON request body is an array (the whole body is one argument)."""
    content = ((_resolve(spec, op.get("requestBody") or {}) or {}).get("content")) or {}
    for ct, media in content.items():
        if BODY_KINDS.get(ct) in ("Json", "MergePatchJson"):
            schema = _resolve(spec, (media or {}).get("schema") or {})
            if isinstance(schema, dict) and schema.get("type") == "array":
                return True
    return False


def _arguments(path_params, query, headers, body_props, reserved=None):
    """The arguments whose official Python name differs from the wire name, or whose location the core cannot
    tell from the name alone: `[python name, wire name, location]`. A wire name that is both a path parameter and
    a body field, or a query parameter and a body field, gets the official SDK's location prefixes
    (`path_account_id` / `body_account_id`, `query_tag` / `body_tag`). Renames that would collide with another
    name of the operation are left out (the wire name still works)."""
    query_names = [q["name"] for q in query]
    taken = set(path_params) | set(query_names) | set(body_props) | set(headers)
    out = []
    seen = set()

    def add(py, wire, loc):
        if py in seen or (py in taken and py != wire and loc != "header"):
            return
        seen.add(py)
        out.append([py, wire, loc])

    for h in headers:
        add(official_snake(h), h, "header")
    for name in query_names:
        if name in body_props:
            add("query_" + official_snake(name), name, "query")
        elif official_snake(name) != name and "." not in name:
            add(official_snake(name), name, "query")
        elif "." in name and "<" not in name:
            # A dotted filter (`hostname.startsWith`), given as an object of official names.
            dotted = ".".join(official_snake(part) for part in name.split("."))
            if dotted != name:
                add(dotted, name, "query")
    snake_path = {official_snake(p): p for p in path_params}
    for name in body_props:
        if name in path_params or (official_snake(name) in snake_path and name not in path_params):
            # One Python name for a path parameter and a body field (`account_id`, `accountId` ->
            # `path_account_id`, `body_account_id`).
            path_name = snake_path.get(official_snake(name), name)
            add("path_" + official_snake(path_name), path_name, "path")
            add("body_" + official_snake(name), name, "body")
        elif name in query_names:
            add("body_" + official_snake(name), name, "body")
        elif name in (reserved or {}):
            add(reserved[name], name, "body")
        elif official_snake(name) != name:
            add(official_snake(name), name, "body")
    return out


EXTRAS = os.path.join(REPO_ROOT, "tools", "official-arguments.json")


def _official_extras():
    """`VERB /path` -> [[python name, typescript name, wire name, location]]: arguments the official SDKs take that
    the spec does not declare (tools/official-arguments.json, derived by tests/differential/extras.py)."""
    with open(EXTRAS, encoding="utf-8") as f:
        return json.load(f)["operations"]


def load_model(shared):
    """Read operations.json + the OpenAPI doc and return (model, notes).

    model: {"source", "count", "operations": [plain dicts, sorted by (resource, method)]}
    notes: lines describing irregularities found (printed by the CLI).
    Raises DataError on anything the generator cannot map.
    """
    with open(os.path.join(shared, "operations.json"), encoding="utf-8") as f:
        data = json.load(f)
    with gzip.open(os.path.join(shared, "openapi.structure.json.gz"), "rt", encoding="utf-8") as f:
        spec = json.load(f)

    raw_ops = data["operations"]
    extras = _official_extras()
    if data.get("count") is not None and data["count"] != len(raw_ops):
        raise DataError("operations.json count %r != %d entries" % (data["count"], len(raw_ops)))

    paths_by_shape = {}
    for p in sorted(spec["paths"]):
        paths_by_shape.setdefault(PLACEHOLDER_RE.sub("{}", p), []).append(p)

    notes = []
    spec_ops = []
    irregular = []
    style_counts = {"Scalar": 0, "Repeat": 0, "Comma": 0}
    not_in_spec_ops = []
    not_in_spec_params = []
    any_of_arrays = []
    object_params = []
    path_param_fixes = []
    py_keywords = []
    js_reserved = []
    errors = []
    ops = []

    for raw in raw_ops:
        where = "%s %s" % (raw["resource"], raw["method"])

        # -- names
        for seg in raw["resource"].split(".") + [raw["method"]]:
            if not JS_IDENT_RE.match(seg):
                errors.append("%s: %r is not a JS identifier" % (where, seg))
            elif seg in JS_RESERVED:
                js_reserved.append(seg)
        py_segs = raw["resource_py"].split(".") + [raw["method_py"]]
        if len(py_segs) != len(raw["resource"].split(".")) + 1:
            errors.append("%s: resource_py %r has a different depth" % (where, raw["resource_py"]))
        for seg in py_segs:
            if not PY_IDENT_RE.match(seg):
                errors.append("%s: %r is not a Python identifier" % (where, seg))
            elif keyword.iskeyword(seg):
                py_keywords.append("%s.%s (segment %r)" % (raw["resource_py"], raw["method_py"], seg))

        # -- verb, path, path params
        if raw["http"] not in VERBS:
            raise DataError("%s: unknown HTTP verb %r" % (where, raw["http"]))
        template, raw_positional = REPEATED_PLACEHOLDERS.get(raw["path"], (raw["path"], raw["positional"]))
        placeholders = PLACEHOLDER_RE.findall(template)
        path = PLACEHOLDER_RE.sub(lambda m: "{" + _ident(m.group(1)) + "}", template)
        path_params = []
        for name in placeholders:
            name = _ident(name)
            if not PY_IDENT_RE.match(name):
                raise DataError("%s: path placeholder %r is not an identifier" % (where, name))
            if name not in path_params:
                path_params.append(name)
        declared = []
        for name in raw["path_params"]:
            if _ident(name) not in declared:
                declared.append(_ident(name))
        if declared != path_params:
            path_param_fixes.append("%s: data path_params %s, template gives %s"
                                    % (where, raw["path_params"], path_params))
        if len(placeholders) != len(set(placeholders)):
            notes.append("repeated placeholder (filled from one param): %s %s" % (where, raw["path"]))

        # -- positional / aliases / body param
        positional, aliases, body_param = [], [], None
        body = []
        for ct in raw["body"] or []:
            if ct not in BODY_KINDS:
                raise DataError("%s: unknown request content type %r" % (where, ct))
            if BODY_KINDS[ct] not in body:
                body.append(BODY_KINDS[ct])
        for name in raw_positional:
            m = ARRAY_BODY_RE.match(name)
            if name in raw["path_params"]:
                positional.append(name)
                continue
            if m:
                if body_param is not None:
                    raise DataError("%s: two body params" % where)
                body_param = m.group(1)
                positional.append(body_param)
                irregular.append("%s: %r -> positional %r, body_param %r (JSON array body)"
                                 % (where, name, body_param, body_param))
                continue
            squashed = name.replace("_", "").replace("-", "")
            matches = [p for p in path_params if p.replace("_", "") == squashed]
            if len(matches) == 1:
                target = matches[0]
                positional.append(target)
                if _ident(name) != target:
                    aliases.append((name, target))
                    irregular.append("%s: %r -> path param %r, alias (%r, %r)"
                                     % (where, name, target, name, target))
                else:
                    irregular.append("%s: %r -> path param %r (was {%s} in the template; no alias)"
                                     % (where, name, target, placeholders[path_params.index(target)]))
                continue
            if matches:
                raise DataError("%s: positional %r matches several path params %s" % (where, name, matches))
            if body_param is None and body and all(k in RAW_BODY_KINDS for k in body):
                body_param = name
                positional.append(name)
                irregular.append("%s: %r -> positional %r, body_param %r (raw %s body)"
                                 % (where, name, name, name, "/".join(raw["body"])))
                continue
            raise DataError("%s: cannot map positional %r (path params %s, body %s)"
                            % (where, name, path_params, raw["body"]))
        if len(set(positional)) != len(positional):
            raise DataError("%s: repeated positional %s" % (where, positional))

        # -- query params, style from the spec
        item, sop = _spec_operation(spec, paths_by_shape, raw["path"], raw["http"])
        if sop is None:
            not_in_spec_ops.append(where)
            spec_q = {}
        else:
            spec_q = _spec_query_params(spec, item, sop)
        query = []
        seen_q = set()
        for name in raw["query_params"]:
            if name in seen_q:
                raise DataError("%s: query param %r listed twice" % (where, name))
            seen_q.add(name)
            p = spec_q.get(name)
            style = "Scalar"
            if p is None:
                not_in_spec_params.append("%s ?%s" % (where, name))
            else:
                if p.get("style") not in (None, "form"):
                    raise DataError("%s: query param %r has unsupported style %r" % (where, name, p["style"]))
                schema = p.get("schema") or {}
                is_array, via_union = _has_array(spec, schema)
                if is_array:
                    style = "Comma" if p.get("explode") is False else "Repeat"
                    if via_union:
                        any_of_arrays.append("%s ?%s -> %s" % (where, name, style))
                elif _resolve(spec, schema).get("type") == "object":
                    object_params.append("%s ?%s" % (where, name))
            style_counts[style] += 1
            query.append({"name": name, "style": style})
        if body_param is not None and (body_param in path_params or body_param in seen_q):
            raise DataError("%s: body param %r collides with another param" % (where, body_param))
        if body_param is None and sop is not None and _json_body_is_array(spec, sop):
            # The official SDKs take a JSON array body as `body` (`alerting.silences.create(body=[...])`).
            body_param = "body"
        if body_param is None and sop is not None and _multipart_is_map(spec, sop):
            body_param = "body"
        if body_param is None and sop is not None and _multipart_is_map(spec, sop):
            body_param = "body"
        if body_param is None and body and all(k in RAW_BODY_KINDS for k in body):
            # A raw body (NDJSON inserts, SQL text, uploads) is `body` too.
            body_param = "body"
        headers = _spec_header_params(spec, item, sop) if sop is not None else []
        body_props = _body_properties(spec, sop) if sop is not None else []
        renames = []
        extra_nested = []
        for py, js, wire, loc in extras.get("%s %s" % (raw["http"], raw["path"]), []):
            if loc == "whole_body":
                # The official SDKs' name for an argument that is the whole body (`body=`, `rules=`), and where
                # they take it positionally (`r2.buckets.objects.upload(key, body)`).
                if body_param is None:
                    body_param = py or js
                if wire.startswith("#") and body_param not in positional:
                    positional.insert(int(wire[1:]), body_param)
                if js is not None and js != body_param and [js, body_param] not in aliases:
                    aliases.append([js, body_param])
                continue
            if loc.startswith("nested:"):
                extra_nested.append([loc[len("nested:"):], py or js, wire])
                continue
            if loc == "query" and wire not in seen_q:
                seen_q.add(wire)
                query.append({"name": wire, "style": "Repeat"})
            elif loc == "header" and wire not in headers:
                headers.append(wire)
            elif loc == "body" and wire not in body_props:
                body_props.append(wire)
            for name in (py, js):
                if name is not None and name not in (wire, official_snake(wire)) and [name, wire, loc] not in renames:
                    renames.append([name, wire, loc])
        arguments = _arguments(path_params, query, headers, body_props,
                               PY_RESERVED_RENAMES.get(_py_resource(raw["resource"], raw["resource_py"])))
        arguments = [a for a in renames if a[0] not in {b[0] for b in arguments}] + arguments

        # -- pagination
        pag = raw["pagination"]
        if pag is not None and pag not in PAGINATION_KINDS:
            raise DataError("%s: unknown pagination %r" % (where, pag))

        spec_ops.append((len(ops), item, sop))
        ops.append({
            "resource": raw["resource"],
            "resource_py": _py_resource(raw["resource"], raw["resource_py"]),
            "method": raw["method"],
            "method_py": PY_METHOD_SPELLING.get(raw["method"], raw["method_py"]),
            "verb": raw["http"],
            "path": path,
            "path_params": path_params,
            "positional": positional,
            "aliases": [list(a) for a in aliases],
            "body_param": body_param,
            "query": query,
            "args": arguments,
            "nested": sorted(((_nested_renames(spec, sop) if sop is not None else [])
                              + [n for n in extra_nested if n not in (_nested_renames(spec, sop) if sop else [])])),
            "modules": bool(sop is not None and _takes_modules(spec, sop)),
            "files": _file_fields(spec, sop) if sop is not None else [],
            "body": body,
            "content_types": list(raw["body"] or []),
            "pagination": pag,
            "operation_id": raw.get("operation_id"),
            "returns": raw.get("returns"),
            "security": list(raw.get("security") or []),
        })

    if errors:
        raise DataError("invalid names:\n  " + "\n  ".join(errors))

    # -- duplicates
    for key_fields in (("resource", "method"), ("resource_py", "method_py")):
        seen, dups = set(), []
        for op in ops:
            key = tuple(op[k] for k in key_fields)
            if key in seen:
                dups.append(".".join(key))
            seen.add(key)
        if dups:
            raise DataError("duplicate (%s): %s" % (", ".join(key_fields), ", ".join(sorted(dups))))
    py_of = {}
    for op in ops:
        if py_of.setdefault(op["resource"], op["resource_py"]) != op["resource_py"]:
            raise DataError("resource %r spelled both %r and %r in Python"
                            % (op["resource"], py_of[op["resource"]], op["resource_py"]))

    types = gen_types.build(spec, [(ops[i], item, sop) for i, item, sop in spec_ops])
    ops.sort(key=lambda o: (o["resource"], o["method"]))

    notes.insert(0, "%d operations" % len(ops))
    notes.append("irregular positional entries: %d" % len(irregular))
    notes.extend("  " + line for line in irregular)
    notes.append("path_params differing from the template: %d" % len(path_param_fixes))
    notes.extend("  " + line for line in path_param_fixes)
    notes.append("query styles: %s" % ", ".join("%s %d" % kv for kv in sorted(style_counts.items())))
    notes.append("operations not found in the spec: %d%s"
                 % (len(not_in_spec_ops), (" (" + ", ".join(not_in_spec_ops) + ")") if not_in_spec_ops else ""))
    notes.append("query params not found in the spec (Scalar): %d%s"
                 % (len(not_in_spec_params),
                    (" (" + ", ".join(not_in_spec_params) + ")") if not_in_spec_params else ""))
    notes.append("query params that are array-or-scalar unions: %d" % len(any_of_arrays))
    notes.extend("  " + line for line in any_of_arrays)
    notes.append("object-typed query params emitted as Scalar: %d%s"
                 % (len(object_params), (" (" + ", ".join(object_params) + ")") if object_params else ""))
    notes.append("Python keywords used as names (kept as the data spells them): %d" % len(py_keywords))
    notes.extend("  " + line for line in py_keywords)
    notes.append("JS reserved words used as property names (valid): %d (%s)"
                 % (len(js_reserved), ", ".join(sorted(set(js_reserved)))))

    model = {"source": data.get("source"), "count": len(ops), "operations": ops, "types": types}
    return model, notes


# --------------------------------------------------------------------------- the committed dump

DUMP = "tools/operations-model.jsonl"

# The per-operation fields the emitters read, in column order. An emitter that needs another field of the
# model fails with a KeyError on the dumped model: add the field here (and regenerate the dump).
# path_params is not a column: it is the path's placeholders, in order, once each.
DUMP_COLUMNS = ("method", "method_py", "verb", "path", "positional", "aliases", "body_param", "query",
                "body", "pagination", "returns", "args", "nested", "modules", "files")

DUMP_HEADER = (
    "# @generated by tools/generate.py from operations.json and openapi.structure.json.gz \u2014 do not edit.\n"
    "# The model the generated files are emitted from, so `generate.py --check` runs without ../shared.\n"
    "# First line below: source, count, columns. Then per resource an object {resource, resource_py}, followed by\n"
    "# one array per operation of that resource in the order of columns (query: [name, style] pairs).\n"
)


def _json_line(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _path_params(path):
    return list(dict.fromkeys(PLACEHOLDER_RE.findall(path)))


def dump_model(model):
    """The committed dump: deterministic JSON lines, one per resource and per operation."""
    lines = [_json_line({"source": model["source"], "count": model["count"], "columns": list(DUMP_COLUMNS)})]
    resource = None
    for op in model["operations"]:
        if _path_params(op["path"]) != op["path_params"]:
            raise DataError("%s %s: path_params %s are not the path's placeholders; the dump cannot derive them"
                            % (op["resource"], op["method"], op["path_params"]))
        if op["resource"] != resource:
            resource = op["resource"]
            lines.append(_json_line({"resource": resource, "resource_py": op["resource_py"]}))
        row = []
        for col in DUMP_COLUMNS:
            value = op.get(col)
            row.append([[q["name"], q["style"]] for q in value] if col == "query" else value)
        lines.append(_json_line(row))
    return DUMP_HEADER + "\n".join(lines) + "\n"


def load_dump(text, where=DUMP):
    """The model back from dump_model()'s text (only the dumped fields). Raises DataError if malformed."""
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    try:
        rows = [json.loads(line) for line in lines]
    except ValueError as e:
        raise DataError("%s: not JSON lines (%s)" % (where, e))
    if not rows or not isinstance(rows[0], dict) or rows[0].get("columns") != list(DUMP_COLUMNS):
        raise DataError("%s: the header's columns are not %s; regenerate it with the data present"
                        % (where, list(DUMP_COLUMNS)))
    ops, group = [], None
    for n, row in enumerate(rows[1:], 2):
        if isinstance(row, dict):
            group = row
            continue
        if group is None or not isinstance(row, list) or len(row) != len(DUMP_COLUMNS):
            raise DataError("%s: entry %d is not an operation of %d columns after a resource line"
                            % (where, n, len(DUMP_COLUMNS)))
        op = {"resource": group["resource"], "resource_py": group["resource_py"]}
        op.update(zip(DUMP_COLUMNS, row))
        op["query"] = [{"name": q[0], "style": q[1]} for q in op["query"]]
        op["path_params"] = _path_params(op["path"])
        ops.append(op)
    if rows[0].get("count") != len(ops):
        raise DataError("%s: header count %r != %d operations" % (where, rows[0].get("count"), len(ops)))
    return {"source": rows[0].get("source"), "count": len(ops), "operations": ops}


def _dumped_fields(model):
    """The full model restricted to what the dump keeps: load_dump(dump_model(m)) must equal this."""
    keep = ("resource", "resource_py", "path_params") + DUMP_COLUMNS
    return {"source": model["source"], "count": model["count"],
            "operations": [{k: op.get(k) for k in keep} for op in model["operations"]]}


# --------------------------------------------------------------------------- emitters


# The compact table's separators (core/src/operations/compact.rs reads them): none occurs in any name or path.
_SEP_FIELD, _SEP_ITEM, _SEP_PART = "|", ",", ":"


def _compact(items):
    """A list in the compact table: items joined by `,`, an item's parts by `:`."""
    out = []
    for item in items:
        parts = [item] if isinstance(item, str) else list(item)
        for part in parts:
            if not part or any(c in part for c in (_SEP_FIELD, _SEP_ITEM, _SEP_PART, "\n", '"', "\\")):
                raise DataError("%r cannot be written in the compact operation table" % (part,))
        out.append(_SEP_PART.join(parts))
    return _SEP_ITEM.join(out)


def emit_rust_table(model):
    """core/src/operations/table.rs: the operations as one text constant, one line each, decoded into `Operation`s
    on first use (core/src/operations/compact.rs). Text instead of `Operation` literals: a static table of
    `&'static str`s costs the shared library a relocation per string (~35,000), which every process pays in memory
    when the library loads, whether it calls an operation or not."""
    lines = [
        "// @generated by tools/generate.py from operations.json \u2014 do not edit.",
        "// Regenerate with `python3 tools/generate.py`; `--check` verifies it is current.",
        "// %d operations, sorted by (resource, method); the format is compact.rs's." % model["count"],
        "",
        "/// One operation per line: resource|resource_py|method|method_py|verb|path|path_params|positional|aliases|",
        "/// body_param|query|body|pagination[:items key]|args|nested|modules|files.",
        'pub(super) const TABLE: &str = r#"',
    ]
    schemas = model["types"]["schemas"]
    for op in model["operations"]:
        result = (model["types"]["operations"].get("%s.%s" % (op["resource"], op["method"])) or {}).get("result", "any")
        key = gen_types.items_key(schemas, op, result)
        fields = [
            _compact([op["resource"]]), _compact([op["resource_py"]]), _compact([op["method"]]),
            _compact([op["method_py"]]), op["verb"].upper(), _compact([op["path"]]),
            _compact(op["path_params"]), _compact(op["positional"]), _compact(op["aliases"]),
            "" if op["body_param"] is None else _compact([op["body_param"]]),
            _compact((q["name"], q["style"]) for q in op["query"]),
            _compact(op["body"]),
            _compact([(op["pagination"],) + ((key,) if key != "items" else ())]) if op["pagination"] else "",
            _compact((a[0], a[1], a[2].capitalize()) for a in op["args"]),
            _compact(op["nested"]),
            "1" if op["modules"] else "0",
            _compact(op["files"]),
        ]
        lines.append(_SEP_FIELD.join(fields))
    lines.append('"#;')
    return "\n".join(lines) + "\n"


def emit_json_model(model):
    return json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n"


# Committed outputs, relative to the repo root, emitted from the dumped model (the dump itself is checked apart).
OUTPUTS = [
    ("core/src/operations/table.rs", emit_rust_table),
    ("bindings-node/resources.d.ts", gen_node.emit_node_resources),
    (gen_python.OUTPUT, lambda m: m.setdefault("_pyi", gen_python.emit_pyi(m))),
    (gen_pytypes.OUTPUT, gen_python.emit_types),
    (gen_tstypes.OUTPUT, gen_tstypes.emit_types),
]


# --------------------------------------------------------------------------- CLI


def _read(path):
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except FileNotFoundError:
        return None


def _write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate flarekit's operation table, stubs and model dump.")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if a committed output differs from what would be generated")
    ap.add_argument("--shared", help="data directory (default: %s; when it is absent, the committed %s)"
                    % (os.path.relpath(DEFAULT_SHARED, REPO_ROOT), DUMP))
    ap.add_argument("--no-shared", action="store_true", help="build from the committed %s only" % DUMP)
    ap.add_argument("--json", metavar="FILE", help="also write the normalised model as compact JSON")
    ap.add_argument("-q", "--quiet", action="store_true", help="do not print the data report")
    args = ap.parse_args(argv)

    dump_path = os.path.join(REPO_ROOT, DUMP)
    shared = None
    if not args.no_shared:
        shared = os.path.normpath(args.shared or DEFAULT_SHARED)
        if not os.path.isdir(shared):
            if args.shared:
                print("generate.py: data directory %s not found" % shared, file=sys.stderr)
                return 2
            shared = None
    if shared is None and args.json:
        print("generate.py: --json needs the data directory (%s); the dump keeps only what the emitters read"
              % os.path.normpath(DEFAULT_SHARED), file=sys.stderr)
        return 2

    stale = []
    try:
        if shared is not None:
            full, notes = load_model(shared)
            dump_text = dump_model(full)
            model = load_dump(dump_text)
            if model != _dumped_fields(full):
                raise DataError("%s does not round-trip the model (dump_model/load_dump disagree)" % DUMP)
            if args.check and _read(dump_path) != dump_text:
                stale.append(DUMP)
            types_text = gen_types.dump(full["types"])
            if args.check and _read(os.path.join(REPO_ROOT, gen_types.OUTPUT)) != types_text:
                stale.append(gen_types.OUTPUT)
            model["types"] = full["types"]
        else:
            full, notes = None, []
            dump_text = _read(dump_path)
            if dump_text is None:
                print("generate.py: neither the data directory %s nor %s found"
                      % (os.path.normpath(DEFAULT_SHARED), DUMP), file=sys.stderr)
                return 2
            model = load_dump(dump_text)
            types_text = _read(os.path.join(REPO_ROOT, gen_types.OUTPUT))
            if types_text is None:
                raise DataError("%s is missing" % gen_types.OUTPUT)
            model["types"] = gen_types.load(types_text)
    except DataError as e:
        print("generate.py: error: %s" % e, file=sys.stderr)
        return 2
    source = os.path.relpath(shared, REPO_ROOT) if shared is not None else DUMP

    if args.check:
        for rel, emit in OUTPUTS:
            if _read(os.path.join(REPO_ROOT, rel)) != emit(model):
                stale.append(rel)
        if args.json and _read(args.json) != emit_json_model({k: v for k, v in full.items() if k != "types"}):
            stale.append(args.json)
        for rel in stale:
            print("generate.py: %s is stale (generated from %s); run python3 tools/generate.py%s"
                  % (rel, source, " --json " + rel if rel == args.json else ""))
        if stale:
            return 1
        print("generate.py: %d generated files current (from %s)%s"
              % (len(OUTPUTS) + (shared is not None), source,
                 "" if shared is not None else "; the dump itself is checked when the data is present"))
        return 0

    if not args.quiet:
        for line in notes:
            print(line)
    outputs = [(DUMP, lambda _m: dump_text), (gen_types.OUTPUT, lambda _m: types_text)] if shared is not None else []
    for rel, emit in outputs + OUTPUTS:
        path = os.path.join(REPO_ROOT, rel)
        text = emit(model)
        if _read(path) != text:
            _write(path, text)
        print("wrote %s (%d bytes)" % (rel, len(text.encode("utf-8"))))
    if args.json:
        _write(args.json, emit_json_model({k: v for k, v in full.items() if k != "types"}))
        print("wrote %s" % args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
