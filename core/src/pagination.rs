//! Pages and automatic paging for every pagination kind, with exact request counts.
//!
//! Paging stops at `total_pages` (or `total_count`), on an empty page, when the server does not honour the
//! page asked for, or on a repeated cursor: listing N items costs ⌈N / per_page⌉ requests, never an endless loop.

use std::collections::HashSet;

use futures_util::stream::{self, Stream};
use serde_json::Value;

use crate::client::Cloudflare;
use crate::envelope::ApiResponse;
use crate::error::Result;
use crate::operations::PaginationKind;
use crate::transport::PreparedRequest;

/// One page of a list call.
#[derive(Debug, Clone)]
pub struct Page {
    /// The items of this page.
    pub items: Vec<Value>,
    /// The envelope's `result_info`.
    pub result_info: Option<Value>,
    /// The response this page came from (its `result` moved into `items` for array results).
    pub response: ApiResponse,
    /// The request for the next page, or `None` when this is the last.
    pub next: Option<PreparedRequest>,
    /// Only from [`Pager::next_page_raw`]: the items as the JSON array text the server sent (`items` is then
    /// empty), for front doors that parse JSON themselves.
    pub items_json: Option<String>,
    kind: PaginationKind,
}

impl Page {
    /// Whether another page exists.
    pub fn has_next_page(&self) -> bool {
        self.next.is_some()
    }
    /// The pagination kind of the operation.
    pub fn kind(&self) -> PaginationKind {
        self.kind
    }
}

fn query_value<'a>(req: &'a PreparedRequest, key: &str) -> Option<&'a str> {
    req.query
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn with_query(req: &PreparedRequest, key: &str, value: String) -> PreparedRequest {
    let mut next = req.clone();
    next.query.retain(|(k, _)| k != key);
    next.query.push((key.to_string(), value));
    next
}

fn as_u64(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Split a response into items and the request for the next page.
/// `seen_cursors` holds every cursor already sent in this walk (repeat → stop).
fn page_from_response(
    kind: PaginationKind,
    req: &PreparedRequest,
    mut response: ApiResponse,
    seen_cursors: &HashSet<String>,
) -> Page {
    let result_info = response.result_info.clone();
    let items = match kind {
        PaginationKind::V4PagePagination => match &mut response.result {
            Value::Object(o) => match o.remove("items") {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            },
            _ => Vec::new(),
        },
        _ => match std::mem::take(&mut response.result) {
            Value::Array(a) => a,
            Value::Null => Vec::new(),
            other => vec![other],
        },
    };
    let next = next_request(
        kind,
        req,
        result_info.as_ref(),
        items.is_empty(),
        seen_cursors,
    );
    Page {
        items,
        result_info,
        response,
        next,
        items_json: None,
        kind,
    }
}

/// Like [`page_from_response`] for a response of [`Cloudflare::execute_raw`]: the items stay JSON text
/// (`Page::items_json`). Results that are objects holding `items` (`V4PagePagination`) are decoded as usual.
fn page_from_raw_response(
    kind: PaginationKind,
    req: &PreparedRequest,
    mut response: ApiResponse,
    seen_cursors: &HashSet<String>,
) -> Page {
    let Some(text) = response.result_json.take() else {
        return page_from_response(kind, req, response, seen_cursors);
    };
    if kind == PaginationKind::V4PagePagination {
        response.result = serde_json::from_str(&text).unwrap_or(Value::Null);
        return page_from_response(kind, req, response, seen_cursors);
    }
    let trimmed = text.trim();
    let (items_json, empty) = if let Some(inner) = trimmed.strip_prefix('[') {
        let empty = inner.trim_start().starts_with(']');
        (text, empty)
    } else if trimmed == "null" {
        ("[]".to_string(), true)
    } else {
        // One object: a page of one item, as `page_from_response` makes it.
        (format!("[{trimmed}]"), false)
    };
    let result_info = response.result_info.clone();
    let next = next_request(kind, req, result_info.as_ref(), empty, seen_cursors);
    Page {
        items: Vec::new(),
        result_info,
        response,
        next,
        items_json: Some(items_json),
        kind,
    }
}

/// The request for the page after `req`, or `None` when the page was the last (see the module's rules).
fn next_request(
    kind: PaginationKind,
    req: &PreparedRequest,
    info: Option<&Value>,
    empty: bool,
    seen_cursors: &HashSet<String>,
) -> Option<PreparedRequest> {
    if empty {
        None
    } else {
        match kind {
            PaginationKind::SinglePage => None,
            PaginationKind::V4PagePaginationArray | PaginationKind::V4PagePagination => {
                let asked = query_value(req, "page")
                    .and_then(|p| p.parse::<u64>().ok())
                    .unwrap_or(1);
                let page = as_u64(info.and_then(|i| i.get("page"))).unwrap_or(asked);
                let total_pages = as_u64(info.and_then(|i| i.get("total_pages")));
                let per_page = as_u64(info.and_then(|i| i.get("per_page")))
                    .or_else(|| query_value(req, "per_page").and_then(|p| p.parse().ok()));
                let total_count = as_u64(info.and_then(|i| i.get("total_count")));
                let last = if page != asked {
                    // The server did not serve the page asked for: following it could loop.
                    true
                } else if let Some(tp) = total_pages {
                    page >= tp
                } else if let (Some(tc), Some(pp)) = (total_count, per_page) {
                    pp == 0 || page.saturating_mul(pp) >= tc
                } else {
                    false
                };
                (!last).then(|| with_query(req, "page", (page + 1).to_string()))
            }
            PaginationKind::CursorPagination | PaginationKind::CursorLimitPagination => {
                let cursor = info
                    .and_then(|i| i.get("cursor"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                next_cursor(req, "cursor", cursor, seen_cursors)
            }
            PaginationKind::CursorPaginationAfter => {
                let cursor = info
                    .and_then(|i| i.get("cursors"))
                    .and_then(|c| c.get("after"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                next_cursor(req, "after", cursor, seen_cursors)
            }
        }
    }
}

fn next_cursor(
    req: &PreparedRequest,
    key: &str,
    cursor: &str,
    seen: &HashSet<String>,
) -> Option<PreparedRequest> {
    if cursor.is_empty() || seen.contains(cursor) || query_value(req, key) == Some(cursor) {
        None
    } else {
        Some(with_query(req, key, cursor.to_string()))
    }
}

/// The cursor a request sends, if any.
fn cursor_of(kind: PaginationKind, req: &PreparedRequest) -> Option<String> {
    let key = match kind {
        PaginationKind::CursorPaginationAfter => "after",
        PaginationKind::CursorPagination | PaginationKind::CursorLimitPagination => "cursor",
        _ => return None,
    };
    query_value(req, key).map(str::to_owned)
}

/// Walks the pages of one list call, remembering cursors so a repeating server cannot loop it.
#[derive(Debug, Clone)]
pub struct Pager {
    client: Cloudflare,
    kind: PaginationKind,
    next: Option<PreparedRequest>,
    seen: HashSet<String>,
}

impl Pager {
    /// A pager that starts with `first`.
    pub fn new(client: Cloudflare, kind: PaginationKind, first: PreparedRequest) -> Pager {
        Pager {
            client,
            kind,
            next: Some(first),
            seen: HashSet::new(),
        }
    }

    /// Fetch the next page; `None` after the last.
    pub async fn next_page(&mut self) -> Result<Option<Page>> {
        let Some(req) = self.next.take() else {
            return Ok(None);
        };
        if let Some(c) = cursor_of(self.kind, &req) {
            self.seen.insert(c);
        }
        let resp = self.client.execute(&req).await?;
        let page = page_from_response(self.kind, &req, resp, &self.seen);
        self.next = page.next.clone();
        Ok(Some(page))
    }

    /// Like [`next_page`](Self::next_page), with the items left as JSON text (`Page::items_json`; see
    /// [`Cloudflare::execute_raw`]).
    pub async fn next_page_raw(&mut self) -> Result<Option<Page>> {
        let Some(req) = self.next.take() else {
            return Ok(None);
        };
        if let Some(c) = cursor_of(self.kind, &req) {
            self.seen.insert(c);
        }
        let resp = self.client.execute_raw(&req).await?;
        let page = page_from_raw_response(self.kind, &req, resp, &self.seen);
        self.next = page.next.clone();
        Ok(Some(page))
    }

    /// Whether another page may be fetched.
    pub fn has_next(&self) -> bool {
        self.next.is_some()
    }

    /// Every item of every page, fetched lazily.
    pub fn items(self) -> impl Stream<Item = Result<Value>> + Send {
        stream::unfold(
            (self, std::collections::VecDeque::new(), false),
            |(mut pager, mut buf, done)| async move {
                loop {
                    if let Some(item) = buf.pop_front() {
                        return Some((Ok(item), (pager, buf, done)));
                    }
                    if done {
                        return None;
                    }
                    match pager.next_page().await {
                        Ok(Some(page)) => buf.extend(page.items),
                        Ok(None) => return None,
                        Err(e) => return Some((Err(e), (pager, buf, true))),
                    }
                }
            },
        )
    }
}
