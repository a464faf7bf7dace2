// One benchmark program for both Node SDKs: `node sdk_bench.mjs <flarekit|cloudflare> <w1..w9> [count] [concurrency]`.
// The workload code is the same for both, written against the official SDK's API: that it runs unchanged on flarekit
// is the "port by changing only the import" promise, exercised by every bench run. For flarekit,
// FLAREKIT_NODE_PATH is the package directory to load (bench/run.py points it at a release copy of bindings-node,
// or at bindings-node itself for a debug run). Over the TLS link (W6, W7, W8, W4/TLS) the CA to trust is in BENCH_CA:
// flarekit takes it as its `caBundle` option, the official SDK (the global fetch) through NODE_EXTRA_CA_CERTS, which
// bench/run.py sets in that process's environment only, so the workload code stays the same. W9 (flarekit only) times
// `import('flarekit/testing')` and the first `Emulator.start()`. See common.mjs for the rest.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const sdk = process.argv.splice(2, 1)[0]
if (sdk !== 'flarekit' && sdk !== 'cloudflare') throw new Error(`sdk_bench.mjs: the SDK must be flarekit or cloudflare, got ${sdk}`)
const entry = sdk === 'flarekit' ? pathToFileURL(join(process.env.FLAREKIT_NODE_PATH, 'index.mjs')).href : 'cloudflare'
// flarekit/testing (W9) from the same package directory: its exports' `import` entry for './testing'.
const testingEntry = sdk === 'flarekit' ? pathToFileURL(join(process.env.FLAREKIT_NODE_PATH, 'testing.mjs')).href : null
const { args, run, startup, emit } = await import('./common.mjs')
const ca = sdk === 'flarekit' && process.env.BENCH_CA ? { caBundle: process.env.BENCH_CA } : {}

if (args.workload === 'w5') {
  await startup(async () => {
    const { default: Cloudflare } = await import(entry)
    const cf = new Cloudflare({ apiToken: args.token, baseURL: args.baseURL })
    return [cf, null]
  })
} else if (args.workload === 'w9') {
  // Emulator start-up (issue 16's budget: 50 ms): import flarekit/testing, start the first emulator (the demo seed, a
  // free port on 127.0.0.1), as a test suite's first hook does; stopped after the timing.
  if (testingEntry === null) throw new Error('sdk_bench.mjs: w9 times flarekit/testing, flarekit only')
  const t0 = performance.now()
  const { Emulator } = await import(testingEntry)
  const t1 = performance.now()
  const emu = await Emulator.start()
  const t2 = performance.now()
  const ok = emu.running
  await emu.stop()
  emit({ import_ms: t1 - t0, start_ms: t2 - t1, total_ms: t2 - t0, ok })
  if (!ok) process.exitCode = 1
} else if (args.workload === 'w7') {
  // A cold CI step: import, construct with the defaults (flarekit: plus the CA, see above), verify the token over
  // HTTPS, exit. bench/run.py times the whole process from the outside; these are the parts as seen from inside.
  const t0 = performance.now()
  const { default: Cloudflare } = await import(entry)
  const t1 = performance.now()
  const cf = new Cloudflare({ apiToken: args.token, baseURL: args.baseURL, ...ca })
  const t2 = performance.now()
  const { status } = await cf.user.tokens.verify()
  const t3 = performance.now()
  emit({ import_s: (t1 - t0) / 1000, construct_s: (t2 - t1) / 1000, call_s: (t3 - t2) / 1000, status })
  if (status !== 'active') process.exitCode = 1
} else {
  const { default: Cloudflare } = await import(entry)
  // flarekit's client-side budget (1,200 requests per 5 minutes by default, issue 17) would hold W1 and W4's 2,000
  // calls for minutes; the emulator does not rate limit and the official SDK has no budget: off, the one option that
  // differs.
  const opts = sdk === 'flarekit' ? { rateLimit: 0, ...ca } : {}
  const cf = new Cloudflare({ apiToken: args.token, baseURL: args.baseURL, ...opts })
  const countIds = (items) => {
    let n = 0
    for (const r of items) if (r.id) n++
    return n
  }
  await run({
    getZone: async () => ((await cf.zones.get({ zone_id: args.zone })).id ? 1 : 0),
    bigPage: async () => countIds((await cf.dns.records.list({ zone_id: args.bigZone, per_page: 5000 })).result),
    walk: async () => {
      let n = 0
      for await (const r of cf.dns.records.list({ zone_id: args.bigZone, per_page: 100 })) if (r.id) n++
      return n
    },
    create: async (i) => {
      const r = await cf.dns.records.create({
        zone_id: args.zone,
        type: 'A',
        name: `bench-w8-${i}.example.com`,
        content: `198.51.100.${(i % 250) + 1}`,
        ttl: 300,
      })
      return r?.id ? 1 : 0
    },
  })
}
