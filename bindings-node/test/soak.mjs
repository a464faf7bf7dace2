// Soak: SOAK_CALLS calls at 64 in flight with 10% injected faults (see tests/soak/README.md); the Node twin of
// core/examples/soak.rs and bindings-python/tests/soak.py. Needs CLOUDFLARE_BASE_URL (an emulator),
// CLOUDFLARE_API_TOKEN and FLAREKIT_SOAK_ZONE_ID. Run by tests/soak/run.sh (`make soak`, `make test-soak`).
import { readFileSync } from 'node:fs'
import Cloudflare, { CloudflareError } from '../index.mjs'

const IN_FLIGHT = 64

/** Peak RSS so far in KiB (VmHWM, as the Rust and Python programs read it). */
function peakRssKib() {
  const m = /^VmHWM:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))
  return m ? Number(m[1]) : Math.round(process.memoryUsage.rss() / 1024)
}

/** Which zone id call `i` asks for, and the outcome it must end in. */
function plan(i, zone) {
  const kind = i % 20
  const alt = Math.floor(i / 20) % 2
  if (kind === 18) return alt === 0 ? ['soak-503', 'InternalServerError'] : ['soak-drop', 'APIConnectionError']
  if (kind === 19) return alt === 0 ? ['soak-trunc', 'APIConnectionError'] : ['soak-404', 'NotFoundError']
  return [zone, 'ok']
}

const sorted = (counts) => Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)))
const bump = (counts, k) => (counts[k] = (counts[k] ?? 0) + 1)

async function main() {
  const zone = process.env.FLAREKIT_SOAK_ZONE_ID
  if (!zone) {
    if (process.env.NODE_TEST_CONTEXT) {
      // `node --test test/` runs every module under test/; this one is a program, run by tests/soak/run.sh.
      console.log('soak.mjs: skipped (run by tests/soak/run.sh: make soak, make test-soak)')
      return 0
    }
    console.error('soak.mjs needs CLOUDFLARE_BASE_URL, CLOUDFLARE_API_TOKEN and FLAREKIT_SOAK_ZONE_ID (run tests/soak/run.sh)')
    return 2
  }
  const calls = Number(process.env.SOAK_CALLS ?? 20000)
  // Well past the client-side budget (1,200 requests per 5 minutes) on purpose: off.
  const cf = new Cloudflare({ retryDelayScale: 0.001, maxRetries: 2, rateLimit: 0 })
  const admin = cf.baseURL.replace('/client/v4', '/__emulator')
  for (const [path, fault] of [
    ['soak-503', { status: 503 }],
    ['soak-drop', { drop: 'before_headers' }],
    ['soak-trunc', { status: 200, body: { success: true, result: { id: 'x' } }, truncate_body: true }],
    ['soak-404', { status: 404 }],
  ]) {
    const rule = { method: 'GET', path: `/client/v4/zones/${path}`, times: 1_000_000, fault }
    const r = await fetch(`${admin}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rule),
      signal: AbortSignal.timeout(10_000),
    })
    if (!r.ok) throw new Error(`emulator admin POST /faults: ${r.status} ${await r.text()}`)
  }

  const expected = {}
  const got = {}
  const wrong = []
  const warmup = Math.floor(calls / 5)
  let rssWarm = 0
  let done = 0
  let next = 0
  const started = performance.now()

  async function worker() {
    while (next < calls) {
      const i = next++
      const [zoneId, want] = plan(i, zone)
      bump(expected, want)
      let outcome
      try {
        await cf.zones.get({ zone_id: zoneId })
        outcome = 'ok'
      } catch (e) {
        // Only flarekit's own classes count as typed; anything else is reported by its name and fails the run.
        outcome = e instanceof CloudflareError ? e.constructor.name : `untyped ${e?.name}: ${e?.message}`
      }
      bump(got, outcome)
      if (outcome !== want && wrong.length < 5) wrong.push(`call ${i} (${zoneId}) ended in ${outcome}, expected ${want}`)
      done += 1
      if (done === warmup) rssWarm = peakRssKib()
    }
  }

  const deadlineMs = (120 + calls / 50) * 1000
  let timer
  const deadline = new Promise((resolve) => {
    timer = setTimeout(() => resolve('deadline'), deadlineMs)
  })
  const all = Promise.all(Array.from({ length: IN_FLIGHT }, worker)).then(() => 'done')
  const how = await Promise.race([all, deadline])
  clearTimeout(timer)
  const secs = (performance.now() - started) / 1000
  const rssEnd = peakRssKib()
  if (how === 'deadline') {
    console.error(`[node] soak: ${done} of ${calls} calls finished within the ${deadlineMs / 1000} s deadline; the rest hung`)
    process.exit(1) // the hung calls would keep the process alive
  }
  console.log(
    `[node] soak: ${done} calls in ${secs.toFixed(2)} s (${(done / secs).toFixed(0)} calls/s), ` +
      `outcomes ${JSON.stringify(sorted(got))}, peak RSS after warm-up ${(rssWarm / 1024).toFixed(1)} MiB, ` +
      `at end ${(rssEnd / 1024).toFixed(1)} MiB`,
  )
  if (done !== calls || JSON.stringify(sorted(got)) !== JSON.stringify(sorted(expected)) || wrong.length) {
    console.error(`outcomes ${JSON.stringify(sorted(got))} do not match the plan ${JSON.stringify(sorted(expected))}`)
    for (const w of wrong) console.error(w)
    return 1
  }
  const growth = rssEnd - rssWarm
  if (growth > rssWarm * 0.25 && growth > 16 * 1024) {
    console.error(`peak RSS grew by ${growth} KiB after warm-up`)
    return 1
  }
  return 0
}

process.exitCode = await main()
