//! CreateLoginProfile, GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile, ChangePassword.
//!
//! Passwords are kept only as argon2 hashes (PHC strings). Hashing and verifying take tens of
//! milliseconds of CPU on purpose, so they run on the blocking pool, outside any transaction.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;

use crate::api::iam::*;
use crate::api::{errors, ApiError};
use crate::app::App;
use crate::authz::{Call, Principal};
use crate::store::{self, login_profiles, login_profiles::LoginProfileRow, users, users::UserRow};

use super::password_policy::{self, PasswordRules};
use super::users::{authorized_user, no_such_user};

fn no_such_login_profile(user_name: &str) -> ApiError {
    errors::no_such_entity(format!(
        "Login Profile for User {user_name} cannot be found."
    ))
}

/// The Query layer's wording for a member the model (since AssumeRoot) no longer marks required
/// but that a call with long-term credentials must still send.
fn missing(member: &str) -> ApiError {
    ApiError::validation(format!(
        "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
    ))
}

/// The user a login-profile call is about: the named one, else the calling user. Root must
/// name one (omitting it is reserved to AssumeRoot sessions, which iamlocal does not issue).
async fn target_user(app: &App, call: &Call, user_name: Option<&str>) -> Result<UserRow, ApiError> {
    match (user_name, &call.principal) {
        (Some(name), _) => authorized_user(app, call, name).await,
        (None, Principal::User { name, .. }) => authorized_user(app, call, name).await,
        // Root (and any other non-user principal).
        (None, _) => Err(missing("userName")),
    }
}

fn profile_out(user: &UserRow, p: &LoginProfileRow) -> LoginProfile {
    LoginProfile {
        user_name: user.name.clone(),
        create_date: store::from_epoch(p.create_date),
        password_reset_required: Some(p.password_reset_required),
        max_signin_session_duration: p.max_signin_session_duration,
    }
}

fn internal(what: &str) -> ApiError {
    tracing::error!(what, "password hashing failed");
    ApiError::internal("We encountered an internal error. Please try again.")
}

/// The argon2id hash (PHC string) of `password`, with a fresh random salt.
fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|_| internal("salt"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| internal("hash"))
}

/// Whether `password` is the one `hash` was made from. A malformed hash matches nothing.
fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| internal("task"))?
}

/// Checks `password` against the account's policy (or AWS's default) and, when the policy
/// prevents reuse, against the user's last passwords; returns its hash.
async fn vetted_hash(app: &App, user: &UserRow, password: String) -> Result<String, ApiError> {
    let (policy, recent) = {
        let mut c = app.store.read().await?;
        let policy = login_profiles::get_policy(&mut c, &user.account_id).await?;
        let reuse = policy
            .as_ref()
            .and_then(|p| p.password_reuse_prevention)
            .unwrap_or(0);
        let recent = if reuse > 0 {
            login_profiles::recent_passwords(&mut c, &user.user_id, i64::from(reuse)).await?
        } else {
            Vec::new()
        };
        (policy, recent)
    };
    let rules = policy
        .as_ref()
        .map(PasswordRules::of_policy)
        .unwrap_or(PasswordRules::AWS_DEFAULT);
    password_policy::check(&rules, &password).map_err(|_| password_policy::violation_error())?;
    blocking(move || {
        if recent.iter().any(|h| verify_password(&password, h)) {
            return Err(password_policy::reuse_error());
        }
        hash_password(&password)
    })
    .await
}

pub async fn create_login_profile(
    app: &App,
    call: &Call,
    input: CreateLoginProfileRequest,
) -> Result<CreateLoginProfileResponse, ApiError> {
    let user = target_user(app, call, input.user_name.as_deref()).await?;
    let password = input.password.ok_or_else(|| missing("password"))?;
    let already_exists = || {
        errors::entity_already_exists(format!(
            "Login Profile for user {} already exists.",
            user.name
        ))
    };
    {
        let mut c = app.store.read().await?;
        if login_profiles::get(&mut c, &user.user_id).await?.is_some() {
            return Err(already_exists());
        }
    }
    let hash = vetted_hash(app, &user, password).await?;
    let now = store::to_epoch(call.now);
    let row = LoginProfileRow {
        user_id: user.user_id.clone(),
        account_id: user.account_id.clone(),
        password_hash: hash,
        password_reset_required: input.password_reset_required.unwrap_or(false),
        max_signin_session_duration: input.max_signin_session_duration,
        create_date: now,
        password_changed: now,
    };
    let mut tx = app.store.write().await?;
    // Checked again: another call may have created it while the password was hashed.
    if login_profiles::get(&mut tx, &user.user_id).await?.is_some() {
        return Err(already_exists());
    }
    login_profiles::insert(&mut tx, &row).await?;
    login_profiles::push_password(&mut tx, &user.user_id, &row.password_hash).await?;
    tx.commit().await?;
    Ok(CreateLoginProfileResponse {
        login_profile: profile_out(&user, &row),
    })
}

/// The user's login profile, or NoSuchEntity.
async fn existing_profile(app: &App, user: &UserRow) -> Result<LoginProfileRow, ApiError> {
    let mut c = app.store.read().await?;
    login_profiles::get(&mut c, &user.user_id)
        .await?
        .ok_or_else(|| no_such_login_profile(&user.name))
}

pub async fn get_login_profile(
    app: &App,
    call: &Call,
    input: GetLoginProfileRequest,
) -> Result<GetLoginProfileResponse, ApiError> {
    let user = target_user(app, call, input.user_name.as_deref()).await?;
    let profile = existing_profile(app, &user).await?;
    Ok(GetLoginProfileResponse {
        login_profile: profile_out(&user, &profile),
    })
}

pub async fn update_login_profile(
    app: &App,
    call: &Call,
    input: UpdateLoginProfileRequest,
) -> Result<(), ApiError> {
    let user = authorized_user(app, call, &input.user_name).await?;
    let mut profile = existing_profile(app, &user).await?;
    let new_hash = match input.password {
        Some(p) => Some(vetted_hash(app, &user, p).await?),
        None => None,
    };
    if let Some(h) = &new_hash {
        profile.password_hash = h.clone();
        profile.password_changed = store::to_epoch(call.now);
    }
    if let Some(r) = input.password_reset_required {
        profile.password_reset_required = r;
    }
    if input.reset_max_signin_session_duration == Some(true) {
        profile.max_signin_session_duration = None;
    } else if let Some(d) = input.max_signin_session_duration {
        profile.max_signin_session_duration = Some(d);
    }
    let mut tx = app.store.write().await?;
    if login_profiles::get(&mut tx, &user.user_id).await?.is_none() {
        return Err(no_such_login_profile(&user.name));
    }
    login_profiles::update(&mut tx, &profile).await?;
    if let Some(h) = &new_hash {
        login_profiles::push_password(&mut tx, &user.user_id, h).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn delete_login_profile(
    app: &App,
    call: &Call,
    input: DeleteLoginProfileRequest,
) -> Result<(), ApiError> {
    let user = target_user(app, call, input.user_name.as_deref()).await?;
    let mut tx = app.store.write().await?;
    if login_profiles::get(&mut tx, &user.user_id).await?.is_none() {
        return Err(no_such_login_profile(&user.name));
    }
    login_profiles::delete(&mut tx, &user.user_id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn change_password(
    app: &App,
    call: &Call,
    input: ChangePasswordRequest,
) -> Result<(), ApiError> {
    let Principal::User { user_id, name, .. } = &call.principal else {
        // The AWS CLI reference (change-password) documents InvalidUserType for root; the wording
        // is the one IAM-compatible services reproduce.
        return Err(errors::invalid_user_type(
            "Only IAM Users can change their own password.",
        ));
    };
    let user = {
        let mut c = app.store.read().await?;
        users::get_by_id(&mut c, user_id).await?
    };
    let policy = password_policy::account_policy(app, call.account_id()).await?;
    let granted = policy
        .as_ref()
        .is_some_and(|p| p.allow_users_to_change_password);
    let arn = user
        .as_ref()
        .map(UserRow::arn)
        .unwrap_or_else(|| call.principal.arn());
    password_policy::authorize_with_user_grant(app, call, &arn, granted).await?;
    let user = user.ok_or_else(|| no_such_user(name))?;
    let mut profile = existing_profile(app, &user).await?;
    let (old, stored) = (input.old_password, profile.password_hash.clone());
    if !blocking(move || Ok(verify_password(&old, &stored))).await? {
        // Wording as reproduced by IAM-compatible services; not recorded from AWS itself.
        return Err(ApiError::access_denied("The old password was incorrect."));
    }
    let hash = vetted_hash(app, &user, input.new_password).await?;
    profile.password_hash = hash.clone();
    profile.password_changed = store::to_epoch(call.now);
    // Changing the password is what a required reset asks for.
    profile.password_reset_required = false;
    let mut tx = app.store.write().await?;
    if login_profiles::get(&mut tx, &user.user_id).await?.is_none() {
        return Err(no_such_login_profile(&user.name));
    }
    login_profiles::update(&mut tx, &profile).await?;
    login_profiles::push_password(&mut tx, &user.user_id, &hash).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_are_salted() {
        let a = hash_password("Correct-Horse-1").expect("hash");
        let b = hash_password("Correct-Horse-1").expect("hash");
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(verify_password("Correct-Horse-1", &a));
        assert!(!verify_password("Correct-Horse-2", &a));
        assert!(!verify_password("Correct-Horse-1", "not a phc string"));
    }
}
