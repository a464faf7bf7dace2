// The `flarekit` bin of the npm package: the Rust command of the cli crate, run from the addon. Run as a user runs it
// (a child process of bin/flarekit.js) against the emulator: exit codes, JSON output, and no secret anywhere but the
// one value a creation prints on stdout. The same tokens API as `cf.tokens` (one core).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import Cloudflare from '../index.mjs'
import { startEmulator, demo } from './support.mjs'

const D = demo()
const BIN = fileURLToPath(new URL('../bin/flarekit.js', import.meta.url))
let emu
before(async () => {
  emu = await startEmulator()
})
after(async () => {
  await emu?.stop()
})

function run(args, token) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CLOUDFLARE_')))
  env.CLOUDFLARE_BASE_URL = emu.baseURL
  if (token !== undefined) env.CLOUDFLARE_API_TOKEN = token
  const p = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 })
  return { code: p.status, stdout: p.stdout, stderr: p.stderr }
}

function noSecret(p, ...secrets) {
  for (const s of secrets) assert.ok(!p.stdout.includes(s) && !p.stderr.includes(s), 'a secret was printed')
}

test('whoami --json and the exit codes', () => {
  let p = run(['whoami', '--json'], D.ADMIN_TOKEN)
  assert.equal(p.code, 0, p.stderr)
  const who = JSON.parse(p.stdout)
  assert.equal(who.scheme, 'api_token')
  assert.equal(who.token.owner, 'user')
  noSecret(p, D.ADMIN_TOKEN)

  p = run(['token', 'verify'], D.EXPIRED_TOKEN)
  assert.equal(p.code, 4, p.stderr)
  assert.equal(p.stdout, '')
  assert.equal(p.stderr.trim().split('\n').length, 1)
  noSecret(p, D.EXPIRED_TOKEN)

  assert.equal(run(['whoami']).code, 4)
  p = run(['token', 'create', '--name', 'x'], D.ADMIN_TOKEN)
  assert.equal(p.code, 2)
  assert.ok(p.stderr.startsWith('flarekit: '), p.stderr)
  p = run(['--help'])
  assert.equal(p.code, 0)
  assert.match(p.stdout, /whoami/)
})

test('token create prints the value once; the token works, then is revoked', async () => {
  await emu.reset(true)
  let p = run(['token', 'create', '--name', 'cli job', '--allow', 'DNS Write@zone:example.com', '--ip-allow', '127.0.0.0/8', '--ttl', '1h'], D.ADMIN_TOKEN)
  assert.equal(p.code, 0, p.stderr)
  const value = p.stdout.trim()
  assert.ok(value.length >= 40)
  assert.equal(p.stdout.split(value).length - 1, 1)
  assert.ok(!p.stderr.includes(value))
  noSecret(p, D.ADMIN_TOKEN)

  p = run(['whoami', '--json'], value)
  assert.equal(p.code, 0, p.stderr)
  const id = JSON.parse(p.stdout).token.id
  noSecret(p, value)
  assert.equal(run(['token', 'revoke', id], D.ADMIN_TOKEN).code, 0)
  p = run(['token', 'verify'], value)
  assert.equal(p.code, 4)
  noSecret(p, value)
})

test('api and call print the result as JSON', () => {
  for (const args of [['api', '/zones'], ['call', 'zones.list']]) {
    const p = run(args, D.READ_ONLY_TOKEN)
    assert.equal(p.code, 0, p.stderr)
    assert.ok(JSON.parse(p.stdout).some((z) => z.name === 'example.com'))
  }
})

test('cf.tokens and the command resolve a spec to the same body', async () => {
  const p = run(['token', 'create', '--dry-run', '--name', 'same', '--allow', 'Zone Read@zone:example.com', '--expires-on', '2031-01-01T00:00:00Z'], D.ADMIN_TOKEN)
  assert.equal(p.code, 0, p.stderr)
  const cf = new Cloudflare({ apiToken: D.ADMIN_TOKEN, baseURL: emu.baseURL })
  const plan = await cf.tokens.create({ name: 'same', allow: ['Zone Read@zone:example.com'], expiresOn: '2031-01-01T00:00:00Z' }, { dryRun: true })
  assert.deepEqual(JSON.parse(p.stdout).body, plan.body)
})
