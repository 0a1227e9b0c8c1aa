//! GenerateCredentialReport and GetCredentialReport.
//!
//! The report is built when GenerateCredentialReport finds none younger than four hours, and
//! stored with its time (table `credential_reports`): like AWS's, it is a snapshot. IAM User
//! Guide, "Generate credential reports": a report may be generated once every four hours; a
//! newer request within that time gets the existing one.

use chrono::{DateTime, Duration, Utc};

use crate::api::iam::*;
use crate::api::{errors, ApiError, Blob, NoInput};
use crate::app::App;
use crate::authz::{authorize, Call};
use crate::store::{
    self, access_keys, access_keys::AccessKeyRow, credential_reports, login_profiles, mfa,
    signing_certificates, signing_certificates::SigningCertificateRow, users, Conn,
};

/// How long a report is served before GetCredentialReport answers ReportExpired.
const REPORT_LIFETIME_HOURS: i64 = 4;

/// The report's columns, in AWS's order (IAM User Guide, "Understanding the report format").
pub const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

const NOT_APPLICABLE: &str = "N/A";
const NOT_SUPPORTED: &str = "not_supported";
const NO_INFORMATION: &str = "no_information";

/// Dates in the report are ISO 8601 with an explicit UTC offset: `2024-01-09T19:51:18+00:00`.
fn report_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

fn epoch_time(s: i64) -> String {
    report_time(store::from_epoch(s))
}

fn flag(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

fn expired(generated: i64, now: DateTime<Utc>) -> bool {
    now - store::from_epoch(generated) > Duration::hours(REPORT_LIFETIME_HOURS)
}

/// The access key columns: two slots, oldest key first; an empty slot is `false` and `N/A`s.
fn key_columns(keys: &[AccessKeyRow]) -> Vec<String> {
    let mut cols = Vec::with_capacity(10);
    for slot in 0..2 {
        match keys.get(slot) {
            Some(k) => {
                cols.push(flag(k.status == "Active").to_string());
                cols.push(epoch_time(k.create_date));
                cols.push(
                    k.last_used_date
                        .map(epoch_time)
                        .unwrap_or_else(|| NOT_APPLICABLE.into()),
                );
                cols.push(
                    k.last_used_region
                        .clone()
                        .unwrap_or_else(|| NOT_APPLICABLE.into()),
                );
                cols.push(
                    k.last_used_service
                        .clone()
                        .unwrap_or_else(|| NOT_APPLICABLE.into()),
                );
            }
            None => {
                cols.push(flag(false).to_string());
                cols.extend(std::iter::repeat_n(NOT_APPLICABLE.to_string(), 4));
            }
        }
    }
    cols
}

/// The signing certificate columns: two slots, oldest upload first; `cert_N_last_rotated` is
/// the upload date (IAM User Guide, "Understanding the report format"); an empty slot is
/// `false` and `N/A`.
fn cert_columns(certs: &[SigningCertificateRow]) -> Vec<String> {
    let mut certs: Vec<&SigningCertificateRow> = certs.iter().collect();
    certs.sort_by_key(|c| c.upload_date);
    (0..2)
        .flat_map(|slot| match certs.get(slot) {
            Some(c) => [
                flag(c.status == "Active").to_string(),
                epoch_time(c.upload_date),
            ],
            None => [flag(false).to_string(), NOT_APPLICABLE.to_string()],
        })
        .collect()
}

/// The CSV text of the account's report as of `now`: the root first, then every user by name.
pub async fn build(
    c: &mut Conn,
    account_id: &str,
    root_created: DateTime<Utc>,
) -> Result<String, ApiError> {
    let policy = login_profiles::get_policy(c, account_id).await?;
    let max_age_days = policy
        .as_ref()
        .and_then(|p| p.max_password_age)
        .filter(|d| *d > 0);
    let mut out = String::from(HEADER);
    out.push('\n');

    // The root's password is not modelled; AWS reports not_supported for its password fields.
    let root_keys = access_keys::list_for_user(c, account_id).await?;
    let root_mfa = !mfa::list_for_user(c, account_id).await?.is_empty();
    let mut row = vec![
        "<root_account>".to_string(),
        format!("arn:aws:iam::{account_id}:root"),
        report_time(root_created),
        NOT_SUPPORTED.into(),
        NO_INFORMATION.into(),
        NOT_SUPPORTED.into(),
        NOT_SUPPORTED.into(),
        flag(root_mfa).into(),
    ];
    row.extend(key_columns(&root_keys));
    row.extend(cert_columns(
        &signing_certificates::list_for_user(c, account_id).await?,
    ));
    push_row(&mut out, &row);

    for user in users::list(c, account_id, "/", None, i64::MAX).await? {
        let profile = login_profiles::get(c, &user.user_id).await?;
        let keys = access_keys::list_for_user(c, &user.user_id).await?;
        let mfa_active = !mfa::list_for_user(c, &user.user_id).await?.is_empty();
        let password_last_used = match (user.password_last_used, &profile) {
            (Some(t), _) => epoch_time(t),
            (None, Some(_)) => NO_INFORMATION.into(),
            (None, None) => NOT_APPLICABLE.into(),
        };
        let (last_changed, next_rotation) = match &profile {
            Some(p) => (
                epoch_time(p.password_changed),
                max_age_days
                    .map(|d| {
                        report_time(
                            store::from_epoch(p.password_changed) + Duration::days(i64::from(d)),
                        )
                    })
                    .unwrap_or_else(|| NOT_APPLICABLE.into()),
            ),
            None => (NOT_APPLICABLE.into(), NOT_APPLICABLE.into()),
        };
        let mut row = vec![
            user.name.clone(),
            user.arn(),
            epoch_time(user.create_date),
            flag(profile.is_some()).into(),
            password_last_used,
            last_changed,
            next_rotation,
            flag(mfa_active).into(),
        ];
        row.extend(key_columns(&keys));
        row.extend(cert_columns(
            &signing_certificates::list_for_user(c, &user.user_id).await?,
        ));
        push_row(&mut out, &row);
    }
    Ok(out)
}

/// IAM names and ARNs hold no commas, quotes or newlines, so fields need no quoting.
fn push_row(out: &mut String, fields: &[String]) {
    out.push_str(&fields.join(","));
    out.push('\n');
}

pub async fn generate_credential_report(
    app: &App,
    call: &Call,
    _input: NoInput,
) -> Result<GenerateCredentialReportResponse, ApiError> {
    // The Service Authorization Reference lists no resource type for this action.
    authorize(app, call, "*").await?;
    // Key use is buffered; write it out so the report sees it.
    app.flush_last_used().await?;
    let account_id = call.account_id();
    let mut tx = app.store.write().await?;
    if let Some((generated, _)) = credential_reports::get(&mut tx, account_id).await? {
        if !expired(generated, call.now) {
            return Ok(GenerateCredentialReportResponse {
                state: Some("COMPLETE".into()),
                description: None,
            });
        }
    }
    let csv = build(&mut tx, account_id, app.started).await?;
    credential_reports::put(&mut tx, account_id, store::to_epoch(call.now), &csv).await?;
    tx.commit().await?;
    Ok(GenerateCredentialReportResponse {
        state: Some("STARTED".into()),
        // The API reference's example answer, word for word.
        description: Some("No report exists. Starting a new report generation task".into()),
    })
}

pub async fn get_credential_report(
    app: &App,
    call: &Call,
    _input: NoInput,
) -> Result<GetCredentialReportResponse, ApiError> {
    authorize(app, call, "*").await?;
    let report = {
        let mut c = app.store.read().await?;
        credential_reports::get(&mut c, call.account_id()).await?
    };
    let Some((generated, csv)) = report else {
        // Recorded from AWS: no <Message> element.
        return Err(ApiError {
            message: None,
            ..errors::report_not_present("")
        });
    };
    if expired(generated, call.now) {
        // Not recorded from AWS; sent without a message like ReportNotPresent.
        return Err(ApiError {
            message: None,
            ..errors::report_expired("")
        });
    }
    Ok(GetCredentialReportResponse {
        content: Some(Blob(csv.into_bytes())),
        report_format: Some("text/csv".into()),
        generated_time: Some(store::from_epoch(generated)),
    })
}
