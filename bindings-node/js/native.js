'use strict'
// The native addon, loaded on first use so `require('flarekit')` stays fast.

/** @type {typeof import('../binding.js') | undefined} */
let addon
/** @returns {typeof import('../binding.js')} */
function native() {
  if (addon === undefined) addon = require('../binding.js')
  return addon
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
