//! Tagging shared by every taggable entity (users, roles, instance profiles, policies): AWS's
//! checks, the store calls, the paged listing, and the tag condition keys of the request.

use crate::api::iam::Tag;
use crate::api::ApiError;
use crate::app::App;
use crate::policy::RequestContext;
use crate::store::tags;

use super::pagination::Page;
use super::validate;

/// `aws:RequestTag/<key>` for each tag and `aws:TagKeys` (Service Authorization Reference:
/// the tagging and create operations carry both).
pub fn request_tag_context(tags: &[Tag]) -> RequestContext {
    let mut ctx = RequestContext::new();
    if !tags.is_empty() {
        for t in tags {
            ctx.set(&format!("aws:RequestTag/{}", t.key), t.value.clone());
        }
        ctx.set_list("aws:TagKeys", tags.iter().map(|t| t.key.clone()));
    }
    ctx
}

/// `aws:TagKeys` of an untag call.
pub fn tag_keys_context(keys: &[String]) -> RequestContext {
    let mut ctx = RequestContext::new();
    ctx.set_list("aws:TagKeys", keys.iter().cloned());
    ctx
}

/// Adds `new` to the entity's tags in one transaction (unique keys, 50-tag quota).
pub async fn add(
    app: &App,
    account_id: &str,
    resource_id: &str,
    new: &[Tag],
) -> Result<(), ApiError> {
    validate::unique_tag_keys(new)?;
    let mut tx = app.store.write().await?;
    let existing: Vec<String> = tags::list(&mut tx, resource_id)
        .await?
        .into_iter()
        .map(|t| t.key)
        .collect();
    validate::tag_quota(&existing, new)?;
    tags::put(&mut tx, account_id, resource_id, &pairs(new)).await?;
    tx.commit().await?;
    Ok(())
}

/// Stores the tags of a newly created entity inside its creating transaction.
pub async fn put_new(
    c: &mut crate::store::Conn,
    account_id: &str,
    resource_id: &str,
    new: &[Tag],
) -> Result<(), ApiError> {
    tags::put(c, account_id, resource_id, &pairs(new)).await?;
    Ok(())
}

pub async fn remove(app: &App, resource_id: &str, keys: &[String]) -> Result<(), ApiError> {
    let mut tx = app.store.write().await?;
    tags::remove(&mut tx, resource_id, keys).await?;
    tx.commit().await?;
    Ok(())
}

/// Every tag of the entity, in the order they were added.
pub async fn all(app: &App, resource_id: &str) -> Result<Vec<Tag>, ApiError> {
    let generation = app.store.generation();
    if let Some(hit) = app.tag_rows.get(&resource_id.to_string(), generation) {
        return Ok(out(hit));
    }
    let rows = {
        let mut c = app.store.read().await?;
        tags::list(&mut c, resource_id).await?
    };
    app.tag_rows
        .put(resource_id.to_string(), generation, rows.clone());
    Ok(out(rows))
}

/// One page of the entity's tags: (tags, IsTruncated, Marker).
pub async fn page(
    app: &App,
    resource_id: &str,
    marker: Option<&str>,
    max_items: Option<i32>,
) -> Result<(Vec<Tag>, bool, Option<String>), ApiError> {
    let page = Page::new(marker, max_items)?;
    let mut rows = all(app, resource_id).await?;
    if let Some(after) = &page.after {
        if let Some(pos) = rows.iter().position(|t| t.key.eq_ignore_ascii_case(after)) {
            rows.drain(..=pos);
        }
    }
    let (truncated, marker) = page.finish(&mut rows, |t| &t.key);
    Ok((rows, truncated, marker))
}

pub fn out(rows: Vec<tags::TagRow>) -> Vec<Tag> {
    rows.into_iter()
        .map(|t| Tag {
            key: t.key,
            value: t.value,
        })
        .collect()
}

fn pairs(tags: &[Tag]) -> Vec<(String, String)> {
    tags.iter()
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect()
}
