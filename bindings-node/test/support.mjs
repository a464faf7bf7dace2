// Test support: the emulator binary on 127.0.0.1:0 with its admin API, and request checks.
import { spawn, execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The emulator binary: $FLAREKIT_EMULATOR, else the workspace's debug build. */
export function emulatorPath() {
  const candidates = [
    process.env.FLAREKIT_EMULATOR,
    process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, process.env.CARGO_BUILD_TARGET ?? 'x86_64-unknown-linux-gnu', 'debug', 'flarekit-emulator'),
    join(ROOT, 'target', process.env.CARGO_BUILD_TARGET ?? 'x86_64-unknown-linux-gnu', 'debug', 'flarekit-emulator'),
    join(ROOT, 'target', 'debug', 'flarekit-emulator'),
  ].filter(Boolean)
  const found = candidates.find((p) => existsSync(p))
  if (!found) throw new Error(`flarekit-emulator not found (tried ${candidates.join(', ')}); run make emulator`)
  return found
}

/** Start the emulator; resolves once it prints its address. */
export async function startEmulator(extraArgs = []) {
  const bin = emulatorPath()
  const help = execFileSync(bin, ['--help'], { encoding: 'utf8' })
  const args = ['--port', '0', ...extraArgs]
  // Vectors compare credential headers exactly, so ask the emulator not to mask them when it can.
  if (help.includes('--reveal-secrets')) args.push('--reveal-secrets')
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  const first = await new Promise((res, rej) => {
    lines.once('line', res)
    child.once('exit', (code) => rej(new Error(`emulator exited with ${code}`)))
  })
  lines.on('line', () => {})
  const m = /listening on (http:\/\/\S+)/.exec(first)
  if (!m) throw new Error(`unexpected emulator output: ${first}`)
  const baseURL = m[1]
  const origin = baseURL.replace(/\/client\/v4$/, '')
  return new Emulator(child, baseURL, origin)
}

export class Emulator {
  constructor(child, baseURL, origin) {
    this.child = child
    this.baseURL = baseURL
    this.origin = origin
  }

  async admin(method, path, body) {
    const r = await fetch(`${this.origin}/__emulator${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await r.text()
    if (!r.ok) throw new Error(`emulator admin ${method} ${path}: ${r.status} ${text}`)
    return text ? JSON.parse(text) : null
  }

  /** Clears faults and the request log; with `state`, also reloads the seeded state. */
  reset(state = false) {
    return this.admin('POST', '/reset', state ? { state: true } : {})
  }

  /** Queue one scripted response (tests/vectors format) for the next request, whatever its path. */
  queue(response) {
    let fault = {}
    if (response.fault && typeof response.fault === 'object') {
      fault = { ...response.fault }
    } else if (response.drop !== undefined) {
      fault.drop = response.drop
    } else {
      fault.status = response.status ?? 200
      if (response.headers) fault.headers = response.headers
      if (response.json !== undefined) fault.body = response.json
      else if (response.text !== undefined) fault.body = response.text
      else if (response.body_hex !== undefined) fault.body_hex = response.body_hex
      else fault.body = ''
    }
    if (response.delay_ms !== undefined) fault.delay_ms = response.delay_ms
    return this.admin('POST', '/faults', { method: '*', path: '/*', times: 1, fault })
  }

  /** Queue a fault rule as the admin API takes it. */
  fault(rule) {
    return this.admin('POST', '/faults', rule)
  }

  async requests(path) {
    const q = path ? `?path=${encodeURIComponent(path)}` : ''
    return (await this.admin('GET', `/requests${q}`)).requests ?? []
  }

  stop() {
    this.child.kill('SIGTERM')
  }
}

/** Every vector case, as [fileStem, case] (manifest.json holds the counts, not cases). */
export function loadVectors() {
  const dir = join(ROOT, 'tests', 'vectors')
  const out = []
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'manifest.json').sort()) {
    const doc = JSON.parse(readFileSync(join(dir, f), 'utf8'))
    for (const c of doc.cases) out.push([f.replace(/\.json$/, ''), c])
  }
  return out
}

/** Demo seed credentials and ids (emulator/src/demo.rs). */
export function demo() {
  const src = readFileSync(join(ROOT, 'emulator', 'src', 'demo.rs'), 'utf8')
  const out = {}
  for (const m of src.matchAll(/pub const ([A-Z_]+): &str = "([^"]*)";/g)) out[m[1]] = m[2]
  return out
}

function bodyBytes(got) {
  if (typeof got.body_base64 === 'string') return Buffer.from(got.body_base64, 'base64')
  return Buffer.from(typeof got.body === 'string' ? got.body : '', 'utf8')
}

const header = (got, name) => {
  const v = got.headers?.[name]
  return typeof v === 'string' ? v : undefined
}

/** Compare one request the server saw against a vector's expectation; push problems. */
export function checkRequest(i, want, got, problems) {
  const p = (m) => problems.push(`request ${i}: ${m}`)
  for (const k of ['method', 'path']) {
    if (want[k] !== undefined && got[k] !== want[k]) p(`${k} ${JSON.stringify(got[k])} != expected ${JSON.stringify(want[k])}`)
  }
  if (want.query !== undefined) {
    const pairs = [...new URLSearchParams(got.query ?? '')].map(([k, v]) => [k, v])
    if (JSON.stringify(pairs) !== JSON.stringify(want.query)) p(`query ${JSON.stringify(pairs)} != expected ${JSON.stringify(want.query)}`)
  }
  for (const [k, v] of Object.entries(want.headers ?? {})) {
    if (header(got, k) !== v) p(`header ${k} is ${JSON.stringify(header(got, k))}, expected ${JSON.stringify(v)}`)
  }
  for (const [k, v] of Object.entries(want.header_prefix ?? {})) {
    if (!header(got, k)?.startsWith(v)) p(`header ${k} is ${JSON.stringify(header(got, k))}, expected prefix ${JSON.stringify(v)}`)
  }
  for (const k of want.absent_headers ?? []) {
    if (header(got, k) !== undefined) p(`header ${k} was sent but must not be`)
  }
  if (want.content_type_prefix !== undefined && !header(got, 'content-type')?.startsWith(want.content_type_prefix)) {
    p(`content-type ${JSON.stringify(header(got, 'content-type'))} lacks prefix ${want.content_type_prefix}`)
  }
  const body = bodyBytes(got)
  if (want.json !== undefined) {
    try {
      const v = JSON.parse(body.toString('utf8'))
      if (!deepEqual(v, want.json)) p(`json body ${JSON.stringify(v)} != expected ${JSON.stringify(want.json)}`)
    } catch (e) {
      p(`body is not JSON (${e.message}): ${JSON.stringify(body.toString('utf8'))}`)
    }
  }
  if (want.body_text !== undefined && body.toString('utf8') !== want.body_text) {
    p(`body ${JSON.stringify(body.toString('utf8'))} != expected ${JSON.stringify(want.body_text)}`)
  }
  if (want.multipart !== undefined) {
    const parts = parseMultipart(header(got, 'content-type') ?? '', body)
    if (parts.length !== want.multipart.length) p(`${parts.length} multipart parts, expected ${want.multipart.length}: ${JSON.stringify(parts)}`)
    want.multipart.forEach((w, j) => {
      for (const k of ['name', 'filename', 'content_type', 'content']) {
        if (w[k] !== undefined && parts[j]?.[k] !== w[k]) p(`multipart part ${j} ${k} ${JSON.stringify(parts[j]?.[k])} != expected ${JSON.stringify(w[k])}`)
      }
    })
  }
}

/** A small multipart/form-data parser for checking what went on the wire. */
export function parseMultipart(contentType, body) {
  const m = /boundary=("?)([^";]+)\1/.exec(contentType)
  if (!m) return []
  const text = body.toString('utf8')
  const out = []
  for (const chunk0 of text.split(`--${m[2]}`).slice(1)) {
    if (chunk0.startsWith('--')) break
    const chunk = chunk0.replace(/^\r\n/, '')
    const at = chunk.indexOf('\r\n\r\n')
    if (at < 0) continue
    const head = chunk.slice(0, at)
    const content = chunk.slice(at + 4).replace(/\r\n$/, '')
    const part = {}
    for (const line of head.split('\r\n')) {
      const lower = line.toLowerCase()
      if (lower.startsWith('content-disposition:')) {
        for (const attr of line.split(';').slice(1)) {
          const [k, v] = attr.trim().split('=')
          if (k === 'name' || k === 'filename') part[k] = v.replace(/^"|"$/g, '')
        }
      } else if (lower.startsWith('content-type:')) {
        part.content_type = line.slice(13).trim()
      }
    }
    part.content = content
    out.push(part)
  }
  return out
}

export function deepEqual(a, b) {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]))
}

/** A logger that records every call as text lines `LEVEL message fields`. */
export function captureLogger() {
  const lines = []
  const rec = (level) => (msg, fields) => lines.push(`${level.toUpperCase()} ${msg} ${fields === undefined ? '' : JSON.stringify(fields)}`)
  return { lines, logger: { debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') } }
}

export const tick = (ms = 10) => new Promise((r) => setTimeout(r, ms))
