//! `page` / `per_page` handling and exact `result_info`.

use crate::ctx::Ctx;
use crate::envelope::ResultInfo;

/// Page-size bounds of one endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// `per_page` when absent.
    pub default: usize,
    /// Smallest accepted; smaller values are raised to it.
    pub min: usize,
    /// Largest accepted; larger values are lowered to it.
    pub max: usize,
}

/// A requested page.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// 1-based page number.
    pub page: usize,
    /// Page size in effect.
    pub per_page: usize,
}

impl Page {
    /// Reads `page` and `per_page`, clamping to the bounds (the effective values are
    /// what `result_info` reports). Unparseable values fall back to the defaults.
    pub fn from_query(ctx: &Ctx, bounds: Bounds) -> Page {
        let num = |k: &str| {
            ctx.q(k)
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite())
                .map(|v| v.max(0.0) as usize)
        };
        let page = num("page").unwrap_or(1).max(1);
        let per_page = num("per_page")
            .unwrap_or(bounds.default)
            .clamp(bounds.min, bounds.max);
        Page { page, per_page }
    }

    /// The items of this page out of all matching ones, with `result_info`.
    pub fn slice<'a, T>(&self, all: &'a [T]) -> (&'a [T], ResultInfo) {
        let total = all.len();
        let start = (self.page - 1).saturating_mul(self.per_page).min(total);
        let end = start.saturating_add(self.per_page).min(total);
        let items = &all[start..end];
        let info = ResultInfo {
            page: self.page,
            per_page: self.per_page,
            count: items.len(),
            total_count: total,
            total_pages: total.div_ceil(self.per_page),
        };
        (items, info)
    }
}

/// Text matching for `name` / `account.name` filters: `contains:`, `starts_with:`,
/// `ends_with:` prefixes, otherwise exact (case-insensitive).
pub fn text_matches(value: &str, filter: &str) -> bool {
    let value = value.to_ascii_lowercase();
    let filter = filter.to_ascii_lowercase();
    if let Some(f) = filter.strip_prefix("contains:") {
        value.contains(f)
    } else if let Some(f) = filter.strip_prefix("starts_with:") {
        value.starts_with(f)
    } else if let Some(f) = filter.strip_prefix("ends_with:") {
        value.ends_with(f)
    } else {
        value == filter
    }
}
