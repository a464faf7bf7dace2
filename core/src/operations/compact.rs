//! The operation table as text (`table.rs`, generated), decoded into [`Operation`]s once, on first use.
//!
//! A static array of `Operation` literals holds ~35,000 `&'static str`s; in a shared library (the Python and Node
//! extensions) each is a relocation the loader applies at load time, which costs every process about 1.6 MB of memory
//! before it calls anything. The text has no pointers; the strings decoded from it borrow it, and only the
//! `Operation`s and their lists are allocated (once, for the life of the process).
//!
//! One line per operation, fields split by `|`, list items by `,`, an item's parts by `:`; an empty field is an empty
//! list (or `None`). tools/generate.py checks that no name or path holds a separator.

use std::sync::LazyLock;

use super::spec::{Arg, ArgLoc, BodyKind, Operation, PaginationKind, QueryParam, QueryStyle, Verb};
use super::table::TABLE;

/// Every operation, sorted by (resource, method).
pub static OPERATIONS: LazyLock<&'static [Operation]> = LazyLock::new(|| decode(TABLE));

fn decode(table: &'static str) -> &'static [Operation] {
    let ops: Vec<Operation> = table
        .lines()
        .filter(|l| !l.is_empty())
        .map(operation)
        .collect();
    Box::leak(ops.into_boxed_slice())
}

/// A list's items, leaked: the table lives as long as the process.
fn list<T>(field: &'static str, item: impl Fn(&'static str) -> T) -> &'static [T] {
    if field.is_empty() {
        return &[];
    }
    let v: Vec<T> = field.split(',').map(item).collect();
    Box::leak(v.into_boxed_slice())
}

/// An item's `n`th part (empty when missing: the generator writes every part).
fn part(item: &'static str, n: usize) -> &'static str {
    item.split(':').nth(n).unwrap_or("")
}

fn operation(line: &'static str) -> Operation {
    let mut f = line.split('|');
    let mut next = || f.next().unwrap_or("");
    let (resource, resource_py, method, method_py) = (next(), next(), next(), next());
    let verb = match next() {
        "POST" => Verb::Post,
        "PUT" => Verb::Put,
        "PATCH" => Verb::Patch,
        "DELETE" => Verb::Delete,
        _ => Verb::Get,
    };
    let path = next();
    let path_params = list(next(), |s| s);
    let positional = list(next(), |s| s);
    let aliases = list(next(), |s| (part(s, 0), part(s, 1)));
    let body_param = Some(next()).filter(|s| !s.is_empty());
    let query = list(next(), |s| QueryParam {
        name: part(s, 0),
        style: match part(s, 1) {
            "Repeat" => QueryStyle::Repeat,
            "Comma" => QueryStyle::Comma,
            _ => QueryStyle::Scalar,
        },
    });
    let body = list(next(), body_kind);
    let paging = next();
    let pagination = pagination_kind(part(paging, 0));
    let items_key = Some(part(paging, 1))
        .filter(|k| !k.is_empty())
        .unwrap_or("items");
    let args = list(next(), |s| Arg {
        name: part(s, 0),
        wire: part(s, 1),
        loc: match part(s, 2) {
            "Query" => ArgLoc::Query,
            "Header" => ArgLoc::Header,
            "Body" => ArgLoc::Body,
            _ => ArgLoc::Path,
        },
    });
    let nested = list(next(), |s| (part(s, 0), part(s, 1), part(s, 2)));
    let modules = next() == "1";
    let files = list(next(), |s| s);
    Operation {
        resource,
        resource_py,
        method,
        method_py,
        verb,
        path,
        path_params,
        positional,
        aliases,
        body_param,
        query,
        body,
        pagination,
        items_key,
        args,
        nested,
        modules,
        files,
    }
}

fn body_kind(s: &str) -> BodyKind {
    match s {
        "MergePatchJson" => BodyKind::MergePatchJson,
        "Multipart" => BodyKind::Multipart,
        "OctetStream" => BodyKind::OctetStream,
        "JavaScript" => BodyKind::JavaScript,
        "TextPlain" => BodyKind::TextPlain,
        "NdJson" => BodyKind::NdJson,
        "FormUrlEncoded" => BodyKind::FormUrlEncoded,
        _ => BodyKind::Json,
    }
}

fn pagination_kind(s: &str) -> Option<PaginationKind> {
    Some(match s {
        "V4PagePaginationArray" => PaginationKind::V4PagePaginationArray,
        "V4PagePagination" => PaginationKind::V4PagePagination,
        "CursorPagination" => PaginationKind::CursorPagination,
        "CursorPaginationAfter" => PaginationKind::CursorPaginationAfter,
        "CursorLimitPagination" => PaginationKind::CursorLimitPagination,
        "SinglePage" => PaginationKind::SinglePage,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value the table spells is one the decoder knows: an unknown verb, style, body kind, location or
    /// pagination kind would otherwise fall back silently.
    #[test]
    fn every_spelling_in_the_table_is_known() {
        for line in TABLE.lines().filter(|l| !l.is_empty()) {
            let f: Vec<&str> = line.split('|').collect();
            assert_eq!(f.len(), 17, "{line}");
            assert!(
                ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&f[4]),
                "{line}"
            );
            for q in f[10].split(',').filter(|s| !s.is_empty()) {
                assert!(
                    ["Scalar", "Repeat", "Comma"].contains(&part(q, 1)),
                    "{line}"
                );
            }
            for b in f[11].split(',').filter(|s| !s.is_empty()) {
                assert!(b == "Json" || body_kind(b) != BodyKind::Json, "{line}");
            }
            assert!(
                f[12].is_empty() || pagination_kind(part(f[12], 0)).is_some(),
                "{line}"
            );
            for a in f[13].split(',').filter(|s| !s.is_empty()) {
                assert!(
                    ["Path", "Query", "Header", "Body"].contains(&part(a, 2)),
                    "{line}"
                );
                assert!(!part(a, 0).is_empty() && !part(a, 1).is_empty(), "{line}");
            }
            for n in f[14].split(',').filter(|s| !s.is_empty()) {
                assert_eq!(n.split(':').count(), 3, "{line}");
            }
            for a in f[8].split(',').filter(|s| !s.is_empty()) {
                assert_eq!(a.split(':').count(), 2, "{line}");
            }
            assert!(f[15] == "0" || f[15] == "1", "{line}");
        }
    }
}
