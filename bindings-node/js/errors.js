'use strict'
// The error classes. Native code describes every failure with the core's kind name (`code`); this file turns
// that description into the matching class, so `instanceof` works for thrown and rejected errors alike.

/**
 * What the native layer and `fromInfo` know of a failure (`errors`, `messages` and `error` decoded from JSON).
 * @typedef {object} ErrorFields
 * @property {string} [code] The core's kind name.
 * @property {number} [status]
 * @property {unknown[]} [errors]
 * @property {unknown[]} [messages]
 * @property {unknown} [error]
 * @property {Record<string, string>} [headers]
 * @property {string} [rayId]
 * @property {number} [retryAfter]
 * @property {number} [attempts]
 */

/** An error class as `fromInfo`/`fromNative` construct it. @typedef {new (message: string, fields?: ErrorFields) => CloudflareError} ErrorClass */

/** Base class of every error flarekit raises. */
class CloudflareError extends Error {
  /**
   * @param {string} message
   * @param {ErrorOptions & { code?: string }} [options]
   */
  constructor(message, options) {
    super(message, options)
  }
}

/** The API answered with an error (any status, or a 2xx with `success: false`). */
class APIError extends CloudflareError {
  /**
   * @param {string} message
   * @param {ErrorFields} [info]
   */
  constructor(message, info = {}) {
    super(message)
    /** HTTP status. */
    this.status = info.status
    /** The envelope's `errors` (`code`, `message`, `documentation_url`, `source`, `error_chain`). */
    this.errors = info.errors ?? []
    /** The envelope's `messages`. */
    this.messages = info.messages ?? []
    /** The response body: the JSON value, or a string with the start of a non-JSON body. */
    this.error = info.error
    /** Response headers, lower-case names. */
    this.headers = info.headers
    /** The `cf-ray` id of the response. */
    this.rayId = info.rayId
    /** How many attempts were made. */
    this.attempts = info.attempts ?? 0
    if (info.code) this.code = info.code
  }
}
class BadRequestError extends APIError {}
class AuthenticationError extends APIError {}
/** No usable credentials: raised by `new Cloudflare()`, before any request. */
class MissingCredentialsError extends AuthenticationError {}
class PermissionDeniedError extends APIError {}
class NotFoundError extends APIError {}
class ConflictError extends APIError {}
class UnprocessableEntityError extends APIError {}
class RateLimitError extends APIError {
  /**
   * @param {string} message
   * @param {ErrorFields} [info]
   */
  constructor(message, info = {}) {
    super(message, info)
    /** Seconds the server asked to wait, if it said. */
    this.retryAfter = info.retryAfter
  }
}
class InternalServerError extends APIError {}

/** The request could not be sent or the response not received. */
class APIConnectionError extends CloudflareError {
  /**
   * @param {string} message
   * @param {ErrorFields} [info]
   */
  constructor(message, info = {}) {
    super(message)
    this.attempts = info.attempts ?? 0
  }
}
/** An attempt took longer than `timeout`. */
class APIConnectionTimeoutError extends APIConnectionError {}
/** The request was aborted through its `AbortSignal`. */
class APIUserAbortError extends CloudflareError {
  constructor(message = 'Request was aborted.') {
    super(message)
  }
}
/** Bad client options: base URL, header values, credential characters. */
class ConfigurationError extends CloudflareError {}
/** A call's arguments are wrong (missing path parameter, unknown parameter), found before any request. */
class InvalidArgumentError extends CloudflareError {}

const classes = {
  CloudflareError,
  APIError,
  BadRequestError,
  AuthenticationError,
  MissingCredentialsError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  ConfigurationError,
  InvalidArgumentError,
}

// The core's kind name (the stable `code`) → class: each class under its own name, but for the two the core names
// differently (`APIStatusError`, any other API error, is an APIError; `APITimeoutError` is APIConnectionTimeoutError).
const { CloudflareError: _base, APIError: _api, APIConnectionTimeoutError: _timeout, ...named } = classes
/** @type {Record<string, ErrorClass>} */
const BY_CODE = { ...named, APIStatusError: APIError, APITimeoutError: APIConnectionTimeoutError }

// `name` is the class name and `code` the core's kind name, on the prototype so instances stay small.
for (const [name, cls] of Object.entries(classes)) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true })
}
for (const [code, cls] of Object.entries(BY_CODE)) {
  if (!Object.prototype.hasOwnProperty.call(cls.prototype, 'code')) {
    Object.defineProperty(cls.prototype, 'code', { value: code, writable: true, configurable: true, enumerable: true })
  }
}
Object.defineProperty(CloudflareError.prototype, 'code', { value: 'CloudflareError', writable: true, configurable: true })

/**
 * JSON text from native code, or `fallback` when absent or not JSON.
 * @param {string | undefined | null} text
 * @param {unknown} fallback
 * @returns {any}
 */
function parse(text, fallback) {
  if (text === undefined || text === null) return fallback
  try {
    return JSON.parse(text)
  } catch {
    return fallback
  }
}

/**
 * An error instance from a native `ErrorInfo`.
 * @param {import('../binding.js').ErrorInfo} info
 * @returns {CloudflareError}
 */
function fromInfo(info) {
  const cls = BY_CODE[info.code] ?? CloudflareError
  /** @type {Record<string, string>} */
  const headers = {}
  for (const [k, v] of info.headers ?? []) headers[k] = k in headers ? `${headers[k]}, ${v}` : v
  const fields = {
    code: info.code,
    status: info.status ?? undefined,
    errors: parse(info.errorsJson, []),
    messages: parse(info.messagesJson, []),
    error: parse(info.bodyJson, undefined),
    headers,
    rayId: info.rayId ?? undefined,
    retryAfter: info.retryAfter ?? undefined,
    attempts: info.attempts,
  }
  const err = /** @type {CloudflareError & { status?: number }} */ (new cls(info.message, fields))
  if (!(err instanceof APIError)) {
    if (info.status != null) err.status = info.status
  }
  return err
}

/**
 * Convert an error thrown synchronously by the native layer (its `code` is the core's kind name).
 * @param {any} e anything thrown
 * @returns {CloudflareError}
 */
function fromNative(e) {
  if (e instanceof CloudflareError) return e
  const cls = e && BY_CODE[e.code]
  if (cls) return new cls(e.message, { code: e.code })
  return new CloudflareError(String(e && e.message ? e.message : e), { cause: e })
}

module.exports = { ...classes, BY_CODE, fromInfo, fromNative }
