//! iamlocal: a local AWS IAM + STS emulator that speaks the AWS Query API, verifies SigV4,
//! stores everything in SQLite and enforces IAM policies.
#![forbid(unsafe_code)]

pub mod api;
pub mod app;
pub mod authz;
pub mod clock;
pub mod config;
mod handlers;
pub mod iam;
pub mod ids;
pub mod policy;
pub mod protocol;
pub mod qr_png;
pub mod saml;
pub mod server;
pub mod sigv4;
pub mod store;
pub mod sts;
pub mod totp;
