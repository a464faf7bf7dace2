'use strict'
// Pages of list calls. The core decides where a walk stops; a page only knows whether the core gave it a next.

const { native, resultOf } = require('./native.js')
const { fromInfo, APIUserAbortError, CloudflareError } = require('./errors.js')

/** Run `send(handle)` with `signal` wired to `handle.cancel()`; raise the outcome's error as its class. */
async function settle(handle, signal, send) {
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
  #first
  constructor(start) {
    this.#start = start
  }

  #firstPage() {
    if (this.#first === undefined) this.#first = this.#start()
    return this.#first
  }

  then(onFulfilled, onRejected) {
    return this.#firstPage().then(onFulfilled, onRejected)
  }

  catch(onRejected) {
    return this.#firstPage().catch(onRejected)
  }

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

function listCall(makePager, signal) {
  return new PagePromise(async () => fetchPage(makePager(), signal))
}

module.exports = { Page, PagePromise, settle, listCall, native }
