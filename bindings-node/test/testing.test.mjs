// flarekit/testing: the emulator in this process from Node (no binary, no cargo), its admin helpers, ESM and CJS
// entries, and `await using` (Node 20 does not parse it: then TypeScript's downlevel output runs it, and
// Symbol.asyncDispose is called by hand).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { inspect } from 'node:util'
import {
  APIConnectionError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  InvalidArgumentError,
  RateLimitError,
} from 'flarekit'
import { Emulator, demoSeed, ADMIN_TOKEN_NAME } from 'flarekit/testing'

const require = createRequire(import.meta.url)
const PKG = dirname(dirname(fileURLToPath(import.meta.url)))

const SEED = {
  user: { id: '0123456789abcdef0123456789abcdef', email: 'me@example.net', api_key: '0123456789abcdef0123456789abcdef01234' },
  accounts: [{ id: '2123456789abcdef0123456789abcdef', name: 'Mine' }],
  zones: [
    {
      id: '1123456789abcdef0123456789abcdef',
      name: 'mine.example',
      account_id: '2123456789abcdef0123456789abcdef',
      dns_records: [{ type: 'A', name: '@', content: '203.0.113.1' }],
    },
  ],
  tokens: [
    {
      id: '4123456789abcdef0123456789abcdef',
      name: 'dns',
      value: 'abcdefghijABCDEFGHIJ0123456789_-abcdefgh',
      policies: [
        {
          effect: 'allow',
          permission_groups: ['DNS Write', 'Zone Read'],
          resources: { 'com.cloudflare.api.account.zone.1123456789abcdef0123456789abcdef': '*' },
        },
      ],
    },
  ],
}

async function all(pagePromise) {
  const out = []
  for await (const item of pagePromise) out.push(item)
  return out
}

test('the issue scenario: a zone, DNS records, a scoped token, a 429, the audit log', async () => {
  const emu = await Emulator.start()
  try {
    const cf = emu.client({ retryDelayScale: 0.001 })
    assert.equal(cf.auth, 'apiToken from options')
    const zone = await cf.zones.create({ name: 'shop.example', account: { id: emu.accountId } })
    const www = await cf.dns.records.create({ zone_id: zone.id, type: 'A', name: 'www', content: '192.0.2.1' })
    const mx = await cf.dns.records.create({ zone_id: zone.id, type: 'MX', name: '@', content: 'mx.shop.example', priority: 10 })
    assert.deepEqual((await all(cf.dns.records.list({ zone_id: zone.id }))).map((r) => r.name).sort(), ['shop.example', 'www.shop.example'])

    const tok = await cf.tokens.create({ name: 'dns for shop.example', allow: ['DNS Write@zone:shop.example'], ttl: '1h' })
    const scoped = emu.client({ apiToken: tok.value.reveal(), maxRetries: 0 })
    const api = await scoped.dns.records.create({ zone_id: zone.id, type: 'A', name: 'api', content: '192.0.2.2' })
    await assert.rejects(
      scoped.dns.records.create({ zone_id: emu.zones['example.com'], type: 'A', name: 'x', content: '192.0.2.3' }),
      AuthenticationError,
    )

    // A 429 with retry-after: retried (the wait scaled down), and the log shows both answers.
    await emu.clearRequests()
    const rule = await emu.fault(429, { headers: { 'retry-after': '1' }, path: '/zones*', method: 'get' })
    assert.deepEqual(rule, { method: 'GET', path: '/client/v4/zones*', times: 1, fault: { status: 429, headers: { 'retry-after': '1' } } })
    assert.equal((await cf.zones.get({ zone_id: zone.id })).name, 'shop.example')
    assert.deepEqual((await emu.requests()).map((r) => [r.method, r.status]), [['GET', 429], ['GET', 200]])
    assert.deepEqual(await emu.faults(), [])
    // Without retries: a RateLimitError with the server's retry-after.
    await emu.fault({ status: 429, headers: { 'retry-after': '7' }, path: `/zones/${zone.id}` })
    // Asking for longer than maxRateLimitWait: a RateLimitError carrying the server's retry-after.
    await assert.rejects(emu.client({ maxRetries: 0, maxRateLimitWait: 1000 }).zones.get({ zone_id: zone.id }), (e) => {
      assert.ok(e instanceof RateLimitError)
      assert.equal(e.retryAfter, 7)
      assert.equal(e.attempts, 1)
      return true
    })

    const log = await emu.auditLog()
    assert.deepEqual(
      log.map((e) => [e.action.type, e.resource.type, e.resource.id]),
      [
        ['add', 'dns_record', api.id],
        ['add', 'api_token', tok.id],
        ['add', 'dns_record', mx.id],
        ['add', 'dns_record', www.id],
        ['add', 'zone', zone.id],
      ],
    )
    const adminId = emu.seed.tokens.find((t) => t.name === ADMIN_TOKEN_NAME).id
    assert.equal(log[0].actor.id, tok.id)
    assert.equal(log.at(-1).actor.id, adminId)
    assert.equal((await emu.auditLog({ action: { type: 'add' }, zone: { name: 'shop.example' } })).length > 0, true)
    assert.ok((await emu.requests()).every((r) => !r.path.includes('audit_logs')), 'the helper’s own requests are not logged')
  } finally {
    await emu.stop()
  }
  assert.equal(emu.running, false)
})

test('credentials, seed values and the client', async () => {
  const emu = await Emulator.start()
  try {
    assert.match(emu.baseURL, /^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/)
    assert.equal(emu.adminURL, emu.baseURL.replace(/\/client\/v4$/, '/__emulator'))
    for (const name of [ADMIN_TOKEN_NAME, 'DNS edit: example.com', 'Read only: all zones', 'Expired']) assert.ok(emu.tokens[name], name)
    assert.equal(emu.apiEmail, 'demo@example.com')
    assert.equal(emu.apiKey.length, 37)
    assert.ok(emu.userServiceKey.startsWith('v1.0-'))
    assert.deepEqual(Object.keys(emu.accounts), ['Demo Account', 'Demo Staging Account'])
    assert.equal(emu.accounts['Demo Account'], emu.accountId)
    assert.deepEqual(Object.keys(emu.zones), ['example.com', 'example.org'])
    assert.equal(emu.zones['example.com'], emu.zoneId)
    assert.equal(emu.seed.user.id, emu.userId)

    const dns = emu.client({ apiToken: emu.tokens['DNS edit: example.com'] })
    assert.ok((await dns.dns.records.list({ zone_id: emu.zoneId })).result.length > 0)
    await assert.rejects(dns.dns.records.list({ zone_id: emu.zones['example.org'] }), AuthenticationError)
    const key = emu.client({ apiKey: emu.apiKey, apiEmail: emu.apiEmail })
    assert.equal(key.auth, 'apiKey+apiEmail from options')
    assert.equal((await key.user.get()).email, 'demo@example.com')
    await assert.rejects(emu.client({ apiToken: emu.tokens.Expired, maxRetries: 0 }).zones.get({ zone_id: emu.zoneId }), AuthenticationError)
    for (const r of await emu.requests({ method: 'GET' })) assert.ok(r.headers.authorization === undefined || r.headers.authorization === '***')
    assert.equal(inspect(emu), `Emulator { baseURL: '${emu.baseURL}', running: true }`)
    assert.throws(() => new Emulator(), TypeError)
  } finally {
    await emu.stop()
  }
  await emu.stop() // idempotent
  await assert.rejects(emu.requests(), /stopped/)
  assert.throws(() => emu.client(), /stopped/)
})

test('the environment does not leak into emu.client()', async () => {
  const saved = { ...process.env }
  process.env.CLOUDFLARE_API_TOKEN = 'from-the-environment-0123456789012345678901'
  process.env.CLOUDFLARE_BASE_URL = 'https://api.cloudflare.com/client/v4'
  process.env.CLOUDFLARE_ACCOUNT_ID = 'ffffffffffffffffffffffffffffffff'
  const emu = await Emulator.start()
  try {
    const cf = emu.client()
    assert.equal(cf.auth, 'apiToken from options')
    assert.equal(cf.baseURL, emu.baseURL)
    assert.equal(cf.accountId, undefined)
    assert.equal(emu.client({ accountId: emu.accountId }).accountId, emu.accountId)
  } finally {
    for (const k of ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_BASE_URL', 'CLOUDFLARE_ACCOUNT_ID']) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
    await emu.stop()
  }
})

test('custom seed: object, JSON text, path and file: URL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flarekit-seed-'))
  const path = join(dir, 'seed.json')
  writeFileSync(path, JSON.stringify(SEED))
  for (const seed of [SEED, JSON.stringify(SEED), path, pathToFileURL(path)]) {
    const emu = await Emulator.start({ seed })
    try {
      assert.deepEqual(emu.tokens, { dns: SEED.tokens[0].value })
      assert.deepEqual(emu.zones, { 'mine.example': '1123456789abcdef0123456789abcdef' })
      assert.equal(emu.accountId, '2123456789abcdef0123456789abcdef')
      assert.equal(emu.userServiceKey, undefined)
      // No "Admin: everything" token: client() uses the global key.
      assert.equal(emu.client().auth, 'apiKey+apiEmail from options')
      assert.deepEqual((await all(emu.client().zones.list())).map((z) => z.name), ['mine.example'])
      const scoped = emu.client({ apiToken: emu.tokens.dns })
      await scoped.dns.records.create({ zone_id: emu.zoneId, type: 'TXT', name: 't', content: 'hello' })
      assert.equal((await all(scoped.dns.records.list({ zone_id: emu.zoneId }))).length, 2)
    } finally {
      await emu.stop()
    }
  }
})

test('demoSeed() is a starting point for a custom seed', async () => {
  const seed = await demoSeed()
  seed.zones[0].dns_records.push({ type: 'A', name: 'api', content: '192.0.2.50' })
  await using_(await Emulator.start({ seed }), async (emu) => {
    const names = (await all(emu.client().dns.records.list({ zone_id: emu.zoneId }))).map((r) => r.name)
    assert.ok(names.includes('api.example.com'))
  })
})

test('bad seed and bad address', async () => {
  await assert.rejects(Emulator.start({ seed: {} }), (e) => e instanceof InvalidArgumentError && /user/.test(e.message))
  await assert.rejects(Emulator.start({ seed: { ...SEED, zonez: [] } }), (e) => e instanceof InvalidArgumentError && /unknown field/.test(e.message))
  await assert.rejects(Emulator.start({ seed: '/nonexistent/seed.json' }), /ENOENT/)
  await assert.rejects(Emulator.start({ seed: 42 }), InvalidArgumentError)
  await assert.rejects(Emulator.start({ host: '203.0.113.1' }), (e) => e instanceof APIConnectionError && /could not listen/.test(e.message))
})

test('latency and port out of range are refused in the core words', async () => {
  // The emulator crate's rule and words (Python says the same in seconds).
  for (const latency of [-1, 600001, NaN, Infinity]) {
    await assert.rejects(
      Emulator.start({ latency }),
      (e) => e instanceof InvalidArgumentError && /latency must be a number of milliseconds from 0 to 600000, got/.test(e.message),
    )
  }
  for (const port of [-1, 65536]) {
    await assert.rejects(Emulator.start({ port }), (e) => e instanceof InvalidArgumentError && e.message.includes(`port ${port} is not 0-65535`))
  }
  await using_(await Emulator.start(), async (emu) => {
    await assert.rejects(emu.setLatency(600001), (e) => e instanceof InvalidArgumentError && /from 0 to 600000/.test(e.message))
  })
})

test('reset', async () => {
  await using_(await Emulator.start(), async (emu) => {
    const cf = emu.client()
    await cf.zones.create({ name: 'gone.example', account: { id: emu.accountId } })
    await emu.fault(500, { path: '/user' })
    await emu.reset({ state: false })
    assert.deepEqual(await emu.faults(), [])
    assert.deepEqual(await emu.requests(), [])
    assert.ok((await all(cf.zones.list())).some((z) => z.name === 'gone.example'))
    assert.equal((await emu.auditLog()).length, 1)
    await emu.reset()
    assert.deepEqual((await all(cf.zones.list())).map((z) => z.name).sort(), ['example.com', 'example.org'])
    assert.deepEqual(await emu.auditLog(), [])
  })
})

test('fault shapes', async () => {
  await using_(await Emulator.start(), async (emu) => {
    const cf = emu.client({ maxRetries: 0 })
    const rule = await emu.fault({ path: 'zones', method: 'get', drop: 'beforeHeaders' })
    assert.deepEqual(rule, { method: 'GET', path: '/client/v4/zones', times: 1, fault: { drop: 'before_headers' } })
    await assert.rejects(cf.get('/zones'), APIConnectionError)
    await emu.fault(400, { body: { success: false, errors: [{ code: 1234, message: 'nope' }], messages: [] } })
    await assert.rejects(cf.get('/user'), (e) => e instanceof BadRequestError && e.errors[0].code === 1234)
    await emu.fault(200, { body: Buffer.from('{"success": tru'), path: '/user' })
    await assert.rejects(cf.get('/user'))
    await emu.fault({ html: true, path: '/client/v4/user' })
    await assert.rejects(cf.get('/user'), InternalServerError)
    const t0 = performance.now()
    await emu.fault({ delay: 200, headers: { 'x-test': 'yes' }, path: '/user' })
    const resp = await cf.request('GET', '/user')
    assert.ok(performance.now() - t0 >= 190)
    assert.equal(resp.headers['x-test'], 'yes')
    await emu.fault(503, { times: 3 })
    assert.equal((await emu.faults())[0].times, 3)
    await emu.clearFaults()
    assert.equal((await cf.get('/user')).email, 'demo@example.com')
    await assert.rejects(emu.fault(500, { times: 0 }), (e) => e instanceof InvalidArgumentError && /times/.test(e.message))
    await assert.rejects(emu.fault(500, { method: 'NOT A METHOD' }), InvalidArgumentError)
  })
})

test('await using / Symbol.asyncDispose', async () => {
  assert.equal(typeof Symbol.asyncDispose, 'symbol')
  const emu = await Emulator.start()
  assert.equal(typeof emu[Symbol.asyncDispose], 'function')
  await emu[Symbol.asyncDispose]()
  assert.equal(emu.running, false)

  // `await using` itself: natively where the runtime parses it, else as TypeScript compiles it for Node 20.
  const source = [
    "import { Emulator } from 'flarekit/testing'",
    'export async function run() {',
    '  let seen',
    '  {',
    '    await using emu = await Emulator.start()',
    '    seen = emu',
    '    if (!emu.running) throw new Error("not running")',
    '  }',
    '  return seen.running',
    '}',
  ].join('\n')
  let code = source
  let how = 'native syntax'
  try {
    new Function(`return async () => { await using x = null }`)
  } catch {
    const ts = require('typescript')
    code = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText
    how = `TypeScript ${ts.version} downlevel (Node ${process.versions.node} does not parse \`await using\`)`
  }
  const dir = mkdtempSync(join(PKG, 'test', '.await-using-'))
  const file = join(dir, 'run.mjs')
  writeFileSync(file, code)
  try {
    const { run } = await import(pathToFileURL(file).href)
    assert.equal(await run(), false, 'stopped at the end of the block')
  } finally {
    require('node:fs').rmSync(dir, { recursive: true, force: true })
  }
  console.log(`await using: ${how}`)
})

test('CommonJS and ESM entries are one module; `flarekit` does not load it', async () => {
  const cjs = require('flarekit/testing')
  assert.equal(cjs.Emulator, Emulator)
  assert.equal(cjs.demoSeed, demoSeed)
  assert.equal(require('../testing.js').Emulator, Emulator)
  const pkg = require('../package.json')
  assert.deepEqual(pkg.exports['./testing'], { types: './testing.d.ts', import: './testing.mjs', require: './testing.js' })
  for (const f of ['testing.js', 'testing.mjs', 'testing.d.ts']) assert.ok(pkg.files.includes(f), f)
  const loaded = execFileSync(
    process.execPath,
    ['-e', "require('flarekit'); console.log(Object.keys(require.cache).filter((f) => /testing\\.js$/.test(f)).join(','))"],
    { cwd: PKG, encoding: 'utf8' },
  ).trim()
  assert.equal(loaded, '')
  const esm = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', "await import('flarekit'); const { createRequire } = await import('node:module'); const r = createRequire(process.cwd() + '/'); console.log(Object.keys(r.cache).filter((f) => /testing/.test(f)).join(','))"],
    { cwd: PKG, encoding: 'utf8' },
  ).trim()
  assert.equal(esm, '')
})

test('start-up time (budget 50 ms: printed, asserted generously)', () => {
  const script = `
    const t0 = performance.now()
    const { Emulator } = require('flarekit/testing')
    const t1 = performance.now()
    Emulator.start().then(async (emu) => {
      const t2 = performance.now()
      const again = []
      for (let i = 0; i < 5; i++) { const a = performance.now(); const e = await Emulator.start(); again.push(performance.now() - a); await e.stop() }
      await emu.stop()
      again.sort((x, y) => x - y)
      console.log(JSON.stringify([t1 - t0, t2 - t1, again[2]]))
    })`
  const [load, first, later] = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: PKG, encoding: 'utf8' }))
  console.log(`flarekit/testing start-up: require ${load.toFixed(1)} ms, first Emulator.start() ${first.toFixed(1)} ms, later ones ${later.toFixed(1)} ms (median)`)
  assert.ok(first < 500 && later < 500)
})

/** `await using` for Node 20's parser: run `body`, then dispose the emulator the way `await using` does. */
async function using_(emu, body) {
  try {
    await body(emu)
  } finally {
    await emu[Symbol.asyncDispose]()
  }
}

test('while a page is awaited the following ones are on their way', async () => {
  // page_prefetch counts from the page being read or, once the next is asked for, the page awaited.
  const latency = 600
  const emu = await Emulator.start({ latency })
  const requestsReach = async (n, until) => {
    for (;;) {
      const seen = (await emu.requests()).length
      if (seen >= n || performance.now() >= until) return seen
      await new Promise((r) => setTimeout(r, 10))
    }
  }
  try {
    const it = emu.client({ pagePrefetch: 2 }).dns.records.list({ zone_id: emu.zoneId, per_page: 1 })[Symbol.asyncIterator]()
    const first = await it.next()
    const answered = performance.now() + latency // pages 2 and 3 leave now and cannot be answered before
    assert.equal(await requestsReach(3, performance.now() + 200), 3, 'page 1 read: pages 2 and 3 ahead')
    let settled = false
    const waiting = it.next().then((r) => { settled = true; return r })
    const seen = await requestsReach(4, answered - 150)
    assert.ok(performance.now() < answered && !settled, 'page 2 is still on its way')
    assert.equal(seen, 4, 'waiting for page 2: pages 3 and 4 ahead')
    const ids = new Set([first.value.id, (await waiting).value.id])
    for (let r = await it.next(); !r.done; r = await it.next()) ids.add(r.value.id)
    assert.equal(ids.size, 5)
    assert.equal((await emu.requests()).length, 5, 'one request per page')
  } finally {
    await emu.stop()
  }
})

test('latency and TLS reproduce a real link: HTTP/2 on one connection, pages fetched ahead', async () => {
  const emu = await Emulator.start({ latency: 30, tls: true })
  try {
    assert.ok(emu.baseURL.startsWith('https://') && emu.caPath)
    const cf = emu.client()
    let started = performance.now()
    const ids = []
    for await (const r of cf.dns.records.list({ zone_id: emu.zoneId, per_page: 1 })) ids.push(r.id)
    const ahead = performance.now() - started
    assert.equal(ids.length, 5)
    started = performance.now()
    const serialIds = []
    for await (const r of emu.client({ pagePrefetch: 0 }).dns.records.list({ zone_id: emu.zoneId, per_page: 1 })) serialIds.push(r.id)
    const serial = performance.now() - started
    assert.deepEqual(serialIds, ids)
    assert.ok(serial >= 150 && ahead < serial, `ahead ${ahead} ms, serial ${serial} ms`)
    await Promise.all(Array.from({ length: 32 }, () => cf.zones.get({ zone_id: emu.zoneId })))
    assert.equal(emu.connections, 2, 'one HTTP/2 connection per client')
    await emu.setLatency(0)
  } finally {
    await emu.stop()
  }
})
