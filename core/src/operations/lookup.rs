//! Finding an operation by name, in either the JS or the Python spelling.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{Operation, OPERATIONS};

fn index() -> &'static HashMap<(&'static str, &'static str), &'static Operation> {
    static INDEX: OnceLock<HashMap<(&'static str, &'static str), &'static Operation>> =
        OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = HashMap::with_capacity(OPERATIONS.len() * 2);
        for op in OPERATIONS.iter() {
            m.insert((op.resource, op.method), op);
            m.entry((op.resource_py, op.method_py)).or_insert(op);
        }
        m
    })
}

/// The operation `resource.method` (`dns.records` + `create`; Python spellings work too).
pub fn find(resource: &str, method: &str) -> Option<&'static Operation> {
    index().get(&(resource, method)).copied()
}

/// Every method name of a resource (JS spelling), for error messages and front doors.
pub fn methods_of(resource: &str) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = OPERATIONS
        .iter()
        .filter(|o| o.resource == resource || o.resource_py == resource)
        .map(|o| o.method)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Whether `name` is a resource path or a prefix of one (`dns`, `dns.records`).
pub fn is_resource_prefix(name: &str) -> bool {
    OPERATIONS.iter().any(|o| {
        [o.resource, o.resource_py].iter().any(|r| {
            *r == name
                || (r.len() > name.len() && r.starts_with(name) && r.as_bytes()[name.len()] == b'.')
        })
    })
}
