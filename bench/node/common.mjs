// What the Node contenders share: arguments, timing and the one JSON line each run prints for bench/run.py.
//
//   node <contender>.mjs <w1|w2|w3|w4|w5|w7|w8|w9> [count] [concurrency]
//
// Environment: BENCH_BASE_URL, BENCH_TOKEN, BENCH_ZONE (W1, W4; W8: where records are created), BENCH_BIG_ZONE (W2,
// W3: 5,000 DNS records), BENCH_CA (over TLS: the CA to trust). Every workload first makes one warm-up call, so it
// measures a warm client with an open connection. W4 and W8 keep `concurrency` calls in flight.
import { readFileSync } from 'node:fs'

export const args = {
  workload: process.argv[2],
  count: Number(process.argv[3] ?? 1),
  concurrency: Number(process.argv[4] ?? 64),
  baseURL: process.env.BENCH_BASE_URL,
  token: process.env.BENCH_TOKEN,
  zone: process.env.BENCH_ZONE,
  bigZone: process.env.BENCH_BIG_ZONE,
}

export function emit(figures) {
  process.stdout.write(JSON.stringify(figures) + '\n')
}

function cpuSeconds() {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

/** This process's own peak RSS (VmHWM). getrusage's maxRSS of a child also counts its parent's RSS at fork. */
function peakRssKib() {
  const m = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))
  return m ? Number(m[1]) : 0
}

/** W5: time `load()` (import + construct), which returns [client, version or null]. */
export async function startup(load) {
  const t0 = performance.now()
  const [client, version] = await load()
  const wall = (performance.now() - t0) / 1000
  emit({ wall_s: wall, ok: client !== undefined, version, rss_kib: peakRssKib() })
}

/** W1-W4 and W8; each function returns how many items it saw (and touched). W4 and W8 keep `concurrency` calls in
 * flight; W8 creates records 0 to count - 1, each once. */
export async function run({ getZone, bigPage, walk, create }) {
  await getZone()
  const cpu0 = cpuSeconds()
  const t0 = performance.now()
  let items = 0
  if (args.workload === 'w4') {
    let left = args.count
    const worker = async () => {
      let seen = 0
      while (left > 0) {
        left -= 1
        seen += await getZone()
      }
      return seen
    }
    const counts = await Promise.all(Array.from({ length: args.concurrency }, worker))
    items = counts.reduce((a, b) => a + b, 0)
  } else if (args.workload === 'w8') {
    let next = 0
    const creator = async () => {
      let made = 0
      while (next < args.count) made += await create(next++)
      return made
    }
    const counts = await Promise.all(Array.from({ length: args.concurrency }, creator))
    items = counts.reduce((a, b) => a + b, 0)
  } else {
    const fn = { w1: getZone, w2: bigPage, w3: walk }[args.workload]
    for (let i = 0; i < args.count; i++) items += await fn()
  }
  emit({ wall_s: (performance.now() - t0) / 1000, cpu_s: cpuSeconds() - cpu0, calls: args.count, items })
}
