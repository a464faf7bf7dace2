// flarekit (Node) as a benchmark contender; see common.mjs. FLAREKIT_NODE_PATH is the package directory to load
// (bench/run.py points it at a release copy of bindings-node, or at bindings-node itself for a debug run).
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { args, run, startup } from './common.mjs'

const entry = pathToFileURL(join(process.env.FLAREKIT_NODE_PATH, 'index.mjs')).href

if (args.workload === 'w5') {
  await startup(async () => {
    const { default: Cloudflare } = await import(entry)
    const cf = new Cloudflare({ apiToken: args.token, baseURL: args.baseURL })
    return [cf, null]
  })
} else {
  const { default: Cloudflare } = await import(entry)
  const cf = new Cloudflare({ apiToken: args.token, baseURL: args.baseURL })
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
  })
}
