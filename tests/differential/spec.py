"""What the differential test knows about the API, from ../shared/cloudflare-api alone (never from flarekit).

- `Operations`: the operations of `operations.json` (the scope flarekit's table covers), each joined with its
  OpenAPI operation, and a matcher from a request actually sent (verb and concrete path) to the operation.
- `features(op)`: which kinds of argument an operation has, from the spec: header parameters, renamed names
  (a wire name the official Python SDK cannot spell as is, or one name in two locations, which it prefixes with the
  location), a whole body (a request body that is not an object), files (multipart binary parts, binary bodies).

Standard library only: the harness (system python3) and the Python caller (the differential venv) both import it.
"""

from __future__ import annotations

import gzip
import json
import keyword
import re
from pathlib import Path
from urllib.parse import unquote

SHARED = Path(__file__).resolve().parents[3] / "shared" / "cloudflare-api"
VERBS = ("get", "post", "put", "patch", "delete", "head")
# A wire name the official Python SDK uses unchanged: already snake_case and not a Python keyword.
_PLAIN = re.compile(r"^[a-z_][a-z0-9_]*$")
# Content types whose body is a JSON document.
_JSON_TYPES = ("application/json", "application/scim+json", "application/merge-patch+json")


def _content_rank(ctype: str) -> int:
    """Which of an operation's request content types the official SDKs send: multipart when offered, else JSON,
    else the first listed."""
    base = ctype.split(";")[0].strip().lower()
    return 0 if base == "multipart/form-data" else 1 if base in _JSON_TYPES else 2


def _template_key(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


class Spec:
    """The OpenAPI document with `$ref`s resolved on demand."""

    def __init__(self, doc: dict):
        self.doc = doc
        self.by_id: dict[str, tuple[str, str, dict, dict]] = {}
        self.by_template: dict[tuple[str, str], tuple[str, str, dict, dict]] = {}
        for path, item in doc["paths"].items():
            for verb in VERBS:
                op = item.get(verb)
                if not isinstance(op, dict):
                    continue
                entry = (verb.upper(), path, op, item)
                if "operationId" in op:
                    self.by_id[op["operationId"]] = entry
                self.by_template[(verb.upper(), _template_key(path))] = entry

    def deref(self, node, seen=()):
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen:
                return {}
            seen = (*seen, ref)
            cur = self.doc
            for part in ref.lstrip("#/").split("/"):
                cur = cur[part]
            node = cur
        return node

    def parameters(self, op: dict, item: dict) -> list[dict]:
        out = {}
        for p in item.get("parameters", []) + op.get("parameters", []):
            p = self.deref(p)
            out[(p.get("in"), p.get("name"))] = p
        return list(out.values())

    def schema_properties(self, schema, depth=0) -> dict[str, dict]:
        """Top-level properties of a schema, through allOf/oneOf/anyOf (their union)."""
        schema = self.deref(schema)
        if not isinstance(schema, dict) or depth > 8:
            return {}
        props = {k: self.deref(v) for k, v in (schema.get("properties") or {}).items()}
        for key in ("allOf", "oneOf", "anyOf"):
            for sub in schema.get(key) or []:
                for k, v in self.schema_properties(sub, depth + 1).items():
                    props.setdefault(k, v)
        return props

    def is_object(self, schema, depth=0) -> bool:
        schema = self.deref(schema)
        if not isinstance(schema, dict) or depth > 8:
            return False
        if schema.get("type") == "object" or schema.get("properties"):
            return True
        subs = [s for key in ("allOf", "oneOf", "anyOf") for s in schema.get(key) or []]
        if schema.get("type") is None and subs:
            return all(self.is_object(s, depth + 1) for s in subs)
        return False

    def is_binary(self, schema, depth=0) -> bool:
        schema = self.deref(schema)
        if not isinstance(schema, dict) or depth > 8:
            return False
        if schema.get("type") == "string" and schema.get("format") == "binary":
            return True
        if schema.get("type") == "array":
            return self.is_binary(schema.get("items", {}), depth + 1)
        return any(self.is_binary(s, depth + 1) for key in ("oneOf", "anyOf", "allOf") for s in schema.get(key) or [])


def load_spec() -> Spec:
    with gzip.open(SHARED / "openapi.structure.json.gz", "rt") as f:
        return Spec(json.load(f))


class Operations:
    """`operations.json`, each entry joined with the spec, plus a matcher for requests seen on the wire."""

    def __init__(self, spec: Spec | None = None):
        self.spec = spec or load_spec()
        self.ops: list[dict] = json.loads((SHARED / "operations.json").read_text())["operations"]
        self.by_name = {(o["resource_py"], o["method_py"]): o for o in self.ops}
        self.by_js_name = {(o["resource"], o["method"]): o for o in self.ops}
        self._routes: dict[str, list[tuple[int, re.Pattern, dict]]] = {}
        for o in self.ops:
            literal = len(re.sub(r"\{[^}]+\}", "", o["path"]))
            rx = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(o["path"])) + "$")
            self._routes.setdefault(o["http"], []).append((literal, rx, o))
        for routes in self._routes.values():
            routes.sort(key=lambda r: -r[0])
        self._features: dict[str, dict] = {}

    def match(self, verb: str, path: str, values=None) -> dict | None:
        """The operation a request (verb, path without query, relative to /client/v4) belongs to: of the templates
        that match, the one with the most literal characters. With `values` (positional argument values, and
        keyword values by squashed name), each path parameter must have come from an argument, positional or of
        its name: `/abuse-reports/submitted` is then no `/abuse-reports/{report_param}`."""
        for _, rx, o in self._routes.get(verb.upper(), ()):
            m = rx.match(path)
            if m and (values is None or self._from_arguments(o, m.groups(), values)):
                return o
        return None

    @staticmethod
    def _from_arguments(o: dict, segments, values) -> bool:
        positional, named = values
        names = re.findall(r"\{([^}]+)\}", o["path"])
        for name, seg in zip(names, segments, strict=True):
            seg = unquote(seg)
            key = re.sub(r"[^a-z0-9]", "", name.lower())
            if seg not in positional and seg not in named.get(key, ()):
                return False
        return True

    def spec_entry(self, o: dict):
        e = self.spec.by_id.get(o["operation_id"] or "")
        if e is None or e[0] != o["http"]:
            e = self.spec.by_template.get((o["http"], _template_key(o["path"])))
        return e

    def nested_renamed(self, schema, depth: int = 0, seen: tuple = ()) -> list[str]:
        """Property names below the top level that the official Python SDK renames (its TypedDicts alias them)."""
        schema = self.spec.deref(schema)
        if not isinstance(schema, dict) or depth > 4 or id(schema) in seen:
            return []
        seen = (*seen, id(schema))
        if schema.get("type") == "array":
            return self.nested_renamed(schema.get("items", {}), depth + 1, seen)
        out = []
        for name, prop in self.spec.schema_properties(schema).items():
            if not _PLAIN.match(name) or keyword.iskeyword(name):
                out.append(name)
            out += [f"{name}.{n}" for n in self.nested_renamed(prop, depth + 1, seen)]
        return out

    def features(self, o: dict) -> dict:
        """Argument kinds of one operation, from the spec: `header`, `renamed`, `whole_body`, `file` (booleans)
        and the names behind each, so the report can say why an operation is in a category."""
        key = f"{o['http']} {o['path']}"
        if key in self._features:
            return self._features[key]
        out = {"header": [], "renamed": [], "whole_body": None, "file": [], "in_spec": False, "wire": {}}
        entry = self.spec_entry(o)
        if entry is not None:
            out["in_spec"] = True
            _, _, op, item = entry
            where: dict[str, list[str]] = {}
            for p in self.spec.parameters(op, item):
                where.setdefault(p["name"], []).append(p["in"])
                if p["in"] == "header":
                    out["header"].append(p["name"])
            body = self.spec.deref(op.get("requestBody") or {})
            content = body.get("content") or {}
            for ctype, media in sorted(content.items(), key=lambda kv: _content_rank(kv[0])):
                schema = self.spec.deref(media.get("schema") or {})
                base = ctype.split(";")[0].strip().lower()
                if base in _JSON_TYPES or base in ("multipart/form-data", "application/x-www-form-urlencoded"):
                    if schema and not self.spec.is_object(schema):  # no schema at all: an empty body
                        out["whole_body"] = ctype
                    for name, prop in self.spec.schema_properties(schema).items():
                        where.setdefault(name, []).append("body")
                        if base == "multipart/form-data" and self.spec.is_binary(prop):
                            out["file"].append(name)
                        out["renamed"] += [f"{name}.{n}" for n in self.nested_renamed(prop)]
                else:
                    out["whole_body"] = ctype
                    if self.spec.is_binary(schema) or base == "application/octet-stream":
                        out["file"].append("(body)")
                break  # the one content type the official SDKs send
            out["wire"] = {name: sorted(set(locations)) for name, locations in where.items()}
            for name, locations in where.items():
                if "path" in locations and len(locations) == 1:
                    continue
                if len(set(locations)) > 1:
                    out["renamed"].append(f"{name} ({'+'.join(sorted(set(locations)))})")
                elif not _PLAIN.match(name) or keyword.iskeyword(name):
                    out["renamed"].append(name)
        self._features[key] = out
        return out


def feature_flags(features: dict) -> list[str]:
    """The categories an operation belongs to, in report order."""
    flags = []
    if features["renamed"]:
        flags.append("renamed")
    if features["header"]:
        flags.append("header")
    if features["whole_body"]:
        flags.append("whole_body")
    if features["file"]:
        flags.append("file")
    return flags


def response_for(o: dict | None) -> dict:
    """The success envelope served for an operation: list operations get a page that makes every pagination kind
    stop after it (an empty result, total_pages 1, no cursor)."""
    info = {"page": 1, "per_page": 20, "count": 0, "total_count": 0, "total_pages": 1, "cursor": "", "cursors": {}}
    kind = o and o.get("pagination")
    if kind is None:
        return {"success": True, "errors": [], "messages": [], "result": {}}
    result = {"items": []} if kind == "V4PagePagination" else []
    return {"success": True, "errors": [], "messages": [], "result": result, "result_info": info}
