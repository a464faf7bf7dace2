'use strict'
// `cf.tokens` and `cf.whoami()`: least-privilege API tokens in one call. Every rule (name resolution, scopes, CIDR
// and time checks, the verify fallback for account-owned tokens) is the core's; this file passes arguments,
// shapes results and keeps a created or rolled value in a `Secret`.

const { inspect } = require('node:util')
const { fromInfo } = require('./errors.js')
const { jsonOf } = require('./native.js')

/**
 * A token value, shown once: `toString()`, `JSON.stringify` and `util.inspect` never show it; `reveal()` does.
 */
class Secret {
  #value

  /** @param {string} value */
  constructor(value) {
    this.#value = value
  }

  /** The secret text. Hand it to a secret store; do not print or log it. */
  reveal() {
    return this.#value
  }

  /** @returns {number} */
  get length() {
    return this.#value.length
  }

  toString() {
    return '**********'
  }

  toJSON() {
    return '**********'
  }

  [inspect.custom]() {
    return "Secret('**********')"
  }
}

/** @typedef {import('../binding.js').NativeClient} NativeClient */
/** @typedef {{ accountId?: string | null }} OwnerOptions */

/**
 * A token just created: the API's view (`id`, `name`, `status`, `notBefore`..., as the core returns it, snake_case
 * keys) plus `value`, a `Secret`.
 * @typedef {Record<string, unknown> & { value: Secret }} CreatedToken
 */

class Tokens {
  #native

  /** @param {NativeClient} nativeClient */
  constructor(nativeClient) {
    this.#native = nativeClient
  }

  /**
   * @param {string} op
   * @param {Record<string, unknown>} args
   * @returns {Promise<{ value: any, secret: Secret | undefined }>}
   */
  async #call(op, args) {
    const out = await this.#native.tokensCall(op, jsonOf(args, 'arguments'))
    if (out.error) throw fromInfo(out.error)
    const value = out.json == null ? null : JSON.parse(out.json)
    return { value, secret: out.secret == null ? undefined : new Secret(out.secret) }
  }

  /**
   * Create a least-privilege token. `spec.allow`: `"GROUP@SCOPE"` strings (`"DNS Write@zone:example.com"`; scopes
   * `zone:NAME_OR_ID`, `zones:ACCOUNT` for every zone of an account, `account:NAME_OR_ID`, `user`) or
   * `{ permission, scope }`; `ipAllow`/`ipDeny` CIDRs; `notBefore`; `expiresOn` (RFC 3339) or `ttl` (`"1h"`, or
   * milliseconds). `accountId` makes it account-owned; `dryRun` resolves to the exact request instead.
   * @param {Record<string, unknown>} spec
   * @param {OwnerOptions & { dryRun?: boolean }} [options]
   */
  async create(spec, options = {}) {
    const { value, secret } = await this.#call('create', { spec, accountId: options?.accountId, dryRun: options?.dryRun })
    return secret === undefined ? value : { ...value, value: secret }
  }

  /** The client's token: `id`, `status`, `not_before`, `expires_on`, `owner` (`user`/`account`), `account_id`. */
  async verify() {
    return (await this.#call('verify', {})).value
  }

  /** Which scheme and where it came from; `token` (with `policies` when it may read itself) or `user`. */
  async whoami() {
    return (await this.#call('whoami', {})).value
  }

  /**
   * A new value for token `id`; the old one stops working at once.
   * @param {string} id
   * @param {OwnerOptions} [options]
   * @returns {Promise<Secret>}
   */
  async roll(id, options = {}) {
    const { secret } = await this.#call('roll', { id, accountId: options?.accountId })
    return /** @type {Secret} */ (secret)
  }

  /**
   * Delete token `id`; resolves to the id.
   * @param {string} id
   * @param {OwnerOptions} [options]
   * @returns {Promise<string>}
   */
  async revoke(id, options = {}) {
    return (await this.#call('revoke', { id, accountId: options?.accountId })).value.id
  }

  /**
   * Every token (never their values).
   * @param {OwnerOptions} [options]
   */
  async list(options = {}) {
    return (await this.#call('list', { accountId: options?.accountId })).value
  }

  /**
   * Tokens whose `expires_on` falls within `within` (`"7d"`, or milliseconds), expired ones included.
   * @param {string | number} within
   * @param {OwnerOptions} [options]
   */
  async expiring(within, options = {}) {
    return (await this.#call('expiring', { within, accountId: options?.accountId })).value
  }

  /**
   * The permission groups a token can be granted.
   * @param {OwnerOptions & { scope?: 'zone' | 'account' | 'user' }} [options]
   */
  async permissionGroups(options = {}) {
    return (await this.#call('permission_groups', { scope: options?.scope, accountId: options?.accountId })).value
  }
}

module.exports = { Secret, Tokens }
