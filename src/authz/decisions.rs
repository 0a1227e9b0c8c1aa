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
        source_id: m.source_id.clone(),
        source_type: format!("{:?}", m.source_type),
        sid: m.sid.clone(),
        start: format!("{}:{}", m.start.line, m.start.column),
        end: format!("{}:{}", m.end.line, m.end.column),
    }
}

impl DecisionRecord {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        time: String,
        request_id: &str,
        principal: String,
        action: &str,
        resource: &str,
        evaluation: &Evaluation,
        enforced: bool,
    ) -> Self {
        DecisionRecord {
            time,
            request_id: request_id.to_string(),
            principal,
            action: action.to_string(),
            resource: resource.to_string(),
            decision: evaluation.decision.as_str().to_string(),
            reason: evaluation.reason.map(|r| format!("{r:?}")),
            enforced,
            statements: evaluation.matched.iter().map(statement_ref).collect(),
        }
    }
}

#[derive(Debug, Default)]
pub struct DecisionLog {
    records: Mutex<VecDeque<DecisionRecord>>,
}

impl DecisionLog {
    pub fn push(&self, r: DecisionRecord) {
        tracing::info!(
            target: "iamlocal::decision",
            principal = %r.principal,
            action = %r.action,
            resource = %r.resource,
            decision = %r.decision,
            statements = r.statements.len(),
            "decision"
        );
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
            .map(|q| q.iter().cloned().collect())
            .unwrap_or_default()
    }

    pub fn clear(&self) {
        if let Ok(mut q) = self.records.lock() {
            q.clear();
        }
    }
}
