// Typical flarekit code that must type-check under tsc --strict, with concrete result types (not `any`).
import Cloudflare from 'flarekit'
import type { Page, RecordCreateParams, RecordResponse, V1ListResponseImage, Zone, ZoneListParams } from 'flarekit'

// `Is<typeof x, T>` is `true` only when x's type is exactly T (and never when it is `any`).
type Is<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
type IsAny<T> = 0 extends 1 & T ? true : false

export async function main(): Promise<void> {
  const cf = new Cloudflare({ apiToken: 'x'.repeat(40) })
  const zone = await cf.zones.get({ zone_id: '023e105f4ecef8ad9ca31a8372d0c353' })
  const zoneIsZone: Is<typeof zone, Zone> = true
  console.log(zone.name.toUpperCase(), zone.id, zone.status, zone.plan.name, zoneIsZone)
  for await (const z of cf.zones.list({ per_page: 50, status: 'active' })) {
    const itemIsZone: Is<typeof z, Zone> = true
    console.log(z.name, itemIsZone)
  }
  for await (const image of cf.images.v1.list({ account_id: 'acc' })) { // its items are under `images`
    const imageIsTyped: Is<typeof image, V1ListResponseImage> = true
    console.log(image.filename, image.variants, imageIsTyped)
  }
  const first: Page<Zone> = await cf.zones.list({ account: { id: 'a' }, direction: 'desc' })
  console.log(first.result.length, first.hasNextPage())
  const rec: RecordResponse = await cf.dns.records.create({
    zone_id: zone.id, type: 'A', name: 'www', content: '192.0.2.1', ttl: 300,
  })
  if (rec.type === 'A') console.log(rec.content, rec.ttl)
  const mx: RecordCreateParams = {
    zone_id: zone.id, type: 'MX', name: '@', content: 'mx.example.com', priority: 10, ttl: 1,
  }
  await cf.dns.records.create(mx)
  await cf.dns.records.delete(rec.id, { zone_id: zone.id })
  const edited = await cf.zones.edit({ zone_id: zone.id, paused: true })
  const editedIsAny: IsAny<typeof edited> = false
  console.log(edited.paused, editedIsAny)
  const filters: ZoneListParams = { name: 'example.com', match: 'all', type: ['full', 'partial'] }
  for await (const z of cf.zones.list(filters)) console.log(z.id)
  const tokens = await cf.user.tokens.list()
  for (const t of tokens.result) console.log(t.name, t.status)
  const status = await cf.user.tokens.verify()
  if (status.status === 'active') console.log(status.id)
  const gone = await cf.zones.delete({ zone_id: zone.id })
  console.log(gone?.id)
  const created = await cf.user.tokens.create({
    name: 'ci',
    policies: [{
      effect: 'allow',
      permission_groups: [{ id: 'c8fed203ed3043cba015a93ad1616f1f' }],
      resources: { 'com.cloudflare.api.account.zone.*': '*' },
    }],
  })
  console.log(created.value)
  // Uploads, positional bodies, account-or-zone scope, dotted filters as objects, union bodies.
  await cf.workers.scripts.update('w', {
    account_id: 'a', metadata: { main_module: 'w.js' }, files: [new File(['x'], 'w.js')],
  })
  await cf.kv.namespaces.values.update('key', { account_id: 'a', namespace_id: 'n', value: 'text', metadata: { a: 1 } })
  await cf.r2.buckets.objects.upload('key', Buffer.from('x'), { account_id: 'a', bucket_name: 'b' })
  await cf.cloudConnector.rules.update([{ expression: 'true', provider: 'aws_s3' }], { zone_id: zone.id })
  for await (const rs of cf.rulesets.list({ zone_id: zone.id })) console.log(rs.id)
  for await (const r of cf.dns.records.list({ zone_id: zone.id, name: { exact: 'www.example.com' }, type: 'A' })) {
    console.log(r.name, r.proxied)
  }
  const member = await cf.accounts.members.create({ account_id: 'a', email: 'x@example.com', roles: ['r'] })
  console.log(member.id)
}
