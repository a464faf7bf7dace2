//! Pages and automatic paging for every pagination kind, with exact request counts.
//!
//! Paging stops at `total_pages` (or `total_count`), on an empty page, when the server does not honour the
//! page asked for, or on a repeated cursor: listing N items costs ⌈N / per_page⌉ requests, never an endless loop.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tokio::task::JoinHandle;

use futures_util::stream::{self, Stream};
use serde_json::Value;

use crate::client::Cloudflare;
use crate::envelope::{ApiResponse, Form};
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
    items_key: &'static str,
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
    /// Where a `V4PagePagination` result keeps its items (see [`Pager::items_under`]).
    pub fn items_key(&self) -> &'static str {
        self.items_key
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
/// `seen_cursors` holds every cursor already sent in this walk (repeat → stop). A `V4PagePagination` result keeps
/// its items under `items_key` (`items` in most lists); one that has them under `items` instead is read there too.
fn page_from_response(
    kind: PaginationKind,
    items_key: &'static str,
    req: &PreparedRequest,
    mut response: ApiResponse,
    seen_cursors: &HashSet<String>,
) -> Page {
    let result_info = response.result_info.clone();
    let items = match kind {
        PaginationKind::V4PagePagination => match &mut response.result {
            Value::Object(o) => match o.remove(items_key) {
                Some(Value::Array(a)) => a,
                _ => match o.remove("items") {
                    Some(Value::Array(a)) => a,
                    _ => Vec::new(),
                },
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
        items_key,
    }
}

/// Like [`page_from_response`] for a response of [`Cloudflare::execute_raw`]: the items stay JSON text
/// (`Page::items_json`). Results that are objects holding `items` (`V4PagePagination`) are decoded as usual.
fn page_from_raw_response(
    kind: PaginationKind,
    items_key: &'static str,
    req: &PreparedRequest,
    mut response: ApiResponse,
    seen_cursors: &HashSet<String>,
) -> Page {
    let Some(text) = response.result_json.take() else {
        return page_from_response(kind, items_key, req, response, seen_cursors);
    };
    if kind == PaginationKind::V4PagePagination {
        response.result = serde_json::from_str(&text).unwrap_or(Value::Null);
        return page_from_response(kind, items_key, req, response, seen_cursors);
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
        items_key,
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

/// Requests for later pages already in flight (`page_prefetch`), by path and query, shared by a pager's clones.
/// Dropping the last clone aborts what is left.
#[derive(Default)]
struct Ahead {
    inflight: HashMap<String, (Form, JoinHandle<Result<ApiResponse>>)>,
    /// The highest page number requested ahead (page-number lists).
    spawned_upto: u64,
    /// The list's `total_pages`, once a page has said it (page-number lists).
    total_pages: Option<u64>,
}

impl Ahead {
    /// The requests for the pages after `current`, up to `n` of them and never past `total`, that are not yet
    /// requested (`like` is any page's request: only its `page` changes).
    fn pages_after(
        &mut self,
        like: &PreparedRequest,
        current: u64,
        n: u64,
        total: u64,
    ) -> Vec<PreparedRequest> {
        let from = (current + 1).max(self.spawned_upto + 1);
        let to = current.saturating_add(n).min(total);
        let wanted: Vec<_> = (from..=to)
            .map(|p| with_query(like, "page", p.to_string()))
            .collect();
        self.spawned_upto = self.spawned_upto.max(to);
        wanted
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        for (_, (_, h)) in self.inflight.drain() {
            h.abort();
        }
    }
}

impl std::fmt::Debug for Ahead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ahead")
            .field("inflight", &self.inflight.len())
            .finish()
    }
}

/// Walks the pages of one list call, remembering cursors so a repeating server cannot loop it.
///
/// With the client's `page_prefetch` (default 4): once a page-number list says `total_pages`, up to that many
/// pages after the current one (never past the last) are requested ahead. The current page is the one the caller
/// is reading or, once it asks for the next, the one it waits for: while it waits for page k, pages k+1 to k+4 are
/// already on their way. A cursor list requests the next page as soon as its cursor is known. Pages are still
/// handed over strictly in order, a full walk makes exactly one request per page, and a caller who stops early has
/// wasted at most `page_prefetch` requests (the pages after the last one it asked for).
#[derive(Debug, Clone)]
pub struct Pager {
    client: Cloudflare,
    kind: PaginationKind,
    items_key: &'static str,
    next: Option<PreparedRequest>,
    seen: HashSet<String>,
    ahead: Arc<Mutex<Ahead>>,
}

impl Pager {
    /// A pager that starts with `first`.
    pub fn new(client: Cloudflare, kind: PaginationKind, first: PreparedRequest) -> Pager {
        Pager {
            client,
            kind,
            items_key: "items",
            next: Some(first),
            seen: HashSet::new(),
            ahead: Arc::new(Mutex::new(Ahead::default())),
        }
    }

    /// Where a `V4PagePagination` result keeps its items, when not under `items` (an operation's
    /// [`Operation::items_key`](crate::operations::Operation::items_key): `reports`, `events`, ...).
    pub fn items_under(mut self, key: &'static str) -> Pager {
        self.items_key = key;
        self
    }

    fn ahead(&self) -> std::sync::MutexGuard<'_, Ahead> {
        match self.ahead.lock() {
            Ok(a) => a,
            Err(p) => p.into_inner(),
        }
    }

    /// The response to `req`: the one requested ahead if there is one, else a new request.
    async fn fetch(&self, req: &PreparedRequest, form: Form) -> Result<ApiResponse> {
        let taken = self.ahead().inflight.remove(&req.path_and_query());
        if let Some((was, handle)) = taken {
            if was == form {
                if let Ok(res) = handle.await {
                    return res;
                }
            } else {
                handle.abort();
            }
        }
        self.client.execute_form(req, form).await
    }

    /// Requests the pages after `page` ahead (see the type's documentation); on the last page, drops the rest.
    fn plan_ahead(&self, req: &PreparedRequest, page: &Page, form: Form) {
        let n = u64::from(self.client.page_prefetch());
        let mut ahead = self.ahead();
        let Some(next) = &page.next else {
            // The walk ends here: anything still in flight is not needed.
            for (_, (_, h)) in ahead.inflight.drain() {
                h.abort();
            }
            return;
        };
        if n == 0 {
            return;
        }
        let wanted = match self.kind {
            PaginationKind::V4PagePaginationArray | PaginationKind::V4PagePagination => {
                let info = page.result_info.as_ref();
                let Some(total) = as_u64(info.and_then(|i| i.get("total_pages"))) else {
                    return;
                };
                ahead.total_pages = Some(total);
                let current = as_u64(info.and_then(|i| i.get("page")))
                    .or_else(|| query_value(req, "page").and_then(|p| p.parse().ok()))
                    .unwrap_or(1);
                ahead.pages_after(next, current, n, total)
            }
            PaginationKind::SinglePage => Vec::new(),
            _ => vec![next.clone()],
        };
        self.spawn(&mut ahead, wanted, form);
    }

    /// Before waiting for the page `req` asks for (page-number lists whose `total_pages` is known): the pages after
    /// it, up to `page_prefetch`, so that they travel while the caller waits instead of after.
    fn plan_before(&self, req: &PreparedRequest, form: Form) {
        if !matches!(
            self.kind,
            PaginationKind::V4PagePaginationArray | PaginationKind::V4PagePagination
        ) {
            return;
        }
        let n = u64::from(self.client.page_prefetch());
        let mut ahead = self.ahead();
        let Some(total) = ahead.total_pages else {
            return;
        };
        if n == 0 {
            return;
        }
        let Some(asked) = query_value(req, "page").and_then(|p| p.parse::<u64>().ok()) else {
            return;
        };
        let wanted = ahead.pages_after(req, asked, n, total);
        self.spawn(&mut ahead, wanted, form);
    }

    fn spawn(&self, ahead: &mut Ahead, wanted: Vec<PreparedRequest>, form: Form) {
        for r in wanted {
            let key = r.path_and_query();
            if ahead.inflight.contains_key(&key) {
                continue;
            }
            let client = self.client.clone();
            let handle = tokio::spawn(async move { client.execute_form(&r, form).await });
            ahead.inflight.insert(key, (form, handle));
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
        self.plan_before(&req, Form::Value);
        let resp = self.fetch(&req, Form::Value).await?;
        let page = page_from_response(self.kind, self.items_key, &req, resp, &self.seen);
        self.plan_ahead(&req, &page, Form::Value);
        self.next = page.next.clone();
        Ok(Some(page))
    }

    /// Like [`next_page`](Self::next_page), with the items left as JSON text (`Page::items_json`; see
    /// [`Cloudflare::execute_raw`]).
    pub async fn next_page_raw(&mut self) -> Result<Option<Page>> {
        self.next_page_text(Form::Text).await
    }

    /// Like [`next_page_raw`](Self::next_page_raw) without the checking pass over the items' text (see
    /// [`Cloudflare::execute_raw_unchecked`]): for callers that decode it with serde_json.
    pub async fn next_page_raw_unchecked(&mut self) -> Result<Option<Page>> {
        self.next_page_text(Form::TextUnchecked).await
    }

    async fn next_page_text(&mut self, form: Form) -> Result<Option<Page>> {
        let Some(req) = self.next.take() else {
            return Ok(None);
        };
        if let Some(c) = cursor_of(self.kind, &req) {
            self.seen.insert(c);
        }
        self.plan_before(&req, form);
        let resp = self.fetch(&req, form).await?;
        let page = page_from_raw_response(self.kind, self.items_key, &req, resp, &self.seen);
        self.plan_ahead(&req, &page, form);
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
