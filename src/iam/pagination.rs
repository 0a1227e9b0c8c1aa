//! IAM's Marker/MaxItems/IsTruncated paging. A marker is opaque to clients: here, the sort key
//! of the last item returned, base64url-encoded.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::api::ApiError;

/// IAM's default page size when MaxItems is absent.
pub const DEFAULT_MAX_ITEMS: i32 = 100;

pub struct Page {
    /// Sort key to continue after.
    pub after: Option<String>,
    pub max_items: i64,
}

impl Page {
    pub fn new(marker: Option<&str>, max_items: Option<i32>) -> Result<Page, ApiError> {
        let after = match marker {
            None => None,
            Some(m) => Some(
                URL_SAFE_NO_PAD
                    .decode(m)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .ok_or_else(|| ApiError::validation("Invalid Marker."))?,
            ),
        };
        Ok(Page {
            after,
            max_items: i64::from(max_items.unwrap_or(DEFAULT_MAX_ITEMS).max(1)),
        })
    }

    /// How many rows to fetch: one more than a page, to know whether there are more.
    pub fn fetch_limit(&self) -> i64 {
        self.max_items + 1
    }

    /// Cuts `rows` to a page; returns (IsTruncated, Marker).
    pub fn finish<T>(&self, rows: &mut Vec<T>, key: impl Fn(&T) -> &str) -> (bool, Option<String>) {
        let limit = usize::try_from(self.max_items).unwrap_or(usize::MAX);
        if rows.len() > limit {
            rows.truncate(limit);
            let marker = rows.last().map(|r| URL_SAFE_NO_PAD.encode(key(r)));
            (true, marker)
        } else {
            (false, None)
        }
    }
}
