#!/usr/bin/env python3
"""The emulator's view of the API: every operation of the flarekit table with its request and response schemas.

Input:  <shared>/operations.json (which operations) and <shared>/openapi.structure.json.gz (their schemas).
Output: emulator/spec/api.json.gz (committed, deterministic gzip), which the emulator embeds to answer any of
        the 2,589 operations that it has no stateful handler for: the request body validated against the request
        schema, the response the spec's example or one built from the response schema.

    python3 tools/gen_emulator_spec.py            write it
    python3 tools/gen_emulator_spec.py --check    exit 1 if the committed file is stale (skipped without the data)

Format (JSON): {"ops": [op, ...], "schemas": {name: schema}}, ops sorted by path then method. An op is
{"m": "GET", "p": "/zones/{zone_id}", "sec": [scheme, ...], "page": pagination kind or null,
 "q": [[name, schema], ...] (the required query parameters),
 "req": {"ct": media type, "schema": schema, "required": bool} or null,
 "res": {"status": 200, "ct": media type or null, "schema": schema or null, "example": value (optional)}}.
A schema keeps only what validation and synthesis read (type, properties, required, items, enum, nullable,
allOf/oneOf/anyOf, additionalProperties, format, pattern, bounds, example, default, readOnly, writeOnly);
`{"$ref": "Name"}` points into "schemas". Standard library only.
"""

import argparse
import gzip
import io
import json
import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SHARED = os.path.join(REPO_ROOT, "..", "shared", "cloudflare-api")
OUTPUT = "emulator/spec/api.json.gz"

KEEP = {
    "type", "properties", "required", "items", "enum", "nullable", "allOf", "oneOf", "anyOf",
    "additionalProperties", "format", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "example", "default", "readOnly",
    "writeOnly", "multipleOf", "minProperties", "maxProperties", "not",
}
SCHEMA_PREFIX = "#/components/schemas/"
JSON_TYPES = ("application/json", "application/scim+json", "application/merge-patch+json")


class Spec:
    def __init__(self, doc):
        self.doc = doc
        self.used = set()

    def deref(self, obj):
        """Follows a non-schema `$ref` (responses, requestBodies, examples, parameters)."""
        seen = 0
        while isinstance(obj, dict) and "$ref" in obj and not obj["$ref"].startswith(SCHEMA_PREFIX):
            node = self.doc
            for part in obj["$ref"].lstrip("#/").split("/"):
                node = node[part]
            obj = node
            seen += 1
            if seen > 20:
                raise ValueError("a $ref cycle")
        return obj

    def schema(self, s):
        """The schema with only the kept keys; component references become {"$ref": name}."""
        if isinstance(s, list):
            return [self.schema(x) for x in s]
        if not isinstance(s, dict):
            return s
        if "$ref" in s:
            ref = s["$ref"]
            if ref.startswith(SCHEMA_PREFIX):
                name = ref[len(SCHEMA_PREFIX):]
                self.used.add(name)
                # The spec puts nullable / readOnly beside some references: keep them.
                out = {"$ref": name}
                for k in ("nullable", "readOnly", "writeOnly"):
                    if k in s:
                        out[k] = s[k]
                return out
            return self.schema(self.deref(s))
        out = {}
        for k, v in s.items():
            if k not in KEEP:
                continue
            if k == "properties":
                out[k] = {p: self.schema(x) for p, x in v.items()}
            elif k in ("items", "not") or (k == "additionalProperties" and isinstance(v, dict)):
                out[k] = self.schema(v)
            elif k in ("allOf", "oneOf", "anyOf"):
                out[k] = [self.schema(x) for x in v]
            else:
                out[k] = v
        return out

    def components(self):
        """Every schema reached from the operations, transitively."""
        out, todo = {}, sorted(self.used)
        schemas = self.doc["components"]["schemas"]
        while todo:
            name = todo.pop()
            if name in out:
                continue
            before = set(self.used)
            out[name] = self.schema(schemas[name])
            todo.extend(sorted(self.used - before - set(out)))
        return dict(sorted(out.items()))


def _example(media, spec):
    if "example" in media:
        return True, media["example"]
    for ex in (media.get("examples") or {}).values():
        ex = spec.deref(ex)
        if isinstance(ex, dict) and "value" in ex:
            return True, ex["value"]
    return False, None


def _response(op, spec):
    responses = op.get("responses") or {}
    for status in ("200", "201", "202", "204") + tuple(sorted(k for k in responses if k.startswith("2"))):
        if status not in responses:
            continue
        r = spec.deref(responses[status])
        content = r.get("content") or {}
        out = {"status": int(status), "ct": None, "schema": None}
        ct = next((c for c in JSON_TYPES if c in content), None) or next(iter(sorted(content)), None)
        if ct is not None:
            media = content[ct]
            out["ct"] = ct
            if media.get("schema") is not None:
                out["schema"] = spec.schema(media["schema"])
            has, value = _example(media, spec)
            if has:
                out["example"] = value
        return out
    return {"status": 200, "ct": None, "schema": None}


def _request(op, spec):
    body = op.get("requestBody")
    if not body:
        return None
    body = spec.deref(body)
    content = body.get("content") or {}
    ct = next((c for c in JSON_TYPES if c in content), None) or next(iter(sorted(content)), None)
    if ct is None:
        return None
    schema = content[ct].get("schema")
    return {"ct": ct, "schema": spec.schema(schema) if schema is not None else None,
            "required": bool(body.get("required"))}


def build(shared):
    with open(os.path.join(shared, "operations.json"), encoding="utf-8") as f:
        table = json.load(f)["operations"]
    with gzip.open(os.path.join(shared, "openapi.structure.json.gz"), "rt", encoding="utf-8") as f:
        doc = json.load(f)
    spec = Spec(doc)
    seen, ops = set(), []
    for entry in table:
        key = (entry["http"].upper(), entry["path"])
        if key in seen:
            continue
        seen.add(key)
        op = (doc["paths"].get(entry["path"]) or {}).get(entry["http"].lower())
        if op is None:
            raise SystemExit("gen_emulator_spec: %s %s is not in the OpenAPI document" % key)
        security = sorted({name for req in (op.get("security") or doc.get("security") or []) for name in req})
        params = [spec.deref(p) for p in (doc["paths"][entry["path"]].get("parameters") or [])
                  + (op.get("parameters") or [])]
        query = [[p["name"], spec.schema(p.get("schema") or {})] for p in params
                 if p.get("in") == "query" and p.get("required")]
        ops.append({"m": key[0], "p": key[1], "sec": security, "page": entry.get("pagination"),
                    "q": query, "req": _request(op, spec), "res": _response(op, spec)})
    ops.sort(key=lambda o: (o["p"], o["m"]))
    return {"ops": ops, "schemas": spec.components()}


def encode(data):
    text = json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0, filename="") as f:
        f.write(text)
    return buf.getvalue(), text


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--shared", default=DEFAULT_SHARED)
    args = ap.parse_args(argv)
    out = os.path.join(REPO_ROOT, OUTPUT)
    if not os.path.isdir(args.shared):
        print("gen_emulator_spec: %s absent: %s not checked" % (os.path.normpath(args.shared), OUTPUT))
        return 0
    data = build(args.shared)
    blob, text = encode(data)
    if args.check:
        try:
            with gzip.open(out, "rb") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != text:
            print("gen_emulator_spec: %s is stale; run python3 tools/gen_emulator_spec.py" % OUTPUT)
            return 1
        print("gen_emulator_spec: %s current (%d operations, %d schemas)" % (OUTPUT, len(data["ops"]),
                                                                            len(data["schemas"])))
        return 0
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "wb") as f:
        f.write(blob)
    print("wrote %s (%d operations, %d schemas, %d bytes, %d uncompressed)"
          % (OUTPUT, len(data["ops"]), len(data["schemas"]), len(blob), len(text)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
