#!/usr/bin/env node
'use strict'
// The `flarekit` command: the Rust code of the cli crate, run from the native addon (no second implementation).
// Exit codes: 0 ok, 1 API error, 2 usage or configuration, 3 connection or timeout, 4 missing or rejected credentials.
const { native } = require('../js/native.js')
process.exitCode = native().cliMain(['flarekit', ...process.argv.slice(2)])
