'use strict'
// Resource objects (`cf.dns.records`) built lazily from the core's operation table: one shared prototype per
// resource path, with getters for sub-resources and one function per method. Arguments are translated
// (positional ids, params, files, raw bodies); the core fills paths and splits query from body.

const { native } = require('./native.js')

const CLIENT = Symbol('flarekit.client')
const PATH = Symbol('flarekit.path')

/**
 * One operation of the table, as `operationTable()` rows give it.
 * @typedef {object} Op
 * @property {string} resource
 * @property {string} method
 * @property {string[]} positional
 * @property {string | null} pagination
 * @property {string} verb
 * @property {string | null} bodyParam
 */
/** @typedef {{ path: string, children: Map<string, TreeNode>, methods: Map<string, Op> }} TreeNode */
/** What resource objects call: the client's `[CALL]`. @typedef {{ [CALL](op: Op, args: unknown[]): unknown }} Caller */
/** A `cf.<path>` object. @typedef {Resource & { [CLIENT]: Caller, [PATH]: string }} ResourceObject */
/** A Blob, or a File (which has a name). @typedef {Blob & { name?: string }} NamedBlob */

/** @type {TreeNode | undefined} */
let root

/**
 * The resource tree: node = { path, children: Map<name, node>, methods: Map<name, op> }.
 * @returns {TreeNode}
 */
function tree() {
  if (root !== undefined) return root
  root = { path: '', children: new Map(), methods: new Map() }
  for (const [resource, method, positional, pagination, verb, bodyParam] of JSON.parse(native().operationTable())) {
    let node = root
    for (const seg of resource.split('.')) {
      let next = node.children.get(seg)
      if (next === undefined) {
        next = { path: node.path ? `${node.path}.${seg}` : seg, children: new Map(), methods: new Map() }
        node.children.set(seg, next)
      }
      node = next
    }
    node.methods.set(method, { resource, method, positional, pagination, verb, bodyParam })
  }
  return root
}

/** @type {Map<string, Resource>} */
const prototypes = new Map()

/**
 * The shared prototype of every `cf.<path>` object.
 * @param {TreeNode} node
 * @returns {Resource}
 */
function prototypeOf(node) {
  let proto = prototypes.get(node.path)
  if (proto !== undefined) return proto
  proto = /** @type {Resource} */ (Object.create(Resource.prototype))
  for (const [name, child] of node.children) {
    Object.defineProperty(proto, name, {
      configurable: true,
      enumerable: false,
      /** @this {ResourceObject} */
      get() {
        const obj = makeResource(this[CLIENT], child)
        Object.defineProperty(this, name, { value: obj, enumerable: false, configurable: true })
        return obj
      },
    })
  }
  for (const [name, op] of node.methods) {
    // A method wins over a sub-resource of the same name (the official SDKs never have both).
    const fn = {
      /**
       * @this {ResourceObject}
       * @param {...unknown} args
       */
      [name](...args) {
        return this[CLIENT][CALL](op, args)
      },
    }[name]
    Object.defineProperty(proto, name, { value: fn, configurable: true, enumerable: false, writable: true })
  }
  prototypes.set(node.path, proto)
  return proto
}

/** Base class of resource objects (for `instanceof` and inspection). */
class Resource {
  /** @this {ResourceObject} */
  toJSON() {
    return { resource: this[PATH] }
  }
  /** @this {ResourceObject} */
  [Symbol.for('nodejs.util.inspect.custom')]() {
    const node = find(this[PATH])
    return `Resource(${this[PATH]}) { ${[...node.children.keys(), ...[...node.methods.keys()].map((m) => m + '()')].join(', ')} }`
  }
}

/**
 * The node of a resource path that exists.
 * @param {string} path
 * @returns {TreeNode}
 */
function find(path) {
  let node = tree()
  for (const seg of path.split('.')) node = /** @type {TreeNode} */ (node.children.get(seg))
  return node
}

/**
 * @param {Caller} client
 * @param {TreeNode} node
 * @returns {ResourceObject}
 */
function makeResource(client, node) {
  const obj = Object.create(prototypeOf(node))
  Object.defineProperty(obj, CLIENT, { value: client })
  Object.defineProperty(obj, PATH, { value: node.path })
  return obj
}

const CALL = Symbol('flarekit.call')

/** Install a getter per top-level resource on the client class (once, on first construction). */
let installed = false
/** @param {{ prototype: Caller }} cls the client class */
function installResources(cls) {
  if (installed) return
  installed = true
  for (const [name, child] of tree().children) {
    if (Object.prototype.hasOwnProperty.call(cls.prototype, name)) continue
    Object.defineProperty(cls.prototype, name, {
      configurable: true,
      enumerable: false,
      /** @this {Caller} */
      get() {
        const obj = makeResource(this, child)
        Object.defineProperty(this, name, { value: obj, enumerable: false, configurable: true })
        return obj
      },
    })
  }
}

// ------------------------------------------------------------------ argument translation

/**
 * @param {unknown} v
 * @returns {v is NamedBlob}
 */
function isBlob(v) {
  return typeof Blob !== 'undefined' && v instanceof Blob
}

/**
 * @param {unknown} v
 * @returns {v is NamedBlob | ArrayBuffer | ArrayBufferView}
 */
function isBinary(v) {
  return v instanceof Uint8Array || v instanceof ArrayBuffer || ArrayBuffer.isView(v) || isBlob(v)
}

/**
 * @param {unknown} v
 * @returns {v is Record<string, unknown>}
 */
function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isBinary(v)
}

/**
 * Binary content or text as a Buffer (anything else as its JSON).
 * @param {unknown} v
 * @returns {Promise<Buffer>}
 */
async function toBuffer(v) {
  if (typeof v === 'string') return Buffer.from(v, 'utf8')
  if (Buffer.isBuffer(v)) return v
  if (v instanceof ArrayBuffer) return Buffer.from(v)
  if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength)
  if (isBlob(v)) return Buffer.from(await v.arrayBuffer())
  return Buffer.from(JSON.stringify(v), 'utf8')
}

/**
 * Split `(positional..., params?, options?)` the way the official SDKs take them.
 * @param {Op} op
 * @param {unknown[]} args
 * @returns {{ positional: unknown[], params: Record<string, unknown>, options: { signal?: AbortSignal } }}
 */
function splitArgs(op, args) {
  const positional = []
  let i = 0
  // Every leading non-object argument is positional; the core says when there are too many.
  while (i < args.length && args[i] !== undefined && args[i] !== null && !isPlainObject(args[i])) {
    positional.push(args[i++])
  }
  // args[i] stopped the loop: absent, or a plain object.
  const params = args[i] == null ? {} : /** @type {Record<string, unknown>} */ (args[i])
  const options = /** @type {{ signal?: AbortSignal }} */ (args[i + 1] ?? {})
  return { positional, params, options }
}

/**
 * A file value as the official TypeScript SDK takes it: a File or Blob, a Buffer, an ArrayBuffer or a typed array.
 * @param {unknown} v
 * @param {string[]} at
 * @param {boolean} list
 * @param {number} [positional]
 * @returns {Promise<import('../binding.js').FileArg>}
 */
async function fileArg(v, at, list, positional) {
  const name = isBlob(v) && v.name ? v.name : undefined
  const contentType = isBlob(v) && v.type ? v.type : undefined
  return { at, positional, list, filename: name, contentType, data: await toBuffer(v) }
}

/**
 * Take the binary values out of the arguments (they cannot travel as JSON): each becomes a file argument that
 * says where it was (`['value']`, `['file', 'files']`, or a positional index, which leaves `null` in its place). The core
 * decides whether it is the raw body or a multipart part, and the part's name. A value that held only files
 * (`file: { files: [...] }`) is not sent as well. Text-only `files` entries stay in the params.
 * @param {Op} op
 * @param {unknown[]} positional
 * @param {Record<string, unknown>} params
 * @returns {Promise<{ positional: unknown[], params: Record<string, unknown>, files: import('../binding.js').FileArg[] }>}
 */
async function binaryParts(op, positional, params) {
  /** @type {import('../binding.js').FileArg[]} */
  const files = []
  if (positional.some(isBinary)) {
    positional = await Promise.all(
      positional.map(async (v, i) => {
        if (!isBinary(v)) return v
        files.push(await fileArg(v, [], false, i))
        return null
      }),
    )
  }
  const DROP = Symbol('drop')
  /**
   * @param {unknown} v
   * @param {string[]} at
   * @param {number} depth
   * @returns {Promise<unknown>}
   */
  const split = async (v, at, depth) => {
    if (isBinary(v)) {
      files.push(await fileArg(v, at, false))
      return DROP
    }
    if (Array.isArray(v)) {
      if (v.length === 0 || !v.every(isBinary)) return v
      for (const x of v) files.push(await fileArg(x, at, true))
      return DROP
    }
    if (depth < 4 && isPlainObject(v)) {
      /** @type {Record<string, unknown> | undefined} */
      let copy
      for (const [k, x] of Object.entries(v)) {
        const before = files.length
        const kept = await split(x, [...at, k], depth + 1)
        if (files.length !== before) {
          copy ??= { ...v }
          if (kept === DROP) delete copy[k]
          else copy[k] = kept
        }
      }
      if (copy) return Object.keys(copy).length === 0 ? DROP : copy
    }
    return v
  }
  /** @type {Record<string, unknown> | undefined} */
  let rest
  for (const [k, v] of Object.entries(params)) {
    if (k === 'files' && Array.isArray(v) && v.some((f) => f && !isBinary(f) && typeof f === 'object' && isBinary(f.content))) {
      rest ??= { ...params }
      delete rest[k]
      let i = 0
      for (const f of v) files.push(await filesEntry(f, i++))
      continue
    }
    if (v === null || typeof v !== 'object') continue
    const before = files.length
    const kept = await split(v, [k], 0)
    if (files.length !== before) {
      rest ??= { ...params }
      if (kept === DROP) delete rest[k]
      else rest[k] = kept
    }
  }
  return { positional, params: rest ?? params, files }
}

/**
 * A `files` entry written `{ name, content, content_type? }` with binary content (flarekit's own form).
 * @param {unknown} f
 * @param {number} i
 * @returns {Promise<import('../binding.js').FileArg>}
 */
async function filesEntry(f, i) {
  const { InvalidArgumentError } = require('./errors.js')
  if (isBinary(f)) return fileArg(f, ['files'], true)
  const e = /** @type {{ name?: unknown, content?: unknown, content_type?: string, contentType?: string, type?: string }} */ (f)
  if (e && typeof e === 'object' && typeof e.name === 'string' && e.content !== undefined) {
    const ct = e.content_type ?? e.contentType ?? e.type ?? (isBlob(e.content) && e.content.type ? e.content.type : undefined)
    return { at: ['files'], list: true, filename: e.name, contentType: ct, data: await toBuffer(e.content) }
  }
  throw new InvalidArgumentError(`files[${i}] needs a name: pass a File, or { name, content }`)
}

module.exports = { tree, installResources, splitArgs, binaryParts, isBinary, isPlainObject, toBuffer, CALL, Resource }
