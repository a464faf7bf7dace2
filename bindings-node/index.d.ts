// Type declarations of the `flarekit` npm package. The resources and their methods are generated from the
// operation table into resources.d.ts (tools/gen_node.py); this file holds the hand-written parts.

import type { Resources } from './resources';
import type { Tokens, WhoAmI } from './tokens';

export type { Resources } from './resources';
export * from './tokens';
// The API's result and params types (types.d.ts, generated): `import type { Zone, RecordResponse } from 'flarekit'`.
export * from './types';

/**
 * A log sink: `console` by default. Each event is `logger[level]('flarekit: <what>', fields)`; a function is
 * called as `logger(level, 'flarekit: <what>', fields)`.
 */
export type Logger =
  | {
      debug(message: string, fields?: Record<string, unknown>): void;
      info(message: string, fields?: Record<string, unknown>): void;
      warn(message: string, fields?: Record<string, unknown>): void;
      error(message: string, fields?: Record<string, unknown>): void;
    }
  | ((level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void);

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

export interface ClientOptions {
  /** An API token, sent as `Authorization: Bearer`. Env `CLOUDFLARE_API_TOKEN`. */
  apiToken?: string | null;
  /** The global API key; needs `apiEmail`. Env `CLOUDFLARE_API_KEY`. */
  apiKey?: string | null;
  /** The account email that goes with `apiKey`. Env `CLOUDFLARE_EMAIL`. */
  apiEmail?: string | null;
  /** An Origin CA user service key. Env `CLOUDFLARE_API_USER_SERVICE_KEY`. */
  userServiceKey?: string | null;
  /** Default `https://api.cloudflare.com/client/v4`; env `CLOUDFLARE_BASE_URL`. `http://` only to loopback. */
  baseURL?: string | null;
  /** Used by operations that need an account and are not given one. Env `CLOUDFLARE_ACCOUNT_ID`. */
  accountId?: string | null;
  /** Per-attempt timeout in milliseconds, 1 to 1e12 (default 60000). */
  timeout?: number | null;
  /** Retries after the first attempt, a whole number (default 2). 429s are waited out apart from these. */
  maxRetries?: number | null;
  /**
   * Pages of a list fetched ahead of the one being read or awaited, 0 to 64 (default 4; 0 turns it off). A full
   * walk still makes one request per page; stopping early wastes at most this many.
   */
  pagePrefetch?: number | null;
  /** Requests per `rateLimitWindow`, shared by the client's variants; over budget a call waits (default 1200; 0 off). */
  rateLimit?: number | null;
  /** The window of `rateLimit` in milliseconds (default 300000). */
  rateLimitWindow?: number | null;
  /** The longest one call waits out 429s in all, in milliseconds (default 300000). */
  maxRateLimitWait?: number | null;
  /**
   * Headers sent with every request (credential headers are refused: use the credential options). In
   * `withOptions` they merge into the client's headers by name, and `null` removes one.
   */
  defaultHeaders?: Record<string, string | null | undefined> | Map<string, string | null> | null;
  /** How much to log (overrides env `CLOUDFLARE_LOG`; default off). */
  logLevel?: LogLevel;
  /** Where log events go (default `console`). Credentials are never logged. */
  logger?: Logger;
  /** Multiply every retry wait by this factor, 0 to 1000 (tests use a small one). */
  retryDelayScale?: number | null;
  /** Largest response body accepted, in bytes, at least 1 (default 256 MiB). */
  maxResponseBytes?: number | bigint | null;
  /** Appended to the User-Agent after the runtime, e.g. `deploy-bot/1.2`. */
  userAgentSuffix?: string | null;
  /**
   * An HTTP proxy for every request (a CONNECT tunnel), e.g. `http://proxy.internal:3128`; else `HTTPS_PROXY`
   * (unless `NO_PROXY` exempts the host). Loopback base URLs never use a proxy. See docs/options.md.
   */
  proxy?: string | null;
  /**
   * A PEM file of CA certificates to trust besides the system roots (a private CA, a test server). Certificates
   * and host names are always verified; this only adds trust. An unreadable file is a `ConfigurationError`.
   */
  caBundle?: string | URL | null;
  /** Read these variables instead of `process.env` (for tests), once, at construction. */
  env?: Record<string, string | undefined>;
}

/** Options of `withOptions`: every option but `env`, and `setDefaultHeaders`, which replaces every default header. */
export interface VariantOptions extends Omit<ClientOptions, 'env'> {
  setDefaultHeaders?: Record<string, string | null | undefined> | Map<string, string | null> | null;
}

/** Per-call options. */
export interface RequestOptions {
  /** Aborting rejects the call with `APIUserAbortError` and drops its connection. */
  signal?: AbortSignal;
}

/** Binary content: a File/Blob, a Buffer or typed array, or an ArrayBuffer. */
export type Uploadable = Blob | ArrayBuffer | ArrayBufferView;

/** A multipart file: a `File` (its name is the part's), or `{ name, content, content_type? }`. */
export type FileInput = File | { name: string; content: string | Uploadable; content_type?: string };

/** Options of the generic calls (`cf.get(path, { query })`, `cf.post(path, { body })`...). */
export interface GenericOptions extends RequestOptions {
  /** Query parameters; nested objects become dotted keys (`account.id`), arrays repeat the key. */
  query?: Record<string, unknown>;
  /** A JSON body, or binary/text content sent as it is. */
  body?: unknown;
  /** The content type of a binary or text body. */
  contentType?: string;
}

/** A whole decoded response, from `cf.request(...)`. */
export interface APIResponse<T = any> {
  /** HTTP status. */
  status: number;
  /** The envelope's `result`. */
  result: T;
  /** The envelope's `result_info`, on list responses. */
  result_info: Record<string, any> | undefined;
  /** The envelope's `messages`. */
  messages: unknown[];
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
}

/** One page of a list call. `for await` over it walks its items and every later page's. */
export declare class Page<Item = any> implements AsyncIterable<Item> {
  private constructor();
  /** The items of this page. */
  result: Item[];
  /** The envelope's `result_info` (page, per_page, count, total_count, total_pages, or cursors). */
  result_info: Record<string, any> | undefined;
  /** Whether another page exists (no request is made to find out). */
  hasNextPage(): boolean;
  /** Fetch the next page. */
  getNextPage(): Promise<Page<Item>>;
  /** The items of this page. */
  getPaginatedItems(): Item[];
  /** This page and every later one, fetched lazily. */
  iterPages(): AsyncGenerator<Page<Item>, void, unknown>;
  [Symbol.asyncIterator](): AsyncGenerator<Item, void, unknown>;
}

/** What a list method returns: await it for the first page, or `for await` it for every item. */
export declare class PagePromise<Item = any> implements PromiseLike<Page<Item>>, AsyncIterable<Item> {
  private constructor();
  then<A = Page<Item>, B = never>(
    onfulfilled?: ((value: Page<Item>) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: any) => B | PromiseLike<B>) | null,
  ): Promise<A | B>;
  catch<B = never>(onrejected?: ((reason: any) => B | PromiseLike<B>) | null): Promise<Page<Item> | B>;
  finally(onfinally?: (() => void) | null): Promise<Page<Item>>;
  [Symbol.asyncIterator](): AsyncGenerator<Item, void, unknown>;
}

/** Base of the resource objects (`cf.dns.records`). */
export declare class Resource {
  private constructor();
}

/** A Cloudflare API v4 client. Resources hang off it as the official SDK names them: `cf.dns.records.create(...)`. */
declare class Cloudflare {
  constructor(options?: ClientOptions);
  /** Least-privilege API tokens: create by permission and zone/account names (IP-filtered, expiring; `dryRun`),
   * verify, whoami, roll, revoke, list, expiring, permissionGroups. */
  readonly tokens: Tokens;
  /** Which credential is in use and where it came from; for a token its id, status, validity and owner. */
  whoami(): Promise<WhoAmI>;
  /** Which auth scheme is used and from where, e.g. `apiToken from CLOUDFLARE_API_TOKEN`; never the value. */
  readonly auth: string;
  readonly baseURL: string;
  readonly accountId: string | undefined;
  readonly maxRetries: number;
  /** Milliseconds. */
  readonly timeout: number;
  readonly logLevel: LogLevel;
  /** Headers sent with every request (lower-case names). */
  readonly defaultHeaders: Record<string, string>;
  /**
   * A new client with some options changed: credential options replace the credentials as a set,
   * `defaultHeaders` merge by name (`null` removes one), `setDefaultHeaders` replaces them all, the rest is kept.
   */
  withOptions(options?: VariantOptions): Cloudflare;
  /** Any request under the base URL; resolves to the whole decoded response. */
  request<T = any>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | string, path: string, options?: GenericOptions): Promise<APIResponse<T>>;
  /** `GET path` (relative to the base URL); resolves to the envelope's `result`. */
  get<T = any>(path: string, options?: GenericOptions): Promise<T>;
  post<T = any>(path: string, options?: GenericOptions): Promise<T>;
  put<T = any>(path: string, options?: GenericOptions): Promise<T>;
  patch<T = any>(path: string, options?: GenericOptions): Promise<T>;
  delete<T = any>(path: string, options?: GenericOptions): Promise<T>;
  /** Call an operation by name (JS or Python spelling): `cf.operation('dns.records', 'create', { zone_id, ... })`. */
  operation(resource: string, method: string, ...args: unknown[]): Promise<any> | PagePromise<any>;
  toJSON(): { auth: string; baseURL: string; accountId?: string; maxRetries: number; timeout: number; logLevel: LogLevel };

  static Cloudflare: typeof Cloudflare;
  static default: typeof Cloudflare;
  static CloudflareError: typeof CloudflareError;
  static APIError: typeof APIError;
  static BadRequestError: typeof BadRequestError;
  static AuthenticationError: typeof AuthenticationError;
  static MissingCredentialsError: typeof MissingCredentialsError;
  static PermissionDeniedError: typeof PermissionDeniedError;
  static NotFoundError: typeof NotFoundError;
  static ConflictError: typeof ConflictError;
  static UnprocessableEntityError: typeof UnprocessableEntityError;
  static RateLimitError: typeof RateLimitError;
  static InternalServerError: typeof InternalServerError;
  static APIConnectionError: typeof APIConnectionError;
  static APIConnectionTimeoutError: typeof APIConnectionTimeoutError;
  static APIUserAbortError: typeof APIUserAbortError;
  static ConfigurationError: typeof ConfigurationError;
  static InvalidArgumentError: typeof InvalidArgumentError;
  static Page: typeof Page;
  static PagePromise: typeof PagePromise;
  static Resource: typeof Resource;
}
interface Cloudflare extends Resources {}

/**
 * The core's error kind names: the stable `code` of every error. `APIStatusError` is raised as `APIError`,
 * `APITimeoutError` as `APIConnectionTimeoutError`.
 */
export type ErrorCode =
  | 'BadRequestError'
  | 'AuthenticationError'
  | 'MissingCredentialsError'
  | 'PermissionDeniedError'
  | 'NotFoundError'
  | 'ConflictError'
  | 'UnprocessableEntityError'
  | 'RateLimitError'
  | 'InternalServerError'
  | 'APIStatusError'
  | 'APIConnectionError'
  | 'APITimeoutError'
  | 'APIUserAbortError'
  | 'ConfigurationError'
  | 'InvalidArgumentError';

/** One entry of an envelope's `errors`. */
export interface ErrorDetail {
  code: number;
  message: string;
  documentation_url?: string;
  source?: { pointer?: string; [key: string]: unknown };
  error_chain?: ErrorDetail[];
}

/** Base class of every error flarekit raises. */
export declare class CloudflareError extends Error {
  readonly code: ErrorCode | 'CloudflareError';
}
/** The API answered with an error. */
export declare class APIError extends CloudflareError {
  /** HTTP status. */
  readonly status: number | undefined;
  /** The envelope's `errors`, chained errors included. */
  readonly errors: ErrorDetail[];
  /** The envelope's `messages`. */
  readonly messages: unknown[];
  /** The response body: the JSON value, or a string with the start of a non-JSON body. */
  readonly error: unknown;
  /** Response headers, lower-case names. */
  readonly headers: Record<string, string> | undefined;
  /** The `cf-ray` id of the response. */
  readonly rayId: string | undefined;
  /** How many attempts were made. */
  readonly attempts: number;
}
export declare class BadRequestError extends APIError {}
export declare class AuthenticationError extends APIError {}
/** No usable credentials: raised by `new Cloudflare()`, before any request. */
export declare class MissingCredentialsError extends AuthenticationError {}
export declare class PermissionDeniedError extends APIError {}
export declare class NotFoundError extends APIError {}
export declare class ConflictError extends APIError {}
export declare class UnprocessableEntityError extends APIError {}
export declare class RateLimitError extends APIError {
  /** Seconds the server asked to wait, if it said. */
  readonly retryAfter: number | undefined;
}
export declare class InternalServerError extends APIError {}
/** The request could not be sent or the response not received. */
export declare class APIConnectionError extends CloudflareError {
  readonly attempts: number;
}
/** An attempt took longer than `timeout`. */
export declare class APIConnectionTimeoutError extends APIConnectionError {}
/** The request was aborted through its `AbortSignal`. */
export declare class APIUserAbortError extends CloudflareError {}
/** Bad client options: base URL, header values, credential characters. */
export declare class ConfigurationError extends CloudflareError {}
/** A call's arguments are wrong (missing path parameter, unknown parameter), found before any request. */
export declare class InvalidArgumentError extends CloudflareError {}

export { Cloudflare };
export default Cloudflare;
