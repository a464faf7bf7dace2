// Types of `flarekit/testing` (testing.js, testing.mjs): a local Cloudflare API v4 in this process, for tests.
import type { ClientOptions, Cloudflare } from './index';

/** The demo seed's token with every permission; `emu.client()` uses it when the seed has it. */
export declare const ADMIN_TOKEN_NAME: 'Admin: everything';

/** A seed in the emulator's format (emulator/README.md, "Seed format"). Unknown fields are refused. */
export interface Seed {
  user: {
    id: string;
    email: string;
    api_key: string;
    user_service_key?: string | null;
    first_name?: string | null;
    last_name?: string | null;
  };
  accounts?: Array<{ id: string; name: string; type?: string }>;
  zones?: Array<{
    id: string;
    name: string;
    account_id: string;
    status?: string;
    dns_records?: Array<{
      id?: string | null;
      type: string;
      name: string;
      content: string;
      ttl?: number | null;
      proxied?: boolean | null;
      priority?: number | null;
      comment?: string | null;
      tags?: string[];
    }>;
  }>;
  tokens?: Array<{
    id: string;
    name: string;
    value: string;
    status?: 'active' | 'disabled' | 'expired';
    not_before?: string | null;
    expires_on?: string | null;
    condition?: { request_ip?: { in?: string[]; not_in?: string[] } } | null;
    policies: Array<{
      id?: string;
      effect: 'allow' | 'deny';
      permission_groups: Array<string | { id?: string; name?: string }>;
      resources: Record<string, unknown>;
    }>;
  }>;
  pages_projects?: Array<Record<string, unknown>>;
}

export interface EmulatorOptions {
  /** The demo seed when absent; else a seed object, its JSON text, or a path / `file:` URL of a JSON file. */
  seed?: Seed | string | URL | null;
  /** Address to bind, default `127.0.0.1`. */
  host?: string | null;
  /** Port to bind, default 0: a free one. */
  port?: number | null;
  /** Milliseconds added to every API response, like a real link's round trip (default 0). */
  latency?: number | null;
  /** Serve HTTPS (HTTP/2 and HTTP/1.1) with a certificate made at start; `caPath` holds its CA. */
  tls?: boolean | null;
}

/** Which requests a fault hits, and what happens to them. Fields of the fault combine. */
export interface FaultOptions {
  /** Relative to the base URL (`'/zones*'`: a trailing `*` makes a prefix) or full (`'/client/v4/zones'`); default `'*'`, every request. */
  path?: string;
  /** `'GET'`, `'POST'`... or `'*'` (default). */
  method?: string;
  /** How many matching requests it applies to (default 1). */
  times?: number;
  /** Answer with this status; the body defaults to a realistic envelope (429 → code 971, 5xx → 10001, ...). */
  status?: number;
  /** The body for `status`: JSON, a string sent as text, or bytes sent as they are (as `application/json`). */
  body?: unknown;
  /** Headers added to the response (`{ 'retry-after': '1' }`), to the real one too when nothing else is asked for. */
  headers?: Record<string, string>;
  /** Milliseconds to wait before answering; alone, the real handler answers afterwards. */
  delay?: number;
  /** Cut the connection before any byte, or after the status line and headers (the real handler still runs). */
  drop?: 'beforeHeaders' | 'afterHeaders' | 'before_headers' | 'after_headers';
  /** Announce the full `Content-Length`, send half the body, close. */
  truncateBody?: boolean;
  /** A Cloudflare-style HTML error page (502 unless `status` says otherwise). */
  html?: boolean;
  /** 200 with `success: false` and an error. */
  successFalse?: boolean;
  /** A 200 JSON envelope containing invalid UTF-8. */
  invalidUtf8?: boolean;
  /** A valid 200 list envelope of about this many bytes. */
  bodyBytes?: number;
}

/** A queued fault rule, as the admin API shows it (its wire names). */
export interface FaultRule {
  method: string;
  path: string;
  /** Remaining matching requests. */
  times: number;
  fault: Record<string, unknown>;
}

/** One request the emulator served. */
export interface LoggedRequest {
  /** Arrival order, from 1. */
  seq: number;
  method: string;
  /** The full path, e.g. `/client/v4/zones`. */
  path: string;
  /** The raw query string. */
  query: string | null;
  /** Lower-case names; `authorization`, `x-auth-key` and `x-auth-user-service-key` values are `***`. */
  headers: Record<string, string>;
  /** `null` when the connection was dropped before headers. */
  status: number | null;
  /** The body when it is UTF-8 text (up to 64 KiB). */
  body?: string;
  /** The body in base64 when it is not UTF-8. */
  body_base64?: string;
}

export interface RequestFilter {
  /** As `FaultOptions.path`. */
  path?: string;
  method?: string;
}

export interface AuditLogOptions {
  /** Default: `emu.accountId`. */
  accountId?: string;
  /** The API's filters as the official SDK spells them: `action: { type: 'add' }`, `actor: { email }`, `zone: { name }`, `since`, `before`, `direction`. */
  [filter: string]: unknown;
}

export interface AuditLogEntry {
  id: string;
  action: { type: 'add' | 'update' | 'delete' | 'roll' | string; result?: boolean };
  actor: { id: string; email?: string; ip?: string; type?: string };
  resource: { id: string; type: 'zone' | 'dns_record' | 'api_token' | 'worker_script' | 'certificate' | string };
  owner?: { id: string };
  metadata?: Record<string, unknown>;
  when: string;
  [key: string]: unknown;
}

/**
 * A local Cloudflare API v4 (the `flarekit-emulator` crate, linked into the addon) running in this process, with
 * its own in-memory state: tokens, permissions and error codes as the real API enforces them.
 *
 * ```ts
 * await using emu = await Emulator.start()
 * const cf = emu.client()
 * await emu.fault(429, { headers: { 'retry-after': '1' }, path: '/zones*' })
 * ```
 */
export declare class Emulator implements AsyncDisposable {
  private constructor();
  /** Starts one; rejects with `InvalidArgumentError` for a bad seed, `APIConnectionError` for an address it cannot bind. */
  /** With `tls: true`, a PEM file holding the CA of the server's certificate (clients from `client()` trust it). */
  readonly caPath: string | undefined;
  /** Connections accepted so far (HTTP/2 carries many calls on one). */
  readonly connections: number;
  /** Delays every API response by `ms` milliseconds from now on. */
  setLatency(ms: number): Promise<void>;
  static start(options?: EmulatorOptions): Promise<Emulator>;
  /** The API base URL, `http://127.0.0.1:PORT/client/v4`. */
  readonly baseURL: string;
  /** The admin API, `http://127.0.0.1:PORT/__emulator`. */
  readonly adminURL: string;
  /** False after `stop()`. */
  readonly running: boolean;
  /** The seed it started from (a copy). */
  readonly seed: Seed;
  /** Seeded API tokens, name → value: `emu.tokens['DNS edit: example.com']`. */
  readonly tokens: Record<string, string>;
  readonly apiKey: string;
  readonly apiEmail: string;
  readonly userServiceKey: string | undefined;
  readonly userId: string;
  /** Seeded accounts, name → id. */
  readonly accounts: Record<string, string>;
  /** The first seeded account's id; throws if the seed has none. */
  readonly accountId: string;
  /** Seeded zones, name → id. */
  readonly zones: Record<string, string>;
  /** The first seeded zone's id; throws if the seed has none. */
  readonly zoneId: string;
  /**
   * A client for this emulator: the seed's "Admin: everything" token (else the global key) unless a credential
   * option is given; `CLOUDFLARE_*` environment variables other than `CLOUDFLARE_LOG` are ignored unless `env` is.
   */
  client(options?: ClientOptions): Cloudflare;
  /** Makes the next `times` matching requests fail; resolves to the queued rule. */
  fault(options?: FaultOptions): Promise<FaultRule>;
  fault(status: number, options?: Omit<FaultOptions, 'status'>): Promise<FaultRule>;
  /** Pending fault rules with their remaining `times`. */
  faults(): Promise<FaultRule[]>;
  clearFaults(): Promise<void>;
  /** Requests served so far, oldest first; the helper's own (`auditLog()`) are left out. */
  requests(filter?: RequestFilter): Promise<LoggedRequest[]>;
  clearRequests(): Promise<void>;
  /** The account's audit log, newest first. */
  auditLog(options?: AuditLogOptions): Promise<AuditLogEntry[]>;
  /** Back to the seed, no faults, empty logs; `{ state: false }` only clears faults and the request log. */
  reset(options?: { state?: boolean }): Promise<void>;
  /** Stops serving (in-flight requests finish); idempotent. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The built-in demo seed (record ids filled in): a starting point for a custom seed. */
export declare function demoSeed(): Promise<Seed>;
