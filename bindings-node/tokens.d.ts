// Least-privilege API tokens: `cf.tokens` and `cf.whoami()` (js/tokens.js over the core's flarekit::tokens).

/** A token value, shown once: `toString()`, `JSON.stringify` and `util.inspect` never show it; `reveal()` does. */
export declare class Secret {
  private constructor();
  /** The secret text. Hand it to a secret store; do not print or log it. */
  reveal(): string;
  readonly length: number;
  toString(): string;
  toJSON(): string;
}

/** `"GROUP@SCOPE"` (`"DNS Write@zone:example.com"`) or the same as an object. Scopes: `zone:NAME_OR_ID`,
 * `zones:ACCOUNT_NAME_OR_ID` (every zone of an account), `account:NAME_OR_ID`, `user`. */
export type TokenGrant = string | { permission: string; scope: string };

/** What a token may do, by names: resolved through the API into the exact request body. */
export interface TokenSpec {
  name: string;
  allow: TokenGrant | TokenGrant[];
  /** CIDRs the token may be used from (checked before any request). */
  ipAllow?: string | string[];
  /** CIDRs the token may not be used from. */
  ipDeny?: string | string[];
  /** RFC 3339. */
  notBefore?: string;
  /** RFC 3339; or give `ttl`. */
  expiresOn?: string;
  /** `"1h"`, `"30d"`, or milliseconds. */
  ttl?: string | number;
}

export interface TokenOwnerOptions {
  /** The account that owns the token (`/accounts/{id}/tokens`); the user's when absent. */
  accountId?: string | null;
}

export interface TokenPolicy {
  id?: string;
  effect: 'allow' | 'deny';
  resources: Record<string, unknown>;
  permission_groups: Array<{ id: string; name?: string }>;
}

/** What `create(spec, { dryRun: true })` resolves to: the request, unsent. */
export interface TokenPlan {
  dry_run: true;
  method: 'POST';
  path: string;
  body: { name: string; policies: TokenPolicy[]; condition?: unknown; not_before?: string; expires_on?: string };
  grants: Array<{ permission: string; permission_id: string; scope: string; resource: string }>;
}

export interface TokenIdentity {
  id: string;
  status: string;
  not_before: string | null;
  expires_on: string | null;
  owner: 'user' | 'account';
  account_id: string | null;
  name: string | null;
  /** When the token may read itself. */
  policies: TokenPolicy[] | null;
}

/** A token just created; `value` is shown only by `value.reveal()`. */
export interface CreatedToken {
  id: string;
  name: string | null;
  status: string | null;
  not_before: string | null;
  expires_on: string | null;
  policies: TokenPolicy[];
  owner: 'user' | 'account';
  account_id: string | null;
  value: Secret;
}

/** Which credential is in use and where it came from; never a secret. */
export interface WhoAmI {
  /** E.g. `apiToken from CLOUDFLARE_API_TOKEN`. */
  auth: string;
  scheme: 'api_token' | 'api_key' | 'user_service_key';
  source: string;
  token: TokenIdentity | null;
  /** For the global key: the user. */
  user: { id: string; email: string; [field: string]: unknown } | null;
}

export interface TokenSummary {
  id: string;
  name?: string;
  status?: string;
  not_before?: string | null;
  expires_on?: string | null;
  [field: string]: unknown;
}

export interface PermissionGroupInfo {
  id: string;
  name: string;
  scopes: string[];
  [field: string]: unknown;
}

export declare class Tokens {
  private constructor();
  create(spec: TokenSpec, options: TokenOwnerOptions & { dryRun: true }): Promise<TokenPlan>;
  create(spec: TokenSpec, options?: TokenOwnerOptions & { dryRun?: false }): Promise<CreatedToken>;
  verify(): Promise<TokenIdentity>;
  whoami(): Promise<WhoAmI>;
  /** A new value; the old one stops working at once. */
  roll(id: string, options?: TokenOwnerOptions): Promise<Secret>;
  /** Resolves to the id. */
  revoke(id: string, options?: TokenOwnerOptions): Promise<string>;
  list(options?: TokenOwnerOptions): Promise<TokenSummary[]>;
  /** Tokens whose `expires_on` falls within `within` (`"7d"` or milliseconds), expired ones included. */
  expiring(within: string | number, options?: TokenOwnerOptions): Promise<TokenSummary[]>;
  permissionGroups(options?: TokenOwnerOptions & { scope?: 'zone' | 'account' | 'user' }): Promise<PermissionGroupInfo[]>;
}
