//! Virtual MFA devices with real TOTP codes, `verify_token_code` for STS, and the credential
//! report, through the AWS SDK for Rust. Codes are computed here from the returned seed with
//! iamlocal's own TOTP module, at the server's (movable) clock.

mod common;

use aws_sdk_iam::primitives::DateTime as SdkDateTime;
use chrono::Duration;
use common::{error_of, user_with_key, TestServer};
use iamlocal::iam::mfa::verify_token_code;
use iamlocal::totp;

const ACCOUNT: &str = "000000000000";

fn err(code: &str, message: &str) -> (String, String) {
    (code.to_string(), message.to_string())
}

/// The SDK's clock follows the server's, so tests can move time by hours and still sign
/// requests the server accepts.
#[derive(Debug)]
struct ServerTime(iamlocal::clock::Clock);

impl aws_smithy_async::time::TimeSource for ServerTime {
    fn now(&self) -> std::time::SystemTime {
        self.0.now().into()
    }
}

fn iam_on_server_clock(s: &TestServer) -> aws_sdk_iam::Client {
    use aws_sdk_iam::config::{BehaviorVersion, Credentials, Region};
    let conf = aws_sdk_iam::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(&s.endpoint)
        .credentials_provider(Credentials::new("test", "test", None, None, "test"))
        .time_source(ServerTime(s.app.clock.clone()))
        .build();
    aws_sdk_iam::Client::from_conf(conf)
}

/// Moves the server clock to one second into the next 30-second step, so a test's codes do not
/// straddle a step boundary.
fn align_clock(s: &TestServer) {
    let now = s.app.clock.now();
    let into_step = now.timestamp().rem_euclid(totp::STEP_SECONDS);
    let ms = now.timestamp_subsec_millis() as i64;
    s.app.clock.advance(Duration::milliseconds(
        (totp::STEP_SECONDS - into_step) * 1000 - ms + 1000,
    ));
}

fn step_now(s: &TestServer) -> i64 {
    totp::step_at(s.app.clock.now().timestamp())
}

/// Creates a device; returns (serial number, seed bytes).
async fn create_device(iam: &aws_sdk_iam::Client, name: &str) -> (String, Vec<u8>) {
    let out = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name(name)
        .send()
        .await
        .expect("create device");
    let d = out.virtual_mfa_device().expect("device");
    let text = std::str::from_utf8(d.base32_string_seed().expect("seed").as_ref())
        .expect("ascii")
        .to_string();
    let seed = totp::seed_from_base32(&text).expect("base32 seed");
    (d.serial_number().to_string(), seed)
}

async fn enable(
    iam: &aws_sdk_iam::Client,
    user: &str,
    serial: &str,
    code1: &str,
    code2: &str,
) -> Result<(), (String, String)> {
    iam.enable_mfa_device()
        .user_name(user)
        .serial_number(serial)
        .authentication_code1(code1)
        .authentication_code2(code2)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| error_of(&e))
}

#[tokio::test]
async fn virtual_device_create_enable_resync_deactivate_delete() {
    let s = TestServer::start().await;
    let iam = s.iam();
    iam.create_user()
        .user_name("alice")
        .send()
        .await
        .expect("user");

    let out = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("alice-phone")
        .path("/team/")
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key("k")
                .value("v")
                .build()
                .expect("tag"),
        )
        .send()
        .await
        .expect("create");
    let d = out.virtual_mfa_device().expect("device");
    let serial = d.serial_number().to_string();
    assert_eq!(
        serial,
        format!("arn:aws:iam::{ACCOUNT}:mfa/team/alice-phone")
    );
    let seed_text = std::str::from_utf8(d.base32_string_seed().expect("seed").as_ref())
        .expect("ascii")
        .to_string();
    assert_eq!(seed_text.len(), 32, "20 random bytes in Base32");
    let seed = totp::seed_from_base32(&seed_text).expect("base32");
    let png = d.qr_code_png().expect("qr").as_ref();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(d.tags().len(), 1);
    assert!(d.user().is_none() && d.enable_date().is_none());

    let dup = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("alice-phone")
        .send()
        .await
        .expect_err("duplicate");
    assert_eq!(
        error_of(&dup),
        err("EntityAlreadyExists", "MFA device already exists.")
    );

    align_clock(&s);
    let here = step_now(&s);
    let code = |step: i64| totp::code_for_step(&seed, step);
    let invalid = err(
        "InvalidAuthenticationCode",
        "Authentication code for device is not valid.",
    );

    // Wrong codes: swapped order, a step too far, not consecutive, malformed.
    for (c1, c2) in [
        (code(here + 1), code(here)),
        (code(here + 2), code(here + 3)),
        (code(here - 1), code(here + 1)),
    ] {
        assert_eq!(
            enable(&iam, "alice", &serial, &c1, &c2).await,
            Err(invalid.clone()),
            "{c1} {c2}"
        );
    }
    assert_eq!(
        enable(&iam, "nobody", &serial, &code(here), &code(here + 1)).await,
        Err(err(
            "NoSuchEntity",
            "The user with name nobody cannot be found."
        ))
    );
    let missing = format!("arn:aws:iam::{ACCOUNT}:mfa/nonexistent-device");
    assert_eq!(
        enable(&iam, "alice", &missing, &code(here), &code(here + 1)).await,
        Err(err(
            "NoSuchEntity",
            &format!("MFA Device with serial number {missing} does not exist.")
        ))
    );

    enable(&iam, "alice", &serial, &code(here), &code(here + 1))
        .await
        .expect("enable");
    iam.create_user()
        .user_name("bob")
        .send()
        .await
        .expect("bob");
    assert_eq!(
        enable(&iam, "bob", &serial, &code(here), &code(here + 1)).await,
        Err(err("EntityAlreadyExists", "MFA Device is already in use."))
    );

    let listed = iam
        .list_mfa_devices()
        .user_name("alice")
        .send()
        .await
        .expect("list");
    assert_eq!(listed.mfa_devices().len(), 1);
    assert_eq!(listed.mfa_devices()[0].serial_number(), serial);
    assert_eq!(listed.mfa_devices()[0].user_name(), "alice");
    let got = iam
        .get_mfa_device()
        .serial_number(&serial)
        .user_name("alice")
        .send()
        .await
        .expect("get");
    assert_eq!(got.user_name(), Some("alice"));
    assert!(got.enable_date().is_some());

    // Used codes cannot be used again, not even by ResyncMFADevice.
    let resync = |c1: String, c2: String| {
        iam.resync_mfa_device()
            .user_name("alice")
            .serial_number(&serial)
            .authentication_code1(c1)
            .authentication_code2(c2)
            .send()
    };
    let e = resync(code(here), code(here + 1))
        .await
        .expect_err("reused");
    assert_eq!(error_of(&e), invalid);
    // A drifted device: codes five steps ahead are still inside the resync window.
    resync(code(here + 5), code(here + 6))
        .await
        .expect("resync");

    // The user cannot be deleted while the device is enabled, nor the device.
    let e = iam
        .delete_user()
        .user_name("alice")
        .send()
        .await
        .expect_err("user has mfa");
    assert_eq!(
        error_of(&e),
        err(
            "DeleteConflict",
            "Cannot delete entity, must delete MFA device first."
        )
    );
    let e = iam
        .delete_virtual_mfa_device()
        .serial_number(&serial)
        .send()
        .await
        .expect_err("assigned");
    assert_eq!(error_of(&e), err("DeleteConflict", "MFA Device is in use."));

    // Deactivating needs the device to be the user's.
    let e = iam
        .deactivate_mfa_device()
        .user_name("bob")
        .serial_number(&serial)
        .send()
        .await
        .expect_err("not bob's");
    assert_eq!(
        error_of(&e),
        err(
            "NoSuchEntity",
            &format!("MFA Device with serial number {serial} does not exist.")
        )
    );
    iam.deactivate_mfa_device()
        .user_name("alice")
        .serial_number(&serial)
        .send()
        .await
        .expect("deactivate");
    assert!(iam
        .list_mfa_devices()
        .user_name("alice")
        .send()
        .await
        .expect("list")
        .mfa_devices()
        .is_empty());
    // Re-enabling with codes already used is refused, even once they are current again: the
    // device keeps its last used step.
    s.app.clock.advance(Duration::seconds(150));
    assert_eq!(
        enable(&iam, "alice", &serial, &code(here + 5), &code(here + 6)).await,
        Err(invalid)
    );

    iam.delete_virtual_mfa_device()
        .serial_number(&serial)
        .send()
        .await
        .expect("delete device");
    let e = iam
        .delete_virtual_mfa_device()
        .serial_number(&serial)
        .send()
        .await
        .expect_err("gone");
    assert_eq!(
        error_of(&e),
        err(
            "NoSuchEntity",
            &format!("MFA Device with serial number {serial} does not exist.")
        )
    );
    iam.delete_user()
        .user_name("alice")
        .send()
        .await
        .expect("delete user");
    s.stop().await;
}

#[tokio::test]
async fn list_virtual_devices_by_assignment_with_paging_and_tags() {
    let s = TestServer::start().await;
    let iam = s.iam();
    iam.create_user()
        .user_name("carol")
        .send()
        .await
        .expect("user");
    let (a, seed_a) = create_device(&iam, "dev-a").await;
    let (b, _) = create_device(&iam, "dev-b").await;
    let (c, _) = create_device(&iam, "dev-c").await;
    align_clock(&s);
    let here = step_now(&s);
    enable(
        &iam,
        "carol",
        &a,
        &totp::code_for_step(&seed_a, here),
        &totp::code_for_step(&seed_a, here + 1),
    )
    .await
    .expect("enable");

    let serials =
        |out: &aws_sdk_iam::operation::list_virtual_mfa_devices::ListVirtualMfaDevicesOutput| {
            out.virtual_mfa_devices()
                .iter()
                .map(|d| d.serial_number().to_string())
                .collect::<Vec<_>>()
        };
    let any = iam.list_virtual_mfa_devices().send().await.expect("any");
    assert_eq!(serials(&any), vec![a.clone(), b.clone(), c.clone()]);
    let assigned = iam
        .list_virtual_mfa_devices()
        .assignment_status(aws_sdk_iam::types::AssignmentStatusType::Assigned)
        .send()
        .await
        .expect("assigned");
    assert_eq!(serials(&assigned), vec![a.clone()]);
    let d = &assigned.virtual_mfa_devices()[0];
    assert_eq!(d.user().map(|u| u.user_name()), Some("carol"));
    assert!(d.enable_date().is_some());
    assert!(
        d.base32_string_seed().is_none(),
        "the seed is shown only once"
    );
    let unassigned = iam
        .list_virtual_mfa_devices()
        .assignment_status(aws_sdk_iam::types::AssignmentStatusType::Unassigned)
        .send()
        .await
        .expect("unassigned");
    assert_eq!(serials(&unassigned), vec![b.clone(), c.clone()]);

    // MaxItems=1 walks all three, one page at a time.
    let mut seen = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = iam
            .list_virtual_mfa_devices()
            .max_items(1)
            .set_marker(marker.clone())
            .send()
            .await
            .expect("page");
        assert_eq!(page.virtual_mfa_devices().len(), 1);
        seen.extend(serials(&page));
        if !page.is_truncated() {
            break;
        }
        marker = page.marker().map(str::to_string);
    }
    assert_eq!(seen, vec![a.clone(), b.clone(), c.clone()]);

    // Tags on a device.
    let tag = |k: &str, v: &str| {
        aws_sdk_iam::types::Tag::builder()
            .key(k)
            .value(v)
            .build()
            .expect("tag")
    };
    iam.tag_mfa_device()
        .serial_number(&b)
        .tags(tag("team", "blue"))
        .tags(tag("env", "dev"))
        .send()
        .await
        .expect("tag");
    let first = iam
        .list_mfa_device_tags()
        .serial_number(&b)
        .max_items(1)
        .send()
        .await
        .expect("tags");
    assert_eq!(first.tags().len(), 1);
    assert!(first.is_truncated());
    iam.untag_mfa_device()
        .serial_number(&b)
        .tag_keys("team")
        .send()
        .await
        .expect("untag");
    let rest = iam
        .list_mfa_device_tags()
        .serial_number(&b)
        .send()
        .await
        .expect("tags");
    assert_eq!(rest.tags().len(), 1);
    assert_eq!(rest.tags()[0].key(), "env");
    let missing = format!("arn:aws:iam::{ACCOUNT}:mfa/none");
    let e = iam
        .list_mfa_device_tags()
        .serial_number(&missing)
        .send()
        .await
        .expect_err("missing");
    assert_eq!(error_of(&e).0, "NoSuchEntity");
    s.stop().await;
}

#[tokio::test]
async fn users_without_permission_are_denied_and_with_it_manage_their_own() {
    let s = TestServer::start().await;
    let (key, secret) = user_with_key(&s, "dave").await;
    let dave = s.iam_as(&key, &secret);
    let e = dave
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("dave")
        .send()
        .await
        .expect_err("no policy");
    assert_eq!(
        error_of(&e),
        err(
            "AccessDenied",
            &format!("User: arn:aws:iam::{ACCOUNT}:user/dave is not authorized to perform: iam:CreateVirtualMFADevice on resource: arn:aws:iam::{ACCOUNT}:mfa/dave because no identity-based policy allows the iam:CreateVirtualMFADevice action")
        )
    );
    let e = dave
        .list_virtual_mfa_devices()
        .send()
        .await
        .expect_err("no policy");
    assert_eq!(error_of(&e).0, "AccessDenied");

    // The IAM User Guide's self-managed MFA policy, in short.
    let policy = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"iam:CreateVirtualMFADevice","Resource":"arn:aws:iam::*:mfa/${aws:username}"},
        {"Effect":"Allow","Action":["iam:EnableMFADevice","iam:ListMFADevices"],"Resource":"arn:aws:iam::*:user/${aws:username}"}]}"#;
    s.iam()
        .put_user_policy()
        .user_name("dave")
        .policy_name("own-mfa")
        .policy_document(policy)
        .send()
        .await
        .expect("policy");
    let (serial, seed) = create_device(&dave, "dave").await;
    align_clock(&s);
    let here = step_now(&s);
    enable(
        &dave,
        "dave",
        &serial,
        &totp::code_for_step(&seed, here),
        &totp::code_for_step(&seed, here + 1),
    )
    .await
    .expect("enable own");
    // Without UserName, ListMFADevices is about the caller.
    let own = dave.list_mfa_devices().send().await.expect("own");
    assert_eq!(own.mfa_devices().len(), 1);
    let e = dave
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("someone-else")
        .send()
        .await
        .expect_err("not own name");
    assert_eq!(error_of(&e).0, "AccessDenied");
    s.stop().await;
}

#[tokio::test]
async fn token_codes_for_sts_are_checked_once() {
    let s = TestServer::start().await;
    let iam = s.iam();
    iam.create_user()
        .user_name("erin")
        .send()
        .await
        .expect("user");
    let (serial, seed) = create_device(&iam, "erin").await;
    let unknown = (
        "AccessDenied".to_string(),
        "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.".to_string(),
    );
    let invalid = (
        "AccessDenied".to_string(),
        "MultiFactorAuthentication failed with invalid MFA one time pass code.".to_string(),
    );
    let check = |code: String| {
        let serial = serial.clone();
        let app = s.app.clone();
        async move {
            verify_token_code(&app, ACCOUNT, &serial, &code, app.clock.now())
                .await
                .map_err(|e| (e.code.to_string(), e.message().to_string()))
        }
    };
    align_clock(&s);
    let here = step_now(&s);
    // Not enabled yet: the device is associated with no user.
    assert_eq!(
        check(totp::code_for_step(&seed, here)).await,
        Err(unknown.clone())
    );
    enable(
        &iam,
        "erin",
        &serial,
        &totp::code_for_step(&seed, here),
        &totp::code_for_step(&seed, here + 1),
    )
    .await
    .expect("enable");
    // The enabling codes are used up.
    assert_eq!(
        check(totp::code_for_step(&seed, here + 1)).await,
        Err(invalid.clone())
    );
    s.app.clock.advance(Duration::seconds(60));
    let now_code = totp::code_at(&seed, s.app.clock.now().timestamp());
    assert_eq!(check(now_code.clone()).await, Ok(()));
    assert_eq!(check(now_code).await, Err(invalid.clone()), "used once");
    assert_eq!(check("12345".into()).await, Err(invalid.clone()));
    let far = totp::code_for_step(&seed, step_now(&s) + 5);
    assert_eq!(check(far).await, Err(invalid));
    let e = verify_token_code(
        &s.app,
        ACCOUNT,
        &format!("arn:aws:iam::{ACCOUNT}:mfa/none"),
        "123456",
        s.app.clock.now(),
    )
    .await
    .expect_err("unknown");
    assert_eq!((e.code.to_string(), e.message().to_string()), unknown);
    s.stop().await;
}

const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

fn is_report_time(v: &str) -> bool {
    regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")
        .expect("regex")
        .is_match(v)
}

#[tokio::test]
async fn credential_report_states_and_rows() {
    let s = TestServer::start().await;
    let iam = iam_on_server_clock(&s);
    let e = iam
        .get_credential_report()
        .send()
        .await
        .expect_err("none yet");
    assert_eq!(error_of(&e), err("ReportNotPresent", ""));

    iam.update_account_password_policy()
        .max_password_age(90)
        .send()
        .await
        .expect("policy");
    // alice: a password, a used access key; bob: nothing; carol: an enabled MFA device.
    let (key, secret) = user_with_key(&s, "alice").await;
    iam.create_login_profile()
        .user_name("alice")
        .password("Str0ng-enough")
        .send()
        .await
        .expect("password");
    // Signing a call uses the key, even one the policy denies (alice has no policy).
    let _ = s.iam_as(&key, &secret).get_user().send().await;
    iam.create_user()
        .user_name("bob")
        .send()
        .await
        .expect("bob");
    iam.create_user()
        .user_name("carol")
        .send()
        .await
        .expect("carol");
    let (serial, seed) = create_device(&iam, "carol").await;
    align_clock(&s);
    let here = step_now(&s);
    enable(
        &iam,
        "carol",
        &serial,
        &totp::code_for_step(&seed, here),
        &totp::code_for_step(&seed, here + 1),
    )
    .await
    .expect("enable");

    let first = iam
        .generate_credential_report()
        .send()
        .await
        .expect("generate");
    assert_eq!(first.state().map(|s| s.as_str()), Some("STARTED"));
    assert_eq!(
        first.description(),
        Some("No report exists. Starting a new report generation task")
    );
    let again = iam
        .generate_credential_report()
        .send()
        .await
        .expect("again");
    assert_eq!(again.state().map(|s| s.as_str()), Some("COMPLETE"));

    let report = iam.get_credential_report().send().await.expect("get");
    assert_eq!(report.report_format().map(|f| f.as_str()), Some("text/csv"));
    let generated: SdkDateTime = *report.generated_time().expect("time");
    assert!((generated.secs() - s.app.clock.now().timestamp()).abs() < 5);
    let csv =
        String::from_utf8(report.content().expect("content").as_ref().to_vec()).expect("utf-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], HEADER);
    assert_eq!(lines.len(), 5, "{csv}");
    let columns = HEADER.split(',').count();
    let rows: Vec<Vec<&str>> = lines[1..].iter().map(|l| l.split(',').collect()).collect();
    for r in &rows {
        assert_eq!(r.len(), columns, "{r:?}");
    }

    let root = &rows[0];
    assert_eq!(
        &root[..2],
        ["<root_account>", &format!("arn:aws:iam::{ACCOUNT}:root")]
    );
    assert!(is_report_time(root[2]), "{}", root[2]);
    assert_eq!(
        &root[3..8],
        [
            "not_supported",
            "no_information",
            "not_supported",
            "not_supported",
            "false"
        ]
    );

    let alice = &rows[1];
    assert_eq!(alice[0], "alice");
    assert_eq!(alice[1], format!("arn:aws:iam::{ACCOUNT}:user/alice"));
    assert_eq!(alice[3], "true");
    assert_eq!(alice[4], "no_information");
    assert!(is_report_time(alice[5]));
    let changed = chrono::DateTime::parse_from_rfc3339(alice[5]).expect("date");
    let next = chrono::DateTime::parse_from_rfc3339(alice[6]).expect("date");
    assert_eq!(next - changed, Duration::days(90));
    assert_eq!(alice[7], "false");
    assert_eq!(alice[8], "true");
    assert!(is_report_time(alice[9]) && is_report_time(alice[10]));
    assert_eq!(&alice[11..13], ["us-east-1", "iam"]);
    assert_eq!(
        &alice[13..],
        ["false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"]
    );

    let bob = &rows[2];
    assert_eq!(bob[0], "bob");
    assert_eq!(&bob[3..8], ["false", "N/A", "N/A", "N/A", "false"]);
    assert_eq!(&bob[8..13], ["false", "N/A", "N/A", "N/A", "N/A"]);

    let carol = &rows[3];
    assert_eq!((carol[0], carol[7]), ("carol", "true"));

    // The report is a snapshot: a new user appears only in a new report, after four hours.
    iam.create_user()
        .user_name("dan")
        .send()
        .await
        .expect("dan");
    s.app
        .clock
        .advance(Duration::hours(4) + Duration::minutes(1));
    // A fresh client per call: the SDK corrects its clock by the skew it sees in the server's
    // Date header (real time), which would undo the move.
    let e = iam_on_server_clock(&s)
        .get_credential_report()
        .send()
        .await
        .expect_err("expired");
    assert_eq!(error_of(&e), err("ReportExpired", ""));
    let fresh = iam_on_server_clock(&s)
        .generate_credential_report()
        .send()
        .await
        .expect("regenerate");
    assert_eq!(fresh.state().map(|s| s.as_str()), Some("STARTED"));
    let report = iam_on_server_clock(&s)
        .get_credential_report()
        .send()
        .await
        .expect("get");
    let csv =
        String::from_utf8(report.content().expect("content").as_ref().to_vec()).expect("utf-8");
    assert!(csv.lines().any(|l| l.starts_with("dan,")), "{csv}");
    s.stop().await;
}

#[tokio::test]
async fn sts_sessions_with_mfa_satisfy_multi_factor_policies() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let (akid, secret) = user_with_key(&s, "mia").await;
    let (serial, seed) = create_device(&iam, "mia").await;
    align_clock(&s);
    let here = step_now(&s);
    enable(
        &iam,
        "mia",
        &serial,
        &totp::code_for_step(&seed, here),
        &totp::code_for_step(&seed, here + 1),
    )
    .await
    .expect("enable");
    s.app.clock.advance(Duration::seconds(60));
    let code = || totp::code_at(&seed, s.app.clock.now().timestamp());
    // Long-term keys never satisfy `aws:MultiFactorAuthPresent`; an MFA session does.
    iam.put_user_policy()
        .user_name("mia")
        .policy_name("mfa-only")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#)
        .send()
        .await
        .expect("policy");
    let mia = s.sts_as(&akid, &secret);
    let e = s
        .iam_as(&akid, &secret)
        .list_users()
        .send()
        .await
        .expect_err("no MFA with long-term keys");
    assert_eq!(error_of(&e).0, "AccessDenied");
    let e = mia
        .get_session_token()
        .serial_number(&serial)
        .token_code("000000")
        .send()
        .await
        .expect_err("wrong code");
    assert_eq!(
        error_of(&e),
        err(
            "AccessDenied",
            "MultiFactorAuthentication failed with invalid MFA one time pass code."
        )
    );
    let out = mia
        .get_session_token()
        .serial_number(&serial)
        .token_code(code())
        .send()
        .await
        .expect("MFA session");
    let c = out.credentials().expect("credentials");
    s.iam_with(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    )
    .list_users()
    .send()
    .await
    .expect("the MFA session satisfies the condition");

    // A role whose trust policy demands MFA.
    iam.create_role()
        .role_name("admin")
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#)
        .send()
        .await
        .expect("role");
    let e = mia
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/admin")
        .role_session_name("nomfa")
        .send()
        .await
        .expect_err("MFA required by the trust policy");
    assert_eq!(error_of(&e).0, "AccessDenied");
    s.app.clock.advance(Duration::seconds(30));
    mia.assume_role()
        .role_arn("arn:aws:iam::000000000000:role/admin")
        .role_session_name("withmfa")
        .serial_number(&serial)
        .token_code(code())
        .send()
        .await
        .expect("MFA satisfies the trust policy");
    s.stop().await;
}
