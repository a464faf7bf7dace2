// Transport security end to end (issue 8, item 5), beyond what tests/vectors already covers: certificates are always
// verified and a private CA is trusted only through `caBundle`; `http://` to a non-loopback host is refused before
// any connection; a 3xx is never followed (the host it names sees nothing); CR/LF in any credential is refused.
// The Node twin of bindings-python/tests/test_transport.py.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import { networkInterfaces } from 'node:os'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { inspect } from 'node:util'
import Cloudflare, { APIConnectionError, APIError, ConfigurationError, InvalidArgumentError } from '../index.mjs'
import { ROOT, tick } from './support.mjs'

const TLS = join(ROOT, 'tests', 'tls')
const CA = join(TLS, 'ca.pem')
const TOKEN = 'tok-transport-canary-123'
const KEY = 'key-transport-canary-456'
const EMAIL = 'transport-canary@example.com'
const USK = 'v1.0-usk-transport-canary-789'
const SCHEMES = {
  token: { apiToken: TOKEN },
  key: { apiKey: KEY, apiEmail: EMAIL },
  userServiceKey: { userServiceKey: USK },
}
const OK_BODY = '{"success":true,"errors":[],"messages":[],"result":{"id":"u1"}}'
const T = { timeout: 20_000 }

function client(options = {}) {
  return new Cloudflare({ apiToken: TOKEN, maxRetries: 0, env: {}, timeout: 5000, ...options })
}

function assertNoSecret(text) {
  for (const s of [TOKEN, KEY, EMAIL, USK]) assert.ok(!text.includes(s), `a credential appears in: ${text}`)
}

/** Everything an error shows: message, stack, inspect, JSON and its fields. */
function errorText(e) {
  return [String(e), e.stack, inspect(e, { depth: 8, showHidden: true }), JSON.stringify(e), JSON.stringify({ ...e })].join('\n')
}

/** What a rejected call rejected with (fails when it resolved). */
async function rejection(promise) {
  try {
    const v = await promise
    assert.fail(`expected a rejection, got ${inspect(v)}`)
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e
    return e
  }
}

function thrown(fn) {
  try {
    fn()
  } catch (e) {
    return e
  }
  assert.fail('expected a throw')
}

function listen(server, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => resolve(server.address().port))
  })
}

function close(server) {
  server.closeAllConnections?.()
  return new Promise((resolve) => server.close(() => resolve()))
}

// -- a loopback TLS server with the test certificate (tests/tls)

/** An https server with server.pem; counts TCP connections, finished handshakes and HTTP requests. */
async function tlsServer(host = '127.0.0.1') {
  const s = { connections: 0, handshakes: 0, requests: 0, handshakeErrors: [] }
  s.server = https.createServer({ cert: readFileSync(join(TLS, 'server.pem')), key: readFileSync(join(TLS, 'server.key')) }, (req, res) => {
    s.requests += 1
    req.resume()
    res.writeHead(200, { 'content-type': 'application/json', connection: 'close' })
    res.end(OK_BODY)
  })
  s.server.on('connection', () => (s.connections += 1))
  s.server.on('secureConnection', () => (s.handshakes += 1))
  s.server.on('tlsClientError', (e) => s.handshakeErrors.push(String(e)))
  s.port = await listen(s.server, host)
  s.close = () => close(s.server)
  return s
}

describe('TLS: certificates are always verified', () => {
  test('a self-signed server is refused without its CA', T, async () => {
    const srv = await tlsServer()
    try {
      const cf = client({ baseURL: `https://127.0.0.1:${srv.port}/client/v4` })
      for (const call of [() => cf.user.get(), () => cf.get('/user'), () => cf.post('/zones', { body: { name: 'example.com' } })]) {
        const e = await rejection(call())
        assert.equal(e.constructor, APIConnectionError, inspect(e))
        assert.equal(e.code, 'APIConnectionError')
        assert.match(e.message, /certificate/i)
        assert.equal(e.status, undefined)
        assertNoSecret(errorText(e))
      }
      await tick(50)
      assert.ok(srv.connections >= 3, 'the client did connect (the refusal is the certificate\'s)')
      assert.equal(srv.handshakes, 0, 'no handshake completed')
      assert.equal(srv.requests, 0, 'no HTTP request (and no credential) crossed an unverified connection')
    } finally {
      await srv.close()
    }
  })

  for (const host of ['127.0.0.1', 'localhost']) {
    test(`the private CA is trusted when passed (${host})`, T, async () => {
      const srv = await tlsServer()
      try {
        const cf = client({ baseURL: `https://${host}:${srv.port}/client/v4`, caBundle: CA })
        assert.equal((await cf.user.get()).id, 'u1')
        assert.equal(srv.requests, 1)
        assert.ok(srv.handshakes >= 1)
      } finally {
        await srv.close()
      }
    })
  }

  test('caBundle takes a file: URL and survives withOptions', T, async () => {
    const srv = await tlsServer()
    try {
      const baseURL = `https://127.0.0.1:${srv.port}/client/v4`
      const trusted = client({ baseURL, caBundle: pathToFileURL(CA) })
      assert.equal((await trusted.get('/user')).id, 'u1')
      // withOptions keeps the CA; a client without it does not gain it; withOptions({ caBundle }) adds it.
      assert.equal((await trusted.withOptions({ timeout: 4000 }).get('/user')).id, 'u1')
      assert.equal((await trusted.withOptions({ apiToken: 'another-token' }).get('/user')).id, 'u1')
      const plain = client({ baseURL })
      const e = await rejection(plain.withOptions({ timeout: 4000 }).get('/user'))
      assert.equal(e.constructor, APIConnectionError)
      assert.match(e.message, /certificate/i)
      assert.equal((await plain.withOptions({ caBundle: CA }).get('/user')).id, 'u1')
      assert.equal(srv.requests, 4)
    } finally {
      await srv.close()
    }
  })

  test('caBundle does not turn off hostname checks', T, async (t) => {
    // The certificate names localhost and 127.0.0.1; a trusted CA does not make it valid for 127.0.0.2.
    let srv
    try {
      srv = await tlsServer('127.0.0.2')
    } catch {
      t.skip('cannot listen on 127.0.0.2')
      return
    }
    try {
      const cf = client({ baseURL: `https://127.0.0.2:${srv.port}/client/v4`, caBundle: CA })
      const e = await rejection(cf.get('/user'))
      assert.equal(e.constructor, APIConnectionError, inspect(e))
      assert.match(e.message, /certificate/i)
      await tick(50)
      assert.ok(srv.connections >= 1)
      assert.equal(srv.handshakes, 0)
      assert.equal(srv.requests, 0)
    } finally {
      await srv.close()
    }
  })

  const bad = [
    ['missing', '/nonexistent/ca.pem', /caBundle \/nonexistent\/ca\.pem cannot be read/],
    ['a directory', TLS, /caBundle .* cannot be read/],
    ['not PEM', join(TLS, 'README.md'), /PEM/],
    ['a key, not a certificate', join(TLS, 'server.key'), /PEM/],
  ]
  for (const [name, bundle, needle] of bad) {
    test(`an unreadable caBundle is a ConfigurationError (${name})`, () => {
      for (const make of [() => client({ caBundle: bundle }), () => client().withOptions({ caBundle: bundle })]) {
        const e = thrown(make)
        assert.ok(e instanceof ConfigurationError, inspect(e))
        assert.equal(e.code, 'ConfigurationError')
        assert.match(e.message, needle)
        assertNoSecret(errorText(e))
      }
    })
  }

  test('caBundle of the wrong type', () => {
    for (const v of [42, true, { path: CA }, new URL('https://example.com/ca.pem')]) {
      const e = thrown(() => client({ caBundle: v }))
      assert.ok(e instanceof ConfigurationError, inspect(e))
      assert.match(e.message, /caBundle must be a path/)
    }
  })
})

// -- http:// only to loopback, refused before connecting

describe('http:// only to loopback hosts', () => {
  for (const host of ['api.example.com', '0.0.0.0', '127.0.0.1.nip.io', 'localhost.example.com', '[::ffff:10.0.0.1]', '10.0.0.1']) {
    test(`refused for ${host}`, () => {
      const url = `http://${host}:8787/client/v4`
      for (const make of [
        () => client({ baseURL: url }),
        () => client({ env: { CLOUDFLARE_BASE_URL: url } }),
        () => client().withOptions({ baseURL: url }),
      ]) {
        const e = thrown(make)
        assert.ok(e instanceof ConfigurationError, inspect(e))
        assert.match(e.message, /non-loopback/)
        assertNoSecret(errorText(e))
      }
    })
  }

  test('http:// to a real non-loopback address never connects', T, async (t) => {
    const ip = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal && !a.address.startsWith('127.'))?.address
    if (!ip) {
      t.skip('this machine has no non-loopback IPv4 address')
      return
    }
    let connections = 0
    const listener = net.createServer((sock) => {
      connections += 1
      sock.destroy()
    })
    const port = await listen(listener, ip)
    try {
      const url = `http://${ip}:${port}/client/v4`
      for (const make of [
        () => client({ baseURL: url }),
        () => client({ env: { CLOUDFLARE_BASE_URL: url, CLOUDFLARE_API_TOKEN: TOKEN }, apiToken: undefined }),
        () => client().withOptions({ baseURL: url }),
      ]) {
        const e = thrown(make)
        assert.ok(e instanceof ConfigurationError, inspect(e))
        assert.match(e.message, /non-loopback/)
      }
      await tick(500)
      assert.equal(connections, 0, 'nothing connected to the non-loopback listener')
    } finally {
      await close(listener)
    }
  })
})

// -- redirects are never followed

/** A loopback HTTP server answering every request with `status` (and `location`); records request headers. */
async function serve(status, location) {
  const seen = []
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      seen.push({ ...req.headers })
      const body = status === 200 ? OK_BODY : ''
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
      if (location) headers.location = location
      res.writeHead(status, headers)
      res.end(body)
    })
  })
  const port = await listen(server)
  return { server, seen, port }
}

describe('redirects are never followed', () => {
  for (const [scheme, creds] of Object.entries(SCHEMES)) {
    for (const status of [301, 302, 303, 307, 308]) {
      test(`${status} with ${scheme}`, T, async () => {
        const other = await serve(200)
        const target = `http://127.0.0.1:${other.port}/client/v4/user`
        const first = await serve(status, target)
        try {
          const cf = new Cloudflare({ baseURL: `http://127.0.0.1:${first.port}/client/v4`, maxRetries: 2, env: {}, retryDelayScale: 0.001, ...creds })
          for (const call of [() => cf.user.get(), () => cf.post('/zones', { body: { name: 'example.com' } })]) {
            const e = await rejection(call())
            assert.equal(e.constructor, APIError, inspect(e))
            assert.equal(e.code, 'APIStatusError')
            assert.equal(e.status, status)
            assert.equal(e.headers.location, target)
            assert.equal(e.attempts, 1)
            assertNoSecret(errorText(e))
          }
          assert.equal(first.seen.length, 2, 'one request per call, no retry of a 3xx')
          assert.deepEqual(other.seen, [], 'the host named in Location saw no request (and no credential)')
          // The credentials did go to the configured host: the test would notice a client that sent none.
          const sent = JSON.stringify(first.seen)
          assert.ok(Object.values(creds).every((v) => sent.includes(v)), 'the configured host got the credentials')
        } finally {
          await close(first.server)
          await close(other.server)
        }
      })
    }
  }
})

// -- CR/LF (and other header-breaking characters) in any credential

const COMPANION = { apiKey: { apiEmail: EMAIL }, apiEmail: { apiKey: KEY } }
const ENV = {
  apiToken: 'CLOUDFLARE_API_TOKEN',
  apiKey: 'CLOUDFLARE_API_KEY',
  apiEmail: 'CLOUDFLARE_EMAIL',
  userServiceKey: 'CLOUDFLARE_API_USER_SERVICE_KEY',
}
const GOOD = { apiToken: TOKEN, apiKey: KEY, apiEmail: EMAIL, userServiceKey: USK }

describe('line breaks in any credential are refused', () => {
  for (const [label, brk] of [['crlf', '\r\n'], ['lf', '\n'], ['cr', '\r']]) {
    for (const option of Object.keys(ENV)) {
      test(`${option} with ${label}`, () => {
        const good = GOOD[option]
        const value = good.slice(0, 8) + brk + 'X-Evil: 1' + brk + good.slice(8)
        const errors = []
        // As an option, from the environment, and through withOptions().
        let e = thrown(() => new Cloudflare({ env: {}, [option]: value, ...COMPANION[option] }))
        assert.ok(e instanceof ConfigurationError, inspect(e))
        assert.match(e.message, /line break/)
        assert.ok(e.message.includes(option), e.message)
        errors.push(e)
        const env = { [ENV[option]]: value }
        for (const [k, v] of Object.entries(COMPANION[option] ?? {})) env[ENV[k]] = v
        e = thrown(() => new Cloudflare({ env }))
        assert.ok(e instanceof ConfigurationError, inspect(e))
        assert.match(e.message, /line break/)
        assert.ok(e.message.includes(ENV[option]), e.message)
        errors.push(e)
        e = thrown(() => client().withOptions({ [option]: value, ...COMPANION[option] }))
        assert.ok(e instanceof ConfigurationError, inspect(e))
        assert.match(e.message, /line break/)
        errors.push(e)
        for (const err of errors) {
          // (The stack names this file, so the echo check reads the message and fields.)
          const shown = `${err.message} ${JSON.stringify({ ...err })}`
          assert.ok(!shown.includes('X-Evil') && !shown.includes(good.slice(0, 8)), `the value is not echoed: ${shown}`)
          assertNoSecret(errorText(err))
        }
      })
    }
  }
})

describe('proxies', () => {
  for (const source of ['option', 'HTTPS_PROXY']) {
    test(`a refused tunnel is explained (${source})`, async () => {
      const lines = []
      const server = net.createServer((conn) => {
        let head = ''
        conn.on('data', (d) => {
          head += d.toString('latin1')
          if (head.includes('\r\n\r\n')) {
            lines.push(head.split('\r\n')[0])
            conn.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n')
          }
        })
        conn.on('error', () => {})
      })
      await new Promise((r) => server.listen(0, '127.0.0.1', r))
      const port = server.address().port
      const url = `http://someone:pr0xy-pass-word@127.0.0.1:${port}`
      const opts = { apiToken: TOKEN, baseURL: 'https://api.cloudflare.com/client/v4', maxRetries: 0, env: {} }
      if (source === 'option') opts.proxy = url
      else opts.env = { HTTPS_PROXY: url }
      const cf = new Cloudflare(opts)
      try {
        await assert.rejects(cf.get('/user'), (e) => {
          assert.ok(e instanceof APIConnectionError, String(e))
          assert.ok(e.message.includes(`the proxy at ${source === 'option' ? 'proxy' : 'HTTPS_PROXY'} (http://***@127.0.0.1:${port}) answered 502 to CONNECT api.cloudflare.com:443`), e.message)
          assert.ok(!(e.message + inspect(e) + inspect(cf)).includes('pr0xy-pass-word'))
          return true
        })
        assert.ok(lines.length > 0 && lines.every((l) => l === 'CONNECT api.cloudflare.com:443 HTTP/1.1'), JSON.stringify(lines))
      } finally {
        server.close()
      }
    })
  }
})

describe('bad per-call values', () => {
  const cf = new Cloudflare({ apiToken: TOKEN, baseURL: 'http://127.0.0.1:9/client/v4', maxRetries: 0, env: {} })
  const cyclic = {}
  cyclic.self = cyclic
  for (const [what, call, needle] of [
    ['a signal that is not one', () => cf.get('/user', { signal: 5 }), 'signal must be an AbortSignal'],
    ['a BigInt in the query', () => cf.get('/user', { query: { n: 2n ** 70n } }), 'BigInt'],
    ['a BigInt in params', () => cf.zones.list({ per_page: 1n }), 'BigInt'],
    ['a cyclic body', () => cf.post('/x', { body: cyclic }), 'cannot be sent as JSON'],
  ]) {
    test(`${what} is an InvalidArgumentError before any request`, async () => {
      await assert.rejects(call, (e) => e instanceof InvalidArgumentError && e.message.includes(needle))
    })
  }
})
