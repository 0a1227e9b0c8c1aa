//! The decision log: the last evaluated calls with the statements that decided them, kept in
//! memory for `GET /_iamlocal/decisions` and also emitted as tracing events.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;

use crate::policy::{Evaluation, MatchedStatement};

/// How many decisions are kept.
const CAPACITY: usize = 1000;

#[derive(Debug, Clone, Serialize)]
pub struct StatementRef {
    pub source_id: String,
    pub source_type: String,
    pub sid: Option<String>,
    /// 1-based `line:column` of the statement's start and end in its document.
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionRecord {
    pub time: String,
    pub request_id: String,
    pub principal: String,
    pub action: String,
    pub resource: String,
    /// `allowed`, `explicitDeny` or `implicitDeny`, as the simulator spells them.
    pub decision: String,
    pub reason: Option<String>,
    pub enforced: bool,
    pub statements: Vec<StatementRef>,
}

fn statement_ref(m: &MatchedStatement) -> StatementRef {
    StatementRef {
        source_id: m.source_id.to_string(),
        source_type: format!("{:?}", m.source_type),
        sid: m.sid.as_deref().map(str::to_string),
        start: format!("{}:{}", m.start.line, m.start.column),
        end: format!("{}:{}", m.end.line, m.end.column),
    }
}

/// One decision as evaluated; formatted into a `DecisionRecord` only when someone reads the
/// log (formatting every call's record cost more than evaluating it).
#[derive(Debug)]
pub struct Entry {
    pub time: chrono::DateTime<chrono::Utc>,
    pub request_id: String,
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub evaluation: std::sync::Arc<Evaluation>,
    pub enforced: bool,
}

impl Entry {
    fn record(&self) -> DecisionRecord {
        DecisionRecord {
            time: crate::api::xml::format_timestamp(&self.time),
            request_id: self.request_id.clone(),
            principal: self.principal.clone(),
            action: self.action.clone(),
            resource: self.resource.clone(),
            decision: self.evaluation.decision.as_str().to_string(),
            reason: self.evaluation.reason.map(|r| format!("{r:?}")),
            enforced: self.enforced,
            statements: self.evaluation.matched.iter().map(statement_ref).collect(),
        }
    }
}

#[derive(Debug, Default)]
pub struct DecisionLog {
    records: Mutex<VecDeque<Entry>>,
}

impl DecisionLog {
    pub fn push(&self, r: Entry) {
        // Denials at info, allows at debug: the request line already reports every call.
        if r.evaluation.is_allowed() {
            tracing::debug!(
                target: "iamlocal::decision",
                principal = %r.principal,
                action = %r.action,
                resource = %r.resource,
                decision = r.evaluation.decision.as_str(),
                statements = r.evaluation.matched.len(),
                "decision"
            );
        } else {
            tracing::info!(
                target: "iamlocal::decision",
                principal = %r.principal,
                action = %r.action,
                resource = %r.resource,
                decision = r.evaluation.decision.as_str(),
                reason = ?r.evaluation.reason,
                statements = r.evaluation.matched.len(),
                "decision"
            );
        }
        if let Ok(mut q) = self.records.lock() {
            if q.len() == CAPACITY {
                q.pop_front();
            }
            q.push_back(r);
        }
    }

    /// The kept records, oldest first.
    pub fn snapshot(&self) -> Vec<DecisionRecord> {
        self.records
            .lock()
            .map(|q| q.iter().map(Entry::record).collect())
            .unwrap_or_default()
    }

    pub fn clear(&self) {
        if let Ok(mut q) = self.records.lock() {
            q.clear();
        }
    }
}
