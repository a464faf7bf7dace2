//! The command line, declared with clap.

use clap::{Args, Parser, Subcommand};

/// A Cloudflare API v4 client for scripts and CI: whoami, least-privilege tokens, any endpoint.
///
/// Credentials come from the environment, exactly as in the flarekit libraries: CLOUDFLARE_API_TOKEN, or
/// CLOUDFLARE_API_KEY with CLOUDFLARE_EMAIL, or CLOUDFLARE_API_USER_SERVICE_KEY; CLOUDFLARE_BASE_URL and
/// CLOUDFLARE_ACCOUNT_ID too.
///
/// Exit codes: 0 success, 1 API error, 2 usage or configuration error, 3 connection or timeout,
/// 4 missing or rejected credentials.
#[derive(Debug, Parser)]
#[command(
    name = "flarekit",
    version,
    propagate_version = true,
    arg_required_else_help = true
)]
pub struct Cli {
    /// Seconds to wait for each attempt (default 60).
    #[arg(long, global = true, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Retries after a connection error, a timeout, 429 or 5xx (default 2).
    #[arg(long, global = true, value_name = "N")]
    pub max_retries: Option<u32>,
    /// A PEM file of CA certificates to trust besides the system roots (the libraries' `ca_bundle` option), e.g. the
    /// CA that `flarekit-emulator --tls` prints.
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_bundle: Option<std::path::PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Which credential is in use and where it came from; for a token its id, status, validity and owner.
    Whoami(JsonFlag),
    /// Least-privilege API tokens.
    #[command(subcommand, arg_required_else_help = true)]
    Token(TokenCommand),
    /// Any endpoint, in the manner of `gh api`: the result as JSON on stdout.
    Api(ApiArgs),
    /// Any operation of the table by its official name: `flarekit call zones.get -f zone_id=Z`, `flarekit call dns.records.get RECORD_ID -f zone_id=Z`,
    /// `flarekit call dns.records.create -f zone_id=Z -f type=A -f name=www -f content=192.0.2.1`.
    Call(CallArgs),
}

#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Verify the token in use (CLOUDFLARE_API_TOKEN); works for user- and account-owned tokens.
    Verify(JsonFlag),
    /// Create a token by permission names and scopes; prints its value once, on stdout.
    Create(CreateArgs),
    /// List tokens (never their values).
    List(ListArgs),
    /// Give a token a new value (printed once, on stdout); the old one stops working at once.
    Roll(IdArgs),
    /// Delete a token; it stops working at once.
    Revoke(IdArgs),
    /// The permission groups a token can be granted.
    Permissions(PermissionsArgs),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The token's name.
    #[arg(long)]
    pub name: String,
    /// A grant, GROUP@SCOPE, SCOPE being zone:NAME_OR_ID, zones:ACCOUNT_NAME_OR_ID (every zone of an account),
    /// account:NAME_OR_ID or user; e.g. --allow "DNS Write@zone:example.com". Repeatable.
    #[arg(long = "allow", value_name = "GROUP@SCOPE", required = true)]
    pub allow: Vec<String>,
    /// Only from this CIDR range (repeatable).
    #[arg(long = "ip-allow", value_name = "CIDR")]
    pub ip_allow: Vec<String>,
    /// Never from this CIDR range (repeatable).
    #[arg(long = "ip-deny", value_name = "CIDR")]
    pub ip_deny: Vec<String>,
    /// Lifetime from now, e.g. 1h, 30d, 1h30m.
    #[arg(long, conflicts_with = "expires_on")]
    pub ttl: Option<String>,
    /// Expiry, RFC 3339 (2030-01-01T00:00:00Z).
    #[arg(long)]
    pub expires_on: Option<String>,
    /// Start of validity, RFC 3339.
    #[arg(long)]
    pub not_before: Option<String>,
    /// Create an account-owned token of this account (id) instead of a user-owned one.
    #[arg(long, value_name = "ACCOUNT_ID")]
    pub account: Option<String>,
    /// Resolve names and print the exact request, without creating anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Print JSON (the value included) instead of the bare value.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only tokens expiring within this duration (e.g. 7d), expired ones included.
    #[arg(long, value_name = "DURATION")]
    pub expiring_within: Option<String>,
    /// The account-owned tokens of this account instead of the user's.
    #[arg(long, value_name = "ACCOUNT_ID")]
    pub account: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct IdArgs {
    /// The token id (32 hex characters).
    pub id: String,
    /// The token is owned by this account.
    #[arg(long, value_name = "ACCOUNT_ID")]
    pub account: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PermissionsArgs {
    /// Only groups of this scope.
    #[arg(long, value_parser = ["zone", "account", "user"])]
    pub scope: Option<String>,
    /// The groups an account-owned token of this account can hold.
    #[arg(long, value_name = "ACCOUNT_ID")]
    pub account: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ParamArgs {
    /// A string parameter, key=value (repeatable).
    #[arg(short = 'f', long = "raw-field", value_name = "KEY=VALUE")]
    pub raw_fields: Vec<String>,
    /// A typed parameter, key=value: true, false, null, numbers and JSON arrays/objects are converted;
    /// @FILE reads the value from a file (@- from stdin). Repeatable.
    #[arg(short = 'F', long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ApiArgs {
    /// The path under the base URL, e.g. /zones or zones/ZONE_ID/dns_records.
    pub path: String,
    /// The HTTP method (default GET, or POST when fields are given).
    #[arg(short = 'X', long, value_name = "METHOD")]
    pub method: Option<String>,
    #[command(flatten)]
    pub params: ParamArgs,
    /// Fetch every page and print all items as one JSON array.
    #[arg(long)]
    pub paginate: bool,
    /// Print the status line and response headers before the body.
    #[arg(short = 'i', long)]
    pub include: bool,
}

#[derive(Debug, Args)]
pub struct CallArgs {
    /// The operation's official name, e.g. zones.list, dns.records.create.
    pub operation: String,
    /// Positional arguments (the trailing ids), in order.
    pub positional: Vec<String>,
    #[command(flatten)]
    pub params: ParamArgs,
    /// Walk every page of a list operation and print all items as one JSON array.
    #[arg(long)]
    pub paginate: bool,
}
