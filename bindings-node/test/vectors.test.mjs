// Plays every case of tests/vectors/*.json against the emulator (see tests/vectors/README.md).
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { inspect } from 'node:util'
import Cloudflare, { CloudflareError } from '../index.mjs'
import { native } from '../js/native.js'
import { ROOT, startEmulator, loadVectors, checkRequest, deepEqual, captureLogger, tick } from './support.mjs'

// Option names and units from the core's option table: vectors write the Rust/Python name and seconds; JS takes
// the js_name, and milliseconds for an option whose js_unit is "ms". A name not in the table (a misspelling the
// vector wants refused) passes through unchanged.
const OPTION_SPECS = new Map(native().optionTable().map((o) => [o.name, o]))
const jsName = (name) => OPTION_SPECS.get(name)?.js_name ?? name

/** A vector value as a JS value: `$float` a number (NaN, ±Infinity too), `$int` a BigInt, `$path` a file: URL. */
function decodeValue(v) {
  if (Array.isArray(v)) return v.map(decodeValue)
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v)
    if (keys.length === 1 && typeof v[keys[0]] === 'string') {
      const s = v[keys[0]]
      if (keys[0] === '$float') return Number(s)
      if (keys[0] === '$int') return BigInt(s)
      if (keys[0] === '$path') return pathToFileURL(s)
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeValue(x)]))
  }
  return v
}

/** Call arguments: `{"$file": {name?, text, type?}}` is a File (a Buffer when it has no name), as the official SDK takes one. */
function decodeArgs(v) {
  if (Array.isArray(v)) return v.map(decodeArgs)
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v)
    if (keys.length === 1 && keys[0] === '$file') {
      const f = v.$file
      return f.name === undefined ? Buffer.from(f.text) : new File([f.text], f.name, f.type ? { type: f.type } : {})
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeArgs(x)]))
  }
  return v
}

/** Seconds to milliseconds: finite numbers and BigInts; NaN, ±Infinity and every other value as they are. */
function toMs(v) {
  if (typeof v === 'number') return Number.isFinite(v) ? v * 1000 : v
  if (typeof v === 'bigint') return v * 1000n
  return v
}

/** Vector options (snake_case, seconds) as JS options. */
function translateOptions(opts) {
  const out = {}
  for (const [k, raw] of Object.entries(opts ?? {})) {
    const spec = OPTION_SPECS.get(k)
    const v = decodeValue(raw)
    out[jsName(k)] = spec?.js_unit === 'ms' ? toMs(v) : v
  }
  return out
}

/** The canonical effective configuration (Rust/Python names, seconds) of a client. */
const EFFECTIVE_OPTIONS = Symbol.for('flarekit.effectiveOptions')

/** Numbers compare as numbers (`60` equals `60.0`, a BigInt its value; NaN equals NaN); the rest exactly. */
function sameValue(got, want) {
  const numeric = (x) => typeof x === 'number' || typeof x === 'bigint'
  if (numeric(got) && numeric(want)) {
    const [a, b] = [Number(got), Number(want)]
    return a === b || (Number.isNaN(a) && Number.isNaN(b))
  }
  if (Array.isArray(want)) return Array.isArray(got) && got.length === want.length && want.every((w, i) => sameValue(got[i], w))
  if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object' || Array.isArray(got)) return false
    const kw = Object.keys(want)
    return kw.length === Object.keys(got).length && kw.every((k) => Object.hasOwn(got, k) && sameValue(got[k], want[k]))
  }
  return got === want
}

// The core's kind names → the JS class each is raised as.
const CLASS_OF = { APIStatusError: 'APIError', APITimeoutError: 'APIConnectionTimeoutError' }

const emu = await startEmulator()
after(() => emu.stop())

function subst(v) {
  if (typeof v === 'string') return v.replaceAll('{base}', emu.baseURL).replaceAll('{origin}', emu.origin)
  if (Array.isArray(v)) return v.map(subst)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, subst(x)]))
  return v
}

function clientOptions(client, logger) {
  if (client.exact === true) {
    // Exactly the vector's options, and the injected environment as `env` unless they give one. The capture
    // logger is the one addition: it is how the runner sees the logs (it changes no effective option).
    const out = translateOptions(client.options)
    if (!Object.hasOwn(client.options ?? {}, 'env')) out.env = client.env ?? {}
    if (!Object.hasOwn(out, 'logger')) out.logger = logger
    return out
  }
  const opts = { ...(client.options ?? {}) }
  const hasBase = 'base_url' in opts || 'CLOUDFLARE_BASE_URL' in (client.env ?? {})
  if (!hasBase) opts.base_url = emu.baseURL
  return { env: client.env ?? {}, retryDelayScale: 0.001, logLevel: 'debug', logger, ...translateOptions(opts) }
}

function secretsOf(client) {
  const out = []
  for (const section of ['options', 'env', 'variant']) {
    for (const [k, v] of Object.entries(client[section] ?? {})) {
      const lower = k.toLowerCase()
      if (['token', 'key', 'email'].some((s) => lower.includes(s)) && typeof v === 'string' && v.trim().length >= 8) out.push(v.trim())
    }
  }
  return out
}

function resourceOf(cf, dotted) {
  let node = cf
  for (const seg of dotted.split('.')) {
    node = node?.[seg]
    if (node === undefined) return undefined
  }
  return node
}

const camelKey = (k) => k.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

/** A token vector's call as the public methods take it: camelCase names, `ttl`/`within` numbers in milliseconds. */
async function tokenCall(cf, call) {
  const op = call.tokens
  const args = {}
  for (const [k, v] of Object.entries(call.args ?? {})) args[camelKey(k)] = typeof v === 'number' ? toMs(v) : v
  const t = cf.tokens
  let out
  if (op === 'create') {
    const spec = {}
    for (const [k, v] of Object.entries(args.spec)) spec[camelKey(k)] = k === 'ttl' ? toMs(v) : v
    out = await t.create(spec, { accountId: args.accountId, dryRun: args.dryRun })
  } else if (op === 'roll' || op === 'revoke') out = await t[op](args.id, { accountId: args.accountId })
  else if (op === 'expiring') out = await t.expiring(args.within, { accountId: args.accountId })
  else if (op === 'permission_groups') out = await t.permissionGroups({ scope: args.scope, accountId: args.accountId })
  else out = await t[op]()
  if (op === 'roll') return { result: null, secret: out }
  if (out !== null && typeof out === 'object' && out.value instanceof Cloudflare.Secret) {
    const { value, ...rest } = out
    return { result: rest, secret: value }
  }
  return { result: out }
}

function isSubset(got, want) {
  if (Array.isArray(want)) return Array.isArray(got) && got.length === want.length && want.every((w, i) => isSubset(got[i], w))
  if (want !== null && typeof want === 'object') {
    return got !== null && typeof got === 'object' && Object.entries(want).every(([k, w]) => Object.hasOwn(got, k) && isSubset(got[k], w))
  }
  return deepEqual(got, want)
}

/** `result_subset`, `result_has` (dotted paths), `result_ids_include` / `_exclude`, `secret` (tests/vectors). */
function checkTokenResult(outcome, expect, problems) {
  const { result, secret } = outcome
  if (expect.result_subset !== undefined) {
    // The core describes the credential in the front door's spelling (apiToken from options).
    const want = { ...expect.result_subset }
    if (typeof want.auth === 'string') want.auth = camelText(want.auth)
    if (!isSubset(result, want)) problems.push(`result ${JSON.stringify(result)} does not contain ${JSON.stringify(want)}`)
  }
  for (const path of expect.result_has ?? []) {
    let at = result
    for (const part of path.split('.')) at = at?.[part]
    if (at === undefined || at === null) problems.push(`result ${JSON.stringify(result)} has nothing at ${path}`)
  }
  const ids = Array.isArray(result) ? result.map((x) => x?.id) : []
  for (const [key, present] of [['result_ids_include', true], ['result_ids_exclude', false]]) {
    for (const id of expect[key] ?? []) if (ids.includes(id) !== present) problems.push(`ids ${JSON.stringify(ids)}: ${key} ${id}`)
  }
  if (expect.secret !== undefined) {
    if ((secret !== undefined) !== expect.secret) problems.push(`a secret was handed over: ${secret !== undefined}, expected ${expect.secret}`)
    if (secret !== undefined) {
      const shown = `${secret} ${JSON.stringify(secret)} ${inspect(secret, { showHidden: true })}`
      if (!(secret instanceof Cloudflare.Secret) || shown.includes(secret.reveal())) problems.push('the value is not kept in a Secret')
      else if (secret.reveal().length < 20) problems.push('the secret reveals no token value')
    }
  }
}

async function makeCall(cf, call) {
  if (call.tokens) return tokenCall(cf, call)
  if (call.operation) {
    const at = call.operation.lastIndexOf('.')
    const resource = call.operation.slice(0, at)
    const method = call.operation.slice(at + 1)
    const res = resourceOf(cf, resource)
    const fn = res?.[method]
    // Names the resource objects do not know (unknown resources, Python spellings) go through the
    // client's by-name entry point, which asks the core's lookup, so its error is the core's.
    const args = [...decodeArgs(call.positional ?? []), decodeArgs(call.params ?? {})]
    const result = typeof fn === 'function' ? fn.apply(res, args) : cf.operation(resource, method, ...args)
    if (call.paginate === 'all') {
      const items = []
      for await (const item of result) items.push(item)
      return { result: items }
    }
    const r = await result
    if (r instanceof Cloudflare.Page) return { result: r.result, resultInfo: r.result_info }
    return { result: plain(r) }
  }
  const r = await cf.request(call.method ?? 'GET', call.path, { query: call.query, body: call.body })
  return { result: plain(r.result), resultInfo: r.result_info }
}

/** Binary content as the vectors write it: `{ $bytes_hex: '...' }`. */
function plain(v) {
  return Buffer.isBuffer(v) ? { $bytes_hex: v.toString('hex') } : v
}

function codesOf(errors) {
  const out = []
  const walk = (e) => {
    out.push(typeof e.code === 'string' ? Number(e.code) : (e.code ?? 0))
    for (const c of e.error_chain ?? []) walk(c)
  }
  for (const e of errors ?? []) walk(e)
  return out
}

// Vectors name options in snake_case; the JS front door names them as JS users write them (apiToken...).
const CAMEL = [
  ['user_service_key', 'userServiceKey'],
  ['api_token', 'apiToken'],
  ['api_email', 'apiEmail'],
  ['api_key', 'apiKey'],
  ['base_url', 'baseURL'],
  ['default_headers', 'defaultHeaders'],
  ['max_response_bytes', 'maxResponseBytes'],
]
const camelText = (t) => CAMEL.reduce((acc, [a, b]) => acc.replaceAll(a, b), t)

function checkError(e, exp0, problems) {
  const exp = { ...exp0 }
  // Texts are checked in the JS spelling: the core names options as the front door spells them.
  if (exp.message_contains) {
    for (const t of exp.message_contains) {
      if (!e.message.includes(camelText(t))) problems.push(`message ${JSON.stringify(e.message)} lacks ${JSON.stringify(camelText(t))}`)
    }
    delete exp.message_contains
  }
  if (exp.message_starts_with !== undefined) exp.message_starts_with = camelText(exp.message_starts_with)
  if (exp.message !== undefined) exp.message = camelText(exp.message)
  if (exp.option !== undefined && !e.message.includes(jsName(exp.option))) {
    problems.push(`message ${JSON.stringify(e.message)} does not name the option ${JSON.stringify(jsName(exp.option))}`)
  }
  for (const t of exp.message_excludes ?? []) {
    if (e.message.includes(camelText(t))) problems.push(`message ${JSON.stringify(e.message)} contains ${JSON.stringify(camelText(t))}, which it must not`)
  }
  if (!(e instanceof CloudflareError)) {
    problems.push(`error is not a CloudflareError: ${inspect(e)}`)
    return
  }
  if (exp.kind !== undefined) {
    if (e.code !== exp.kind) problems.push(`error code ${e.code} != expected ${exp.kind} (${e.message})`)
    const cls = Cloudflare[CLASS_OF[exp.kind] ?? exp.kind]
    if (!cls || !(e instanceof cls)) problems.push(`error is a ${e.constructor.name}, expected an instance of ${CLASS_OF[exp.kind] ?? exp.kind}`)
  }
  if (exp.status !== undefined && e.status !== exp.status) problems.push(`status ${e.status} != expected ${exp.status}`)
  if (exp.codes !== undefined && !deepEqual(codesOf(e.errors), exp.codes)) problems.push(`codes ${JSON.stringify(codesOf(e.errors))} != expected ${JSON.stringify(exp.codes)}`)
  for (const t of exp.message_contains ?? []) {
    if (!e.message.includes(t)) problems.push(`message ${JSON.stringify(e.message)} lacks ${JSON.stringify(t)}`)
  }
  if (exp.message_starts_with !== undefined && !e.message.startsWith(exp.message_starts_with)) {
    problems.push(`message ${JSON.stringify(e.message)} does not start with ${JSON.stringify(exp.message_starts_with)}`)
  }
  if (exp.message !== undefined && e.message !== exp.message) problems.push(`message ${JSON.stringify(e.message)} != expected ${JSON.stringify(exp.message)}`)
  if (exp.ray_id !== undefined && e.rayId !== exp.ray_id) problems.push(`rayId ${e.rayId} != expected ${exp.ray_id}`)
  if (exp.retry_after !== undefined && e.retryAfter !== exp.retry_after) problems.push(`retryAfter ${e.retryAfter} != expected ${exp.retry_after}`)
}

async function runCase(c) {
  const client = subst(c.client ?? {})
  const expect = subst(c.expect ?? {})
  const secrets = secretsOf(client)
  const problems = []
  const checkSecret = (what, text) => {
    for (const s of secrets) if (text.includes(s)) problems.push(`a credential appears in ${what}`)
  }
  await emu.reset(c.reload_state === true)
  for (const r of c.responses ?? []) await emu.queue(subst(r))
  const { lines, logger } = captureLogger()
  const expError = expect.error
  const variant = client.variant
  // With a variant, every expectation is about the variant: an expected error is the variant's (whether or not it
  // says `construction`), and the client it is made from must construct.
  const constructionError = variant !== undefined ? expError !== undefined : expError?.construction === true

  let base
  if (variant !== undefined) {
    try {
      base = new Cloudflare(clientOptions(client, logger))
    } catch (e) {
      checkSecret('the error', `${e.message} ${inspect(e)} ${JSON.stringify(e)}`)
      problems.push(`the client to make a variant of failed: ${e.message} (${e.code})`)
      return problems
    }
    checkSecret("the client's inspect output", inspect(base, { depth: 5, showHidden: true }))
  }
  let cf
  try {
    cf = variant === undefined ? new Cloudflare(clientOptions(client, logger)) : base.withOptions(translateOptions(variant))
  } catch (e) {
    checkSecret('the error', `${e.message} ${inspect(e)} ${JSON.stringify(e)}`)
    if (constructionError) checkError(e, expError, problems)
    else problems.push(`construction failed unexpectedly: ${e.message} (${e.code})`)
    await tick()
    checkSecret('logs', lines.join('\n'))
    return problems
  }
  if (constructionError) problems.push('construction succeeded but an error was expected')
  checkSecret("the client's inspect output", inspect(cf, { depth: 5, showHidden: true }))
  checkSecret("the client's JSON", JSON.stringify(cf))
  if (expect.auth !== undefined && cf.auth !== expect.auth) {
    // The core names the scheme as the front door spells it (apiToken in JS); vectors use snake_case.
    if (cf.auth !== camelText(expect.auth)) problems.push(`auth is ${JSON.stringify(cf.auth)}, expected ${JSON.stringify(expect.auth)}`)
  }
  if (expect.base_url !== undefined && cf.baseURL !== expect.base_url) problems.push(`baseURL is ${cf.baseURL}, expected ${expect.base_url}`)
  if (expect.config !== undefined) {
    const got = cf[EFFECTIVE_OPTIONS](true)
    for (const [k, w] of Object.entries(expect.config)) {
      if (!Object.hasOwn(got, k)) problems.push(`the effective options have no ${k}: ${inspect(got)}`)
      else if (!sameValue(got[k], w)) problems.push(`effective option ${k} is ${inspect(got[k])}, expected ${inspect(w)}`)
    }
  }

  if (c.call) {
    const started = performance.now()
    let outcome
    let error
    try {
      outcome = await makeCall(cf, c.call)
    } catch (e) {
      error = e
    }
    const elapsed = performance.now() - started
    if (error === undefined && expError === undefined) {
      checkTokenResult(outcome, expect, problems)
      if (c.call.tokens) {
        if (outcome.secret !== undefined) {
          // The value handed over shows nowhere else: not in the result, the logs or an inspect.
          secrets.push(outcome.secret.reveal())
          checkSecret('the result', `${JSON.stringify(outcome.result)} ${inspect(outcome.result, { depth: 8 })}`)
        }
      }
      if ('result' in expect && !deepEqual(outcome.result, expect.result)) problems.push(`result ${JSON.stringify(outcome.result)} != expected ${JSON.stringify(expect.result)}`)
      if ('result_info' in expect && !deepEqual(outcome.resultInfo, expect.result_info)) problems.push(`result_info ${JSON.stringify(outcome.resultInfo)} != expected ${JSON.stringify(expect.result_info)}`)
    } else if (error === undefined) {
      problems.push(`call succeeded with ${JSON.stringify(outcome.result)} but an error was expected`)
    } else if (expError !== undefined && !constructionError) {
      checkError(error, expError, problems)
      checkSecret('the error', `${error.message} ${inspect(error, { depth: 5 })} ${JSON.stringify(error)}`)
    } else {
      problems.push(`call failed unexpectedly: ${error.message} (${error.code})`)
    }
    if (expect.elapsed_ms?.min !== undefined && elapsed < expect.elapsed_ms.min) problems.push(`took ${elapsed} ms, expected at least ${expect.elapsed_ms.min}`)
    if (expect.elapsed_ms?.max !== undefined && elapsed > expect.elapsed_ms.max) problems.push(`took ${elapsed} ms, expected at most ${expect.elapsed_ms.max}`)
  }

  const seen = await emu.requests()
  if (expect.attempts !== undefined && seen.length !== expect.attempts) problems.push(`the server saw ${seen.length} requests, expected ${expect.attempts}`)
  if (expect.requests !== undefined) {
    if (expect.requests.length !== seen.length) problems.push(`the server saw ${seen.length} requests, expected ${expect.requests.length}`)
    expect.requests.forEach((want, i) => {
      if (seen[i]) checkRequest(i, want, seen[i], problems)
    })
  }
  await tick()
  const logText = lines.join('\n')
  for (const t of expect.warnings_contain ?? []) {
    if (!lines.some((l) => l.startsWith('WARN') && l.includes(camelText(t)))) problems.push(`no warning containing ${JSON.stringify(t)} was logged`)
  }
  checkSecret('logs', logText)
  return problems
}

const cases = loadVectors()

test('there are vectors to run', () => {
  assert.ok(cases.length >= 40, `expected at least 40 vectors, found ${cases.length}`)
})

// How many cases of each file were played; the manifest test reads it.
const played = new Map()
const files = [...new Set(cases.map(([f]) => f))]
for (const file of files) {
  describe(file, () => {
    for (const [, c] of cases.filter(([f]) => f === file)) {
      test(c.name, async () => {
        const problems = await runCase(c)
        played.set(file, (played.get(file) ?? 0) + 1)
        assert.deepEqual(problems, [], `${file}::${c.name} (${c.rule})`)
      })
    }
  })
}

// Runs last: every vector file is in manifest.json with its number of cases and, unless tests were filtered by
// name, each of them was played (a skipped vector is a failure).
test('manifest.json counts every vector', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'tests', 'vectors', 'manifest.json'), 'utf8'))
  const problems = []
  const count = (file) => cases.filter(([f]) => f === file).length
  for (const file of files) {
    const name = `${file}.json`
    if (!Object.hasOwn(manifest, name)) problems.push(`${name} is not in manifest.json`)
    else if (count(file) !== manifest[name]) problems.push(`${count(file)} cases of ${name} were loaded, manifest.json says ${manifest[name]}`)
  }
  for (const name of Object.keys(manifest)) {
    if (!files.includes(name.replace(/\.json$/, ''))) problems.push(`manifest.json lists ${name}, which is not in tests/vectors`)
  }
  const filtered = process.execArgv.some((a) => /^--test-(name-pattern|skip-pattern|only)/.test(a))
  if (!filtered) {
    for (const file of files) {
      if ((played.get(file) ?? 0) !== count(file)) problems.push(`${played.get(file) ?? 0} of the ${count(file)} cases of ${file}.json were played`)
    }
  }
  assert.deepEqual(problems, [])
})
