// The Node front door: calls the official `cloudflare` npm package and flarekit with the same arguments.
//
// Run by ../run.py. The method list comes from the official client object at run time (every own property that
// is an APIResource, every function on its prototype chain); the arguments come from the official package's own
// declarations (.d.ts), read with the TypeScript compiler API: the positional path parameters and one params
// object with every property of the method's params type (nested objects: their required properties). One JSON
// line per method; ../run.py compares.
//
// node calls.mjs --server URL --flarekit-path DIR --out FILE [--only PREFIX]... [--sample N] [--seed S]

import { createRequire } from 'node:module'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import http from 'node:http'
import ts from 'typescript'

const require = createRequire(import.meta.url)
const ID = '023e105f4ecef8ad9ca31a8372d0c353'
const FILE_TEXT = 'hello, differential'
const MAX_DEPTH = 5
const TIMEOUT_MS = 10000

function parseArgs(argv) {
  const opts = { only: [], sample: 0, seed: 13, args: 'all' }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const v = () => argv[++i]
    if (a === '--server') opts.server = v()
    else if (a === '--flarekit-path') opts.flarekitPath = v()
    else if (a === '--out') opts.out = v()
    else if (a === '--only') opts.only.push(v())
    else if (a === '--sample') opts.sample = Number(v())
    else if (a === '--seed') opts.seed = Number(v())
    else if (a === '--args') opts.args = v()
    else throw new Error(`unknown argument ${a}`)
  }
  return opts
}

function drain(server) {
  const url = new URL(server.split('/client/v4')[0] + '/__diff/drain')
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())))
    })
    req.on('error', reject)
  })
}

// -- the official client's methods, at run time

function officialMethods(client, APIResource) {
  const out = []
  const walk = (obj, prefix) => {
    for (const key of Object.keys(obj).sort()) {
      if (key.startsWith('_')) continue
      const child = obj[key]
      if (child instanceof APIResource) walk(child, [...prefix, key])
    }
    if (!prefix.length) return
    const names = new Set()
    for (let p = Object.getPrototypeOf(obj); p && p !== APIResource.prototype; p = Object.getPrototypeOf(p)) {
      for (const name of Object.getOwnPropertyNames(p)) {
        if (name === 'constructor' || name.startsWith('_')) continue
        if (typeof Object.getOwnPropertyDescriptor(p, name).value === 'function') names.add(name)
      }
    }
    for (const name of [...names].sort()) out.push([...prefix, name].join('.'))
  }
  walk(client, [])
  return out
}

// -- the declarations

class Declarations {
  constructor(pkgDir) {
    const entry = path.join(pkgDir, 'client.d.ts')
    this.program = ts.createProgram([entry], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, noEmit: true, types: [] })
    this.checker = this.program.getTypeChecker()
    const sf = this.program.getSourceFile(entry)
    let decl
    const visit = (n) => {
      if (ts.isClassDeclaration(n) && n.name?.text === 'Cloudflare') decl = n
      else ts.forEachChild(n, visit)
    }
    visit(sf)
    if (!decl) throw new Error('class Cloudflare not found in client.d.ts')
    this.decl = decl
    this.root = this.checker.getTypeAtLocation(decl)
  }

  /** The call signature of a method path, or an error string. */
  signature(dotted) {
    const parts = dotted.split('.')
    let type = this.root
    for (const [i, name] of parts.entries()) {
      const sym = this.checker.getPropertyOfType(type, name)
      if (!sym) return `no declaration for ${parts.slice(0, i + 1).join('.')}`
      type = this.checker.getTypeOfSymbolAtLocation(sym, this.decl)
    }
    const sigs = type.getCallSignatures()
    if (!sigs.length) return `${dotted} is not a method in the declarations`
    // Overloads: the one with the most parameters besides the request options (the params variant).
    const count = (s) => s.getParameters().filter((p) => p.name !== 'options').length
    return [...sigs].sort((a, b) => count(b) - count(a))[0]
  }
}

// -- values from types

class ArgMaker {
  constructor(checker, includeOptional) {
    this.c = checker
    this.includeOptional = includeOptional
  }

  arguments(sig) {
    const args = []
    for (const p of sig.getParameters()) {
      if (p.name === 'options') continue
      const decl = p.valueDeclaration
      const type = this.c.getTypeOfSymbolAtLocation(p, decl)
      const optional = !!(decl && (decl.questionToken || decl.initializer))
      const isString = this.nonNull(type).every((t) => t.flags & ts.TypeFlags.StringLike)
      if (isString) {
        args.push(ID)
      } else {
        if (optional && !this.includeOptional) continue
        args.push(this.value(type, p.name, 0, [], decl?.type, true))
      }
    }
    return args
  }

  nonNull(type) {
    const members = type.isUnion() ? type.types : [type]
    return members.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)))
  }

  isUploadable(type) {
    const alias = type.aliasSymbol?.name
    if (alias === 'Uploadable' || alias === 'BlobLike' || alias === 'FileLike') return true
    // The global File or Blob (lib.dom, @types/node), not an SDK interface that happens to be named File.
    const sym = type.getSymbol()
    if (sym?.name !== 'File' && sym?.name !== 'Blob') return false
    return (sym.declarations ?? []).some((d) => !d.getSourceFile().fileName.includes('/node_modules/cloudflare/'))
  }

  /** A value of a type; `node` is the declaration's type node when there is one (for declaration order). */
  value(type, name, depth, stack, node, top = false) {
    const c = this.c
    const F = ts.TypeFlags
    if (this.isUploadable(type)) return makeFile()
    if (type.flags & (F.Any | F.Unknown)) return { key: 'value' }
    if (type.flags & F.StringLiteral) return type.value
    if (type.flags & F.NumberLiteral) return type.value
    if (type.flags & F.BooleanLiteral) return type.intrinsicName === 'true'
    if (type.flags & F.TemplateLiteral) return `${name}-x`
    if (type.flags & F.String) return isPathLike(name) ? ID : `${name || 'value'}-x`.slice(0, 24)
    if (type.flags & F.Number) return 1
    if (type.flags & (F.Boolean)) return true
    if (type.flags & F.BigInt) return 1
    if (type.flags & (F.Undefined | F.Null | F.Void)) return undefined
    if (type.isUnion()) {
      let members = this.nonNull(type)
      if (members.some((t) => this.isUploadable(t))) return makeFile()
      if (members.length && members.every((t) => t.flags & F.BooleanLiteral)) return true
      const unionNode = node && unwrapNode(node)
      if (unionNode && ts.isUnionTypeNode(unionNode)) {
        const first = unionNode.types.find((n) => !isNullNode(n))
        if (first) return this.value(c.getTypeFromTypeNode(first), name, depth, stack, first, top)
      }
      if (!members.length) return undefined
      return this.value(members[0], name, depth, stack, undefined, top)
    }
    if (type.isIntersection()) return this.object(type, name, depth, stack, top)
    if (c.isArrayType(type) || c.isTupleType(type)) {
      const [elem] = c.getTypeArguments(type)
      const elemNode = node && unwrapNode(node)
      const en = elemNode && ts.isArrayTypeNode(elemNode) ? elemNode.elementType : undefined
      return [this.value(elem ?? c.getStringType(), name, depth + 1, stack, en)]
    }
    if (type.flags & F.Object) return this.object(type, name, depth, stack, top)
    throw new Error(`no value for type ${c.typeToString(type)} (${name})`)
  }

  object(type, name, depth, stack, top) {
    const c = this.c
    if (depth >= MAX_DEPTH || stack.includes(type)) return {}
    const props = c.getPropertiesOfType(type)
    if (!props.length) {
      const index = c.getIndexTypeOfType(type, ts.IndexKind.String)
      if (index) return { key: this.value(index, 'key', depth + 1, [...stack, type]) }
      return {}
    }
    const out = {}
    for (const p of props) {
      const optional = (p.flags & ts.SymbolFlags.Optional) !== 0
      if (optional && !(top && this.includeOptional)) continue
      const decl = p.valueDeclaration ?? p.declarations?.[0]
      const ptype = c.getTypeOfSymbol(p)
      const v = this.value(ptype, p.name, depth + 1, [...stack, type], decl?.type)
      if (v !== undefined) out[p.name] = v
    }
    return out
  }
}

function unwrapNode(node) {
  while (node && ts.isParenthesizedTypeNode(node)) node = node.type
  return node
}

function isNullNode(n) {
  return (
    n.kind === ts.SyntaxKind.UndefinedKeyword ||
    n.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isLiteralTypeNode(n) && n.literal.kind === ts.SyntaxKind.NullKeyword)
  )
}

function isPathLike(name) {
  return name === 'id' || /_id$|Id$|_identifier$|_tag$/.test(name)
}

function makeFile() {
  return new File([FILE_TEXT], 'file.txt', { type: 'text/plain' })
}

/** Arguments for the report: files as a marker. */
function jsonable(v) {
  if (v instanceof Blob) return `<file ${v.name ?? ''} ${v.size} bytes ${v.type}>`
  if (Array.isArray(v)) return v.map(jsonable)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonable(x)]))
  return v
}

function resolve(root, dotted) {
  const parts = dotted.split('.')
  let obj = root
  let owner = root
  for (const part of parts) {
    owner = obj
    obj = obj?.[part]
    if (obj === undefined || obj === null) return { missing: `${dotted}: no ${part} on ${parts.slice(0, parts.indexOf(part)).join('.') || 'the client'}` }
  }
  if (typeof obj !== 'function') return { missing: `${dotted} is not a function` }
  return { fn: obj, owner }
}

async function invoke(server, thunk) {
  const out = {}
  try {
    await thunk()
  } catch (e) {
    out.error = `${e?.constructor?.name ?? 'Error'}: ${e?.message ?? e}`.slice(0, 600)
  }
  out.requests = await drain(server)
  return out
}

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const pkgDir = path.dirname(require.resolve('cloudflare'))
  const Official = require('cloudflare').default
  const { APIResource } = require('cloudflare/core/resource')
  const Flarekit = require(opts.flarekitPath)
  const FlarekitClient = Flarekit.default ?? Flarekit.Cloudflare ?? Flarekit

  const official = new Official({ apiToken: 'differential-token', baseURL: opts.server, maxRetries: 0, timeout: TIMEOUT_MS })
  // One request per call, as the official client makes: no page fetched ahead, and no client-side budget (some 2,700
  // calls in a few minutes; the recording server does not rate limit).
  const fk = new FlarekitClient({
    apiToken: 'differential-token',
    baseURL: opts.server,
    maxRetries: 0,
    timeout: TIMEOUT_MS,
    env: {},
    rateLimit: 0,
    pagePrefetch: 0,
  })

  let methods = officialMethods(official, APIResource)
  if (opts.only.length) methods = methods.filter((m) => opts.only.some((p) => m.startsWith(p)))
  if (opts.sample && opts.sample < methods.length) {
    const rand = mulberry32(opts.seed)
    const pool = [...methods]
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1))
      ;[pool[i], pool[j]] = [pool[j], pool[i]]
    }
    methods = pool.slice(0, opts.sample).sort()
  }
  const t0 = Date.now()
  const decls = new Declarations(pkgDir)
  const maker = new ArgMaker(decls.checker, opts.args === 'all')
  const lines = []
  await drain(opts.server)
  for (const dotted of methods) {
    const rec = { path: dotted }
    lines.push(rec)
    const sig = decls.signature(dotted)
    if (typeof sig === 'string') {
      rec.skipped = sig
      continue
    }
    let args
    try {
      args = maker.arguments(sig)
    } catch (e) {
      rec.skipped = `no argument set: ${e.message}`
      continue
    }
    rec.args = jsonable(args)
    const off = resolve(official, dotted)
    rec.official = await invoke(opts.server, () => off.fn.apply(off.owner, args))
    const both = rec.official.requests.length ? null : /cannot provide both `?(\w+)`? and `?(\w+)`?/.exec(rec.official.error ?? '')
    let dropped
    const params = args.find((a) => a && typeof a === 'object' && !(a instanceof Blob))
    if (both && params && both[2] in params) {
      // Mutually exclusive options (account_id or zone_id): every optional property was given, so keep the first.
      dropped = both[2]
      delete params[dropped]
      rec.args = jsonable(args)
      rec.dropped = dropped
      rec.official = await invoke(opts.server, () => off.fn.apply(off.owner, args))
    }
    const mine = resolve(fk, dotted)
    if (mine.missing) {
      rec.flarekit = { missing: mine.missing }
      continue
    }
    const args2 = maker.arguments(sig) // a fresh, equal set
    if (dropped) for (const a of args2) if (a && typeof a === 'object') delete a[dropped]
    rec.flarekit = await invoke(opts.server, () => mine.fn.apply(mine.owner, args2))
  }
  writeFileSync(opts.out, lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
  process.stderr.write(`node: ${methods.length} methods in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
