// Conformance with Cloudflare's own spec (issue 8, item 6): each of the 18 operations of
// ../shared/cloudflare-api/subset.openapi.json, called by name from tests/conformance/cases.json, against Prism serving
// that spec. Prism reports a request that breaks the spec in an `sl-violations` response header; an operation called
// by name resolves to its result only, so the calls go through a loopback proxy in front of Prism that records each
// response's status and that header. A case passes when there is exactly one exchange, Prism reports no request-side
// violation (its reports about its own generated responses and the known quirks a case lists are ignored), and the
// response decodes. The Node twin of core/tests/conformance.rs; skipped, saying why, when ../shared is absent or Prism
// is not installed (`make conformance-deps`).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { join } from 'node:path'
import { inspect } from 'node:util'
import Cloudflare, { APIError, CloudflareError, Page } from '../index.mjs'
import { ROOT, tick } from './support.mjs'

const SPEC = join(ROOT, '..', 'shared', 'cloudflare-api', 'subset.openapi.json')
const PRISM = join(ROOT, 'tests', 'conformance', 'node_modules', '.bin', 'prism')
const DOC = JSON.parse(readFileSync(join(ROOT, 'tests', 'conformance', 'cases.json'), 'utf8'))
const SKIP = !existsSync(SPEC)
  ? `conformance skipped: ${SPEC} is absent`
  : !existsSync(PRISM)
    ? 'conformance skipped: Prism is not installed (run `make conformance-deps`)'
    : false

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

function canConnect(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port }, () => {
      sock.destroy()
      resolve(true)
    })
    sock.once('error', () => resolve(false))
  })
}

/** Forwards every request to Prism unchanged and relays the answer; records status and `sl-violations`. */
async function recordingProxy(upstreamPort) {
  const seen = []
  const server = http.createServer((req, res) => {
    const up = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (ur) => {
      seen.push({ method: req.method, path: req.url, status: ur.statusCode, violations: ur.headers['sl-violations'] })
      res.writeHead(ur.statusCode, ur.headers)
      ur.pipe(res)
    })
    up.on('error', (e) => {
      res.writeHead(502, { 'content-type': 'text/plain' })
      res.end(`proxy: ${e.message}`)
    })
    req.pipe(up)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    seen,
    baseURL: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    },
  }
}

/** Prism's `sl-violations` about the request (not about its own generated response), minus known quirks. */
function requestViolations(raw, allowed) {
  if (raw === undefined) return []
  let list
  try {
    list = JSON.parse(raw)
  } catch {
    return [raw]
  }
  const isAllowed = (loc) => allowed.some((a) => JSON.stringify(a) === JSON.stringify(loc))
  return list.filter((v) => v.location?.[0] !== 'response' && !isAllowed(v.location))
}

function client(baseURL, auth) {
  const c = DOC.credentials
  const creds = auth === 'key' ? { apiKey: c.key, apiEmail: c.email } : { apiToken: c.token }
  // One request per call (no page fetched ahead), so each operation's request stands alone.
  return new Cloudflare({ baseURL, maxRetries: 0, pagePrefetch: 0, env: {}, ...creds })
}

test('the subset has 18 cases', () => {
  assert.equal(DOC.cases.length, 18)
  assert.equal(new Set(DOC.cases.map((c) => c.operation)).size, 18)
})

describe('conformance with subset.openapi.json under Prism', { skip: SKIP }, () => {
  let prism
  let proxy
  before(async () => {
    const port = await freePort()
    prism = spawn(PRISM, ['mock', '-h', '127.0.0.1', '-p', String(port), SPEC], { stdio: 'ignore' })
    let exited = null
    prism.once('exit', (code) => (exited = code))
    const deadline = Date.now() + 30_000
    while (!(await canConnect(port))) {
      assert.equal(exited, null, `prism exited with ${exited}`)
      assert.ok(Date.now() < deadline, 'prism did not start within 30 s')
      await tick(100)
    }
    proxy = await recordingProxy(port)
  })
  after(async () => {
    await proxy?.close()
    prism?.kill('SIGTERM')
  })

  for (const c of DOC.cases) {
    test(c.operation, { timeout: 30_000 }, async () => {
      const op = c.operation
      const allowed = c.allowed_request_violations ?? []
      const cf = client(proxy.baseURL, c.auth)
      const at = op.lastIndexOf('.')
      const beforeCount = proxy.seen.length
      let out
      let error
      try {
        // By name: 'dns.records.edit' is cf.operation('dns.records', 'edit', ...positional, params).
        out = await cf.operation(op.slice(0, at), op.slice(at + 1), ...(c.positional ?? []), c.params ?? {})
      } catch (e) {
        error = e
      }
      const seen = proxy.seen.slice(beforeCount)
      assert.equal(seen.length, 1, `${op}: expected one request (maxRetries 0, first page only), got ${inspect(seen)}`)
      const violations = requestViolations(seen[0].violations, allowed)
      assert.deepEqual(violations, [], `${op}: our request broke the spec: ${JSON.stringify(violations)}`)
      if (error === undefined) {
        if (out instanceof Page) assert.ok(Array.isArray(out.result), `${op}: a page without a list of items`)
        assert.ok(seen[0].status >= 200 && seen[0].status < 300, inspect(seen[0]))
      } else {
        // A status error whose only cause is an allowed Prism quirk still decoded as a typed error.
        assert.ok(error instanceof CloudflareError, inspect(error))
        assert.ok(allowed.length > 0 && error instanceof APIError && error.status !== undefined, `${op}: ${inspect(error)}`)
        assert.equal(error.status, seen[0].status)
        assert.equal(error.headers['sl-violations'], seen[0].violations, 'the proxy relays Prism\'s headers as sent')
      }
    })
  }
})
