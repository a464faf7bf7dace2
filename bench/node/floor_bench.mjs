// The Node floor: what a hand-written client does with the global fetch and JSON.parse, on the plain loopback
// workloads. `node floor_bench.mjs <w1|w2> [count]`, environment as in common.mjs.
//
// No SDK: fetch with the token header, JSON.parse of the body text, a check of `success`, plain objects; W1 reads the
// zone's id, W2 touches every record's id as the SDK contenders do.
import { args, run } from './common.mjs'

const headers = { Authorization: `Bearer ${args.token}` }

async function get(path) {
  const resp = await fetch(args.baseURL + path, { headers })
  const body = JSON.parse(await resp.text())
  if (body.success !== true) throw new Error(`GET ${path} failed: ${JSON.stringify(body)}`)
  return body
}

await run({
  getZone: async () => ((await get(`/zones/${args.zone}`)).result.id ? 1 : 0),
  bigPage: async () => {
    let n = 0
    for (const r of (await get(`/zones/${args.bigZone}/dns_records?per_page=5000`)).result) if (r.id) n++
    return n
  },
  walk: async () => {
    throw new Error('floor_bench.mjs runs W1 and W2 only')
  },
})
