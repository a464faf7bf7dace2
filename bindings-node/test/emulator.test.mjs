// Emulator-backed behaviour of the Node front door: CRUD, paging with exact request counts, uploads, the demo
// seed's auth failures, abort, concurrency, logging and secret hygiene.
import { after, before, beforeEach, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { createRequire } from 'node:module'
import Cloudflare, {
  APIError,
  APIConnectionTimeoutError,
  APIConnectionError,
  APIUserAbortError,
  AuthenticationError,
  CloudflareError,
  ConfigurationError,
  InvalidArgumentError,
  MissingCredentialsError,
  NotFoundError,
  RateLimitError,
  Page,
} from '../index.mjs'
import { startEmulator, demo, captureLogger, tick } from './support.mjs'

const D = demo()
const SECRETS = [D.ADMIN_TOKEN, D.DNS_EDIT_TOKEN, D.READ_ONLY_TOKEN, D.API_KEY, D.USER_SERVICE_KEY, D.EXPIRED_TOKEN]

let emu
let cf
before(async () => {
  emu = await startEmulator()
})
after(() => emu?.stop())
beforeEach(async () => {
  await emu.reset()
  cf = client()
})

function client(options = {}) {
  return new Cloudflare({ apiToken: D.ADMIN_TOKEN, baseURL: emu.baseURL, env: {}, retryDelayScale: 0.001, ...options })
}

function assertNoSecret(text, what) {
  for (const s of SECRETS) assert.ok(!text.includes(s), `a credential appears in ${what}: ${text}`)
}

async function count(path) {
  return (await emu.requests(path)).length
}

describe('module', () => {
  test('CommonJS and ESM export the same classes', () => {
    const require = createRequire(import.meta.url)
    const cjs = require('../index.js')
    assert.equal(cjs, Cloudflare)
    assert.equal(cjs.Cloudflare, Cloudflare)
    assert.equal(cjs.AuthenticationError, AuthenticationError)
    const { Cloudflare: Named, MissingCredentialsError: M } = cjs
    assert.equal(Named, Cloudflare)
    assert.equal(M, MissingCredentialsError)
  })

  test('the error tree', () => {
    assert.ok(MissingCredentialsError.prototype instanceof AuthenticationError)
    assert.ok(AuthenticationError.prototype instanceof APIError)
    assert.ok(APIError.prototype instanceof CloudflareError)
    assert.ok(APIConnectionTimeoutError.prototype instanceof APIConnectionError)
    assert.ok(CloudflareError.prototype instanceof Error)
    assert.equal(new RateLimitError('x').name, 'RateLimitError')
    assert.equal(new APIConnectionTimeoutError('x').code, 'APITimeoutError')
    assert.equal(new APIError('x').code, 'APIStatusError')
  })

  test('every core error kind has a class', async () => {
    const { native } = await import('../js/native.js')
    const { BY_CODE } = await import('../js/errors.js')
    for (const kind of native().errorKinds()) assert.ok(BY_CODE[kind], `no class for ${kind}`)
  })
})

describe('construction', () => {
  test('missing credentials is a MissingCredentialsError, also an AuthenticationError', () => {
    assert.throws(
      () => new Cloudflare({ env: {} }),
      (e) =>
        e instanceof MissingCredentialsError &&
        e instanceof AuthenticationError &&
        e instanceof APIError &&
        e.code === 'MissingCredentialsError' &&
        e.message.startsWith('Could not resolve authentication method. Expected one of apiEmail, apiKey, apiToken or userServiceKey to be set.') &&
        e.message.includes('CLOUDFLARE_API_TOKEN'),
    )
  })

  test('half a pair names the missing half', () => {
    assert.throws(() => new Cloudflare({ apiKey: D.API_KEY, env: {} }), (e) => e instanceof MissingCredentialsError && /apiEmail/.test(e.message) && !e.message.includes(D.API_KEY))
  })

  test('http to a remote host is a ConfigurationError', () => {
    assert.throws(() => new Cloudflare({ apiToken: 'tok-12345678', baseURL: 'http://example.com/client/v4' }), ConfigurationError)
  })

  test('wrong option types are refused without echoing them', () => {
    assert.throws(() => new Cloudflare({ apiToken: 12345678901 }), (e) => e instanceof ConfigurationError && !e.message.includes('12345678901'))
    assert.throws(() => new Cloudflare({ apiToken: 'abcdefghij', timeout: '5' }), ConfigurationError)
    assert.throws(() => new Cloudflare({ apiToken: 'abcdefghij', timeout: -1 }), ConfigurationError)
  })

  test('CR/LF in a token is refused and not echoed', () => {
    assert.throws(() => new Cloudflare({ apiToken: 'secret-value\r\nX-Evil: 1', env: {} }), (e) => e instanceof ConfigurationError && !e.message.includes('secret-value'))
  })

  test('the environment is used when no credential option is given', () => {
    const c = new Cloudflare({ env: { CLOUDFLARE_API_TOKEN: D.ADMIN_TOKEN, CLOUDFLARE_BASE_URL: emu.baseURL } })
    assert.equal(c.auth, 'apiToken from CLOUDFLARE_API_TOKEN')
    assert.equal(c.baseURL, emu.baseURL)
  })
})

describe('secret hygiene', () => {
  test('inspect and JSON.stringify of a client show no secret', () => {
    for (const c of [cf, client({ apiToken: undefined, apiKey: D.API_KEY, apiEmail: D.API_EMAIL }), client({ apiToken: undefined, userServiceKey: D.USER_SERVICE_KEY })]) {
      assertNoSecret(inspect(c, { showHidden: true, depth: 10 }), 'inspect')
      assertNoSecret(JSON.stringify(c), 'JSON')
      assertNoSecret(String(c), 'String')
      assertNoSecret(Object.keys(c).join(','), 'keys')
    }
    assert.match(inspect(cf), /apiToken from options/)
    assert.equal(JSON.parse(JSON.stringify(cf)).baseURL, emu.baseURL)
  })

  test('errors and logs of a rejected token show no secret', async () => {
    const { lines, logger } = captureLogger()
    const bad = client({ apiToken: D.EXPIRED_TOKEN, logLevel: 'debug', logger })
    const e = await bad.zones.list().catch((e) => e)
    assert.ok(e instanceof AuthenticationError)
    assertNoSecret(`${e.message} ${e.stack} ${inspect(e, { depth: 10 })} ${JSON.stringify(e)}`, 'the error')
    await tick()
    assert.ok(lines.length > 0)
    assertNoSecret(lines.join('\n'), 'logs')
  })
})

describe('CRUD against the demo seed', () => {
  test('verify the token, read zones, create/read/edit/delete a DNS record', async () => {
    const v = await cf.user.tokens.verify()
    assert.equal(v.status, 'active')
    const zone = (await cf.zones.list({ name: 'example.com' })).result[0]
    assert.equal(zone.id, D.ZONE_ID)
    const got = await cf.zones.get({ zone_id: D.ZONE_ID })
    assert.equal(got.name, 'example.com')

    const rec = await cf.dns.records.create({ zone_id: D.ZONE_ID, type: 'A', name: 'node-crud', content: '192.0.2.1', proxied: true, ttl: 1 })
    assert.equal(rec.type, 'A')
    assert.equal(rec.content, '192.0.2.1')
    const again = await cf.dns.records.get(rec.id, { zone_id: D.ZONE_ID })
    assert.equal(again.id, rec.id)
    const edited = await cf.dns.records.edit(rec.id, { zone_id: D.ZONE_ID, content: '192.0.2.2' })
    assert.equal(edited.content, '192.0.2.2')
    const names = []
    for await (const r of cf.dns.records.list({ zone_id: D.ZONE_ID })) names.push(r.id)
    assert.ok(names.includes(rec.id))
    await cf.dns.records.delete(rec.id, { zone_id: D.ZONE_ID })
    const e = await cf.dns.records.get(rec.id, { zone_id: D.ZONE_ID }).catch((e) => e)
    assert.ok(e instanceof NotFoundError, inspect(e))
    assert.equal(e.status, 404)
    assert.ok(Array.isArray(e.errors) && e.errors.length > 0)
    assert.equal(typeof e.headers, 'object')
  })

  test('generic calls', async () => {
    const zones = await cf.get('/zones', { query: { name: 'example.com' } })
    assert.equal(zones[0].id, D.ZONE_ID)
    const rec = await cf.post(`/zones/${D.ZONE_ID}/dns_records`, { body: { type: 'TXT', name: 'gen', content: 'hello' } })
    assert.equal(rec.content, 'hello')
    const del = await cf.delete(`/zones/${D.ZONE_ID}/dns_records/${rec.id}`)
    assert.equal(del.id, rec.id)
  })

  test('request() gives the whole response', async () => {
    const r = await cf.request('get', '/zones', { query: { per_page: 5 } })
    assert.equal(r.status, 200)
    assert.equal(r.result.length, r.result_info.count)
    assert.equal(r.result_info.per_page, 5)
    assert.ok(Array.isArray(r.messages))
    assert.match(r.headers['content-type'], /json/)
  })

  test('by-name calls and Python spellings', async () => {
    const z = await cf.operation('zones', 'get', { zone_id: D.ZONE_ID })
    assert.equal(z.id, D.ZONE_ID)
    const e = await cf.operation('zones', 'frobnicate').catch((e) => e)
    assert.ok(e instanceof InvalidArgumentError)
  })

  test('argument errors reject before any request', async () => {
    const e = await cf.dns.records.create({ type: 'A' }).catch((e) => e)
    assert.ok(e instanceof InvalidArgumentError, inspect(e))
    assert.match(e.message, /zone_id/)
    assert.equal(await count(), 0)
  })

  test('User-Agent names flarekit and node', async () => {
    await cf.user.get()
    const [r] = await emu.requests()
    assert.equal(r.headers['user-agent'], `flarekit/${(await import('../js/native.js')).native().VERSION} (node ${process.versions.node})`)
  })
})

describe('paging', () => {
  const path = `/client/v4/zones/${D.ZONE_ID}/dns_records`

  test('for await walks every item with exact request counts', async () => {
    const ids = []
    for await (const r of cf.dns.records.list({ zone_id: D.ZONE_ID, per_page: 2 })) ids.push(r.id)
    assert.equal(ids.length, 5)
    assert.equal(new Set(ids).size, 5)
    assert.equal(await count(path), 3)
  })

  test('await gives the first page; getNextPage and iterPages', async () => {
    const page = await cf.dns.records.list({ zone_id: D.ZONE_ID, per_page: 2 })
    assert.ok(page instanceof Page)
    assert.equal(page.result.length, 2)
    assert.equal(page.result_info.total_count, 5)
    assert.equal(page.hasNextPage(), true)
    const second = await page.getNextPage()
    assert.equal(second.result_info.page, 2)
    let pages = 0
    for await (const p of page.iterPages()) pages += p.result.length > 0 ? 1 : 0
    assert.equal(pages, 3)
    // 1 (first) + 1 (getNextPage) + 2 (iterPages fetches pages 2 and 3 again from the first page)
    assert.equal(await count(path), 4)
  })

  test('awaiting and then iterating one list call fetches the first page once', async () => {
    const list = cf.dns.records.list({ zone_id: D.ZONE_ID, per_page: 5 })
    const page = await list
    assert.equal(page.result.length, 5)
    assert.equal(page.hasNextPage(), false)
    let n = 0
    for await (const _ of list) n++
    assert.equal(n, 5)
    assert.equal(await count(path), 1)
    await assert.rejects(page.getNextPage(), CloudflareError)
    assert.equal(await count(path), 1)
  })

  test('a list call that is never awaited sends nothing', async () => {
    cf.dns.records.list({ zone_id: D.ZONE_ID })
    await tick(20)
    assert.equal(await count(path), 0)
  })

  test('an error mid-walk rejects the iteration with its class', async () => {
    await emu.fault({ method: 'GET', path, times: 1, fault: { status: 404 } })
    await assert.rejects(async () => {
      for await (const _ of cf.dns.records.list({ zone_id: D.ZONE_ID, per_page: 2 })) {
        // consume
      }
    }, NotFoundError)
  })
})

describe('uploads', () => {
  test('workers multipart upload with File objects and Buffers', async () => {
    const code = 'export default { fetch() { return new Response("hi") } }'
    const res = await cf.workers.scripts.update('hello-node', {
      account_id: D.ACCOUNT_ID,
      metadata: { main_module: 'worker.js', compatibility_date: '2024-01-01' },
      files: [
        new File([code], 'worker.js', { type: 'application/javascript+module' }),
        { name: 'data.bin', content: Buffer.from([0, 1, 2, 255]), content_type: 'application/octet-stream' },
      ],
    })
    assert.equal(res.entry_point ?? res.main_module, 'worker.js')
    const names = res.modules.map((m) => m.name)
    assert.deepEqual(names, ['worker.js', 'data.bin'])
    assert.equal(res.modules[1].size, 4)
    const scripts = []
    for await (const s of cf.workers.scripts.list({ account_id: D.ACCOUNT_ID })) scripts.push(s.id)
    assert.ok(scripts.includes('hello-node'))
  })

  test('workers multipart upload with text files (the core builds the parts)', async () => {
    const res = await cf.workers.scripts.update('text-node', {
      account_id: D.ACCOUNT_ID,
      metadata: { main_module: 'index.js' },
      files: [{ name: 'index.js', content: 'export default {}', content_type: 'application/javascript+module' }],
    })
    assert.equal(res.modules[0].name, 'index.js')
  })

  test('a file without a name is an InvalidArgumentError', async () => {
    const e = await cf.workers.scripts
      .update('x', { account_id: D.ACCOUNT_ID, metadata: { main_module: 'a.js' }, files: [new Blob(['x'])] })
      .catch((e) => e)
    assert.ok(e instanceof InvalidArgumentError, inspect(e))
  })
})

describe('auth failures of the demo seed', () => {
  for (const [name, key] of [
    ['expired', 'EXPIRED_TOKEN'],
    ['not yet valid', 'NOT_YET_VALID_TOKEN'],
    ['revoked', 'REVOKED_TOKEN'],
    ['IP restricted', 'IP_RESTRICTED_TOKEN'],
  ]) {
    test(`${name} token: AuthenticationError`, async () => {
      const c = client({ apiToken: D[key] })
      const e = await c.zones.list().catch((e) => e)
      assert.ok(e instanceof AuthenticationError, inspect(e))
      assert.equal(e.code, 'AuthenticationError')
      assert.equal(e.status, 403)
      assert.ok(e.errors.some((x) => x.code === 10000))
      assert.ok(!e.message.includes(D[key]))
    })
  }

  test('verify of an expired token: AuthenticationError (401/1000)', async () => {
    const e = await client({ apiToken: D.EXPIRED_TOKEN }).user.tokens.verify().catch((e) => e)
    assert.ok(e instanceof AuthenticationError, inspect(e))
    assert.equal(e.status, 401)
  })

  test('unknown token: AuthenticationError', async () => {
    const e = await client({ apiToken: 'not-a-real-token-0123456789012345678901' }).zones.list().catch((e) => e)
    assert.ok(e instanceof AuthenticationError, inspect(e))
  })

  test('read-only token may not create records', async () => {
    const e = await client({ apiToken: D.READ_ONLY_TOKEN })
      .dns.records.create({ zone_id: D.ZONE_ID, type: 'A', name: 'ro', content: '192.0.2.9' })
      .catch((e) => e)
    assert.ok(e instanceof APIError, inspect(e))
    assert.equal(e.status, 403)
  })

  test('key + email works; a wrong key is rejected', async () => {
    const ok = client({ apiToken: undefined, apiKey: D.API_KEY, apiEmail: D.API_EMAIL })
    assert.equal(ok.auth, 'apiKey+apiEmail from options')
    assert.equal((await ok.user.get()).email, D.API_EMAIL)
    const e = await client({ apiToken: undefined, apiKey: 'f'.repeat(37), apiEmail: D.API_EMAIL }).user.get().catch((e) => e)
    assert.ok(e instanceof AuthenticationError, inspect(e))
  })
})

describe('abort, timeouts and limits', () => {
  test('aborting a call in flight rejects with APIUserAbortError at once', async () => {
    await emu.fault({ method: 'GET', path: '/client/v4/zones', times: 1, fault: { delay_ms: 3000 } })
    const ac = new AbortController()
    const started = performance.now()
    const p = cf.zones.list({}, { signal: ac.signal })
    setTimeout(() => ac.abort(), 50)
    await assert.rejects(p, (e) => e instanceof APIUserAbortError && e.code === 'APIUserAbortError')
    assert.ok(performance.now() - started < 1500)
  })

  test('an already aborted signal sends nothing', async () => {
    const ac = new AbortController()
    ac.abort()
    await assert.rejects(cf.zones.get({ zone_id: D.ZONE_ID }, { signal: ac.signal }), APIUserAbortError)
    await assert.rejects(cf.get('/zones', { signal: ac.signal }), APIUserAbortError)
    assert.equal(await count(), 0)
  })

  test('aborting a walk stops it', async () => {
    const ac = new AbortController()
    const seen = []
    await assert.rejects(async () => {
      for await (const r of cf.dns.records.list({ zone_id: D.ZONE_ID, per_page: 1 }, { signal: ac.signal })) {
        seen.push(r)
        if (seen.length === 2) ac.abort()
      }
    }, APIUserAbortError)
    assert.equal(seen.length, 2)
  })

  test('timeout (ms) gives APIConnectionTimeoutError', async () => {
    await emu.fault({ method: 'GET', path: '/client/v4/zones', times: 1, fault: { delay_ms: 1500 } })
    const e = await client({ timeout: 100, maxRetries: 0 }).zones.list().catch((e) => e)
    assert.ok(e instanceof APIConnectionTimeoutError, inspect(e))
    assert.ok(e instanceof APIConnectionError)
    assert.equal(e.code, 'APITimeoutError')
  })

  test('rate limit carries retryAfter', async () => {
    await emu.fault({ method: 'GET', path: '/client/v4/zones', times: 1, fault: { status: 429, headers: { 'retry-after': '7' } } })
    // A 429 asking for more than maxRateLimitWait (5 ms; the wait is 7 ms scaled) is not waited out.
    const e = await client({ maxRetries: 0, maxRateLimitWait: 5 }).zones.list().catch((e) => e)
    assert.ok(e instanceof RateLimitError, inspect(e))
    assert.equal(e.retryAfter, 7)
    assert.equal(e.status, 429)
  })

  test('retries are the core’s: a 503 then success', async () => {
    await emu.fault({ method: 'GET', path: '/client/v4/zones', times: 1, fault: { status: 503 } })
    const page = await cf.zones.list()
    assert.ok(page.result.length >= 1)
    assert.equal(await count('/client/v4/zones'), 2)
  })
})

describe('concurrency', () => {
  test('50 concurrent calls on one client', async () => {
    const calls = Array.from({ length: 50 }, (_, i) => (i % 2 ? cf.zones.get({ zone_id: D.ZONE_ID }) : cf.dns.records.list({ zone_id: D.ZONE_ID }).then((p) => p.result[0])))
    const results = await Promise.all(calls)
    assert.equal(results.length, 50)
    assert.ok(results.every((r) => r && typeof r.id === 'string'))
    assert.equal(await count(), 50)
  })
})

describe('options and logging', () => {
  test('withOptions makes a new client; credentials replace as a set', async () => {
    const key = client({ apiToken: undefined, apiKey: D.API_KEY, apiEmail: D.API_EMAIL })
    const tok = key.withOptions({ apiToken: D.READ_ONLY_TOKEN })
    assert.equal(tok.auth, 'apiToken from options')
    assert.equal(key.auth, 'apiKey+apiEmail from options')
    const slow = cf.withOptions({ timeout: 1234, maxRetries: 5 })
    assert.equal(slow.timeout, 1234)
    assert.equal(slow.maxRetries, 5)
    assert.equal(cf.maxRetries, 2)
    assert.equal(slow.baseURL, emu.baseURL)
    assertNoSecret(inspect(tok), 'inspect')
  })

  test('logger receives method, path, status, attempt and duration; never a secret', async () => {
    const { lines, logger } = captureLogger()
    const c = client({ logLevel: 'debug', logger })
    await c.zones.get({ zone_id: D.ZONE_ID })
    await tick()
    const response = lines.find((l) => l.includes('flarekit: response'))
    assert.ok(response, lines.join('\n'))
    const fields = JSON.parse(response.slice(response.indexOf('{')))
    assert.equal(fields.method, 'GET')
    assert.equal(fields.path, `/zones/${D.ZONE_ID}`)
    assert.equal(fields.status, 200)
    assert.equal(fields.attempt, 1)
    assert.equal(typeof fields.duration_ms, 'number')
    assertNoSecret(lines.join('\n'), 'logs')
  })

  test('CLOUDFLARE_LOG is read by the core; off by default', async () => {
    const a = captureLogger()
    await client({ logger: a.logger, env: { CLOUDFLARE_LOG: 'info' } }).withOptions({}).get('/zones')
    const b = captureLogger()
    await client({ logger: b.logger }).get('/zones')
    await emu.fault({ method: 'GET', path: '/client/v4/zones', times: 1, fault: { status: 503 } })
    await client({ logger: a.logger, env: { CLOUDFLARE_LOG: 'info' } }).get('/zones')
    await tick()
    assert.ok(a.lines.some((l) => l.startsWith('INFO flarekit: retrying')), a.lines.join('\n'))
    assert.deepEqual(b.lines, [])
  })

  test('a half pair beside a token warns through the logger', async () => {
    const { lines, logger } = captureLogger()
    const c = client({ apiKey: D.API_KEY, logLevel: 'warn', logger })
    assert.equal(c.auth, 'apiToken from options')
    await tick()
    assert.ok(lines.some((l) => l.startsWith('WARN') && l.includes('apiKey was given without apiEmail')), lines.join('\n'))
    assertNoSecret(lines.join('\n'), 'logs')
  })
})
