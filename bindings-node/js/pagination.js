'use strict'
// Pages of list calls. The core decides where a walk stops; a page only knows whether the core gave it a next.

const { native, resultOf } = require('./native.js')
const { fromInfo, APIUserAbortError, CloudflareError, InvalidArgumentError } = require('./errors.js')

/** @typedef {import('../binding.js').Outcome} Outcome */
/** @typedef {import('../binding.js').NativePager} NativePager */

/**
 * Run `send(handle)` with `signal` wired to `handle.cancel()`; raise the outcome's error as its class.
 * @param {{ cancel(): void }} handle a NativeCall or NativePager
 * @param {AbortSignal | undefined | null} signal
 * @param {() => Promise<Outcome>} send
 * @returns {Promise<Outcome>}
 */
async function settle(handle, signal, send) {
  if (signal != null && (typeof signal !== 'object' || typeof signal.addEventListener !== 'function')) {
    throw new InvalidArgumentError(`signal must be an AbortSignal (e.g. AbortSignal.timeout(5000)), got ${typeof signal}`)
  }
  if (signal?.aborted) throw new APIUserAbortError()
  const onAbort = () => handle.cancel()
  signal?.addEventListener('abort', onAbort, { once: true })
  let out
  try {
    out = await send()
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
  if (out.error) throw fromInfo(out.error)
  return out
}

/**
 * @param {NativePager} pager
 * @param {AbortSignal | undefined | null} signal
 * @returns {Promise<Page>}
 */
async function fetchPage(pager, signal) {
  const own = pager.fork()
  const out = await settle(own, signal, () => own.next())
  return new Page(own, out, signal)
}

/** One page of a list call: `result` (the items) and `result_info`. Iterating it walks every later page too. */
class Page {
  #pager
  #hasNext
  #signal
  /**
   * @param {NativePager} pager
   * @param {Outcome} out
   * @param {AbortSignal | undefined | null} signal
   */
  constructor(pager, out, signal) {
    this.#pager = pager
    this.#hasNext = out.hasNext
    this.#signal = signal
    /** The items of this page. */
    this.result = resultOf(out)
    /** The envelope's `result_info` (page, per_page, count, total_count, total_pages, or cursors). */
    this.result_info = out.resultInfoJson == null ? undefined : JSON.parse(out.resultInfoJson)
  }

  /** Whether another page exists (no request is made to find out). */
  hasNextPage() {
    return this.#hasNext
  }

  /** Fetch the next page. */
  async getNextPage() {
    if (!this.#hasNext) {
      throw new CloudflareError('No next page expected; check page.hasNextPage() before calling getNextPage().')
    }
    return fetchPage(this.#pager, this.#signal)
  }

  /** The items of this page. */
  getPaginatedItems() {
    return this.result
  }

  /** This page and every later one, fetched lazily. */
  async *iterPages() {
    /** @type {Page} */
    let page = this
    yield page
    while (page.hasNextPage()) {
      page = await page.getNextPage()
      yield page
    }
  }

  /** Every item of this page and the later ones. */
  async *[Symbol.asyncIterator]() {
    for await (const page of this.iterPages()) yield* page.result
  }
}

/**
 * What a list method returns: await it for the first page, or `for await` it for every item.
 * Nothing is sent until it is awaited or iterated, and the first page is fetched once for both.
 */
class PagePromise {
  #start
  /** @type {Promise<Page> | undefined} */
  #first
  /** @param {() => Promise<Page>} start fetches the first page */
  constructor(start) {
    this.#start = start
  }

  /** @returns {Promise<Page>} */
  #firstPage() {
    if (this.#first === undefined) this.#first = this.#start()
    return this.#first
  }

  /**
   * @template [A=Page]
   * @template [B=never]
   * @param {((page: Page) => A | PromiseLike<A>) | null} [onFulfilled]
   * @param {((reason: any) => B | PromiseLike<B>) | null} [onRejected]
   * @returns {Promise<A | B>}
   */
  then(onFulfilled, onRejected) {
    return this.#firstPage().then(onFulfilled, onRejected)
  }

  /**
   * @template [B=never]
   * @param {((reason: any) => B | PromiseLike<B>) | null} [onRejected]
   * @returns {Promise<Page | B>}
   */
  catch(onRejected) {
    return this.#firstPage().catch(onRejected)
  }

  /**
   * @param {(() => void) | null} [onFinally]
   * @returns {Promise<Page>}
   */
  finally(onFinally) {
    return this.#firstPage().finally(onFinally)
  }

  async *[Symbol.asyncIterator]() {
    const first = await this.#firstPage()
    yield* first
  }

  get [Symbol.toStringTag]() {
    return 'PagePromise'
  }
}

/**
 * @param {() => NativePager | Promise<NativePager>} makePager prepares the walk, when the first page is asked for (so its errors reject)
 * @param {AbortSignal | undefined | null} signal
 * @returns {PagePromise}
 */
function listCall(makePager, signal) {
  return new PagePromise(async () => fetchPage(await makePager(), signal))
}

module.exports = { Page, PagePromise, settle, listCall, native }
