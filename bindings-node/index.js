'use strict'
// flarekit for Node: a Cloudflare API v4 client. The Rust core decides every behaviour; this file translates
// options, arguments, results and errors, and builds the resource objects.

const { inspect } = require('node:util')
const errors = require('./js/errors.js')
const { native, resultOf, jsonOf } = require('./js/native.js')
const { Page, PagePromise, settle, listCall } = require('./js/pagination.js')
const { encodeOptions } = require('./js/options.js')
const { Secret, Tokens } = require('./js/tokens.js')
const { installResources, splitArgs, binaryParts, isBinary, toBuffer, CALL, Resource } = require('./js/resources.js')

const { InvalidArgumentError, fromNative } = errors

const RUNTIME = `node ${process.versions.node}`
const LEVELS = new Set(['debug', 'info', 'warn', 'error'])

/**
 * A `logger` option: an object with methods per level (or `log`), or a function of `(level, message, fields)`.
 * @typedef {((level: string, message: string, fields: unknown) => void) | Console | { [method: string]: unknown }} LoggerLike
 */
/** @typedef {import('./js/resources.js').Op} Op */
/** @typedef {import('./index.js').GenericOptions} GenericOptions */
/** @typedef {import('./binding.js').NativeCall} NativeCall */
/** @typedef {import('./binding.js').NativePager} NativePager */

/**
 * The function native code calls with each log event: `logger[level]('flarekit: <message>', fields)`.
 * @param {LoggerLike} logger
 * @returns {(event: import('./binding.js').LogEvent) => void}
 */
function logSink(logger) {
  return (event) => {
    try {
      const level = LEVELS.has(event.level) ? event.level : 'info'
      if (typeof logger === 'function') {
        logger(level, `flarekit: ${event.message}`, event.fields)
        return
      }
      const methods = /** @type {{ [method: string]: unknown }} */ (logger)
      const fn = typeof methods[level] === 'function' ? methods[level] : methods.log
      if (typeof fn === 'function') fn.call(logger, `flarekit: ${event.message}`, event.fields)
    } catch {
      // A failing logger must not break the call that logged.
    }
  }
}

const FROM_NATIVE = Symbol('flarekit.fromNative')

/**
 * The `logger` option, if one can be read (the core checks it; an unreadable options object is refused there).
 * @param {unknown} options
 * @returns {LoggerLike | undefined}
 */
function loggerOf(options) {
  try {
    return /** @type {{ logger?: LoggerLike } | null | undefined} */ (options)?.logger ?? undefined
  } catch {
    return undefined
  }
}

/**
 * A Cloudflare API v4 client.
 *
 * ```js
 * const cf = new Cloudflare({ apiToken: process.env.CLOUDFLARE_API_TOKEN })
 * for await (const zone of cf.zones.list()) console.log(zone.name)
 * ```
 */
class Cloudflare {
  #native
  #logger

  /**
   * @param {import('./index.js').ClientOptions | { native: import('./binding.js').NativeClient, logger: LoggerLike }} [options]
   * @param {symbol} [internal]
   */
  constructor(options = {}, internal = undefined) {
    // A variant made by withOptions: the second argument is the module's private token, never a user value.
    if (internal === FROM_NATIVE) {
      const made = /** @type {{ native: import('./binding.js').NativeClient, logger: LoggerLike }} */ (options)
      this.#native = made.native
      this.#logger = made.logger
    } else {
      // Every option goes to the core as given: it decides defaults, ranges and messages (docs/options.md).
      const encoded = encodeOptions(options)
      const logger = loggerOf(options) ?? console
      try {
        this.#native = new (native().NativeClient)(encoded, RUNTIME, logSink(logger))
      } catch (e) {
        throw fromNative(e)
      }
      this.#logger = logger
    }
    installResources(Cloudflare)
  }

  /**
   * Least-privilege API tokens: `create` (by permission and zone/account names, IP-filtered, expiring; `dryRun`),
   * `verify`, `whoami`, `roll`, `revoke`, `list`, `expiring`, `permissionGroups`.
   */
  get tokens() {
    return new Tokens(this.#native)
  }

  /** Which credential is in use and where it came from; for a token its id, status, validity and owner. */
  whoami() {
    return new Tokens(this.#native).whoami()
  }

  /** Which auth scheme is used and where it came from, e.g. `apiToken from CLOUDFLARE_API_TOKEN`. Never the value. */
  get auth() {
    return this.#native.auth
  }

  /** The base URL requests go to. */
  get baseURL() {
    return this.#native.effectiveOptions().baseURL
  }

  /** The default account id (option `accountId` or `CLOUDFLARE_ACCOUNT_ID`). */
  get accountId() {
    return this.#native.effectiveOptions().accountId ?? undefined
  }

  /** Retries after the first attempt. */
  get maxRetries() {
    return this.#native.effectiveOptions().maxRetries
  }

  /** Per-attempt timeout in milliseconds. */
  get timeout() {
    return this.#native.effectiveOptions().timeout
  }

  /** `off`, `error`, `warn`, `info` or `debug` (option `logLevel` or `CLOUDFLARE_LOG`). */
  get logLevel() {
    return this.#native.effectiveOptions().logLevel
  }

  /** Headers sent with every request (a new object; names lower-case). */
  get defaultHeaders() {
    return this.#native.effectiveOptions().defaultHeaders
  }

  /**
   * A new client with some options changed (the environment is not read again): credential options replace the
   * client's credentials as a set, `defaultHeaders` merge by name (`null` removes one), `setDefaultHeaders`
   * replaces them all, anything not given is kept.
   */
  withOptions(options = {}) {
    const encoded = encodeOptions(options)
    const logger = loggerOf(options) ?? this.#logger
    let client
    try {
      client = this.#native.withOptions(encoded, logSink(logger))
    } catch (e) {
      throw fromNative(e)
    }
    return new Cloudflare({ native: client, logger }, FROM_NATIVE)
  }

  /**
   * `GET path` (relative to the base URL); resolves to the envelope's `result`.
   * @param {string} path
   * @param {GenericOptions} [options]
   */
  get(path, options = {}) {
    return this.#generic('GET', path, options)
  }
  /**
   * `POST path` with `{ body }`.
   * @param {string} path
   * @param {GenericOptions} [options]
   */
  post(path, options = {}) {
    return this.#generic('POST', path, options)
  }
  /**
   * `PUT path` with `{ body }`.
   * @param {string} path
   * @param {GenericOptions} [options]
   */
  put(path, options = {}) {
    return this.#generic('PUT', path, options)
  }
  /**
   * `PATCH path` with `{ body }`.
   * @param {string} path
   * @param {GenericOptions} [options]
   */
  patch(path, options = {}) {
    return this.#generic('PATCH', path, options)
  }
  /**
   * `DELETE path`.
   * @param {string} path
   * @param {GenericOptions} [options]
   */
  delete(path, options = {}) {
    return this.#generic('DELETE', path, options)
  }

  /**
   * Any request under the base URL; resolves to the whole decoded response:
   * `{ status, result, result_info, messages, headers }`. `get`/`post`/... resolve to just the `result`.
   * @param {string} method
   * @param {string} path
   * @param {GenericOptions} [options]
   */
  request(method, path, options = {}) {
    return this.#generic(String(method).toUpperCase(), path, options, true)
  }

  /**
   * @param {string} verb
   * @param {string} path checked here too, for callers without types
   * @param {GenericOptions | undefined | null} options
   * @param {boolean} [full] resolve to the whole response, not just `result`
   */
  async #generic(verb, path, options, full = false) {
    const { query, body, signal } = options ?? {}
    if (typeof path !== 'string') throw new InvalidArgumentError(`path must be a string such as "/zones", got ${typeof path}`)
    let raw
    let bodyJson
    let contentType
    if (body !== undefined && body !== null) {
      if (isBinary(body) || typeof body === 'string') {
        raw = await toBuffer(body)
        contentType = options?.contentType ?? (typeof body === 'string' ? 'text/plain' : (/** @type {{ type?: string }} */ (body).type || undefined))
      } else {
        bodyJson = jsonOf(body, 'body')
      }
    }
    let call
    try {
      call = this.#native.generic(verb, path, query == null ? undefined : jsonOf(query, 'query'), bodyJson, raw, contentType)
    } catch (e) {
      throw fromNative(e)
    }
    const out = await settle(call, signal, () => call.send(full))
    if (!full) return resultOf(out)
    /** @type {Record<string, string>} */
    const headers = {}
    for (const [k, v] of out.headers ?? []) headers[k] = k in headers ? `${headers[k]}, ${v}` : v
    return {
      status: out.status,
      result: resultOf(out),
      result_info: out.resultInfoJson == null ? undefined : JSON.parse(out.resultInfoJson),
      messages: out.messagesJson == null ? [] : JSON.parse(out.messagesJson),
      headers,
    }
  }

  /**
   * Call an operation by name: `cf.operation('dns.records', 'create', { zone_id, ... })` is
   * `cf.dns.records.create({ zone_id, ... })`. Python spellings resolve too.
   * @param {string} resource
   * @param {string} method
   * @param {...unknown} args
   */
  operation(resource, method, ...args) {
    let op
    try {
      const [r, m, positional, pagination, verb, bodyParam] = JSON.parse(native().lookupOperation(String(resource), String(method)))
      op = { resource: r, method: m, positional, pagination, verb, bodyParam }
    } catch (e) {
      const err = fromNative(e)
      return new PagePromise(() => Promise.reject(err))
    }
    return this[CALL](op, args)
  }

  /**
   * Call one operation of the table (used by the resource objects).
   * @param {Op} op
   * @param {unknown[]} args
   */
  [CALL](op, args) {
    const { positional, params, options } = splitArgs(op, args)
    const signal = options?.signal
    if (op.pagination) {
      return listCall(async () => {
        const parts = await binaryParts(op, positional, params)
        return /** @type {NativePager} */ (this.#prepare(op, parts.positional, parts.params, parts.files, true))
      }, signal)
    }
    return this.#send(op, positional, params, signal)
  }

  /**
   * @param {Op} op
   * @param {unknown[]} positional
   * @param {Record<string, unknown>} params
   * @param {AbortSignal | undefined} signal
   */
  async #send(op, positional, params, signal) {
    const parts = await binaryParts(op, positional, params)
    const call = /** @type {NativeCall} */ (this.#prepare(op, parts.positional, parts.params, parts.files, false))
    const out = await settle(call, signal, () => call.send())
    return resultOf(out)
  }

  /**
   * The native call (or, `paged`, the pager) of an operation; argument errors are thrown here.
   * @param {Op} op
   * @param {unknown[]} positional
   * @param {unknown} params
   * @param {import('./binding.js').FileArg[]} files
   * @param {boolean} paged
   * @returns {NativeCall | NativePager}
   */
  #prepare(op, positional, params, files, paged) {
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      throw new InvalidArgumentError(`${op.resource}.${op.method}: params must be an object, got ${Array.isArray(params) ? 'an array' : typeof params}`)
    }
    const positionalJson = jsonOf(positional, `${op.resource}.${op.method}: the positional arguments`)
    const paramsJson = jsonOf(params, `${op.resource}.${op.method}: params`)
    try {
      return this.#native.operation(
        op.resource,
        op.method,
        positionalJson,
        paramsJson,
        files,
        paged,
      )
    } catch (e) {
      throw fromNative(e)
    }
  }

  /**
   * The effective configuration, for the behaviour vectors: with `canonical`, Rust/Python names and seconds.
   * @param {boolean} [canonical]
   */
  [Symbol.for('flarekit.effectiveOptions')](canonical = false) {
    return this.#native.effectiveOptions(canonical)
  }

  toJSON() {
    const i = this.#native.effectiveOptions()
    return { auth: i.auth, baseURL: i.baseURL, accountId: i.accountId ?? undefined, maxRetries: i.maxRetries, timeout: i.timeout, logLevel: i.logLevel }
  }

  /**
   * @param {number} depth
   * @param {import('node:util').InspectOptionsStylized} opts
   */
  [inspect.custom](depth, opts) {
    return `Cloudflare ${inspect(this.toJSON(), opts)}`
  }
}

// The error classes hang off the export; the code-to-class table and converters stay internal.
const { BY_CODE: _byCode, fromInfo: _fromInfo, fromNative: _fromNative, ...errorClasses } = errors
Object.assign(Cloudflare, errorClasses, { Cloudflare, default: Cloudflare, Page, PagePromise, Resource, Secret, Tokens })

module.exports = Cloudflare
