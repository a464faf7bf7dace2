// A typical maintenance script, typed as a user would: bench/run.py times `tsc --noEmit` (strict) on it. The same
// code as script_flarekit.ts but for the imports; never run, only type-checked.
import Cloudflare from 'cloudflare'
import type { RecordResponse } from 'cloudflare/resources/dns/records'
import type { TokenVerifyResponse } from 'cloudflare/resources/user/tokens/tokens'
import type { ScriptListResponse } from 'cloudflare/resources/workers/scripts/scripts'
import type { Zone } from 'cloudflare/resources/zones/zones'

async function activeZones(cf: Cloudflare, accountId: string): Promise<Zone[]> {
  const zones: Zone[] = []
  for await (const z of cf.zones.list({ account: { id: accountId }, status: 'active', per_page: 50 })) zones.push(z)
  return zones
}

async function pointWww(cf: Cloudflare, zone: Zone, address: string): Promise<RecordResponse> {
  const rec = await cf.dns.records.create({
    zone_id: zone.id, type: 'A', name: 'www', content: address, ttl: 300, proxied: true,
  })
  const updated = await cf.dns.records.update(rec.id, {
    zone_id: zone.id, type: 'A', name: 'www', content: address, ttl: 1, tags: ['t:x'],
  })
  await cf.dns.records.delete(rec.id, { zone_id: zone.id })
  return updated
}

async function workerNames(cf: Cloudflare, accountId: string): Promise<string[]> {
  const scripts: ScriptListResponse[] = []
  for await (const s of cf.workers.scripts.list({ account_id: accountId })) scripts.push(s)
  return scripts.filter((s) => s.created_on).map((s) => s.id ?? '?').sort()
}

export async function main(env: Record<string, string | undefined>): Promise<void> {
  const cf = new Cloudflare({ apiToken: env.CLOUDFLARE_API_TOKEN, maxRetries: 3 })
  const status: TokenVerifyResponse = await cf.user.tokens.verify()
  if (status.status !== 'active') throw new Error('the token is not active')
  const accountId = env.CLOUDFLARE_ACCOUNT_ID ?? ''
  for (const zone of await activeZones(cf, accountId)) {
    const rec = await pointWww(cf, zone, '192.0.2.1')
    console.log(zone.name, zone.status, rec.name, rec.ttl)
  }
  for (const name of await workerNames(cf, accountId)) console.log('worker', name)
}
