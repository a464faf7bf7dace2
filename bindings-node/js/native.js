'use strict'
// The native addon, loaded on first use so `require('flarekit')` stays fast.

/** @type {typeof import('../binding.js') | undefined} */
let addon
/** @returns {typeof import('../binding.js')} */
function native() {
  if (addon === undefined) {
    try {
      addon = require('../binding.js')
    } catch (e) {
      throw noAddonError(e)
    }
  }
  return addon
}

/**
 * The loader's failure as an error that says what is missing (the platform package, cargo to build from source) and
 * how to get it; the loader's own error is its `cause`. Code `FLAREKIT_NO_NATIVE_ADDON`.
 * @param {unknown} cause
 * @returns {Error}
 */
function noAddonError(cause) {
  const { missingAddonMessage, localAddon, hasPlatformPackage } = require('./platform.js')
  const found =
    process.env.NAPI_RS_NATIVE_LIBRARY_PATH ?? localAddon() ?? (hasPlatformPackage() ? 'the platform package' : undefined)
  /** @type {string[]} */
  const chain = []
  for (let e = cause; e !== undefined && e !== null && chain.length < 8; e = e instanceof Error ? e.cause : undefined) {
    chain.push(e instanceof Error ? e.message : String(e))
  }
  const message = found
    ? `flarekit: the native addon (${found}) did not load:\n  ${chain.join('\n  ')}`
    : missingAddonMessage()
  return Object.assign(new Error(message, { cause }), { code: 'FLAREKIT_NO_NATIVE_ADDON' })
}

/**
 * The result carried by a native outcome.
 * @param {import('../binding.js').Outcome} out
 * @returns {any} the decoded JSON result (any JSON value), or a Buffer
 */
function resultOf(out) {
  if (out.content !== undefined && out.content !== null) return out.content
  if (out.json !== undefined && out.json !== null) return JSON.parse(out.json)
  return out.value === undefined ? null : out.value
}

/**
 * `value` as JSON text for the native layer; a value JSON cannot hold (a BigInt, a cycle) is an
 * InvalidArgumentError naming `what`.
 * @param {unknown} value
 * @param {string} what
 * @returns {string}
 */
function jsonOf(value, what) {
  try {
    return JSON.stringify(value)
  } catch (e) {
    const { InvalidArgumentError } = require('./errors.js')
    const hint = typeof value === 'bigint' || String(e).includes('BigInt') ? ' (pass a BigInt as a number or a string)' : ''
    throw new InvalidArgumentError(`${what} cannot be sent as JSON: ${/** @type {Error} */ (e).message}${hint}`)
  }
}

module.exports = { native, resultOf, jsonOf }
