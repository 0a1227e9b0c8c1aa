//! One verified call: who, what, from where. Handlers receive it and must authorize through it.

use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{Principal, Session};
use crate::api::Operation;

#[derive(Debug)]
pub struct Call {
    pub principal: Principal,
    /// The access key that signed the call (absent for unsigned STS calls).
    pub access_key_id: Option<String>,
    pub operation: Operation,
    pub request_id: String,
    pub source_ip: IpAddr,
    /// Region of the signature's credential scope (`aws:RequestedRegion`).
    pub region: String,
    pub now: DateTime<Utc>,
    /// Set when the call was signed with temporary credentials.
    pub session: Option<Arc<Session>>,
    authorized: AtomicBool,
}

impl Call {
    pub fn new(
        principal: Principal,
        access_key_id: Option<String>,
        operation: Operation,
        request_id: String,
        source_ip: IpAddr,
        region: String,
        now: DateTime<Utc>,
    ) -> Call {
        Call {
            principal,
            access_key_id,
            operation,
            request_id,
            source_ip,
            region,
            now,
            session: None,
            authorized: AtomicBool::new(false),
        }
    }

    pub fn account_id(&self) -> &str {
        self.principal.account_id()
    }

    pub(super) fn mark_authorized(&self) {
        self.authorized.store(true, Ordering::Relaxed);
    }

    /// Whether the handler ran the policy check; the server refuses to answer a successful call
    /// that skipped it, so no handler can forget.
    pub fn was_authorized(&self) -> bool {
        self.authorized.load(Ordering::Relaxed)
    }
}
