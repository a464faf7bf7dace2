'use strict'
// The npm `install` script. A published install gets its addon from the platform package (`flarekit-linux-x64-gnu`,
// ..., optional dependencies of which npm installs the one for this machine): nothing to do. Without one (a platform
// with no prebuilt package, or optional dependencies omitted) the addon is built from the Rust source (native/ in the
// published package, the workspace in a source checkout) when cargo is on PATH; otherwise the install fails saying
// what is missing. A development checkout builds with `npm run build` / `make build-node` instead.
const { copyFileSync, existsSync, mkdtempSync, rmSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { dirname, join } = require('node:path')
const { execFileSync } = require('node:child_process')
const p = require('../js/platform.js')

if (p.localAddon() || p.isDevCheckout() || p.hasPlatformPackage()) process.exit(0)

const manifest = p.sourceManifest()
const cargo = p.which('cargo')
if (!manifest || !cargo) {
  console.error(p.missingAddonMessage())
  process.exit(1)
}

// The published package unpacks its source and builds in a temporary directory (removed after); a source checkout
// builds in its own workspace and target directory.
const checkout = manifest === join(p.ROOT, '..', 'Cargo.toml')
const work = checkout ? undefined : mkdtempSync(join(tmpdir(), 'flarekit-build-'))
const targetDir = process.env.CARGO_TARGET_DIR || (work ? join(work, 'target') : join(p.ROOT, '..', 'target'))
const env = { ...process.env, CARGO_TARGET_DIR: targetDir }
delete env.CARGO_BUILD_TARGET
console.error(`flarekit: no prebuilt addon for ${p.platformName()}; building it from source with cargo (release, a few minutes)`)
try {
  const toml = work ? p.unpackSource(join(work, 'src')) : manifest
  execFileSync(cargo, ['build', '--release', '-p', 'flarekit-node', '--manifest-path', toml], {
    cwd: dirname(toml),
    stdio: 'inherit',
    env,
  })
  const lib = { win32: 'flarekit_node.dll', darwin: 'libflarekit_node.dylib' }[process.platform] ?? 'libflarekit_node.so'
  const built = join(targetDir, 'release', lib)
  if (!existsSync(built)) throw new Error(`cargo finished but ${built} is not there`)
  copyFileSync(built, join(p.ROOT, `flarekit.${p.platformName()}.node`))
  console.error(`flarekit: built flarekit.${p.platformName()}.node`)
} finally {
  if (work) rmSync(work, { recursive: true, force: true })
}
