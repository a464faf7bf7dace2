'use strict'
// The native addon, loaded on first use so `require('flarekit')` stays fast.

let addon
function native() {
  if (addon === undefined) addon = require('../binding.js')
  return addon
}

// How results cross from Rust: 0 = JSON text + JSON.parse, 1 = objects built through N-API. bench/decode.mjs
// (release build, 1000 DNS records): JSON.parse 1.3 ms on the JS thread (+1.4 ms serialising on a tokio thread)
// against 8.2 ms of N-API object building on the JS thread; so JSON text is the default.
let decodeMode = process.env.FLAREKIT_NODE_DECODE === 'native' ? 1 : 0

function setDecodeMode(mode) {
  decodeMode = mode === 'native' ? 1 : 0
}

function getDecodeMode() {
  return decodeMode
}

/** The result carried by a native outcome. */
function resultOf(out) {
  if (out.content !== undefined && out.content !== null) return out.content
  if (out.json !== undefined && out.json !== null) return JSON.parse(out.json)
  return out.value === undefined ? null : out.value
}

module.exports = { native, resultOf, setDecodeMode, getDecodeMode }
