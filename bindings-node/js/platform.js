'use strict'
// Which native addon this machine needs and where it comes from, for the loader (js/native.js) and the install
// script (scripts/build-if-missing.js). A published install gets the addon from the platform package
// (`flarekit-linux-x64-gnu`, ...: optional dependencies, npm installs the one matching `os`/`cpu`/`libc`); without
// one the install script builds it from the Rust source in `native/` when cargo is on PATH. When neither works,
// `missingAddonMessage` says what is missing and how to get it.

const { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } = require('node:fs')
const { delimiter, dirname, join, relative } = require('node:path')
const { gunzipSync } = require('node:zlib')

const ROOT = join(__dirname, '..')

/** @returns {{ name: string, version: string, optionalDependencies?: Record<string, string> }} */
function ownPackage() {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
}

/** @returns {boolean} */
function isMusl() {
  if (process.platform !== 'linux') return false
  const report = /** @type {{ header?: { glibcVersionRuntime?: string } } | undefined} */ (
    process.report && typeof process.report.getReport === 'function' ? process.report.getReport() : undefined
  )
  return !(report && report.header && report.header.glibcVersionRuntime)
}

/**
 * The napi-rs name of this platform, as in the addon's file name (`flarekit.<name>.node`) and the platform
 * package's (`flarekit-<name>`): linux-x64-gnu, linux-arm64-musl, darwin-arm64, win32-x64-msvc, ...
 * @returns {string}
 */
function platformName() {
  const { platform, arch } = process
  if (platform === 'linux') {
    if (arch === 'arm') return isMusl() ? 'linux-arm-musleabihf' : 'linux-arm-gnueabihf'
    return `linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`
  }
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

/** @returns {string} */
function platformPackage() {
  return `flarekit-${platformName()}`
}

/** @returns {boolean} */
function hasPlatformPackage() {
  try {
    require.resolve(`${platformPackage()}/package.json`)
    return true
  } catch {
    return false
  }
}

/** @returns {string | undefined} an addon built into the package itself (from source, or `npm run build`) */
function localAddon() {
  const file = join(ROOT, `flarekit.${platformName()}.node`)
  return existsSync(file) ? file : undefined
}

/**
 * The first `name` (or `name.exe`) on PATH.
 * @param {string} name
 * @returns {string | undefined}
 */
function which(name) {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    for (const ext of exts) {
      const file = join(dir, name + ext)
      try {
        if (statSync(file).isFile()) return file
      } catch {
        // not there
      }
    }
  }
  return undefined
}

/**
 * The Cargo manifest to build the addon from: `native/Cargo.toml.gz` in a published package (every file of its
 * source gzipped; `unpackSource` writes them out), the workspace's in a source checkout.
 * @returns {string | undefined}
 */
function sourceManifest() {
  for (const file of [join(ROOT, 'native', 'Cargo.toml.gz'), join(ROOT, '..', 'Cargo.toml')]) {
    if (existsSync(file)) return file
  }
  return undefined
}

/**
 * Writes the gzipped source under `native/` out to `dest`, returning the manifest there.
 * @param {string} dest
 * @returns {string}
 */
function unpackSource(dest) {
  const src = join(ROOT, 'native')
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.gz')) continue
    const from = join(entry.parentPath ?? entry.path, entry.name)
    const to = join(dest, relative(src, from).slice(0, -'.gz'.length))
    mkdirSync(dirname(to), { recursive: true })
    writeFileSync(to, gunzipSync(readFileSync(from)))
  }
  return join(dest, 'Cargo.toml')
}

/** @returns {boolean} a development checkout: bindings-node inside the repository, its devDependencies installed */
function isDevCheckout() {
  return existsSync(join(ROOT, '..', 'Cargo.toml')) && existsSync(join(ROOT, 'node_modules', '@napi-rs', 'cli'))
}

/**
 * What is missing when no addon can be loaded, and how to get it: one paragraph for an error or the install log.
 * @returns {string}
 */
function missingAddonMessage() {
  const pkg = ownPackage()
  const name = platformName()
  const wanted = `${platformPackage()}@${pkg.version}`
  const prebuilt = Object.keys(pkg.optionalDependencies ?? {})
  const lines = [`flarekit: no native addon for ${name} (Node ${process.version}).`]
  if (isDevCheckout()) {
    lines.push('This is a source checkout: build it with `npm run build` here or `make build-node` at the root.')
    return lines.join('\n')
  }
  if (prebuilt.includes(platformPackage())) {
    lines.push(
      `The prebuilt addon is in the optional package ${wanted}, which is not installed ` +
        '(installing with --omit=optional or --no-optional, or a lockfile written on another platform, leaves it ' +
        `out): \`npm install ${wanted}\` adds it.`,
    )
  } else {
    const list = prebuilt.map((p) => p.replace(/^flarekit-/, '')).join(', ')
    lines.push(`No prebuilt addon is published for ${name}${list ? ` (there are: ${list})` : ''}.`)
  }
  if (!sourceManifest()) {
    lines.push('The Rust source to build it from is not in this package either.')
  } else if (!which('cargo')) {
    lines.push(
      'Building it from source needs cargo (Rust 1.85 or later, https://rustup.rs), which is not on PATH: ' +
        'install it, then run `npm rebuild flarekit`.',
    )
  } else {
    lines.push('cargo is on PATH: `npm rebuild flarekit` builds it from source (a few minutes).')
  }
  return lines.join('\n')
}

module.exports = {
  ROOT,
  hasPlatformPackage,
  isDevCheckout,
  localAddon,
  missingAddonMessage,
  platformName,
  platformPackage,
  sourceManifest,
  unpackSource,
  which,
}
