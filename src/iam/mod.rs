//! IAM handlers, one file per resource family. Each reads its typed input, authorizes,
//! opens one transaction, calls the store and returns its typed output.

pub mod access_keys;
pub mod aws_managed;
pub mod groups;
pub mod identity_policies;
pub mod login_profiles;
pub mod pagination;
pub mod password_policy;
pub mod policies;
pub mod policy_documents;
pub mod users;
pub mod validate;

use crate::api::iam::Tag;
use crate::store::tags::TagRow;

fn tags_out(rows: Vec<TagRow>) -> Vec<Tag> {
    rows.into_iter()
        .map(|t| Tag {
            key: t.key,
            value: t.value,
        })
        .collect()
}

fn tag_pairs(tags: &[Tag]) -> Vec<(String, String)> {
    tags.iter()
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect()
}
