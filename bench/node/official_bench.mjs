// The official `cloudflare` SDK (npm) as a benchmark contender; see common.mjs.
import { args, run, startup } from './common.mjs'

if (args.workload === 'w5') {
  await startup(async () => {
    const { default: Cloudflare } = await import('cloudflare')
    const cf = new Cloudflare({ apiToken: args.token, baseURL: args.baseURL })
    return [cf, null]
  })
} else {
  const { default: Cloudflare } = await import('cloudflare')
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
