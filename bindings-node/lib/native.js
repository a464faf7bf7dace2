'use strict'
// The native addon, loaded on first use so `require('flarekit')` stays fast.

let addon
function native() {
  if (addon === undefined) addon = require('../binding.js')
  return addon
}

// How results cross from Rust: 0 = JSON text + JSON.parse (measured faster, see bench/decode.mjs), 1 = native objects.
let decodeMode = process.env.FLAREKIT_NODE_DECODE === 'native' ? 1 : 0

function setDecodeMode(mode) {
  decodeMode = mode === 'native' ? 1 : 0
}

function getDecodeMode() {
  return decodeMode
}

/** The result carried by a native outcome. */
function resultOf(out) {
  if (out.json !== undefined && out.json !== null) return JSON.parse(out.json)
  return out.value === undefined ? null : out.value
}

module.exports = { native, resultOf, setDecodeMode, getDecodeMode }
