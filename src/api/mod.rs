//! The operation shapes of IAM 2010-05-08 and STS 2011-06-15, generated from the AWS models
//! (`generated/`), and the small runtime the generated code is written against: Query decoding
//! with the model's constraints (`query`), XML writing (`xml`) and the wire error (`error`).

mod error;
pub mod generated;
pub mod query;
pub mod xml;

pub use error::ApiError;
pub use generated::errors;
pub use generated::operations::{dispatch, Handlers, Operation, Service};
pub use generated::{iam, sts};

/// Input of the operations whose model declares none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoInput;

/// Timestamps in shapes: always UTC, written as ISO 8601 with `Z`.
pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// A blob member: raw bytes, base64 on the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blob(pub Vec<u8>);
