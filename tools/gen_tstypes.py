"""TypeScript types from the types model (tools/types-model.json): bindings-node/types.d.ts, and the params and
result types of every method of bindings-node/resources.d.ts (tools/gen_node.py asks `prepare` for them).

What types.d.ts exports:
  - results under the official SDK's names, the very names of Python's `flarekit.types`: which operation returns
    which named type is read from gen_pytypes (through gen_python.prepare, which generate.py runs anyway), so the
    two languages cannot drift (`Zone`, `RecordResponse`, a page's item type as the official SDK names it);
  - one params type per operation that takes any, named as the official TypeScript SDK names them
    (`ZoneListParams`, `RecordCreateParams`; `<Parent>...Params` when the name is taken): path, query and header
    parameters and the body's fields under their wire names (the official TypeScript ones), each with its type,
    required as the spec says; a union body (DNS records) as an intersection with the union;
  - `<Thing><Method>Body` for a JSON body taken positionally (`cf.cloudConnector.rules.update(rules, ...)`).
Component schemas are private (hidden by `export {}`): `_ZonesZone` for results and, where a read-only or write-only
property makes them differ, `_ZonesZoneParam` for requests. An inline object met more than once (three members or
more) is declared once, privately, after its first place (`_AaaAuditLogsV2$Account`). Results leave out write-only
properties, params read-only ones; optional properties are `?:`, nullable ones `| null`, enums literal unions, maps
index signatures, a binary body `Uint8Array` (a Buffer), what the spec leaves open `unknown`, nothing returned `void`.
Declarations only: at run time a result is the decoded JSON, whatever its shape (extra fields, missing fields and
unknown enum values included). Standard library only; deterministic output.
"""

import ast
import re
from collections import Counter, defaultdict

import gen_python
import gen_pytypes
import gen_types

OUTPUT = "bindings-node/types.d.ts"
IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
# Names an exported type cannot take (TypeScript's own type names and reserved words).
TS_RESERVED = frozenset(
    "any unknown never object string number boolean bigint symbol undefined null void this true false "
    "break case catch class const continue debugger default delete do else enum export extends finally for "
    "function if import in instanceof new return super switch throw try typeof var while with yield let static "
    "implements interface package private protected public await type".split())

# Filled by the client's `accountId` option (or CLOUDFLARE_ACCOUNT_ID) when not given.
DEFAULTED = {"account_id"}
# `{accounts_or_zones}/{account_or_zone_id}` is filled from `account_id` or `zone_id`.
SCOPE_PARAMS = ("accounts_or_zones", "account_or_zone_id")
RAW_KINDS = {"OctetStream", "JavaScript", "TextPlain", "NdJson"}
FIELD_KINDS = {"Json", "MergePatchJson", "Multipart", "FormUrlEncoded"}
TRANSPORT_HEADERS = {"content-type", "content-length"}
# Imported from index.d.ts under names no schema takes.
UPLOADABLE, FILE_INPUT = "__Uploadable", "__FileInput"
SCALAR = "string | number | boolean"
FREE = "{ [key: string]: unknown }"
# An inline object type met more than once is declared apart when it has at least this many members (smaller
# ones stay inline, readable in tsc's messages).
HOIST_MIN = 3


def key(name):
    """A property name: bare when it is an identifier, else quoted."""
    return name if IDENT.match(name) else _str(name)


def _str(s):
    out = ["'"]
    for ch in s:
        if ch in "\\'":
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch in "\u2028\u2029":
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append("'")
    return "".join(out)


def lit_parts(values):
    """The literal types of an enum: `'a'`, `1`, `true`; both booleans are `boolean`."""
    parts = []
    bools = {v for v in values if isinstance(v, bool)}
    for v in values:
        if isinstance(v, bool):
            if len(bools) == 2:
                if "boolean" not in parts:
                    parts.append("boolean")
            else:
                parts.append("true" if v else "false")
        elif isinstance(v, str):
            parts.append(_str(v))
        elif isinstance(v, float) and v.is_integer():
            parts.append(str(int(v)))
        else:
            parts.append(repr(v))
    return list(dict.fromkeys(parts))


def _pascal(seg):
    return seg[:1].upper() + seg[1:]


def _neutral(schemas):
    """The components with no read-only or write-only property, themselves or in what they refer to: their result
    and request types are the same, declared once."""
    refs, flagged = {}, set()

    def walk(t, name):
        if isinstance(t, str):
            return
        if t[0] == "ref":
            refs[name].add(t[1])
        elif t[0] == "obj":
            for sub, flags in t[1].values():
                if "o" in flags or "w" in flags:
                    flagged.add(name)
                walk(sub, name)
        elif t[0] in ("list", "map", "union"):
            for x in t[1:]:
                walk(x, name)

    for name, t in schemas.items():
        refs[name] = set()
        walk(t, name)
    users = defaultdict(set)
    for name, targets in refs.items():
        for target in targets:
            users[target].add(name)
    tainted, stack = set(flagged), list(flagged)
    while stack:
        for user in users[stack.pop()]:
            if user not in tainted:
                tainted.add(user)
                stack.append(user)
    return set(schemas) - tainted


def _indent(text):
    return text.replace("\n", "\n  ")


class Emitter:
    def __init__(self, types, hoist=None):
        self.schemas = types["schemas"]
        self.ops = types["operations"]
        self.comp = {}  # (component, "r" | "p") -> private name
        self.want = []
        self.private = []  # [(name, declaration lines)]
        self.named = {}  # official result name -> signature
        self.result_blocks = []
        self.param_blocks = []
        self.used = set()  # every top-level name given out
        self.counts = Counter()
        self.neutral = _neutral(self.schemas)
        # Inline object types met more than once are declared once (`_ZonesZone$Meta`): `seen` counts them in a
        # first pass, `hoist` (the second pass) says which.
        self.seen = Counter()
        self.hoist = hoist
        self.hoisted = {}

    def unique(self, base):
        name, n = base, 2
        while name in self.used:
            name, n = "%s%d" % (base, n), n + 1
        self.used.add(name)
        return name

    def component(self, name, side):
        if side == "p" and name in self.neutral:
            side = "r"
        k = (name, side)
        if k not in self.comp:
            self.comp[k] = self.unique("_" + gen_pytypes.pascal(name) + ("Param" if side == "p" else ""))
            self.want.append(k)
        return self.comp[k]

    # -- type expressions (side "r": a result, "p": a request), multi-line ones unindented; `ctx` names the place
    # (`_ZonesZone$Meta`) for an inline object declared apart.

    def expr(self, t, side, ctx="_Item"):
        if isinstance(t, str):
            return {"str": "string", "int": "number", "float": "number", "bool": "boolean", "any": "unknown",
                    "null": "null"}[t]
        k = t[0]
        if k == "lit":
            return " | ".join(lit_parts(t[1:]))
        if k == "bytes":
            # A binary body: a Buffer at run time, declared as the Uint8Array it is (no need of @types/node).
            return "Uint8Array" if side == "r" else UPLOADABLE
        if k == "list":
            inner = self.expr(t[1], side, ctx)
            return ("(%s)[]" if self._compound(t[1]) else "%s[]") % inner
        if k == "map":
            return "{ [key: string]: %s }" % self.expr(t[1], side, ctx)
        if k == "ref":
            return self.component(t[1], side)
        if k == "union":
            return " | ".join(dict.fromkeys(self.expr(x, side, ctx) for x in t[1:]))
        if k == "obj":
            return self.obj(t[1], side, ctx)
        return "unknown"

    def _compound(self, t):
        if isinstance(t, list) and t[0] == "union":
            return True
        return isinstance(t, list) and t[0] == "lit" and len(lit_parts(t[1:])) > 1

    def props(self, props, side, ctx):
        """The member lines of an object type: write-only properties left out of results, read-only ones out of
        requests."""
        lines = []
        for name, (t, flags) in props.items():
            if ("w" if side == "r" else "o") in flags:
                continue
            lines.append("  %s%s: %s;" % (key(name), "" if "r" in flags else "?",
                                          _indent(self.expr(t, side, ctx + "$" + gen_pytypes.pascal(name)))))
        return lines

    def obj(self, props, side, ctx):
        lines = self.props(props, side, ctx)
        if not lines:
            return FREE
        text = "{\n%s\n}" % "\n".join(lines)
        k = (side, repr(props))  # the same in both passes (the text may hold names of objects declared apart)
        self.seen[k] += 1
        if self.hoist is None or k not in self.hoist or len(lines) < HOIST_MIN:
            return text
        if k not in self.hoisted:
            self.hoisted[k] = self.unique(ctx if ctx.startswith("_") else "_" + ctx)
            self.private.append((self.hoisted[k], ["interface %s %s" % (self.hoisted[k], text)]))
        return self.hoisted[k]

    def declare(self, name, t, side, export):
        """`interface name {...}` for an object, else `type name = ...`."""
        pre = "export " if export else ""
        if isinstance(t, list) and t[0] == "obj":
            lines = self.props(t[1], side, name)
            return ["%sinterface %s {" % (pre, name)] + lines + ["}"] if lines else [
                "%sinterface %s {" % (pre, name), "  [key: string]: unknown;", "}"]
        if isinstance(t, list) and t[0] == "ref" and self._is_obj(t):
            return ["%sinterface %s extends %s {}" % (pre, name, self.component(t[1], side))]
        return ["%stype %s = %s;" % (pre, name, self.expr(t, side, name))]

    def _is_obj(self, t):
        t = self.resolve(t)
        return isinstance(t, list) and t[0] == "obj"

    def drain(self):
        while self.want:
            name, side = self.want.pop(0)
            self.private.append((self.comp[(name, side)],
                                 self.declare(self.comp[(name, side)], self.schemas[name], side, False)))

    def resolve(self, t):
        seen = 0
        while isinstance(t, list) and t[0] == "ref" and seen < 32:
            t = self.schemas.get(t[1], "any")
            seen += 1
        return t

    def requires(self, t):
        """Whether every value of request type t is an object with a required field (so `{}` is no value of it)."""
        t = self.resolve(t)
        if isinstance(t, list) and t[0] == "obj":
            return any("r" in f and "o" not in f for _t, f in t[1].values())
        if isinstance(t, list) and t[0] == "union":
            return all(self.requires(x) for x in t[1:])
        return False

    # -- results

    def declare_result(self, name, t):
        """The exported declaration of a result type (once)."""
        if name not in self.named:
            self.named[name] = repr(t)
            self.used.add(name)
            self.result_blocks.append(self.declare(name, t, "r", True))
        return name

    def result(self, op, py_result, py_named):
        """The resolved value's type of an operation (a page's item type for list operations), under the name
        flarekit.types gives it: `py_result` is gen_pytypes' expression for it (`Zone`, `Zone | None`, `str`,
        `object`, `None`), `py_named` gen_pytypes' named types (name -> (repr of the type, ...))."""
        key_ = "%s.%s" % (op["resource"], op["method"])
        t = (self.ops.get(key_) or {}).get("result", "any")
        nullable = py_result.endswith(" | None")
        base = py_result[: -len(" | None")] if nullable else py_result
        if base == "None":
            return "void"
        if base in py_named and IDENT.match(base) and base not in TS_RESERVED:
            out = self.declare_result(base, ast.literal_eval(py_named[base][0]))
            return out + " | null" if nullable else out
        if base == "object":
            return "unknown"  # the spec says nothing of it
        # A type gen_pytypes writes out (str, bytes, a list of strings, literals): no object in it.
        if op["pagination"]:
            t = gen_types.page_item(self.schemas, t, op["pagination"], gen_types.items_key(self.schemas, op, t))
        if _has_obj(self, t):
            self.counts["results typed unknown (unnamed objects)"] += 1
            return "unknown"
        out = self.expr(t, "r", _ctx(op) + "$Result")
        return "%s | null" % out if nullable and out not in ("unknown", "null") else out


def _has_obj(em, t):
    """Whether type t has an object or a reference to one in it (it would need a name to be written out)."""
    if isinstance(t, str):
        return False
    if t[0] in ("obj", "ref"):
        return True
    return any(_has_obj(em, x) for x in t[1:] if isinstance(x, (list, str)))


def _returns_stem(op):
    r = (op.get("returns") or "").split("|")[0].strip()
    suffix = _pascal(op["method"]) + "Response"
    if r.endswith(suffix) and len(r) > len(suffix) and IDENT.match(r):
        return r[: -len(suffix)]
    if op["pagination"] and r:
        stem = gen_types.item_name(r, op["pagination"])
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]  # `RuleListResponsesSinglePage` -> `Rule`
        return stem if IDENT.match(stem or "") else None
    return None


def param_stems(ops):
    """resource -> the stem of its params types (`dns.records` -> `Record`): as the official names of its results
    spell it (`RecordDeleteResponse`), else its last segment in the singular."""
    seen = defaultdict(Counter)
    for op in ops:
        stem = _returns_stem(op)
        if stem:
            seen[op["resource"]][stem] += 1
    out = {}
    for op in ops:
        r = op["resource"]
        if r not in out:
            if seen[r]:
                out[r] = min(seen[r].items(), key=lambda kv: (-kv[1], kv[0]))[0]
            else:
                out[r] = gen_types.singular(gen_pytypes.pascal(r.split(".")[-1]))
    return out


LEAF = "\0leaf"


def _ctx(op):
    """Where an operation's inline types are (`_DnsRecordsCreate`), for the names of those declared apart."""
    return "_" + gen_pytypes.pascal(op["resource"]) + _pascal(op["method"])


class Params:
    """The fields of one operation's params object, then its declaration."""

    def __init__(self, em, op):
        self.em, self.op = em, op
        self.entry = em.ops.get("%s.%s" % (op["resource"], op["method"])) or {}
        self.types = self.entry.get("params") or {}
        self.fields = []  # (key, type, required)
        self.names = set()
        self.body = None  # a request type the params also are (a union body), else None
        self.free = False  # any other field is accepted (the spec does not say which)
        self.ctx = _ctx(op)

    def add(self, name, typ, required):
        if name in self.names:
            return False
        self.names.add(name)
        self.fields.append((name, typ, required))
        return True

    def model(self, where, name, fallback):
        t = self.types.get("%s:%s" % (where, name))
        if t is None:
            return fallback, False
        return self.em.expr(t[0], "p", self.ctx + "$" + gen_pytypes.pascal(name)), "r" in t[1]

    def build(self):
        op = self.op
        positional = set(op["positional"])
        path_params = [p for p in op["path_params"] if p not in positional]
        if all(p in op["path_params"] for p in SCOPE_PARAMS):
            self.add("account_id", "string", False)
            self.add("zone_id", "string", False)
            path_params = [p for p in path_params if p not in SCOPE_PARAMS]
        aliased = {target for _alias, target in op["aliases"]}
        renamed = {a[1]: a[0] for a in op["args"] if a[2] == "path"}
        for p in path_params:
            typ, _req = self.model("path", p, "string")
            self.add(renamed.get(p, p), typ, p not in DEFAULTED and p not in aliased)
        for alias, target in op["aliases"]:
            if target not in positional:
                self.add(alias, "string", False)
        self.query()
        for name, wire, loc in op["args"]:
            if loc == "header" and wire.lower() not in TRANSPORT_HEADERS:
                typ, _req = self.model("header", wire, "string")
                self.add(wire, typ, False)
        self.body_fields()
        return self

    def query(self):
        tree = {}
        for q in self.op["query"]:
            style = q["style"]
            fallback = SCALAR if style == "Scalar" else "%s | (%s)[]" % (SCALAR, SCALAR)
            typ, req = self.model("query", q["name"], fallback)
            node = tree
            for part in q["name"].split("."):
                node = node.setdefault(part, {})
            node.setdefault(LEAF, (typ, req and "." not in q["name"]))
        for name, node in tree.items():
            typ, req = self.render(node)
            self.add(name, typ, req)

    def render(self, node):
        """A query parameter with dotted names under it (`account.id`) as a nested object."""
        subs = [(k, self.render(v)) for k, v in node.items() if k != LEAF]
        obj = None
        if subs:
            obj = "{\n%s\n}" % "\n".join("  %s%s: %s;" % (key(k), "" if r else "?", _indent(t)) for k, (t, r) in subs)
        leaf = node.get(LEAF)
        if leaf and obj:
            return "%s | %s" % (leaf[0], obj), False
        if leaf:
            return leaf
        return obj, False

    def body_fields(self):
        op, em = self.op, self.em
        kinds = set(op["body"])
        if not kinds:
            return
        body_t = self.entry.get("body")
        takes_fields = bool(kinds & FIELD_KINDS)
        raw = kinds & RAW_KINDS
        if op["body_param"]:
            if op["body_param"] in op["positional"]:
                return
            parts = []
            if takes_fields and body_t is not None:
                parts.append(em.expr(body_t, "p", self.ctx + "$" + gen_pytypes.pascal(op["body_param"])))
            if raw:
                parts.append("string | %s" % UPLOADABLE)
            typ = " | ".join(dict.fromkeys(parts)) or "unknown"  # a JSON body the spec does not describe
            self.add(op["body_param"], typ, takes_fields and body_t is not None)
            return
        if not takes_fields:
            self.add("body", "string | %s" % UPLOADABLE, False)
            return
        if body_t is None or body_t == "any":
            return  # the spec gives the body no schema: no fields (as flarekit's Python stubs)
        values = self.em.resolve(body_t)
        if isinstance(values, list) and values[0] == "map":
            self.free = True  # fields of any name: `[field: string]: unknown`
            return
        variants = self.variants(body_t)
        if variants is None:
            self.free = True
            return
        if len(variants) == 1:
            t = variants[0]
            if isinstance(t, list) and t[0] == "ref" and not self.clashes(self.em.resolve(t)[1]):
                self.body = t  # an interface that extends the component
                return
            self.merge(self.em.resolve(t)[1])
            return
        self.body = ["union"] + variants

    def variants(self, t):
        """The object types (refs kept) a body may be; None when it may be something else (a list, a string)."""
        r = self.em.resolve(t)
        if isinstance(r, list) and r[0] == "obj":
            return [t]
        if isinstance(r, list) and r[0] == "union":
            out = []
            for x in r[1:]:
                if x == "null":
                    continue
                v = self.variants(x)
                if v is None:
                    return None
                out.extend(v)
            return out or None
        return None

    def taken(self):
        """Names a body field cannot have in the params: the fields so far, the path and query parameters (given
        by these names, the core takes them for those) but a positional path parameter the core knows a body field
        beside (`queue_id` of queues.update)."""
        op = self.op
        beside = {wire for _name, wire, loc in op["args"] if loc == "body"}
        out = set(self.names) | {q["name"].split(".")[0] for q in op["query"]}
        out |= {p for p in op["path_params"] if p not in op["positional"] or p not in beside}
        return out

    def clashes(self, props):
        files = set(self.op.get("files") or ())
        taken = self.taken()
        return any(n in taken or n in files for n in props)

    def merge(self, props):
        """The body's fields as params fields (under the official TypeScript names)."""
        op, em = self.op, self.em
        by_wire = {wire: name for name, wire, loc in op["args"] if loc == "body"}
        files = set(op.get("files") or ())
        taken = self.taken()
        for wire, (t, flags) in props.items():
            if "o" in flags:
                continue
            name = wire
            if name in taken:
                name = by_wire.get(wire, wire)  # `body_account_id`
                if name in taken:
                    continue
            if wire in files:
                single = "string | %s" % UPLOADABLE
                if isinstance(t, list) and t[0] == "list":
                    typ = "(%s | %s)[]" % (single, FILE_INPUT) if wire == "files" else "(%s)[]" % single
                else:
                    typ = single
            else:
                typ = em.expr(t, "p", self.ctx + "$" + gen_pytypes.pascal(wire))
            self.add(name, typ, "r" in flags)

    def required(self):
        return any(r for _n, _t, r in self.fields) or (self.body is not None and self.em.requires(self.body))

    def declare(self, name):
        lines = ["  %s%s: %s;" % (key(n), "" if r else "?", _indent(t)) for n, t, r in self.fields]
        if self.free:
            lines.append("  [field: string]: unknown;")
        if self.body is None:
            return ["export interface %s {" % name] + lines + ["}"]
        if self.body[0] == "ref":
            head = "export interface %s extends %s {" % (name, self.em.component(self.body[1], "p"))
            return [head] + lines + ["}"] if lines else [head + "}"]
        body = " | ".join(dict.fromkeys(self.em.expr(v, "p", self.ctx + "$Body") for v in self.body[1:]))
        if not lines:
            return ["export type %s = %s;" % (name, body)]
        return ["export type %s = {" % name] + lines + ["} & (%s);" % body]

    def empty(self):
        return not self.fields and not self.free and self.body is None


def _name(em, base, op):
    """`base`, or when taken, prefixed with the parent resource (`UserTokenCreateParams`), or numbered."""
    name = base
    if name in em.used:
        parent = op["resource"].rsplit(".", 1)[0] if "." in op["resource"] else ""
        name = gen_pytypes.pascal(parent) + base if parent else base
    return em.unique(name)


def prepare(model):
    """The types of every operation, computed once per model: {key: {"params": params type name or None,
    "required": whether the params object is, "result": the result (or page item) type, "body": the type name of
    a body taken positionally or None}}, and the emitter (for types.d.ts)."""
    if "_ts" not in model:
        first, _out = _build(model, None)
        model["_ts"] = _build(model, {k for k, n in first.seen.items() if n > 1})
    return model["_ts"]


def _build(model, hoist):
    em = Emitter(model["types"], hoist)
    ops = model["operations"]
    # The result names are flarekit.types' (gen_pytypes, through gen_python's cached emitter), by construction.
    py_em, py_results = gen_python.prepare(model)
    results = {}
    for op in ops:
        k = "%s.%s" % (op["resource"], op["method"])
        results[k] = em.result(op, py_results[k], py_em.named)
    stems = param_stems(ops)
    # Names are given out from the top of the tree down (`zones.get` gets `ZoneGetParams`, `dns.settings.zone.get`
    # `DnsSettingsZoneGetParams`); the declarations follow the operations' order.
    built, names = {}, {}
    for op in ops:
        k = "%s.%s" % (op["resource"], op["method"])
        built[k] = Params(em, op).build()
    for op in sorted(ops, key=lambda o: (o["resource"].count("."), o["resource"], o["method"])):
        k = "%s.%s" % (op["resource"], op["method"])
        stem = stems[op["resource"]] + _pascal(op["method"])
        body_t = (em.ops.get(k) or {}).get("body")
        if op["body_param"] in op["positional"] and body_t is not None and set(op["body"]) & FIELD_KINDS:
            names[k + "/body"] = _name(em, stem + "Body", op)
        if not built[k].empty():
            names[k] = _name(em, stem + "Params", op)
    out = {}
    for op in ops:
        k = "%s.%s" % (op["resource"], op["method"])
        p = built[k]
        entry = {"params": names.get(k), "required": False, "result": results[k], "body": names.get(k + "/body")}
        if entry["body"]:
            body = em.expr(em.ops[k]["body"], "p", _ctx(op) + "$Body")
            em.param_blocks.append(["export type %s = %s;" % (entry["body"], body)])
        if p.empty():
            em.counts["no params"] += 1
        else:
            entry["required"] = p.required()
            em.param_blocks.append(p.declare(entry["params"]))
            if p.free:
                em.counts["open params"] += 1
        out[k] = entry
    em.drain()
    return em, out


HEADER = [
    "// @generated by tools/gen_tstypes.py (via tools/generate.py) from tools/types-model.json \u2014 do not edit.",
    "// The API's types for the type checker only: at run time a result is the decoded JSON, whatever its shape.",
    "// Results take the official SDK's names (as flarekit.types in Python); params are named <Thing><Method>Params.",
    "",
    "import type { FileInput as %s, Uploadable as %s } from './index';" % (FILE_INPUT, UPLOADABLE),
    "",
]


def emit_types(model):
    """bindings-node/types.d.ts."""
    em, _ops = prepare(model)
    out = list(HEADER)
    out.append("// Results (%d)." % len(em.result_blocks))
    out.append("")
    for block in em.result_blocks:
        out.extend(block)
    out.append("")
    out.append("// Params (%d)." % len(em.param_blocks))
    out.append("")
    for block in em.param_blocks:
        out.extend(block)
    out.append("")
    out.append("// Component schemas (%d), not exported." % len(em.private))
    out.append("")
    for _name, block in sorted(em.private):
        out.extend(block)
    out.append("")
    out.append("export {};")
    out.append("")
    return "\n".join(out)
