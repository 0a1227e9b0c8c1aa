//! SAML 2.0 as IAM and STS need it, as a pure library (no I/O): identity provider metadata,
//! and signed `samlp:Response` documents checked with XML Signature over exclusive
//! canonicalization.

pub mod assertion;
pub mod c14n;
pub mod dsig;
pub mod metadata;
pub mod xml;
