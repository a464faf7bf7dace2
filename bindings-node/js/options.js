'use strict'
// Client options into the core's raw values. Only shapes are translated here (a file: URL into its path, a Map
// into entries); what is accepted, the defaults and every message are the core's (docs/options.md).

const { fileURLToPath } = require('node:url')

const MAX_DEPTH = 8

/**
 * One JS value as tagged JSON the core reads back exactly: numbers keep NaN, ±Infinity and every digit,
 * bigints stay integers, anything that is not data is named by its type.
 * @param {unknown} v
 * @param {number} depth
 * @returns {unknown}
 */
function encode(v, depth = 0) {
  if (v === undefined || v === null) return null
  switch (typeof v) {
    case 'boolean':
      return { b: v }
    case 'number':
      return { n: String(v) }
    case 'bigint':
      return { i: v.toString() }
    case 'string':
      return v.isWellFormed() ? { s: v } : { o: 'string (with unpaired surrogates)' }
    case 'function':
      return { o: 'function' }
    case 'symbol':
      return { o: 'symbol' }
    default:
      break
  }
  if (depth >= MAX_DEPTH) return { o: 'object (nested too deeply)' }
  try {
    if (v instanceof URL) {
      return v.protocol === 'file:' ? { p: fileURLToPath(v) } : { o: `${v.protocol} URL` }
    }
    if (Array.isArray(v)) return { l: v.map((x) => encode(x, depth + 1)) }
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return { o: v.constructor?.name ?? 'ArrayBuffer' }
    if (v instanceof Map || (typeof Headers === 'function' && v instanceof Headers)) {
      return { m: [...v.entries()].map(([k, x]) => [encode(k, depth + 1), encode(x, depth + 1)]) }
    }
    return { m: Object.entries(/** @type {object} */ (v)).map(([k, x]) => [{ s: k }, encode(x, depth + 1)]) }
  } catch {
    // A getter that throws, a revoked Proxy: not an option value.
    return { o: 'object (unreadable)' }
  }
}

/**
 * The options object as the JSON the native constructor takes.
 * @param {unknown} options
 * @returns {string}
 */
function encodeOptions(options) {
  return JSON.stringify(encode(options))
}

module.exports = { encodeOptions }
