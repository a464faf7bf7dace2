// Every option × values of every type (issue 12): run in a child process, which must exit normally (a Rust panic
// would abort it with exit code 134), and every answer must be a working client or a ConfigurationError naming
// the option (MissingCredentialsError for half a key+email pair given to a variant).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

test('no option value of any type crashes the process', () => {
  const script = fileURLToPath(new URL('./fixtures/options-matrix.cjs', import.meta.url))
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 120_000 })
  assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr.slice(-2000)}`)
  assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr.slice(-2000)}`)
  const out = JSON.parse(r.stdout)
  assert.deepEqual(out.bad, [])
  assert.ok(out.options >= 18 && out.values >= 40, JSON.stringify(out))
  // Both answers occur: valid values build clients, the rest are refused.
  const tried = out.options * out.values
  assert.equal(out.constructed + out.refused, tried)
  assert.equal(out.variants + out.variantsRefused, tried)
  assert.ok(out.constructed > 50 && out.refused > 500, JSON.stringify(out))
})
