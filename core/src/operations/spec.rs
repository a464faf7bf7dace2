//! The shape of one entry of the generated operation table.

/// HTTP verb of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Verb {
    /// The verb as it goes on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
            Verb::Patch => "PATCH",
            Verb::Delete => "DELETE",
        }
    }
}

/// How a list operation pages, as the official SDKs name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaginationKind {
    /// `page`/`per_page`; `result` is the array.
    V4PagePaginationArray,
    /// `page`/`per_page`; items are in `result.items`.
    V4PagePagination,
    /// `result_info.cursor` sent back as `cursor`.
    CursorPagination,
    /// `result_info.cursors.after` sent back as `after`.
    CursorPaginationAfter,
    /// `result_info.cursor` sent back as `cursor`, with `limit`.
    CursorLimitPagination,
    /// One request; `result` is the array.
    SinglePage,
}

impl PaginationKind {
    /// The official SDKs' name of this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            PaginationKind::V4PagePaginationArray => "V4PagePaginationArray",
            PaginationKind::V4PagePagination => "V4PagePagination",
            PaginationKind::CursorPagination => "CursorPagination",
            PaginationKind::CursorPaginationAfter => "CursorPaginationAfter",
            PaginationKind::CursorLimitPagination => "CursorLimitPagination",
            PaginationKind::SinglePage => "SinglePage",
        }
    }
}

/// A request content type an operation accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyKind {
    /// `application/json`
    Json,
    /// `application/merge-patch+json`
    MergePatchJson,
    /// `multipart/form-data`
    Multipart,
    /// `application/octet-stream`
    OctetStream,
    /// `application/javascript` or `text/javascript`
    JavaScript,
    /// `text/plain`
    TextPlain,
    /// `application/x-ndjson`
    NdJson,
    /// `application/x-www-form-urlencoded`
    FormUrlEncoded,
}

impl BodyKind {
    /// The content type sent for this kind.
    pub fn content_type(self) -> &'static str {
        match self {
            BodyKind::Json => "application/json",
            BodyKind::MergePatchJson => "application/merge-patch+json",
            BodyKind::Multipart => "multipart/form-data",
            BodyKind::OctetStream => "application/octet-stream",
            BodyKind::JavaScript => "application/javascript",
            BodyKind::TextPlain => "text/plain",
            BodyKind::NdJson => "application/x-ndjson",
            BodyKind::FormUrlEncoded => "application/x-www-form-urlencoded",
        }
    }
}

/// How a query parameter is serialised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryStyle {
    /// A single value: `name=value`.
    Scalar,
    /// An array sent as repeated keys: `tag=a&tag=b`.
    Repeat,
    /// An array sent comma-joined: `type=A,AAAA` (`explode: false` in the spec).
    Comma,
}

/// One query parameter of an operation. Dotted names (`account.id`) are how the API spells nested filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QueryParam {
    pub name: &'static str,
    pub style: QueryStyle,
}

/// Where an argument goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArgLoc {
    Path,
    Query,
    /// A request header.
    Header,
    /// A field of the JSON (or multipart) body.
    Body,
}

/// An argument whose official front-door name differs from its wire name, or whose location its name does not
/// tell: `min_tls` is the body field `minTLS`, `cf_r2_jurisdiction` the header `cf-r2-jurisdiction`,
/// `body_account_id` the body field `account_id` beside the path parameter of that name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Arg {
    /// The official Python SDK's name (snake_case, clash-prefixed).
    pub name: &'static str,
    /// The name on the wire; the official TypeScript SDK's name too (it is also accepted from every front door).
    pub wire: &'static str,
    pub loc: ArgLoc,
}

/// One operation of the Cloudflare API v4, as the generator writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// Resource path in the JS SDK's spelling, e.g. `zones.activationCheck`.
    pub resource: &'static str,
    /// Resource path in the Python SDK's spelling, e.g. `zones.activation_check`.
    pub resource_py: &'static str,
    /// Method name in the JS SDK's spelling, e.g. `getPem`.
    pub method: &'static str,
    /// Method name in the Python SDK's spelling, e.g. `get_pem`.
    pub method_py: &'static str,
    pub verb: Verb,
    /// Path template relative to the base URL; placeholders are the names in `path_params`.
    pub path: &'static str,
    /// Path parameters, each once, in template order.
    pub path_params: &'static [&'static str],
    /// Parameters taken positionally before the params object, in call order. Usually trailing path params;
    /// may name `body_param`.
    pub positional: &'static [&'static str],
    /// Alternative names accepted for a path parameter: `(alias, path_param)`, e.g. `("custom_nsid", "custom_ns_id")`.
    pub aliases: &'static [(&'static str, &'static str)],
    /// A parameter whose value is the whole request body (an array body such as `rules`, or a raw upload).
    pub body_param: Option<&'static str>,
    pub query: &'static [QueryParam],
    /// Content types the request body may take; empty when the operation sends no body.
    pub body: &'static [BodyKind],
    pub pagination: Option<PaginationKind>,
    /// Where a `V4PagePagination` result keeps its items: `items` in most lists, a key of its own in a few
    /// (`reports`, `events`, ...), as the spec describes the result (tools/gen_types.py `items_key`).
    pub items_key: &'static str,
    /// Arguments routed by name (see [`Arg`]); every other argument is a path, query or body field of its own name.
    pub args: &'static [Arg],
    /// Fields inside body objects whose official Python name differs from the wire name:
    /// `(field path, official name, wire name)`, the path dotted with `[]` for array items (`("cookies[]",
    /// "http_only", "httpOnly")`). A field given under its wire name is left as it is.
    pub nested: &'static [(&'static str, &'static str, &'static str)],
    /// Whether the multipart body uploads Workers modules (a `metadata` part names the main module by file
    /// name): each `files` entry is then a part named after its file, as the Workers API finds modules by part name.
    pub modules: bool,
    /// The multipart fields that are files (`format: binary` in the spec), by wire name: `["file"]`, `["files"]`.
    /// A raw-body operation's file is its `body_param`.
    pub files: &'static [&'static str],
}
