//! Login profiles, the account password policy and ChangePassword through the AWS SDK for Rust.

mod common;

use common::{error_of, user_with_key, TestServer};

fn err(code: &str, message: &str) -> (String, String) {
    (code.to_string(), message.to_string())
}

const NOT_CONFORM: &str = "Password does not conform to the account password policy.";
const REUSED: &str =
    "Policy constraint violation with password reuse prevention during password change.";

#[tokio::test]
async fn login_profile_lifecycle() {
    let s = TestServer::start().await;
    let iam = s.iam();
    iam.create_user()
        .user_name("alice")
        .send()
        .await
        .expect("user");

    // Without an account policy AWS's default applies: 8 characters, 3 of 4 character types.
    for weak in ["Ab1!", "lowercaseonly", "lower-and-symbols!"] {
        let e = iam
            .create_login_profile()
            .user_name("alice")
            .password(weak)
            .send()
            .await
            .expect_err(weak);
        assert_eq!(
            error_of(&e),
            err("PasswordPolicyViolation", NOT_CONFORM),
            "{weak}"
        );
    }
    let created = iam
        .create_login_profile()
        .user_name("alice")
        .password("Str0ng-enough")
        .password_reset_required(true)
        .send()
        .await
        .expect("create");
    let p = created.login_profile().expect("profile");
    assert_eq!(p.user_name(), "alice");
    assert!(p.password_reset_required());

    let dup = iam
        .create_login_profile()
        .user_name("ALICE")
        .password("An0ther-one")
        .send()
        .await
        .expect_err("duplicate");
    assert_eq!(
        error_of(&dup),
        err(
            "EntityAlreadyExists",
            "Login Profile for user alice already exists."
        )
    );
    let got = iam
        .get_login_profile()
        .user_name("alice")
        .send()
        .await
        .expect("get");
    let g = got.login_profile().expect("profile");
    assert_eq!(g.create_date(), p.create_date());
    assert!(g.password_reset_required());
    // Nothing signs in with a password locally, so the user never shows PasswordLastUsed.
    let u = iam
        .get_user()
        .user_name("alice")
        .send()
        .await
        .expect("user");
    assert_eq!(u.user().and_then(|u| u.password_last_used()), None);

    let nobody = iam
        .get_login_profile()
        .user_name("nobody")
        .send()
        .await
        .expect_err("no user");
    assert_eq!(
        error_of(&nobody),
        err("NoSuchEntity", "The user with name nobody cannot be found.")
    );
    let conflict = iam
        .delete_user()
        .user_name("alice")
        .send()
        .await
        .expect_err("profile left");
    assert_eq!(
        error_of(&conflict),
        err(
            "DeleteConflict",
            "Cannot delete entity, must delete login profile first."
        )
    );

    // Update is partial: a new password alone keeps the reset flag, the flag alone the password.
    let weak = iam
        .update_login_profile()
        .user_name("alice")
        .password("short")
        .send()
        .await
        .expect_err("weak");
    assert_eq!(error_of(&weak), err("PasswordPolicyViolation", NOT_CONFORM));
    iam.update_login_profile()
        .user_name("alice")
        .password("N3w-password")
        .send()
        .await
        .expect("new password");
    let still = iam
        .get_login_profile()
        .user_name("alice")
        .send()
        .await
        .expect("get");
    assert!(still.login_profile().expect("p").password_reset_required());
    iam.update_login_profile()
        .user_name("alice")
        .password_reset_required(false)
        .send()
        .await
        .expect("clear flag");
    let cleared = iam
        .get_login_profile()
        .user_name("alice")
        .send()
        .await
        .expect("get");
    assert!(!cleared
        .login_profile()
        .expect("p")
        .password_reset_required());

    iam.delete_login_profile()
        .user_name("alice")
        .send()
        .await
        .expect("delete");
    let gone = err(
        "NoSuchEntity",
        "Login Profile for User alice cannot be found.",
    );
    let e = iam
        .get_login_profile()
        .user_name("alice")
        .send()
        .await
        .expect_err("gone");
    assert_eq!(error_of(&e), gone);
    let e = iam
        .delete_login_profile()
        .user_name("alice")
        .send()
        .await
        .expect_err("gone");
    assert_eq!(error_of(&e), gone);
    let e = iam
        .update_login_profile()
        .user_name("alice")
        .password_reset_required(true)
        .send()
        .await
        .expect_err("gone");
    assert_eq!(error_of(&e), gone);
    iam.delete_user()
        .user_name("alice")
        .send()
        .await
        .expect("no profile left");
    s.stop().await;
}

#[tokio::test]
async fn account_password_policy() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let e = iam
        .get_account_password_policy()
        .send()
        .await
        .expect_err("none");
    assert_eq!(
        error_of(&e),
        err(
            "NoSuchEntity",
            "The Password Policy with domain name 000000000000 cannot be found."
        )
    );
    let e = iam
        .delete_account_password_policy()
        .send()
        .await
        .expect_err("none");
    assert_eq!(
        error_of(&e),
        err(
            "NoSuchEntity",
            "The account policy with name PasswordPolicy cannot be found."
        )
    );

    // Every field left out takes its default; the optional ones stay absent.
    iam.update_account_password_policy()
        .send()
        .await
        .expect("defaults");
    let got = iam.get_account_password_policy().send().await.expect("get");
    let p = got.password_policy().expect("policy");
    assert_eq!(p.minimum_password_length(), Some(6));
    assert!(!p.require_symbols() && !p.require_numbers());
    assert!(!p.require_uppercase_characters() && !p.require_lowercase_characters());
    assert!(!p.allow_users_to_change_password() && !p.expire_passwords());
    assert_eq!(p.max_password_age(), None);
    assert_eq!(p.password_reuse_prevention(), None);
    assert_eq!(p.hard_expiry(), None);

    iam.update_account_password_policy()
        .minimum_password_length(10)
        .require_symbols(true)
        .require_numbers(true)
        .require_uppercase_characters(true)
        .require_lowercase_characters(true)
        .allow_users_to_change_password(true)
        .max_password_age(60)
        .password_reuse_prevention(3)
        .hard_expiry(true)
        .send()
        .await
        .expect("all fields");
    let got = iam.get_account_password_policy().send().await.expect("get");
    let p = got.password_policy().expect("policy");
    assert_eq!(p.minimum_password_length(), Some(10));
    assert!(p.require_symbols() && p.require_numbers());
    assert!(p.require_uppercase_characters() && p.require_lowercase_characters());
    assert!(p.allow_users_to_change_password() && p.expire_passwords());
    assert_eq!(p.max_password_age(), Some(60));
    assert_eq!(p.password_reuse_prevention(), Some(3));
    assert_eq!(p.hard_expiry(), Some(true));

    // The model's ranges: 6–128, 1–24, 1–1095.
    let e = iam
        .update_account_password_policy()
        .minimum_password_length(129)
        .password_reuse_prevention(25)
        .max_password_age(1096)
        .send()
        .await
        .expect_err("above");
    let (code, message) = error_of(&e);
    assert_eq!(code, "ValidationError");
    assert!(
        message.starts_with("3 validation errors detected: "),
        "{message}"
    );
    for part in [
        "Value at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128",
        "Value at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24",
        "Value at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095",
    ] {
        assert!(message.contains(part), "{message}");
    }
    let e = iam
        .update_account_password_policy()
        .minimum_password_length(5)
        .password_reuse_prevention(0)
        .max_password_age(0)
        .send()
        .await
        .expect_err("below");
    let (_, message) = error_of(&e);
    for part in [
        "'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than or equal to 6",
        "'passwordReusePrevention' failed to satisfy constraint: Member must have value greater than or equal to 1",
        "'maxPasswordAge' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ] {
        assert!(message.contains(part), "{message}");
    }
    // A refused update leaves the policy as it was.
    let got = iam.get_account_password_policy().send().await.expect("get");
    assert_eq!(
        got.password_policy()
            .and_then(|p| p.minimum_password_length()),
        Some(10)
    );

    iam.delete_account_password_policy()
        .send()
        .await
        .expect("delete");
    let e = iam
        .get_account_password_policy()
        .send()
        .await
        .expect_err("deleted");
    assert_eq!(error_of(&e).0, "NoSuchEntity");
    s.stop().await;
}

#[tokio::test]
async fn policy_rules_and_reuse_prevention() {
    let s = TestServer::start().await;
    let iam = s.iam();
    iam.create_user()
        .user_name("carol")
        .send()
        .await
        .expect("user");
    iam.update_account_password_policy()
        .minimum_password_length(10)
        .require_symbols(true)
        .require_numbers(true)
        .require_uppercase_characters(true)
        .require_lowercase_characters(true)
        .password_reuse_prevention(2)
        .send()
        .await
        .expect("policy");
    for weak in [
        "Sh0rt!",
        "NoSymbol123",
        "NoNumbers!!",
        "nouppercase1!",
        "NOLOWERCASE1!",
    ] {
        let e = iam
            .create_login_profile()
            .user_name("carol")
            .password(weak)
            .send()
            .await
            .expect_err(weak);
        assert_eq!(
            error_of(&e),
            err("PasswordPolicyViolation", NOT_CONFORM),
            "{weak}"
        );
    }
    let set = |pw: &'static str| {
        iam.update_login_profile()
            .user_name("carol")
            .password(pw)
            .send()
    };
    iam.create_login_profile()
        .user_name("carol")
        .password("First-pass1")
        .send()
        .await
        .expect("create");
    // The current password counts as one of the last two.
    let e = set("First-pass1").await.expect_err("current");
    assert_eq!(error_of(&e), err("PasswordPolicyViolation", REUSED));
    set("Second-pass2").await.expect("second");
    let e = set("First-pass1").await.expect_err("one back");
    assert_eq!(error_of(&e), err("PasswordPolicyViolation", REUSED));
    set("Third-pass3").await.expect("third");
    // Now two newer passwords were set: the first may come back.
    set("First-pass1").await.expect("three back");
    s.stop().await;
}

#[tokio::test]
async fn change_password_as_the_user() {
    let s = TestServer::start().await;
    let iam = s.iam();
    let root = iam
        .change_password()
        .old_password("whatever1A")
        .new_password("whatever2B")
        .send()
        .await
        .expect_err("root");
    assert_eq!(
        error_of(&root),
        err(
            "InvalidUserType",
            "Only IAM Users can change their own password."
        )
    );

    let (akid, secret) = user_with_key(&s, "dave").await;
    let dave = s.iam_as(&akid, &secret);
    let change = |old: &'static str, new: &'static str| {
        dave.change_password()
            .old_password(old)
            .new_password(new)
            .send()
    };
    // Without a policy that allows it, iam:ChangePassword needs an identity-based Allow.
    let e = change("Old-passw0rd", "New-passw0rd")
        .await
        .expect_err("no allow");
    assert_eq!(
        error_of(&e),
        err(
            "AccessDenied",
            "User: arn:aws:iam::000000000000:user/dave is not authorized to perform: iam:ChangePassword on resource: arn:aws:iam::000000000000:user/dave because no identity-based policy allows the iam:ChangePassword action"
        )
    );
    // AllowUsersToChangePassword grants it (and GetAccountPasswordPolicy) to every user.
    iam.update_account_password_policy()
        .minimum_password_length(8)
        .allow_users_to_change_password(true)
        .send()
        .await
        .expect("policy");
    dave.get_account_password_policy()
        .send()
        .await
        .expect("granted by the policy");
    let e = change("Old-passw0rd", "New-passw0rd")
        .await
        .expect_err("no profile");
    assert_eq!(
        error_of(&e),
        err(
            "NoSuchEntity",
            "Login Profile for User dave cannot be found."
        )
    );
    iam.create_login_profile()
        .user_name("dave")
        .password("Old-passw0rd")
        .password_reset_required(true)
        .send()
        .await
        .expect("profile");
    let e = change("Wrong-passw0rd", "New-passw0rd")
        .await
        .expect_err("old");
    assert_eq!(
        error_of(&e),
        err("AccessDenied", "The old password was incorrect.")
    );
    let e = change("Old-passw0rd", "short").await.expect_err("weak");
    assert_eq!(error_of(&e), err("PasswordPolicyViolation", NOT_CONFORM));
    change("Old-passw0rd", "New-passw0rd")
        .await
        .expect("changed");
    let p = iam
        .get_login_profile()
        .user_name("dave")
        .send()
        .await
        .expect("get");
    assert!(
        !p.login_profile().expect("p").password_reset_required(),
        "reset done"
    );
    let e = change("Old-passw0rd", "Newer-passw0rd")
        .await
        .expect_err("old one");
    assert_eq!(error_of(&e).1, "The old password was incorrect.");

    // The grant is no Allow that beats an explicit Deny.
    iam.put_user_policy()
        .user_name("dave")
        .policy_name("no-change")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ChangePassword","Resource":"*"}]}"#)
        .send()
        .await
        .expect("deny");
    let e = change("New-passw0rd", "Newer-passw0rd")
        .await
        .expect_err("denied");
    let (code, message) = error_of(&e);
    assert_eq!(code, "AccessDenied");
    assert!(
        message.ends_with("with an explicit deny in an identity-based policy"),
        "{message}"
    );
    s.stop().await;
}
