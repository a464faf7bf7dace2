'use strict'
// flarekit/testing: a local Cloudflare API v4 (the `flarekit-emulator` crate, linked into the addon) started in this
// process, for your tests: credentials, a ready client, fault injection, the request log and the audit log. Faults,
// the log and reset go through the emulator's admin API (emulator/README.md). `require('flarekit')` does not load
// this file.

const { readFileSync } = require('node:fs')
const { inspect } = require('node:util')
const { Cloudflare } = require('./index.js')
const { native } = require('./js/native.js')
const { APIConnectionError, InvalidArgumentError, fromNative } = require('./js/errors.js')

/** The demo seed's token with every permission; `emu.client()` uses it when the seed has it. */
const ADMIN_TOKEN_NAME = 'Admin: everything'
// Sent by the helper's own API requests (`auditLog()`), so `requests()` can leave them out.
const INTERNAL_HEADER = 'x-flarekit-testing'
const CREDENTIAL_OPTIONS = ['apiToken', 'apiKey', 'apiEmail', 'userServiceKey']
// The only environment variable `emu.client()` reads unless given `env`: the machine's credentials, base URL or
// account id never leak into a test.
const ENV_PASSED = ['CLOUDFLARE_LOG']
// Node 20 already defines it (as Symbol.for('nodejs.asyncDispose')); older runtimes get the same registered symbol.
const asyncDispose = /** @type {typeof Symbol.asyncDispose} */ (Symbol.asyncDispose ?? Symbol.for('nodejs.asyncDispose'))
const TOKEN = Symbol('flarekit.testing.Emulator')

/** @typedef {import('./testing.js').EmulatorOptions} EmulatorOptions */
/** @typedef {import('./testing.js').FaultOptions} FaultOptions */
/** @typedef {import('./testing.js').FaultRule} FaultRule */
/** @typedef {import('./testing.js').LoggedRequest} LoggedRequest */
/** @typedef {import('./testing.js').RequestFilter} RequestFilter */
/** @typedef {import('./testing.js').AuditLogOptions} AuditLogOptions */
/** @typedef {import('./testing.js').AuditLogEntry} AuditLogEntry */
/** @typedef {import('./testing.js').Seed} Seed */
/** @typedef {import('./index.js').ClientOptions} ClientOptions */
/** @typedef {import('./binding.js').NativeEmulator} NativeEmulator */

/**
 * The seed as JSON text for the native layer: an object, JSON text, or a path / `file:` URL of a JSON file.
 * @param {EmulatorOptions['seed']} seed
 * @returns {string | undefined}
 */
function seedJson(seed) {
  if (seed === undefined || seed === null) return undefined
  if (typeof seed === 'string') return seed.trimStart().startsWith('{') ? seed : readFileSync(seed, 'utf8')
  if (seed instanceof URL) return readFileSync(seed, 'utf8')
  if (typeof seed === 'object' && !Array.isArray(seed)) return JSON.stringify(seed)
  throw new InvalidArgumentError(`seed must be an object, JSON text, or a path or file: URL of a JSON file, not ${typeof seed}`)
}

/**
 * @param {string} [value]
 * @returns {string}
 */
function upper(value) {
  return value === undefined ? '*' : String(value).toUpperCase()
}

/**
 * Starts the native emulator, turning its errors into flarekit's classes.
 * @param {string | undefined} json
 * @param {string | undefined} host
 * @param {number | undefined} port
 * @param {number | undefined} latency milliseconds
 * @param {boolean | undefined} tls
 * @returns {NativeEmulator}
 */
function startNative(json, host, port, latency, tls) {
  try {
    return native().startEmulator(json, host, port, latency, tls)
  } catch (e) {
    throw fromNative(e)
  }
}

/**
 * One admin API call over a fresh loopback connection (no keep-alive, so nothing holds the event loop open).
 * @param {string} adminURL
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @param {string} [ca] the CA to trust (PEM), with TLS
 * @returns {Promise<any>}
 */
function admin(adminURL, method, path, body, ca) {
  const http = adminURL.startsWith('https:') ? require('node:https') : require('node:http')
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
  /** @type {Record<string, string | number>} */
  const headers = data ? { 'content-type': 'application/json', 'content-length': data.length } : {}
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(adminURL + path), { method, headers, agent: false, ca }, (res) => {
      /** @type {Buffer[]} */
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('error', reject)
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let value = null
        try {
          value = text ? JSON.parse(text) : null
        } catch {
          value = text
        }
        const status = res.statusCode ?? 0
        if (status >= 400) {
          const reason = value && typeof value === 'object' && 'error' in value ? String(value.error) : `${status} ${text}`
          reject(new InvalidArgumentError(reason))
        } else {
          resolve(value)
        }
      })
    })
    req.on('error', (e) => reject(new APIConnectionError(`emulator admin API ${method} ${path}: ${e.message}`)))
    req.end(data)
  })
}

/**
 * A local Cloudflare API v4 running in this process: `const emu = await Emulator.start()`, then `emu.client()`,
 * `emu.fault(...)`, `await emu.requests()`, `await emu.auditLog()`, `await emu.reset()`, `await emu.stop()` (or
 * `await using emu = await Emulator.start()`). Each instance has its own in-memory state.
 */
class Emulator {
  /** @type {NativeEmulator} */
  #native
  /** @type {Seed} */
  #seed
  /** @type {string} */
  #basePath
  /** @type {Cloudflare | undefined} */
  #helper
  /** @type {string | undefined} */
  #caPath

  /**
   * Use `Emulator.start()`.
   * @param {symbol} token
   * @param {NativeEmulator} nativeEmulator
   */
  constructor(token, nativeEmulator) {
    if (token !== TOKEN) throw new TypeError('use `await Emulator.start(options)` to start an emulator')
    this.#native = nativeEmulator
    this.#seed = JSON.parse(nativeEmulator.seedJson)
    const origin = nativeEmulator.adminURL.slice(0, -'/__emulator'.length)
    this.#basePath = nativeEmulator.baseURL.slice(origin.length) // /client/v4
  }

  /**
   * Starts an emulator on `host` (default 127.0.0.1) and `port` (default 0: a free one) from `seed` (default: the
   * demo seed). A seed the emulator refuses rejects with `InvalidArgumentError` saying what is wrong; an address it
   * cannot bind, with `APIConnectionError`.
   * @param {EmulatorOptions} [options]
   * @returns {Promise<Emulator>}
   */
  static async start(options = {}) {
    const { seed, host, port, latency, tls } = options ?? {}
    const emu = new Emulator(
      TOKEN,
      startNative(seedJson(seed), host ?? undefined, port ?? undefined, latency ?? undefined, tls ?? undefined),
    )
    const pem = emu.#native.caPem
    if (pem) {
      const { mkdtempSync, writeFileSync } = require('node:fs')
      const { join } = require('node:path')
      const dir = mkdtempSync(join(require('node:os').tmpdir(), 'flarekit-emulator-'))
      emu.#caPath = join(dir, 'ca.pem')
      writeFileSync(emu.#caPath, pem)
    }
    return emu
  }

  /** With `tls: true`, a PEM file holding the CA of the server's certificate (a client's `caBundle`). */
  get caPath() {
    return this.#caPath
  }

  /** Connections accepted so far (HTTP/2 carries many calls on one). */
  get connections() {
    return Number(this.#native.connections)
  }

  /**
   * Delays every API response by `ms` milliseconds from now on.
   * @param {number} ms
   * @returns {Promise<void>}
   */
  async setLatency(ms) {
    await this.#admin('POST', '/latency', { ms })
  }

  /** The API base URL, `http://127.0.0.1:PORT/client/v4`: a client's `baseURL`. */
  get baseURL() {
    return this.#native.baseURL
  }

  /** The admin API, `http://127.0.0.1:PORT/__emulator`. */
  get adminURL() {
    return this.#native.adminURL
  }

  /** Whether it is serving (false after `stop()`). */
  get running() {
    return this.#native.running
  }

  /** The seed it started from (a copy): `user`, `accounts`, `zones`, `tokens`... @returns {Seed} */
  get seed() {
    return JSON.parse(this.#native.seedJson)
  }

  /** The seeded API tokens, name → value (`emu.tokens['DNS edit: example.com']` with the demo seed). */
  get tokens() {
    /** @type {Record<string, string>} */
    const out = {}
    for (const t of this.#seed.tokens ?? []) out[t.name] = t.value
    return out
  }

  /** The user's global API key (goes with `apiEmail`). */
  get apiKey() {
    return this.#seed.user.api_key
  }

  /** The user's email, sent with the global API key. */
  get apiEmail() {
    return this.#seed.user.email
  }

  /** The user's Origin CA service key (only `/certificates` accepts it), if the seed has one. */
  get userServiceKey() {
    return this.#seed.user.user_service_key ?? undefined
  }

  /** The seeded user's id. */
  get userId() {
    return this.#seed.user.id
  }

  /** The seeded accounts, name → id. */
  get accounts() {
    /** @type {Record<string, string>} */
    const out = {}
    for (const a of this.#seed.accounts ?? []) out[a.name] = a.id
    return out
  }

  /** The first seeded account's id ("Demo Account" with the demo seed); throws if the seed has none. */
  get accountId() {
    const first = this.#seed.accounts?.[0]
    if (!first) throw new Error('the seed has no accounts')
    return first.id
  }

  /** The seeded zones, name → id (zones created since are not listed: ask the API). */
  get zones() {
    /** @type {Record<string, string>} */
    const out = {}
    for (const z of this.#seed.zones ?? []) out[z.name] = z.id
    return out
  }

  /** The first seeded zone's id (`example.com` with the demo seed); throws if the seed has none. */
  get zoneId() {
    const first = this.#seed.zones?.[0]
    if (!first) throw new Error('the seed has no zones')
    return first.id
  }

  /**
   * A `Cloudflare` client for this emulator. Without a credential option it uses the seed's "Admin: everything"
   * token (the demo seed has one), else the global API key with its email; any credential option replaces that.
   * Unless `env` is given, the environment's `CLOUDFLARE_*` variables are ignored, except `CLOUDFLARE_LOG`.
   * @param {ClientOptions} [options]
   * @returns {Cloudflare}
   */
  client(options = {}) {
    this.#checkRunning()
    /** @type {Record<string, unknown>} */
    const given = { ...(options ?? {}) }
    /** @type {Record<string, unknown>} */
    const opts = { baseURL: this.baseURL }
    if (this.#caPath !== undefined) opts.caBundle = this.#caPath
    if (!CREDENTIAL_OPTIONS.some((k) => given[k] !== undefined && given[k] !== null)) {
      const admin = this.tokens[ADMIN_TOKEN_NAME]
      if (admin !== undefined) opts.apiToken = admin
      else Object.assign(opts, { apiKey: this.apiKey, apiEmail: this.apiEmail })
    }
    if (given.env === undefined || given.env === null) {
      /** @type {Record<string, string>} */
      const env = {}
      for (const k of ENV_PASSED) if (process.env[k] !== undefined) env[k] = /** @type {string} */ (process.env[k])
      opts.env = env
    }
    for (const [k, v] of Object.entries(given)) if ((v !== undefined && v !== null) || !(k in opts)) opts[k] = v
    return new Cloudflare(/** @type {ClientOptions} */ (opts))
  }

  /**
   * Makes the next `times` requests matching `method` and `path` fail; resolves to the queued rule. `path` is
   * relative to the base URL (`'/zones*'`; a trailing `*` makes it a prefix; `'*'`, the default, matches every
   * request) or a full path (`'/client/v4/zones'`). `emu.fault(429, { headers: { 'retry-after': '1' } })` is
   * `emu.fault({ status: 429, headers: ... })`. See `FaultOptions` for the fault kinds.
   * @param {number | FaultOptions} [statusOrOptions]
   * @param {FaultOptions} [options]
   * @returns {Promise<FaultRule>}
   */
  async fault(statusOrOptions, options) {
    /** @type {FaultOptions} */
    const o = typeof statusOrOptions === 'number' ? { ...(options ?? {}), status: statusOrOptions } : { ...(statusOrOptions ?? {}) }
    /** @type {Record<string, unknown>} */
    const fault = {}
    if (o.status !== undefined) fault.status = o.status
    if (o.headers) fault.headers = { ...o.headers }
    if (o.body instanceof Uint8Array || o.body instanceof ArrayBuffer) fault.body_hex = Buffer.from(/** @type {Uint8Array} */ (o.body)).toString('hex')
    else if (o.body !== undefined) fault.body = o.body
    if (o.delay !== undefined) fault.delay_ms = Math.max(0, Math.round(o.delay))
    if (o.drop !== undefined) fault.drop = o.drop === 'beforeHeaders' ? 'before_headers' : o.drop === 'afterHeaders' ? 'after_headers' : o.drop
    if (o.truncateBody) fault.truncate_body = true
    if (o.html) fault.html = true
    if (o.successFalse) fault.success_false = true
    if (o.invalidUtf8) fault.invalid_utf8 = true
    if (o.bodyBytes !== undefined) fault.body_bytes = o.bodyBytes
    const rule = { method: upper(o.method), path: this.#path(o.path ?? '*'), times: o.times ?? 1, fault }
    return (await this.#admin('POST', '/faults', rule)).queued
  }

  /**
   * The fault rules still pending, with their remaining `times`.
   * @returns {Promise<FaultRule[]>}
   */
  async faults() {
    return (await this.#admin('GET', '/faults')).faults
  }

  /** Drops every pending fault rule. @returns {Promise<void>} */
  async clearFaults() {
    await this.#admin('DELETE', '/faults')
  }

  /**
   * The requests served so far, oldest first (the last 100,000); `path` (as in `fault`) and `method` filter them.
   * Credentials are masked (`***`). The helper's own requests (`auditLog()`) are left out.
   * @param {RequestFilter} [filter]
   * @returns {Promise<LoggedRequest[]>}
   */
  async requests(filter = {}) {
    const { path, method } = filter ?? {}
    const query = path === undefined ? '' : `?path=${encodeURIComponent(this.#path(path))}`
    /** @type {LoggedRequest[]} */
    const all = (await this.#admin('GET', `/requests${query}`)).requests
    const want = method === undefined ? undefined : method.toUpperCase()
    return all.filter((r) => !(INTERNAL_HEADER in (r.headers ?? {})) && (want === undefined || r.method === want))
  }

  /** Empties the request log. @returns {Promise<void>} */
  async clearRequests() {
    await this.#admin('DELETE', '/requests')
  }

  /**
   * The audit log of `accountId` (default: `emu.accountId`), newest first: `action.type` (`add`, `update`,
   * `delete`, `roll`), `actor` (`id`: the token id, or the user id for the global key), `resource` (`type`, `id`),
   * `when`. Other keys are the API's filters, as the official SDK spells them (`action: { type: 'add' }`,
   * `actor: { email }`, `zone: { name }`, `since`, `before`, `direction`). It is an API request with the global
   * key: not in `requests()`, but a pending fault that matches it applies to it.
   * @param {AuditLogOptions} [options]
   * @returns {Promise<AuditLogEntry[]>}
   */
  async auditLog(options = {}) {
    this.#checkRunning()
    const { accountId, ...filters } = options ?? {}
    const helper = (this.#helper ??= new Cloudflare({
      apiKey: this.apiKey,
      apiEmail: this.apiEmail,
      baseURL: this.baseURL,
      maxRetries: 0,
      env: {},
      defaultHeaders: { [INTERNAL_HEADER]: 'audit_log' },
    }))
    const params = { per_page: 1000, ...filters, account_id: accountId ?? this.accountId }
    /** @type {AuditLogEntry[]} */
    const out = []
    for await (const entry of /** @type {AsyncIterable<AuditLogEntry>} */ (helper.auditLogs.list(params))) out.push(entry)
    return out
  }

  /**
   * Back to the start: the seeded state, no pending fault, an empty request log and audit log. `{ state: false }`
   * keeps the state and only clears faults and the request log.
   * @param {{ state?: boolean }} [options]
   * @returns {Promise<void>}
   */
  async reset(options = {}) {
    await this.#admin('POST', '/reset', { state: options?.state ?? true })
  }

  /**
   * Stops serving: in-flight requests finish (up to 5 s), then the port is released. Idempotent.
   * @returns {Promise<void>}
   */
  async stop() {
    this.#helper = undefined
    await this.#native.stop()
    if (this.#caPath !== undefined) {
      require('node:fs').rmSync(require('node:path').dirname(this.#caPath), { recursive: true, force: true })
      this.#caPath = undefined
    }
  }

  /** `await using emu = await Emulator.start()` stops it at the end of the block. @returns {Promise<void>} */
  [asyncDispose]() {
    return this.stop()
  }

  [inspect.custom]() {
    return `Emulator { baseURL: '${this.baseURL}', running: ${this.running} }`
  }

  #checkRunning() {
    if (!this.#native.running) throw new Error('this Emulator is stopped')
  }

  /**
   * A path as the admin API takes it: relative ones are under the base URL's path.
   * @param {string} path
   * @returns {string}
   */
  #path(path) {
    if (path === '*' || path === '/*') return '/*'
    const p = path.startsWith('/') ? path : `/${path}`
    if (p === this.#basePath || p.startsWith(`${this.#basePath}/`) || p.startsWith('/__emulator/')) return p
    return this.#basePath + p
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @returns {Promise<any>}
   */
  #admin(method, path, body) {
    if (!this.#native.running) return Promise.reject(new Error('this Emulator is stopped'))
    return admin(this.adminURL, method, path, body, this.#native.caPem ?? undefined)
  }
}

/**
 * The built-in demo seed as an object (record ids filled in): a starting point for a custom seed.
 * @returns {Promise<Seed>}
 */
async function demoSeed() {
  const emu = startNative(undefined, undefined, undefined, undefined, undefined)
  try {
    return JSON.parse(emu.seedJson)
  } finally {
    await emu.stop()
  }
}

module.exports = { Emulator, demoSeed, ADMIN_TOKEN_NAME }
