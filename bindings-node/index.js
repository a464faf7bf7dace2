'use strict'
// flarekit for Node: a Cloudflare API v4 client. The Rust core decides every behaviour; this file translates
// options, arguments, results and errors, and builds the resource objects.

const { inspect } = require('node:util')
const { fileURLToPath } = require('node:url')
const errors = require('./js/errors.js')
const { native, resultOf, getDecodeMode } = require('./js/native.js')
const { Page, PagePromise, settle, listCall } = require('./js/pagination.js')
const { installResources, splitArgs, binaryParts, isBinary, toBuffer, CALL, Resource } = require('./js/resources.js')

const { ConfigurationError, InvalidArgumentError, fromNative } = errors

const USER_AGENT_SUFFIX = `node ${process.versions.node}`
const STRING_OPTIONS = ['apiToken', 'apiKey', 'apiEmail', 'userServiceKey', 'baseURL', 'accountId', 'logLevel']
const NUMBER_OPTIONS = ['timeout', 'maxRetries', 'retryDelayScale', 'maxResponseBytes']
const LEVELS = new Set(['debug', 'info', 'warn', 'error'])

/** Check option types and translate them for the native layer (names and values stay as given). */
function nativeOptions(options) {
  if (options === null || typeof options !== 'object') {
    throw new ConfigurationError('options must be an object, e.g. new Cloudflare({ apiToken })')
  }
  const out = {}
  for (const name of STRING_OPTIONS) {
    const v = options[name]
    if (v === undefined || v === null) continue
    if (typeof v !== 'string') throw new ConfigurationError(`${name} must be a string, got ${typeof v}`)
    out[name] = v
  }
  for (const name of NUMBER_OPTIONS) {
    const v = options[name]
    if (v === undefined || v === null) continue
    if (typeof v !== 'number') throw new ConfigurationError(`${name} must be a number, got ${typeof v}`)
    out[name] = v
  }
  for (const name of ['defaultHeaders', 'env']) {
    const v = options[name]
    if (v === undefined || v === null) continue
    if (typeof v !== 'object') throw new ConfigurationError(`${name} must be an object of strings`)
    out[name] = Object.entries(v)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([k, value]) => [k, String(value)])
  }
  const ca = options.caBundle
  if (ca !== undefined && ca !== null) {
    if (typeof ca === 'string') out.caBundle = ca
    else if (ca instanceof URL && ca.protocol === 'file:') out.caBundle = fileURLToPath(ca)
    else throw new ConfigurationError(`caBundle must be a path (a string or a file: URL) to a PEM file, got ${ca instanceof URL ? `a ${ca.protocol} URL` : typeof ca}`)
  }
  if (options.logger !== undefined && options.logger !== null && typeof options.logger !== 'object' && typeof options.logger !== 'function') {
    throw new ConfigurationError('logger must be an object with debug/info/warn/error methods (like console)')
  }
  return out
}

/** The function native code calls with each log event: `logger[level]('flarekit: <message>', fields)`. */
function logSink(logger) {
  return (event) => {
    try {
      const level = LEVELS.has(event.level) ? event.level : 'info'
      const fn = typeof logger[level] === 'function' ? logger[level] : logger.log
      if (typeof fn === 'function') fn.call(logger, `flarekit: ${event.message}`, event.fields)
    } catch {
      // A failing logger must not break the call that logged.
    }
  }
}

const FROM_NATIVE = Symbol('flarekit.fromNative')

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

  constructor(options = {}) {
    if (options && options[FROM_NATIVE]) {
      this.#native = options.native
      this.#logger = options.logger
    } else {
      const opts = nativeOptions(options)
      opts.userAgentSuffix = USER_AGENT_SUFFIX
      this.#logger = options.logger ?? console
      try {
        this.#native = new (native().NativeClient)(opts, logSink(this.#logger))
      } catch (e) {
        throw fromNative(e)
      }
    }
    installResources(Cloudflare)
  }

  /** Which auth scheme is used and where it came from, e.g. `apiToken from CLOUDFLARE_API_TOKEN`. Never the value. */
  get auth() {
    return this.#native.auth
  }

  /** The base URL requests go to. */
  get baseURL() {
    return this.#native.info().baseURL
  }

  /** The default account id (option `accountId` or `CLOUDFLARE_ACCOUNT_ID`). */
  get accountId() {
    return this.#native.info().accountId ?? undefined
  }

  /** Retries after the first attempt. */
  get maxRetries() {
    return this.#native.info().maxRetries
  }

  /** Per-attempt timeout in milliseconds. */
  get timeout() {
    return this.#native.info().timeout
  }

  /**
   * A new client with some options changed (the environment is not read again). Credential options given here
   * replace the client's credentials as a set.
   */
  withOptions(options = {}) {
    const opts = nativeOptions(options)
    const logger = options.logger ?? this.#logger
    let client
    try {
      client = this.#native.withOptions(opts, logSink(logger))
    } catch (e) {
      throw fromNative(e)
    }
    return new Cloudflare({ [FROM_NATIVE]: true, native: client, logger })
  }

  /** `GET path` (relative to the base URL); resolves to the envelope's `result`. */
  get(path, options = {}) {
    return this.#generic('GET', path, options)
  }
  /** `POST path` with `{ body }`. */
  post(path, options = {}) {
    return this.#generic('POST', path, options)
  }
  /** `PUT path` with `{ body }`. */
  put(path, options = {}) {
    return this.#generic('PUT', path, options)
  }
  /** `PATCH path` with `{ body }`. */
  patch(path, options = {}) {
    return this.#generic('PATCH', path, options)
  }
  /** `DELETE path`. */
  delete(path, options = {}) {
    return this.#generic('DELETE', path, options)
  }

  /**
   * Any request under the base URL; resolves to the whole decoded response:
   * `{ status, result, result_info, messages, headers }`. `get`/`post`/... resolve to just the `result`.
   */
  request(method, path, options = {}) {
    return this.#generic(String(method).toUpperCase(), path, options, true)
  }

  async #generic(verb, path, options, full = false) {
    const { query, body, signal } = options ?? {}
    if (typeof path !== 'string') throw new InvalidArgumentError(`path must be a string such as "/zones", got ${typeof path}`)
    let raw
    let bodyJson
    let contentType
    if (body !== undefined && body !== null) {
      if (isBinary(body) || typeof body === 'string') {
        raw = await toBuffer(body)
        contentType = options.contentType ?? (typeof body === 'string' ? 'text/plain' : (body.type || undefined))
      } else {
        bodyJson = JSON.stringify(body)
      }
    }
    let call
    try {
      call = this.#native.generic(verb, path, query == null ? undefined : JSON.stringify(query), bodyJson, raw, contentType)
    } catch (e) {
      throw fromNative(e)
    }
    const out = await settle(call, signal, () => call.send(getDecodeMode(), full))
    if (!full) return resultOf(out)
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

  /** Call one operation of the table (used by the resource objects). */
  [CALL](op, args) {
    const { positional, params, options } = splitArgs(op, args)
    const signal = options?.signal
    if (op.pagination) {
      return listCall(() => this.#prepare(op, positional, params, undefined, true, true), signal, this)
    }
    return this.#send(op, positional, params, signal)
  }

  async #send(op, positional, params, signal) {
    const parts = await binaryParts(op, positional, params)
    const call = this.#prepare(op, parts.positional, parts.params, parts, false)
    const out = await settle(call, signal, () => call.send(getDecodeMode()))
    return resultOf(out)
  }

  #prepare(op, positional, params, parts, paged) {
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      throw new InvalidArgumentError(`${op.resource}.${op.method}: params must be an object, got ${Array.isArray(params) ? 'an array' : typeof params}`)
    }
    try {
      return this.#native.operation(
        op.resource,
        op.method,
        JSON.stringify(positional),
        JSON.stringify(params),
        parts?.files,
        parts?.rawBody,
        parts?.rawContentType,
        paged,
      )
    } catch (e) {
      throw fromNative(e)
    }
  }

  toJSON() {
    const i = this.#native.info()
    return { auth: i.auth, baseURL: i.baseURL, accountId: i.accountId ?? undefined, maxRetries: i.maxRetries, timeout: i.timeout, logLevel: i.logLevel }
  }

  [inspect.custom](depth, opts) {
    return `Cloudflare ${inspect(this.toJSON(), opts)}`
  }
}

Object.assign(Cloudflare, errors, { Cloudflare, default: Cloudflare, Page, PagePromise, Resource })
delete Cloudflare.BY_CODE
delete Cloudflare.fromInfo
delete Cloudflare.fromNative

module.exports = Cloudflare
