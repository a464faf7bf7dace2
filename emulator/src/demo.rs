//! Credentials and ids of the built-in demo seed ([`crate::Seed::demo`]).
//!
//! They are fake and only mean something to the emulator. A test in this crate
//! checks that they match `seed/demo.json`.

/// The demo user's id.
pub const USER_ID: &str = "ec26f1de3abd4ebec693ec3e905fabf8";
/// The demo user's email (send with [`API_KEY`] as `X-Auth-Email`).
pub const API_EMAIL: &str = "demo@example.com";
/// The demo user's global API key (send as `X-Auth-Key`): full access to both accounts.
pub const API_KEY: &str = "82bd043ab7cb7a3663a503ce005ce445d908f";
/// The Origin CA key (send as `X-Auth-User-Service-Key`); only `/certificates` accepts it.
pub const USER_SERVICE_KEY: &str = "v1.0-055d486c2cb6752abafc3366-9cfa73e47daa8fcba7101a961eccbd77fb5eaa7c4699d92232ddce0a891c56cb7a124077d62de0b58e016d8dc135cb5268b962b58b2c316d7c13bdab8e068eb609ec4561b570c67ef8";

/// "Demo Account": owns `example.com` and the Pages projects `demo-site` and `docs`.
pub const ACCOUNT_ID: &str = "d213db106595949fb4bb9e86844c4400";
/// "Demo Account".
pub const ACCOUNT_NAME: &str = "Demo Account";
/// "Demo Staging Account": owns `example.org` and the Pages project `staging-site`.
pub const STAGING_ACCOUNT_ID: &str = "b86ac27a4ef6799565687472aa2f3528";
/// "Demo Staging Account".
pub const STAGING_ACCOUNT_NAME: &str = "Demo Staging Account";

/// `example.com` (in [`ACCOUNT_ID`], 5 DNS records).
pub const ZONE_ID: &str = "822a5cb2e31326eb7856208ac716c8cd";
/// `example.com`.
pub const ZONE_NAME: &str = "example.com";
/// `example.org` (in [`STAGING_ACCOUNT_ID`], 3 DNS records).
pub const ORG_ZONE_ID: &str = "4a5201fa32fcbc6a56dfccdcb91a44b0";
/// `example.org`.
pub const ORG_ZONE_NAME: &str = "example.org";
/// The apex `A` record of `example.com` (192.0.2.10, proxied).
pub const APEX_RECORD_ID: &str = "265018b6a889e8333bd74adabb1f543f";

/// Every permission on every zone, account and the user, including API Tokens Write.
pub const ADMIN_TOKEN: &str = "W3Jgt60DxagIb1qrAOto5u1cVb7UjKo3CRNmgT9_";
/// Id of [`ADMIN_TOKEN`].
pub const ADMIN_TOKEN_ID: &str = "18ab5360bc9fafcfc4e85da799703ea1";
/// DNS Write and Zone Read on `example.com` only.
pub const DNS_EDIT_TOKEN: &str = "OdtO-JYTKsqGWT26WAMhx2aSGGU8aA3lAdYzuWZu";
/// Id of [`DNS_EDIT_TOKEN`].
pub const DNS_EDIT_TOKEN_ID: &str = "6942b2b1569606adfb46d2d34a1eb9aa";
/// Read on all zones, DNS, certificates, accounts, Workers, Pages, the user, tokens and memberships.
pub const READ_ONLY_TOKEN: &str = "P5GUuve5FSpsGs-ZyDcajdBdjgLP4psVCTzMHYiv";
/// Id of [`READ_ONLY_TOKEN`].
pub const READ_ONLY_TOKEN_ID: &str = "f3790f141cebddfb334d5a08481a3a52";
/// Expired on 2020-01-01: rejected with 403/10000 (401/1000 on verify).
pub const EXPIRED_TOKEN: &str = "7SlEcDdtug_V0oFlpPRBA12Z8Ffms7jVDTwWWoF0";
/// Id of [`EXPIRED_TOKEN`].
pub const EXPIRED_TOKEN_ID: &str = "c4faba06b64965d51864f70ef1b974c0";
/// Valid only from 2099-01-01: rejected with 403/10000.
pub const NOT_YET_VALID_TOKEN: &str = "yklOGAVBPt4BbslEb1A_Gd4iZQjL7FfsXe1D9CAn";
/// Id of [`NOT_YET_VALID_TOKEN`].
pub const NOT_YET_VALID_TOKEN_ID: &str = "5d2b1a0bdc360d1bd89c862b54776764";
/// Revoked (status `disabled`): rejected with 403/10000.
pub const REVOKED_TOKEN: &str = "4NdOSnFcUgZUwXkQaEshBNlp94wWg2J4_Mc6KlN2";
/// Id of [`REVOKED_TOKEN`].
pub const REVOKED_TOKEN_ID: &str = "d80dff6192538e0085e66f1e55522de5";
/// Zone and DNS read, but only from 192.0.2.0/24: rejected from loopback with 403/10000.
pub const IP_RESTRICTED_TOKEN: &str = "kpbYHOJdlORNxqVlv-S5-uWfoiOozLlequTxnGq8";
/// Id of [`IP_RESTRICTED_TOKEN`].
pub const IP_RESTRICTED_TOKEN_ID: &str = "7fbab032110bedb5e1a5a5c5bc5a8468";
