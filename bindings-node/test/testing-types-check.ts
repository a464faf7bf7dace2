// Type-level check of testing.d.ts (compiled by `tsc -p tsconfig.json` in make lint-node; never run).
import { Emulator, demoSeed, ADMIN_TOKEN_NAME, type AuditLogEntry, type LoggedRequest } from 'flarekit/testing';
import { RateLimitError } from 'flarekit';

export async function usesTheTestingModule(): Promise<void> {
  const seed = await demoSeed();
  seed.zones?.[0]?.dns_records?.push({ type: 'A', name: 'api', content: '192.0.2.50' });
  const emu = await Emulator.start({ seed, port: 0 });
  try {
    const cf = emu.client({ maxRetries: 0 });
    const zone = await cf.zones.create({ name: 'shop.example', account: { id: emu.accountId } });
    const admin: string | undefined = emu.tokens[ADMIN_TOKEN_NAME];
    await emu.fault(429, { headers: { 'retry-after': '1' }, path: '/zones*', method: 'GET' });
    await emu.fault({ drop: 'beforeHeaders', times: 2 });
    try {
      await cf.zones.get({ zone_id: zone.id });
    } catch (e) {
      if (e instanceof RateLimitError) console.log(e.retryAfter);
    }
    const requests: LoggedRequest[] = await emu.requests({ path: '/zones*' });
    const log: AuditLogEntry[] = await emu.auditLog({ action: { type: 'add' } });
    const status: number | null | undefined = requests[0]?.status;
    console.log(admin, status, log[0]?.resource.type, emu.userServiceKey?.length, emu.zones['example.com']);
    await emu.reset({ state: false });
    // @ts-expect-error Emulator.start() is the way to make one
    new Emulator();
  } finally {
    await emu[Symbol.asyncDispose]();
  }
}
