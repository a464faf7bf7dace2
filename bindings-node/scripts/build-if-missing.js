'use strict'
// `npm install <path-to>/bindings-node` on a machine without a built addon: build it with cargo (release).
// A development checkout (devDependencies present) builds with `npm run build` / `make build-node` instead.
const { existsSync, copyFileSync, readdirSync } = require('node:fs')
const { join } = require('node:path')
const { execFileSync } = require('node:child_process')

const here = join(__dirname, '..')
if (readdirSync(here).some((f) => f.endsWith('.node'))) process.exit(0)
if (existsSync(join(here, 'node_modules', '@napi-rs', 'cli'))) process.exit(0)
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error('flarekit: no prebuilt addon for this platform; build it with `npm ci && npm run build` in bindings-node')
  process.exit(1)
}
const target = 'x86_64-unknown-linux-gnu'
console.error('flarekit: building the native addon with cargo (release); this takes a minute or two')
execFileSync('cargo', ['build', '--release', '-p', 'flarekit-node', '--target', target], { cwd: here, stdio: 'inherit' })
const targetDir = process.env.CARGO_TARGET_DIR ?? join(here, '..', 'target')
copyFileSync(join(targetDir, target, 'release', 'libflarekit_node.so'), join(here, 'flarekit.linux-x64-gnu.node'))
