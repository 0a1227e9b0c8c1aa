//! The one source of "now": real time plus an offset that tests can move.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves this clock (and every clone of it) forward or back.
    pub fn advance(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }

    /// `now` truncated to whole seconds, as IAM stores and shows dates.
    pub fn now_seconds(&self) -> DateTime<Utc> {
        let now = self.now();
        DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
    }
}
