// Plays every case of tests/vectors/*.json against the emulator (see tests/vectors/README.md).
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import Cloudflare, { CloudflareError } from '../index.mjs'
import { startEmulator, loadVectors, checkRequest, deepEqual, captureLogger, tick } from './support.mjs'

const OPTION_NAMES = {
  api_token: 'apiToken',
  api_key: 'apiKey',
  api_email: 'apiEmail',
  user_service_key: 'userServiceKey',
  base_url: 'baseURL',
  account_id: 'accountId',
  timeout: 'timeout',
  max_retries: 'maxRetries',
  default_headers: 'defaultHeaders',
  log_level: 'logLevel',
  retry_delay_scale: 'retryDelayScale',
  max_response_bytes: 'maxResponseBytes',
}

// The core's kind names → the JS class each is raised as.
const CLASS_OF = { APIStatusError: 'APIError', APITimeoutError: 'APIConnectionTimeoutError' }

const emu = await startEmulator()
after(() => emu.stop())

// The vectors need the emulator's scripted-response protocol (path "*", body_text, bodies in the request log).
// An emulator without it gets every vector reported as skipped, with the reason, instead of 120 failures.
async function protocolGap() {
  try {
    await emu.queue({ status: 200, text: '' })
    await emu.reset()
    return undefined
  } catch (e) {
    await emu.reset().catch(() => {})
    return `the emulator does not play scripted responses yet (${e.message.slice(0, 120)})`
  }
}
const gap = await protocolGap()

function subst(v) {
  if (typeof v === 'string') return v.replaceAll('{base}', emu.baseURL).replaceAll('{origin}', emu.origin)
  if (Array.isArray(v)) return v.map(subst)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, subst(x)]))
  return v
}

function clientOptions(client, logger) {
  const opts = { ...(client.options ?? {}) }
  const hasBase = 'base_url' in opts || 'CLOUDFLARE_BASE_URL' in (client.env ?? {})
  if (!hasBase) opts.base_url = emu.baseURL
  const out = { env: client.env ?? {}, retryDelayScale: 0.001, logLevel: 'debug', logger }
  for (const [k, v] of Object.entries(opts)) {
    const name = OPTION_NAMES[k]
    if (!name) throw new Error(`unknown vector option ${k}`)
    out[name] = k === 'timeout' && typeof v === 'number' ? v * 1000 : v
  }
  return out
}

function secretsOf(client) {
  const out = []
  for (const section of ['options', 'env']) {
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

async function makeCall(cf, call) {
  if (call.operation) {
    const at = call.operation.lastIndexOf('.')
    const resource = call.operation.slice(0, at)
    const method = call.operation.slice(at + 1)
    const res = resourceOf(cf, resource)
    const fn = res?.[method]
    // Names the resource objects do not know (unknown resources, Python spellings) go through the
    // client's by-name entry point, which asks the core's lookup, so its error is the core's.
    const args = [...(call.positional ?? []), call.params ?? {}]
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
  await emu.reset()
  for (const r of c.responses ?? []) await emu.queue(subst(r))
  const { lines, logger } = captureLogger()
  const expError = expect.error
  const constructionError = expError?.construction === true

  let cf
  try {
    cf = new Cloudflare(clientOptions(client, logger))
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

const files = [...new Set(cases.map(([f]) => f))]
for (const file of files) {
  describe(file, () => {
    for (const [, c] of cases.filter(([f]) => f === file)) {
      const needsProtocol = c.responses !== undefined || c.expect?.requests !== undefined
      test(c.name, { skip: needsProtocol && gap }, async () => {
        const problems = await runCase(c)
        assert.deepEqual(problems, [], `${file}::${c.name} (${c.rule})`)
      })
    }
  })
}
