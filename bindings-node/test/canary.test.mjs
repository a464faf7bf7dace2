// Secret hygiene (issue 8, item 4): distinctive credentials for every scheme go through successful and failing calls
// with debug logging on; the canary never appears in stdout, stderr (native writes included), logger records,
// `util.inspect` / `JSON.stringify` / `String()` of clients, resources, pages, responses and errors, error fields
// (`headers`, `error`, `errors`...), stacks, or the structured-clone / v8 serialisation of errors (what crosses to a
// worker). The Node twin of bindings-python/tests/test_canary.py and core/tests/canary.rs.
//
// The calls run in a child process (this file, re-run with FLAREKIT_CANARY_CHILD set) so its whole stdout and stderr,
// the console logger's lines and anything native code writes included, are captured at the file descriptors.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inspect } from 'node:util'
import v8 from 'node:v8'

const TOKEN = 'CANARYtok-7f3e9a1b2c4d5e6f'
const KEY = 'CANARYkey-0a1b2c3d4e5f6a7b'
const EMAIL = 'canary-9d8c7b@example.com'
const USK = 'v1.0-CANARYusk-5e4d3c2b1a'
const CANARIES = [TOKEN, KEY, EMAIL, USK, 'CANARY', '9d8c7b']

const SCHEMES = {
  token: { apiToken: TOKEN },
  key: { apiKey: KEY, apiEmail: EMAIL },
  userServiceKey: { userServiceKey: USK },
  // Half a pair beside a token: the token is used and a warning logged, which must not quote the ignored key.
  'token+half_pair': { apiToken: TOKEN, apiKey: KEY },
}
const ENV_SCHEMES = {
  token: { CLOUDFLARE_API_TOKEN: TOKEN },
  key: { CLOUDFLARE_API_KEY: KEY, CLOUDFLARE_EMAIL: EMAIL },
  userServiceKey: { CLOUDFLARE_API_USER_SERVICE_KEY: USK },
}

const OK = { status: 200, body: { success: true, errors: [], messages: [], result: { id: 'ok' } } }
const OK_LIST = {
  status: 200,
  body: {
    success: true,
    errors: [],
    messages: [],
    result: [{ id: 'z1', name: 'example.com' }],
    result_info: { page: 1, per_page: 20, count: 1, total_count: 1, total_pages: 1 },
  },
}
const HINT_6003 = {
  status: 400,
  body: {
    success: false,
    errors: [{ code: 6003, message: 'Invalid request headers', error_chain: [{ code: 6103, message: 'Invalid format for X-Auth-Key header' }] }],
  },
}
// [name, fault, times]: times covers every attempt, so the call ends in that fault's error.
const FAULTS = [
  ['rejected credentials', null, 0],
  ['500 with retries', { status: 500 }, 3],
  ['timeout', { delay_ms: 700 }, 3],
  ['html 502', { html: true, status: 502 }, 3],
  ['6003/6103 hint', HINT_6003, 1],
  ['success', OK_LIST, 1],
]

if (process.env.FLAREKIT_CANARY_CHILD) {
  await child()
} else {
  await parent()
}

// -- the parent: starts the emulator, runs the child, checks everything it saw

async function parent() {
  const { test } = await import('node:test')
  const assert = (await import('node:assert/strict')).default
  const { startEmulator } = await import('./support.mjs')

  test('the canary never leaks', { timeout: 120_000 }, async () => {
    const emu = await startEmulator()
    const dir = mkdtempSync(join(tmpdir(), 'flarekit-canary-'))
    const report = join(dir, 'report.json')
    try {
      const env = { ...process.env, FLAREKIT_CANARY_CHILD: '1', FLAREKIT_CANARY_BASE_URL: emu.baseURL, FLAREKIT_CANARY_REPORT: report }
      delete env.NODE_TEST_CONTEXT
      for (const k of Object.keys(env)) if (k.startsWith('CLOUDFLARE_')) delete env[k]
      const { code, stdout, stderr } = await run(process.execPath, [fileURLToPath(import.meta.url)], env, 100_000)
      assert.equal(code, 0, `the canary child failed (${code}):\n${stderr.slice(-4000)}`)
      const { items, logs, sent } = JSON.parse(readFileSync(report, 'utf8'))
      items.push(['stdout', stdout], ['stderr', stderr])
      for (const line of logs) items.push(['logger record', line])

      // The checks saw what they were meant to see.
      const unexpected = items.filter(([, text]) => text.startsWith('UNEXPECTED: '))
      assert.deepEqual(unexpected, [], 'every failing call failed with a flarekit error')
      assert.ok(items.some(([what]) => what.endsWith(' fields')), 'errors were captured')
      assert.ok(logs.some((l) => l.startsWith('DEBUG ')), 'debug logging was on')
      assert.ok(logs.some((l) => /request/i.test(l)), logs.slice(0, 5).join('\n'))
      assert.ok(logs.some((l) => l.startsWith('WARN ') && l.includes('apiKey')), 'the half-pair warning was logged')
      assert.match(stdout + stderr, /flarekit: /, 'the console logger (CLOUDFLARE_LOG=debug) printed lines')
      for (const [scheme, yes] of Object.entries(sent)) assert.ok(yes, `the ${scheme} credentials did reach the server`)
      const seen = new Set(items.map(([what]) => what.split(' / ').at(-1)))
      for (const needed of FAULTS.map(([name]) => name)) assert.ok(seen.has(needed), needed)
      const by = {}
      for (const [what, text] of items) by[what] = `${by[what] ?? ''}${text}\n`
      assert.match(by['options/token / 500 with retries'], /InternalServerError/)
      assert.match(by['options/token / timeout'], /APIConnectionTimeoutError/)
      assert.match(by['options/token / html 502'], /502/)
      assert.match(by['options/key / 6003/6103 hint'], /AuthenticationError/)
      assert.match(by['options/token / rejected credentials'], /AuthenticationError/)
      assert.match(by['options/token / abort'], /APIUserAbortError/)
      assert.match(by['options/token / list success page'], /example\.com/)

      const leaks = items.filter(([, text]) => CANARIES.some((c) => text.includes(c))).map(([what, text]) => `${what}: ${text}`)
      assert.deepEqual(leaks, [], `a credential leaked:\n${leaks.join('\n')}`)
    } finally {
      emu.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
}

function run(cmd, args, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d))
    p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
    const timer = setTimeout(() => {
      p.kill('SIGKILL')
      reject(new Error(`the canary child did not finish within ${timeoutMs} ms:\n${stderr.slice(-4000)}`))
    }, timeoutMs)
    p.on('error', reject)
    p.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

// -- the child: every call, every rendering, written to the report

async function child() {
  const { default: Cloudflare, CloudflareError, APIConnectionError, Page } = await import('../index.mjs')
  const { Emulator, captureLogger } = await import('./support.mjs')
  const baseURL = process.env.FLAREKIT_CANARY_BASE_URL
  const emu = new Emulator(null, baseURL, baseURL.replace(/\/client\/v4$/, ''))
  const items = []
  const sent = {}
  const { lines: logs, logger } = captureLogger()

  const add = (what, ...objs) => {
    for (const o of objs) items.push([what, typeof o === 'string' ? o : inspect(o, { depth: null, showHidden: true })])
  }
  const json = (o) => {
    try {
      return JSON.stringify(o) ?? 'undefined'
    } catch (e) {
      return `JSON.stringify threw ${e}`
    }
  }
  const serialized = (o) => {
    try {
      return v8.serialize(o).toString('latin1')
    } catch (e) {
      return `v8.serialize threw ${e}`
    }
  }
  const addError = (what, e) => {
    add(what, String(e), e.message, e.stack ?? '', e, json(e))
    if (e instanceof CloudflareError) {
      add(what + ' fields', json({ ...e }), e.headers, e.error, e.errors, e.messages, e.rayId, e.code)
      const clone = structuredClone(e)
      add(what + ' structured clone', clone, String(clone), clone.stack ?? '')
      add(what + ' v8', serialized(e))
    } else {
      add(what + ' not a CloudflareError', 'UNEXPECTED: not a CloudflareError: ' + String(e))
    }
  }
  const addResult = (what, r) => {
    add(what, r, json(r), String(r))
    if (r instanceof Page) add(what + ' page', r.result, r.result_info, json(r.result))
    if (r && typeof r === 'object' && 'headers' in r) add(what + ' response', r.headers, r.result, r.messages)
  }
  const addClient = (what, cf) => {
    add(what, cf, String(cf), json(cf), cf.auth, Object.keys(cf), serialized(cf))
    add(what + ' resources', cf.zones, cf.zones.list, cf.user, String(cf.dns.records))
  }
  const attempt = async (what, call) => {
    try {
      addResult(what, await call())
    } catch (e) {
      addError(what, e)
    }
  }
  const options = (o = {}) => ({ baseURL, retryDelayScale: 0.001, timeout: 250, maxRetries: 2, ...o })

  async function calls(cf, label, faults) {
    for (const [name, fault, times] of faults) {
      await emu.reset()
      if (fault) await emu.fault({ method: '*', path: '/*', times, fault })
      await attempt(`${label} / ${name}`, () => cf.zones.list({ name: 'example.com' }))
    }
    await emu.reset()
    await emu.fault({ method: '*', path: '/*', times: 1, fault: OK })
    await attempt(`${label} / user success`, () => cf.request('GET', '/user'))
    // The request log (the emulator shows credential headers to test suites) proves the canary was on the wire.
    const wire = JSON.stringify(await emu.requests())
    sent[label] = [TOKEN, KEY, USK].some((s) => wire.includes(s))
    await emu.fault({ method: '*', path: '/*', times: 1, fault: OK_LIST })
    await attempt(`${label} / list success`, () => cf.zones.list())
    const items = []
    await emu.fault({ method: '*', path: '/*', times: 1, fault: OK_LIST })
    for await (const z of cf.zones.list()) items.push(z)
    add(`${label} / list iterated`, items)
    await emu.fault({ method: '*', path: '/*', times: 1, fault: OK_LIST })
    await attempt(`${label} / request success`, () => cf.request('GET', '/zones', { query: { page: 1 } }))
    await emu.reset()
    await emu.fault({ method: '*', path: '/*', times: 1, fault: { status: 500 } }) // a POST is not retried
    await attempt(`${label} / post 500`, () => cf.zones.create({ name: 'example.com', account: { id: 'a'.repeat(32) } }))
    await attempt(`${label} / generic rejected`, () => cf.get('/zones', { query: { page: 1 } }))
    await attempt(`${label} / verify rejected`, () => cf.user.tokens.verify())
    await emu.fault({ method: '*', path: '/*', times: 1, fault: { delay_ms: 2000 } })
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 50)
    await attempt(`${label} / abort`, () => cf.withOptions({ timeout: 5000 }).zones.list({}, { signal: ac.signal }))
    await emu.reset()
  }

  // Credentials as options, debug logging by option, events to a logger.
  for (const [scheme, creds] of Object.entries(SCHEMES)) {
    const cf = new Cloudflare({ ...options({ logLevel: 'debug', logger }), env: {}, ...creds })
    addClient(`options/${scheme}`, cf)
    addClient(`options/${scheme} withOptions`, cf.withOptions({ timeout: 250 }))
    await calls(cf, `options/${scheme}`, FAULTS)
  }
  // Credentials from the environment, debug logging by CLOUDFLARE_LOG, events to the default logger (console).
  for (const [scheme, env] of Object.entries(ENV_SCHEMES)) {
    const cf = new Cloudflare({ ...options(), env: { ...env, CLOUDFLARE_LOG: 'debug' } })
    addClient(`env/${scheme}`, cf)
    await calls(cf, `env/${scheme}`, FAULTS.filter(([name]) => name !== 'timeout'))
  }
  // A connection that never opens.
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => resolve(p))
    })
  })
  const refused = new Cloudflare({ ...options({ baseURL: `http://127.0.0.1:${port}/client/v4`, logLevel: 'debug', logger }), env: {}, ...SCHEMES.key })
  try {
    await refused.user.get()
    add('connection refused', 'UNEXPECTED: resolved, but should have failed')
  } catch (e) {
    if (!(e instanceof APIConnectionError)) add('connection refused', `UNEXPECTED: not an APIConnectionError: ${e}`)
    addError('connection refused', e)
  }
  // Refused at construction, without echoing the value.
  for (const [name, o] of [
    ['crlf token', { apiToken: `${TOKEN}\r\nX-Evil: 1` }],
    ['non-ascii token', { apiToken: `${TOKEN}\u00e9` }],
    ['control char in email', { apiKey: KEY, apiEmail: `${EMAIL}\x07` }],
    ['half pair alone', { apiKey: KEY }],
    ['http to a remote host', { apiToken: TOKEN, baseURL: 'http://api.example.com/client/v4' }],
    ['unreadable caBundle', { apiToken: TOKEN, caBundle: '/nonexistent/ca.pem' }],
    ['credential header in defaultHeaders', { apiToken: TOKEN, defaultHeaders: { 'X-Auth-Key': KEY } }],
    ['crlf token from the environment', { env: { CLOUDFLARE_API_TOKEN: `${TOKEN}\nX`, CLOUDFLARE_LOG: 'debug' } }],
  ]) {
    try {
      new Cloudflare({ logLevel: 'debug', logger, env: {}, ...o })
      add(`construction: ${name}`, 'UNEXPECTED: constructed, but should have been refused')
    } catch (e) {
      addError(`construction: ${name}`, e)
    }
  }
  const { writeFileSync } = await import('node:fs')
  writeFileSync(process.env.FLAREKIT_CANARY_REPORT, JSON.stringify({ items, logs, sent }))
}
