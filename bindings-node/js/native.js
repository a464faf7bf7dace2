'use strict'
// The native addon, loaded on first use so `require('flarekit')` stays fast.

let addon
function native() {
  if (addon === undefined) addon = require('../binding.js')
  return addon
}

/** The result carried by a native outcome. */
function resultOf(out) {
  if (out.content !== undefined && out.content !== null) return out.content
  if (out.json !== undefined && out.json !== null) return JSON.parse(out.json)
  return out.value === undefined ? null : out.value
}

module.exports = { native, resultOf }
