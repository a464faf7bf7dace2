// Compiled by `make lint` (tsc --noEmit): the generated and hand-written declarations agree with real use.
import Cloudflare, { APIError, AuthenticationError, MissingCredentialsError, Page } from 'flarekit'

export async function typesCheck(): Promise<void> {
  const cf = new Cloudflare({ apiToken: 'x', timeout: 5000, logLevel: 'debug', logger: console })
  await cf.zones.activationCheck.trigger({ zone_id: 'z' })
  const rec = await cf.dns.records.get('r1', { zone_id: 'z' })
  const page: Page = await cf.zones.list({ account: { id: 'a' }, per_page: 5 })
  if (page.hasNextPage()) await page.getNextPage()
  for await (const z of cf.zones.list()) void z.id
  await cf.workers.scripts.update('w', { account_id: 'a', metadata: { main_module: 'w.js' }, files: [new File(['x'], 'w.js')] })
  await cf.get('/zones', { query: { name: 'example.com' }, signal: AbortSignal.timeout(1000) })
  // @ts-expect-error zone_id is required
  await cf.dns.records.create({ type: 'A' })
  // @ts-expect-error zones.get takes no unknown parameter
  await cf.zones.get({ zone_id: 'z', bogus: 1 })
  try {
    void rec
  } catch (e) {
    if (e instanceof AuthenticationError && e.status === 401) void e.errors[0]?.code
    if (e instanceof APIError) void e.rayId
    if (e instanceof MissingCredentialsError) void e.code
  }
}
