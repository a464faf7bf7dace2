"""Every operation of the table answers through the emulator, and every answer validates against the API's own
response schema, checked by an independent JSON Schema validator (`jsonschema`, Draft 4 after turning OpenAPI
3.0's `nullable` into a null alternative).

Each operation is called once, as raw HTTP on one keep-alive connection with the admin token, on the seeded state
(reloaded before each write): path ids are the demo seed's where the emulator keeps state (zone, account, DNS
record, token, ...) and a 32-hex id elsewhere; the JSON body is the one the emulator's `GET /__emulator/operations`
builds from the request schema (the emulator validates it like any other body). The schemas come from
`../shared/cloudflare-api/openapi.structure.json.gz` when present (the source), else from the emulator's own
`emulator/spec/api.json.gz`.
"""

from __future__ import annotations

import gzip
import http.client
import json
import re
import time
import urllib.parse
from pathlib import Path
from typing import Any

import jsonschema
from flarekit import _native

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "cloudflare-api" / "openapi.structure.json.gz"
OWN = ROOT / "emulator" / "spec" / "api.json.gz"
JSON_TYPES = ("application/json", "application/scim+json", "application/merge-patch+json")
OTHER_ID = "023e105f4ecef8ad9ca31a8372d0c353"
TYPES = {"object", "array", "string", "integer", "number", "boolean", "null"}


def draft4(s: Any) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema Draft 4: `nullable: true` becomes `anyOf: [schema, null]`."""
    if isinstance(s, list):
        return [draft4(x) for x in s]
    if not isinstance(s, dict):
        return s
    out = {k: draft4(v) for k, v in s.items() if k not in ("nullable", "example", "examples", "discriminator")}
    if isinstance(out.get("type"), str) and out["type"] not in TYPES:
        del out["type"]  # a few schemas say `type: unknown`, which constrains nothing
    if s.get("nullable") is True:
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return {"anyOf": [out, {"type": "null"}]}
    return out


def shape(path: str) -> str:
    """The path with its placeholders unnamed (the table renames a few: `{member_account_id}`)."""
    return re.sub(r"\{[^}]*\}", "{}", path)


class Schemas:
    """The 2xx response schema of each (method, path), with the component schemas to resolve `$ref`s in, and the
    required query parameters (name, schema) of each."""

    def __init__(self) -> None:
        self.by_op: dict[tuple[str, str], tuple[int, str | None, Any]] = {}
        self.query: dict[tuple[str, str], list[tuple[str, Any]]] = {}
        if SHARED.exists():
            self.source = str(SHARED.relative_to(ROOT.parent))
            doc = json.loads(gzip.decompress(SHARED.read_bytes()))
            self.components = {"schemas": draft4(doc["components"]["schemas"])}
            for path, item in doc["paths"].items():
                for method, op in item.items():
                    if isinstance(op, dict) and "responses" in op:
                        key = (method.upper(), shape(path))
                        self.by_op[key] = self._response(doc, op["responses"])
                        declared = (item.get("parameters") or []) + (op.get("parameters") or [])
                        params = [self._deref(doc, p) for p in declared]
                        self.query[key] = [
                            (p["name"], p.get("schema") or {})
                            for p in params
                            if p.get("in") == "query" and p.get("required")
                        ]
        else:
            self.source = str(OWN.relative_to(ROOT))
            data = json.loads(gzip.decompress(OWN.read_bytes()))
            self.components = {"schemas": draft4(self._refs(data["schemas"]))}
            for op in data["ops"]:
                res = op["res"]
                key = (op["m"], shape(op["p"]))
                self.by_op[key] = (res["status"], res["ct"], draft4(self._refs(res["schema"])))
                self.query[key] = [(name, schema) for name, schema in op.get("q") or []]

    @staticmethod
    def _refs(s: Any) -> Any:
        """The emulator data's `{"$ref": "Name"}` as `#/components/schemas/Name`."""
        if isinstance(s, list):
            return [Schemas._refs(x) for x in s]
        if not isinstance(s, dict):
            return s
        if "$ref" in s:
            return {**s, "$ref": "#/components/schemas/" + s["$ref"]}
        return {
            k: (Schemas._refs(v) if k != "properties" else {p: Schemas._refs(x) for p, x in v.items()})
            for k, v in s.items()
        }

    @staticmethod
    def _deref(doc: dict[str, Any], o: Any) -> Any:
        while isinstance(o, dict) and "$ref" in o and not o["$ref"].startswith("#/components/schemas/"):
            node: Any = doc
            for part in o["$ref"].lstrip("#/").split("/"):
                node = node[part]
            o = node
        return o

    @staticmethod
    def _response(doc: dict[str, Any], responses: dict[str, Any]) -> tuple[int, str | None, Any]:
        def deref(o: Any) -> Any:
            return Schemas._deref(doc, o)

        for status in ("200", "201", "202", "204", *sorted(k for k in responses if k.startswith("2"))):
            if status in responses:
                content = deref(responses[status]).get("content") or {}
                ct = next((c for c in JSON_TYPES if c in content), None) or next(iter(sorted(content)), None)
                schema = content[ct].get("schema") if ct else None
                return int(status), ct, draft4(schema) if schema is not None else None
        return 200, None, None


def fill(path: str, seeded: dict[str, Any]) -> str:
    """The path with the demo seed's ids (by the literal segment before each parameter, then by name)."""
    segs = path.split("/")
    out = []
    for i, s in enumerate(segs):
        m = re.fullmatch(r"\{(.+)\}", s)
        if not m:
            out.append(s)
            continue
        before = segs[i - 1] if i else ""
        value = seeded.get("after:" + before) or seeded.get(m.group(1)) or OTHER_ID
        out.append(urllib.parse.quote(value, safe=""))
    return "/".join(out)


ZONE = "822a5cb2e31326eb7856208ac716c8cd"
ACCOUNT = "d213db106595949fb4bb9e86844c4400"
DNS_WRITE = "dbe7589dc33d827c135931b17957d999"
# The demo seed's ids, where the emulator keeps state, by the literal segment before the parameter.
SEEDED = {
    "after:zones": ZONE,
    "after:accounts": ACCOUNT,
    "after:dns_records": "265018b6a889e8333bd74adabb1f543f",
    "after:tokens": "6942b2b1569606adfb46d2d34a1eb9aa",
    "after:scripts": "hello-world",
    "after:projects": "demo-site",
}
TOKEN_BODY = {
    "name": "every operation",
    "policies": [
        {
            "effect": "allow",
            "resources": {"com.cloudflare.api.account.zone." + ZONE: "*"},
            "permission_groups": [{"id": DNS_WRITE}],
        }
    ],
}
BOUNDARY = "flarekit-every-operation"
SCRIPT_UPLOAD = (
    f'--{BOUNDARY}\r\ncontent-disposition: form-data; name="metadata"\r\ncontent-type: application/json\r\n\r\n'
    '{"main_module": "worker.js"}\r\n'
    f'--{BOUNDARY}\r\ncontent-disposition: form-data; name="worker.js"; filename="worker.js"\r\n'
    "content-type: application/javascript+module\r\n\r\n"
    f"export default {{ fetch() {{ return new Response('hi') }} }}\r\n--{BOUNDARY}--\r\n"
).encode()


def query_value(name: str, schema: Any) -> str:
    if name == "zone_id":
        return ZONE
    if "example" in schema:
        v = schema["example"]
        return json.dumps(v) if isinstance(v, (dict, list)) else str(v).lower() if isinstance(v, bool) else str(v)
    if schema.get("enum"):
        return str(schema["enum"][0])
    return {"integer": "1", "number": "1", "boolean": "true"}.get(schema.get("type", ""), "example")


class Wire:
    """One keep-alive connection to the emulator."""

    def __init__(self, base_url: str) -> None:
        u = urllib.parse.urlsplit(base_url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)

    def send(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
        self.conn.request(method, path, body=body, headers=headers or {})
        r = self.conn.getresponse()
        return r.status, r.getheader("content-type") or "", r.read()

    def json(self, method: str, path: str, body: Any, auth: dict[str, str]) -> Any:
        st, _, raw = self.send(method, path, json.dumps(body).encode(), {**auth, "content-type": "application/json"})
        assert 200 <= st < 300, (method, path, st, raw[:300])
        return json.loads(raw)["result"]


def prepare(wire: Wire, method: str, template: str, auth: dict[str, str]) -> dict[str, Any]:
    """What a stateful operation needs beyond the seed: a resource to act on, or a body its handler accepts."""
    out: dict[str, Any] = {}
    if template in (
        "/user/tokens",
        "/user/tokens/{token_id}",
        "/accounts/{account_id}/tokens",
        "/accounts/{account_id}/tokens/{token_id}",
    ) and method in ("POST", "PUT"):
        out["body"] = TOKEN_BODY
    if template.startswith("/accounts/{account_id}/tokens/{token_id}"):
        out["after:tokens"] = wire.json("POST", "/client/v4/accounts/%s/tokens" % ACCOUNT, TOKEN_BODY, auth)["id"]
    if template == "/zones" and method == "POST":
        out["body"] = {"name": "every-operation.example", "account": {"id": ACCOUNT}, "type": "full"}
    if template.startswith("/certificates/{"):
        cert = {
            "hostnames": ["example.com"],
            "request_type": "origin-rsa",
            "requested_validity": 7,
            "csr": "-----BEGIN CERTIFICATE REQUEST-----\nMIICxzCCAa8CAQAwSDELMAkGA1UEBhMCVVMx\n"
            "-----END CERTIFICATE REQUEST-----",
        }
        out["after:certificates"] = wire.json("POST", "/client/v4/certificates", cert, auth)["id"]
    kv = "/accounts/{account_id}/storage/kv/namespaces/{namespace_id}"
    if template.startswith(kv):
        ns = wire.json("POST", "/client/v4/accounts/%s/storage/kv/namespaces" % ACCOUNT, {"title": "every"}, auth)
        out["after:namespaces"] = ns["id"]
        if "/values/{key_name}" in template and method != "PUT":
            path = "/client/v4/accounts/%s/storage/kv/namespaces/%s/values/k1" % (ACCOUNT, ns["id"])
            assert wire.send("PUT", path, b"v1", {**auth, "content-type": "application/octet-stream"})[0] == 200
        out["after:values"] = out["after:metadata"] = "k1"
    if template.startswith("/accounts/{account_id}/r2/buckets/{bucket_name}"):
        wire.json("POST", "/client/v4/accounts/%s/r2/buckets" % ACCOUNT, {"name": "every-bucket"}, auth)
        out["after:buckets"] = "every-bucket"
    if template.startswith("/accounts/{account_id}/members/{member_id}"):
        member = {"email": "every@example.com", "roles": ["3536bcfad5faccb999b47003c79917fb"]}
        out["after:members"] = wire.json("POST", "/client/v4/accounts/%s/members" % ACCOUNT, member, auth)["id"]
    if template == "/accounts/{account_id}/pages/projects" and method == "POST":
        out["body"] = {"name": "every-project", "production_branch": "main"}
    if template.startswith("/accounts/{account_id}/workers/scripts/{script_name}") and method in ("PUT", "DELETE"):
        st, _, raw = wire.send(
            "PUT",
            "/client/v4/accounts/%s/workers/scripts/hello-world" % ACCOUNT,
            SCRIPT_UPLOAD,
            {**auth, "content-type": "multipart/form-data; boundary=" + BOUNDARY},
        )
        assert st == 200, raw[:300]
        if method == "PUT" and template.endswith("{script_name}"):
            out["raw"] = (SCRIPT_UPLOAD, "multipart/form-data; boundary=" + BOUNDARY)
    return out


def test_every_operation_answers_with_a_spec_valid_response(emulator: Any) -> None:
    schemas = Schemas()
    wire = Wire(emulator.base_url)
    status, _, raw = wire.send("GET", "/__emulator/operations")
    assert status == 200
    catalog = {(o["method"], shape(o["path"])): o for o in json.loads(raw)["operations"]}
    auth = {"authorization": "Bearer " + emulator.tokens["Admin: everything"]}
    problems: list[str] = []
    validated = non_json = 0
    started = time.monotonic()
    dirty = False
    n = _native.operation_count()
    for i in range(n):
        info = _native.operation_info(i)
        method, template = info["verb"], info["path"]
        key = (method, shape(template))
        where = "%s %s (%s)" % (method, template, info["resource"] + "." + info["method"])
        entry = catalog.get(key)
        if entry is None or key not in schemas.by_op:
            problems.append("%s: not in the emulator's operations or the spec" % where)
            continue
        stateful = (
            "/certificates/{",
            "/accounts/{account_id}/tokens/{",
            "/accounts/{account_id}/storage/kv/",
            "/accounts/{account_id}/r2/buckets/",
            "/accounts/{account_id}/members/",
        )
        if dirty or method != "GET" or template.startswith(stateful):
            reset = wire.send("POST", "/__emulator/reset", b'{"state": true}', {"content-type": "application/json"})
            assert reset[0] == 200
        dirty = method != "GET"
        extra = prepare(wire, method, template, auth)
        headers = dict(auth)
        body = None
        if "raw" in extra:
            body, headers["content-type"] = extra["raw"]
        elif extra.get("body") is not None or entry["request_body"] is not None:
            body = json.dumps(extra.get("body", entry["request_body"])).encode()
            headers["content-type"] = entry["request_content_type"]
        path = "/client/v4" + fill(template, {**SEEDED, **extra})
        query = [(name, query_value(name, sch)) for name, sch in schemas.query.get(key, [])]
        if query:
            path += "?" + urllib.parse.urlencode(query)
        st, ct, raw = wire.send(method, path, body, headers)
        _, want_ct, schema = schemas.by_op[key]
        if not 200 <= st < 300:
            problems.append("%s: %d %s" % (where, st, raw[:300].decode("utf-8", "replace")))
            continue
        if want_ct is None or "json" not in want_ct:
            non_json += 1
            if want_ct and st != 204 and not ct.startswith(want_ct.split(";")[0].replace("*", "")):
                problems.append("%s: content type %s, the spec says %s" % (where, ct, want_ct))
            continue
        try:
            doc = json.loads(raw)
        except ValueError as e:
            problems.append("%s: not JSON: %s" % (where, e))
            continue
        if schema is not None:
            v = jsonschema.Draft4Validator({**schema, "components": schemas.components})
            err = next(iter(v.iter_errors(doc)), None)
            if err is not None:
                problems.append("%s: %s at %s" % (where, err.message[:300], "/".join(map(str, err.absolute_path))))
                continue
        validated += 1
    wire.conn.close()
    elapsed = time.monotonic() - started
    print(
        "\nevery operation: %d of %d answered and valid against %s (%d JSON validated, %d non-JSON by content "
        "type) in %.1f s" % (n - len(problems), n, schemas.source, validated, non_json, elapsed)
    )
    assert not problems, "%d operations failed:\n%s" % (len(problems), "\n".join(problems[:100]))
