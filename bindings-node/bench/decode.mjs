// Measures how results cross from Rust to JS: JSON text handed to JSON.parse (mode "json", the package's only
// way) against JS objects built natively through N-API (mode "native"). Runs against the bundled emulator, whose
// `body_bytes` fault serves a valid list envelope of about the given size; both modes see the same traffic.
// The native mode and `DecodeBench` are hooks of flarekit-node's `bench-hooks` cargo feature, never in the
// package: this script builds the addon with it (release unless --debug) and loads that copy instead.
//
//   node bench/decode.mjs [rounds] [--debug] [--no-build]
import { execFileSync } from 'node:child_process'
import { copyFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { startEmulator, demo } from '../test/support.mjs'

const args = process.argv.slice(2)
const rounds = Number(args.find((a) => !a.startsWith('--')) ?? 30)
const profile = args.includes('--debug') ? 'debug' : 'release'
const root = fileURLToPath(new URL('../..', import.meta.url))
const triple = process.env.CARGO_BUILD_TARGET || 'x86_64-unknown-linux-gnu'
const outDir = join(process.env.CARGO_TARGET_DIR || join(root, 'target'), triple, profile)
if (!args.includes('--no-build')) {
  const cargo = ['build', '-p', 'flarekit-node', '--features', 'bench-hooks', ...(profile === 'release' ? ['--release'] : [])]
  execFileSync('cargo', cargo, { cwd: root, stdio: 'inherit', env: { ...process.env, CARGO_BUILD_TARGET: triple } })
  // A copy, so a later build of the package (without the hooks) cannot swap it.
  copyFileSync(join(outDir, 'libflarekit_node.so'), join(outDir, 'flarekit-bench-hooks.node'))
}
const addonPath = join(outDir, 'flarekit-bench-hooks.node')
// binding.js loads this copy instead of the package's addon; `hooks` is the same module, with every export.
process.env.NAPI_RS_NATIVE_LIBRARY_PATH = addonPath
const hooks = createRequire(import.meta.url)(addonPath)
if (typeof hooks.setNativeDecode !== 'function') throw new Error(`${addonPath} was built without the bench-hooks feature`)
const setDecodeMode = (mode) => hooks.setNativeDecode(mode === 'native')
const { default: Cloudflare } = await import('../index.mjs')
const emu = await startEmulator()
const cf = new Cloudflare({ apiToken: demo().ADMIN_TOKEN, baseURL: emu.baseURL, env: {} })

async function run(mode, bytes) {
  setDecodeMode(mode)
  await emu.fault({ method: 'GET', path: '/client/v4/zones', times: rounds + 2, fault: { body_bytes: bytes } })
  await cf.get('/zones')
  await cf.get('/zones') // warm up
  let items = 0
  const t0 = performance.now()
  for (let i = 0; i < rounds; i++) items += (await cf.get('/zones')).length
  return { ms: (performance.now() - t0) / rounds, items: items / rounds }
}

console.log(`decode benchmark, ${rounds} calls per cell, ms per call (lower is better)`)
console.log('body size  |  json+JSON.parse  |  native objects  |  items')
for (const bytes of [1_000, 100_000, 1_000_000, 10_000_000]) {
  const a = await run('json', bytes)
  const b = await run('native', bytes)
  const a2 = await run('json', bytes)
  const b2 = await run('native', bytes)
  const j = Math.min(a.ms, a2.ms)
  const n = Math.min(b.ms, b2.ms)
  console.log(`${String(bytes).padStart(10)} | ${j.toFixed(2).padStart(16)} | ${n.toFixed(2).padStart(16)} | ${a.items}`)
}

// Realistic shape: DNS records with many small fields and nested objects (the payload of a big zone listing).
function record(i) {
  return {
    id: (i * 2654435761).toString(16).padStart(32, '0').slice(-32),
    zone_id: '822a5cb2e31326eb7856208ac716c8cd',
    zone_name: 'example.com',
    name: `host-${i}.example.com`,
    type: i % 3 ? 'A' : 'CNAME',
    content: i % 3 ? `192.0.2.${i % 250}` : 'target.example.net',
    proxiable: true,
    proxied: i % 2 === 0,
    ttl: 1,
    locked: false,
    settings: { ipv4_only: false, ipv6_only: false, flatten_cname: false },
    meta: { auto_added: false, managed_by_apps: false, managed_by_argo_tunnel: false, source: 'primary' },
    comment: null,
    tags: ['env:prod', `team:${i % 7}`],
    created_on: '2024-05-01T12:00:00.000000Z',
    modified_on: '2024-05-02T12:00:00.000000Z',
  }
}
console.log('realistic DNS records | json+JSON.parse | native objects')
for (const n of [10, 100, 1000, 5000]) {
  const body = { success: true, errors: [], messages: [], result: Array.from({ length: n }, (_, i) => record(i)), result_info: { page: 1, per_page: n, count: n, total_count: n, total_pages: 1 } }
  const cell = async (mode) => {
    setDecodeMode(mode)
    await emu.fault({ method: 'GET', path: '/client/v4/zones', times: rounds + 2, fault: { status: 200, body } })
    await cf.get('/zones')
    await cf.get('/zones')
    const t0 = performance.now()
    for (let i = 0; i < rounds; i++) await cf.get('/zones')
    return (performance.now() - t0) / rounds
  }
  const j = Math.min(await cell('json'), await cell('json'))
  const v = Math.min(await cell('native'), await cell('native'))
  console.log(`${String(n).padStart(8)} records (${(JSON.stringify(body).length / 1e6).toFixed(2)} MB) | ${j.toFixed(2).padStart(8)} | ${v.toFixed(2).padStart(8)}`)
}

// In-process, without the network: the JS-thread cost of each way, per result.
//  - json: Rust serialises on a tokio thread (timed apart), then JSON.parse runs on the JS thread;
//  - native: the objects are built through N-API on the JS thread.
console.log('in-process (ms per result) | serialise (tokio thread) | JSON.parse (JS thread) | native objects (JS thread)')
for (const n of [1, 10, 100, 1000, 10000]) {
  const bench = new hooks.DecodeBench(JSON.stringify(Array.from({ length: n }, (_, i) => record(i))))
  const reps = Math.max(5, Math.round(20000 / n))
  const time = (f) => {
    for (let i = 0; i < 3; i++) f()
    const t0 = performance.now()
    for (let i = 0; i < reps; i++) f()
    return (performance.now() - t0) / reps
  }
  const text = bench.text()
  const ser = time(() => bench.text())
  const parse = time(() => JSON.parse(text))
  const objs = time(() => bench.objects())
  console.log(`${String(n).padStart(6)} records | ${ser.toFixed(3).padStart(8)} | ${parse.toFixed(3).padStart(8)} | ${objs.toFixed(3).padStart(8)}`)
}
emu.stop()
