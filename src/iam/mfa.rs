//! Virtual MFA devices with real TOTP (RFC 6238): CreateVirtualMFADevice, EnableMFADevice,
//! ResyncMFADevice, DeactivateMFADevice, DeleteVirtualMFADevice, ListMFADevices,
//! ListVirtualMFADevices, GetMFADevice, TagMFADevice, UntagMFADevice, ListMFADeviceTags; and
//! `verify_token_code` for the STS calls that take a SerialNumber and TokenCode.
//!
//! A device's codes are checked against the server clock (`call.now`), so tests that move the
//! clock move the codes too. Each accepted code advances the device's last used time step, and a
//! code of that step or an earlier one is refused afterwards: a code works once.

use chrono::{DateTime, Utc};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rand::RngCore;

use crate::api::iam::*;
use crate::api::{errors, ApiError, Blob};
use crate::app::App;
use crate::authz::{authorize, authorize_with, Call, Principal};
use crate::store::{self, mfa, mfa::Assignment, mfa::MfaDeviceRow, tags, users, users::UserRow};
use crate::totp;

use super::pagination::Page;
use super::users::{authorized_user, user_out};
use super::{tagging, validate};

/// Steps either side of now a code may come from when a device is enabled or a token is
/// checked: one step of clock drift, as TOTP validators commonly allow (RFC 6238 §5.2).
const WINDOW: i64 = 1;

/// ResyncMFADevice exists for devices that drifted, so it looks further: ten steps (five
/// minutes) either way.
const RESYNC_WINDOW: i64 = 10;

/// Random bytes in a seed: 160 bits, the length RFC 4226 §4 recommends for HMAC-SHA-1.
const SEED_BYTES: usize = 20;

/// Who authenticator apps show the account as; the label is `issuer:name@account`.
const ISSUER: &str = "Amazon Web Services";

/// What may stay unescaped in an `otpauth://` label or parameter (RFC 3986 unreserved).
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub fn mfa_arn(account_id: &str, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account_id}:mfa{path}{name}")
}

/// As recorded from AWS for DeactivateMFADevice and DeleteVirtualMFADevice.
fn no_such_device(serial_number: &str) -> ApiError {
    errors::no_such_entity(format!(
        "MFA Device with serial number {serial_number} does not exist."
    ))
}

/// Not recorded from AWS: the wording IAM-compatible services use.
fn invalid_codes() -> ApiError {
    errors::invalid_authentication_code("Authentication code for device is not valid.")
}

/// The `otpauth://` URI the QR code carries. The IAM API reference (VirtualMFADevice,
/// QRCodePNG) documents `otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String`;
/// the label gets the issuer prefix and `issuer` parameter of the Key URI format apps read.
fn otpauth_uri(account_id: &str, name: &str, secret_base32: &str) -> String {
    let label = format!("{ISSUER}:{name}@{account_id}");
    format!(
        "otpauth://totp/{}?secret={secret_base32}&issuer={}",
        utf8_percent_encode(&label, URI_COMPONENT),
        utf8_percent_encode(ISSUER, URI_COMPONENT)
    )
}

async fn find_device(
    app: &App,
    account_id: &str,
    serial_number: &str,
) -> Result<Option<MfaDeviceRow>, ApiError> {
    let mut c = app.store.read().await?;
    Ok(mfa::get(&mut c, account_id, serial_number).await?)
}

/// The device, after authorizing the call on its ARN (the serial number of a virtual device).
async fn authorized_device(
    app: &App,
    call: &Call,
    serial_number: &str,
    ctx: crate::policy::RequestContext,
) -> Result<MfaDeviceRow, ApiError> {
    authorize_with(app, call, serial_number, ctx).await?;
    find_device(app, call.account_id(), serial_number)
        .await?
        .ok_or_else(|| no_such_device(serial_number))
}

/// The user a call with an optional UserName is about: the named one, else the calling user;
/// root naming nobody is authorized on its own ARN and owns no device (`None`).
async fn target_user(
    app: &App,
    call: &Call,
    user_name: Option<&str>,
) -> Result<Option<UserRow>, ApiError> {
    match (user_name, &call.principal) {
        (Some(name), _) => Ok(Some(authorized_user(app, call, name).await?)),
        (None, Principal::User { name, .. }) => Ok(Some(authorized_user(app, call, name).await?)),
        (None, _) => {
            authorize(app, call, &call.principal.arn()).await?;
            Ok(None)
        }
    }
}

/// The step of the second code when `code1` and `code2` are the codes of two consecutive steps
/// within `window` steps of now and after the device's last used step.
fn consecutive_codes(
    device: &MfaDeviceRow,
    code1: &str,
    code2: &str,
    now: DateTime<Utc>,
    window: i64,
) -> Option<i64> {
    let seed = totp::seed_from_base32(&device.seed)?;
    let here = totp::step_at(now.timestamp());
    let first = totp::find_step(&seed, code1, here, window)?;
    let second = first + 1;
    let fresh = device.last_used_step.is_none_or(|last| first > last);
    let in_window = second <= here + window;
    let matches = totp::find_step(&seed, code2, second, 0) == Some(second);
    (fresh && in_window && matches).then_some(second)
}

fn device_out(d: &MfaDeviceRow, user: Option<&UserRow>) -> VirtualMFADevice {
    VirtualMFADevice {
        serial_number: d.serial_number.clone(),
        user: user.map(|u| user_out(u, Vec::new())),
        enable_date: d.enable_date.map(store::from_epoch),
        ..VirtualMFADevice::default()
    }
}

pub async fn create_virtual_mfa_device(
    app: &App,
    call: &Call,
    input: CreateVirtualMFADeviceRequest,
) -> Result<CreateVirtualMFADeviceResponse, ApiError> {
    let path = input.path.unwrap_or_else(|| "/".into());
    validate::path(&path)?;
    let new_tags = input.tags.unwrap_or_default();
    validate::unique_tag_keys(&new_tags)?;
    let account_id = call.account_id().to_string();
    let serial_number = mfa_arn(&account_id, &path, &input.virtual_mfa_device_name);
    authorize_with(
        app,
        call,
        &serial_number,
        tagging::request_tag_context(&new_tags),
    )
    .await?;
    let mut seed = [0u8; SEED_BYTES];
    rand::thread_rng().fill_bytes(&mut seed);
    let secret = totp::seed_to_base32(&seed);
    let uri = otpauth_uri(&account_id, &input.virtual_mfa_device_name, &secret);
    let png = crate::qr_png::qr_png(&uri)
        .ok_or_else(|| ApiError::internal("We encountered an internal error. Please try again."))?;
    let row = MfaDeviceRow {
        serial_number,
        account_id,
        name: input.virtual_mfa_device_name,
        path,
        seed: secret,
        create_date: store::to_epoch(call.now),
        user_id: None,
        enable_date: None,
        last_used_step: None,
    };
    let mut tx = app.store.write().await?;
    if mfa::get_by_name(&mut tx, &row.account_id, &row.name)
        .await?
        .is_some()
    {
        // Recorded from AWS.
        return Err(errors::entity_already_exists("MFA device already exists."));
    }
    mfa::insert(&mut tx, &row).await?;
    tagging::put_new(&mut tx, &row.account_id, &row.serial_number, &new_tags).await?;
    tx.commit().await?;
    Ok(CreateVirtualMFADeviceResponse {
        virtual_mfa_device: VirtualMFADevice {
            // A blob member: the SDKs hand back the Base32 text itself.
            base32_string_seed: Some(Blob(row.seed.clone().into_bytes())),
            qr_code_png: Some(Blob(png)),
            tags: (!new_tags.is_empty()).then_some(new_tags),
            ..device_out(&row, None)
        },
    })
}

pub async fn enable_mfa_device(
    app: &App,
    call: &Call,
    input: EnableMFADeviceRequest,
) -> Result<(), ApiError> {
    let user = authorized_user(app, call, &input.user_name).await?;
    let device = find_device(app, call.account_id(), &input.serial_number)
        .await?
        .ok_or_else(|| no_such_device(&input.serial_number))?;
    // Recorded from AWS.
    let in_use = || errors::entity_already_exists("MFA Device is already in use.");
    if device.user_id.is_some() {
        return Err(in_use());
    }
    let step = consecutive_codes(
        &device,
        &input.authentication_code1,
        &input.authentication_code2,
        call.now,
        WINDOW,
    )
    .ok_or_else(invalid_codes)?;
    let mut tx = app.store.write().await?;
    match mfa::get(&mut tx, call.account_id(), &device.serial_number).await? {
        None => return Err(no_such_device(&device.serial_number)),
        Some(d) if d.user_id.is_some() => return Err(in_use()),
        Some(d) if d.last_used_step.is_some_and(|last| step - 1 <= last) => {
            return Err(invalid_codes())
        }
        Some(_) => {}
    }
    mfa::assign(
        &mut tx,
        &device.serial_number,
        &user.user_id,
        store::to_epoch(call.now),
        step,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The device `serial_number` enabled for `user`, or NoSuchEntity.
async fn assigned_device(
    app: &App,
    call: &Call,
    user: Option<&UserRow>,
    serial_number: &str,
) -> Result<MfaDeviceRow, ApiError> {
    let device = find_device(app, call.account_id(), serial_number).await?;
    match (device, user) {
        (Some(d), Some(u)) if d.user_id.as_deref() == Some(u.user_id.as_str()) => Ok(d),
        _ => Err(no_such_device(serial_number)),
    }
}

pub async fn resync_mfa_device(
    app: &App,
    call: &Call,
    input: ResyncMFADeviceRequest,
) -> Result<(), ApiError> {
    let user = authorized_user(app, call, &input.user_name).await?;
    let device = assigned_device(app, call, Some(&user), &input.serial_number).await?;
    let step = consecutive_codes(
        &device,
        &input.authentication_code1,
        &input.authentication_code2,
        call.now,
        RESYNC_WINDOW,
    )
    .ok_or_else(invalid_codes)?;
    let mut tx = app.store.write().await?;
    mfa::set_last_used_step(&mut tx, &device.serial_number, step).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn deactivate_mfa_device(
    app: &App,
    call: &Call,
    input: DeactivateMFADeviceRequest,
) -> Result<(), ApiError> {
    let user = target_user(app, call, input.user_name.as_deref()).await?;
    let device = assigned_device(app, call, user.as_ref(), &input.serial_number).await?;
    let mut tx = app.store.write().await?;
    mfa::unassign(&mut tx, &device.serial_number).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_virtual_mfa_device(
    app: &App,
    call: &Call,
    input: DeleteVirtualMFADeviceRequest,
) -> Result<(), ApiError> {
    let device = authorized_device(
        app,
        call,
        &input.serial_number,
        crate::policy::RequestContext::new(),
    )
    .await?;
    let mut tx = app.store.write().await?;
    let still_assigned = mfa::get(&mut tx, call.account_id(), &device.serial_number)
        .await?
        .is_some_and(|d| d.user_id.is_some());
    if still_assigned {
        // Not recorded from AWS; worded like its "MFA Device is already in use.".
        return Err(errors::delete_conflict("MFA Device is in use."));
    }
    tags::remove_all(&mut tx, &device.serial_number).await?;
    mfa::delete(&mut tx, &device.serial_number).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list_mfa_devices(
    app: &App,
    call: &Call,
    input: ListMFADevicesRequest,
) -> Result<ListMFADevicesResponse, ApiError> {
    let user = target_user(app, call, input.user_name.as_deref()).await?;
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let Some(user) = user else {
        // Root enables no virtual device through this API.
        return Ok(ListMFADevicesResponse {
            mfa_devices: Vec::new(),
            is_truncated: Some(false),
            marker: None,
        });
    };
    let mut rows = {
        let mut c = app.store.read().await?;
        mfa::list_for_user(&mut c, &user.user_id).await?
    };
    if let Some(after) = &page.after {
        rows.retain(|d| d.serial_number.as_str() > after.as_str());
    }
    let (truncated, marker) = page.finish(&mut rows, |d| &d.serial_number);
    Ok(ListMFADevicesResponse {
        mfa_devices: rows
            .into_iter()
            .map(|d| MFADevice {
                user_name: user.name.clone(),
                serial_number: d.serial_number,
                enable_date: store::from_epoch(d.enable_date.unwrap_or(d.create_date)),
            })
            .collect(),
        is_truncated: Some(truncated),
        marker,
    })
}

pub async fn list_virtual_mfa_devices(
    app: &App,
    call: &Call,
    input: ListVirtualMFADevicesRequest,
) -> Result<ListVirtualMFADevicesResponse, ApiError> {
    // The Service Authorization Reference lists no resource type for this action.
    authorize(app, call, "*").await?;
    // The API reference: without AssignmentStatus the call lists both kinds (Any).
    let assignment = match input.assignment_status.as_deref() {
        Some("Assigned") => Assignment::Assigned,
        Some("Unassigned") => Assignment::Unassigned,
        _ => Assignment::Any,
    };
    let page = Page::new(input.marker.as_deref(), input.max_items)?;
    let (mut rows, owners) = {
        let mut c = app.store.read().await?;
        let rows = mfa::list(
            &mut c,
            call.account_id(),
            assignment,
            page.after.as_deref(),
            page.fetch_limit(),
        )
        .await?;
        let mut owners = Vec::new();
        for d in &rows {
            if let Some(id) = &d.user_id {
                if let Some(u) = users::get_by_id(&mut c, id).await? {
                    owners.push(u);
                }
            }
        }
        (rows, owners)
    };
    let (truncated, marker) = page.finish(&mut rows, |d| &d.serial_number);
    Ok(ListVirtualMFADevicesResponse {
        virtual_mfa_devices: rows
            .iter()
            .map(|d| {
                let owner = d
                    .user_id
                    .as_ref()
                    .and_then(|id| owners.iter().find(|u| &u.user_id == id));
                device_out(d, owner)
            })
            .collect(),
        is_truncated: Some(truncated),
        marker,
    })
}

pub async fn get_mfa_device(
    app: &App,
    call: &Call,
    input: GetMFADeviceRequest,
) -> Result<GetMFADeviceResponse, ApiError> {
    let user = target_user(app, call, input.user_name.as_deref()).await?;
    let device = assigned_device(app, call, user.as_ref(), &input.serial_number).await?;
    Ok(GetMFADeviceResponse {
        user_name: user.map(|u| u.name),
        serial_number: device.serial_number,
        enable_date: device.enable_date.map(store::from_epoch),
        certifications: None,
    })
}

pub async fn tag_mfa_device(
    app: &App,
    call: &Call,
    input: TagMFADeviceRequest,
) -> Result<(), ApiError> {
    let device = authorized_device(
        app,
        call,
        &input.serial_number,
        tagging::request_tag_context(&input.tags),
    )
    .await?;
    tagging::add(app, &device.account_id, &device.serial_number, &input.tags).await
}

pub async fn untag_mfa_device(
    app: &App,
    call: &Call,
    input: UntagMFADeviceRequest,
) -> Result<(), ApiError> {
    let device = authorized_device(
        app,
        call,
        &input.serial_number,
        tagging::tag_keys_context(&input.tag_keys),
    )
    .await?;
    tagging::remove(app, &device.serial_number, &input.tag_keys).await
}

pub async fn list_mfa_device_tags(
    app: &App,
    call: &Call,
    input: ListMFADeviceTagsRequest,
) -> Result<ListMFADeviceTagsResponse, ApiError> {
    let device = authorized_device(
        app,
        call,
        &input.serial_number,
        crate::policy::RequestContext::new(),
    )
    .await?;
    let (tags, is_truncated, marker) = tagging::page(
        app,
        &device.serial_number,
        input.marker.as_deref(),
        input.max_items,
    )
    .await?;
    Ok(ListMFADeviceTagsResponse {
        tags,
        is_truncated: Some(is_truncated),
        marker,
    })
}

/// STS's answer when the serial number names no device enabled for the caller (as AWS words
/// it, two spaces included).
fn mfa_unknown_device() -> ApiError {
    ApiError::access_denied(
        "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.",
    )
}

/// STS's answer to a wrong or reused code, as AWS words it.
fn mfa_invalid_code() -> ApiError {
    ApiError::access_denied("MultiFactorAuthentication failed with invalid MFA one time pass code.")
}

/// Checks an STS TokenCode against the enabled device `serial_number` of the account and, if it
/// is valid, uses it up. Failures are AccessDenied in AWS's words.
pub async fn verify_token_code(
    app: &App,
    account_id: &str,
    serial_number: &str,
    token_code: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    verify_token_code_of(app, account_id, None, serial_number, token_code, now).await
}

/// As `verify_token_code`, also requiring that the device is enabled for the user `user_id`
/// (the caller of GetSessionToken or AssumeRole).
pub async fn verify_token_code_of(
    app: &App,
    account_id: &str,
    user_id: Option<&str>,
    serial_number: &str,
    token_code: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let mut tx = app.store.write().await?;
    let device = mfa::get(&mut tx, account_id, serial_number)
        .await?
        .filter(|d| match (&d.user_id, user_id) {
            (None, _) => false,
            (Some(owner), Some(wanted)) => owner == wanted,
            (Some(_), None) => true,
        })
        .ok_or_else(mfa_unknown_device)?;
    let seed = totp::seed_from_base32(&device.seed).ok_or_else(mfa_invalid_code)?;
    let step = totp::find_step(&seed, token_code, totp::step_at(now.timestamp()), WINDOW)
        .filter(|&s| device.last_used_step.is_none_or(|last| s > last))
        .ok_or_else(mfa_invalid_code)?;
    mfa::set_last_used_step(&mut tx, &device.serial_number, step).await?;
    tx.commit().await?;
    Ok(())
}
