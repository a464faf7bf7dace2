// Everyday mistakes: tsc --strict must report an error on every line marked `// E:`, and on no other line.
import Cloudflare from 'flarekit'
import type { RecordResponse } from 'flarekit'

export async function main(): Promise<void> {
  const cf = new Cloudflare({ apiToken: 'x'.repeat(40) })
  const zone = await cf.zones.get({ zone_id: '023e105f4ecef8ad9ca31a8372d0c353' })
  console.log(zone.nmae) // E: a misspelled attribute
  await cf.dns.records.create({ zone_id: zone.id, type: 'A', name: 'www', content: '192.0.2.1', ttl: 'auto' }) // E: ttl is a number
  await cf.zones.list({ per_page: 'twenty' }) // E: per_page is a number
  await cf.zones.edit({ zone_id: zone.id, paused: true, colour: 'blue' }) // E: an unknown body field
  await cf.zones.create({ name: 'example.com', account: { id: 'a' }, type: 'enterprise' }) // E: a zone type that does not exist
  await cf.user.tokens.create({ name: 'ci', policies: 'all' }) // E: policies is a list of policies
  await cf.zones.list({ direction: 'up' }) // E: a wrong enum literal
  await cf.dns.records.get({ zone_id: zone.id }) // E: the record id is missing
  await cf.zones.create({ name: 'example.com', account: 'a' }) // E: account is an object
  await cf.zones.edit({ zone_id: zone.id, paused: 'yes' }) // E: paused is a bool
  await cf.zones.get({}) // E: the zone id is missing
  const n: number = zone.name // E: the result is typed (a string), not any
  for await (const z of cf.zones.list()) console.log(z.nmae) // E: page items are typed
  for await (const i of cf.images.v1.list({ account_id: 'a' })) console.log(i.file_name) // E: items under `images` too
  const r: RecordResponse = await cf.zones.get({ zone_id: zone.id }) // E: a Zone is no DNS record
  console.log(n, r)
}
