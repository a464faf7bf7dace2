// The flarekit quickstart in TypeScript (type-checked by `make lint`; the .mjs twin is what `make demo` runs). Reads the environment like any flarekit program:
// CLOUDFLARE_API_TOKEN (and CLOUDFLARE_BASE_URL for the emulator; unset it for the real API).
// `make demo` runs it against the bundled emulator, which also provides the tokens of the error walkthrough
// (FLAREKIT_DEMO_READ_ONLY_TOKEN, FLAREKIT_DEMO_EXPIRED_TOKEN).
//
import Cloudflare, { AuthenticationError, MissingCredentialsError } from 'flarekit'

interface Zone {
  id: string
  name: string
}

const cf = new Cloudflare()
console.log(`[node] client uses ${cf.auth} at ${cf.baseURL}`)

const status = await cf.user.tokens.verify()
console.log(`[node] token ${status.id} is ${status.status}`)

const zones: Zone[] = []
for await (const zone of cf.zones.list()) {
  console.log(`[node] zone ${zone.name} (${zone.id})`)
  zones.push(zone)
}
const zone = zones[0]
if (!zone) throw new Error('the token sees no zone')

const name = `flarekit-node-demo.${zone.name}`
const created = await cf.dns.records.create({ zone_id: zone.id, type: 'A', name, content: '192.0.2.10', ttl: 300 })
console.log(`[node] created ${created.type} ${created.name} -> ${created.content}`)

const found = await cf.dns.records.list({ zone_id: zone.id, name })
console.log(`[node] listed back ${found.result.length} record(s) named ${name}`)
await cf.dns.records.delete(created.id, { zone_id: zone.id })
console.log(`[node] deleted ${created.id}`)

// The typed errors: a token without permission, an expired token, and no credentials at all.
const walkthrough: Array<[string, string | undefined]> = [
  ['read-only token', process.env.FLAREKIT_DEMO_READ_ONLY_TOKEN],
  ['expired token', process.env.FLAREKIT_DEMO_EXPIRED_TOKEN],
]
for (const [what, token] of walkthrough) {
  if (!token) continue
  try {
    await cf.withOptions({ apiToken: token }).dns.records.create({ zone_id: zone.id, type: 'A', name, content: '192.0.2.11', ttl: 1 })
    throw new Error(`expected an authentication error for the ${what}`)
  } catch (e) {
    if (!(e instanceof AuthenticationError)) throw e
    console.log(`[node] ${what}: ${e.name} (status ${e.status}) -> ${e.message}`)
  }
}
try {
  new Cloudflare({ env: {} })
  throw new Error('expected MissingCredentialsError')
} catch (e) {
  if (!(e instanceof MissingCredentialsError)) throw e
  console.log(`[node] no credentials: ${e.name} -> ${e.message}`)
}
