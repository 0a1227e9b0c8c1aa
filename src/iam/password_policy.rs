//! UpdateAccountPasswordPolicy, GetAccountPasswordPolicy, DeleteAccountPasswordPolicy, and the
//! rules a new password must meet: the account's policy, or AWS's default when it has none.

use crate::api::iam::*;
use crate::api::{errors, ApiError, NoInput};
use crate::app::App;
use crate::authz::{access_denied_message, authorize, Call, Principal};
use crate::policy::DenyReason;
use crate::store::login_profiles::{self, PasswordPolicyRow};

/// Characters that count as symbols (API Reference, UpdateAccountPasswordPolicy, RequireSymbols).
pub const SYMBOLS: &str = "!@#$%^&*()_+-=[]{}|'";

/// What a password must contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordRules {
    pub minimum_length: usize,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    /// How many of the four character types (uppercase, lowercase, numbers, symbols) must
    /// appear; only AWS's default policy asks for this.
    pub minimum_character_types: usize,
}

impl PasswordRules {
    /// AWS's default when an account sets no policy (IAM User Guide, "Set an account password
    /// policy for IAM users"): at least 8 characters and three of the four character types. Its
    /// third rule, not identical to the account name or email address, has nothing to compare
    /// with here: iamlocal accounts have neither.
    pub const AWS_DEFAULT: PasswordRules = PasswordRules {
        minimum_length: 8,
        require_symbols: false,
        require_numbers: false,
        require_uppercase: false,
        require_lowercase: false,
        minimum_character_types: 3,
    };

    pub fn of_policy(p: &PasswordPolicyRow) -> PasswordRules {
        PasswordRules {
            minimum_length: usize::try_from(p.minimum_password_length).unwrap_or(0),
            require_symbols: p.require_symbols,
            require_numbers: p.require_numbers,
            require_uppercase: p.require_uppercase_characters,
            require_lowercase: p.require_lowercase_characters,
            minimum_character_types: 0,
        }
    }
}

/// The first rule a password breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Violation {
    TooShort,
    NoSymbol,
    NoNumber,
    NoUppercase,
    NoLowercase,
    TooFewCharacterTypes,
}

/// Checks `password` against `rules`.
pub fn check(rules: &PasswordRules, password: &str) -> Result<(), Violation> {
    let has_upper = password.chars().any(|c| c.is_ascii_uppercase());
    let has_lower = password.chars().any(|c| c.is_ascii_lowercase());
    let has_number = password.chars().any(|c| c.is_ascii_digit());
    let has_symbol = password.chars().any(|c| SYMBOLS.contains(c));
    if password.chars().count() < rules.minimum_length {
        return Err(Violation::TooShort);
    }
    if rules.require_symbols && !has_symbol {
        return Err(Violation::NoSymbol);
    }
    if rules.require_numbers && !has_number {
        return Err(Violation::NoNumber);
    }
    if rules.require_uppercase && !has_upper {
        return Err(Violation::NoUppercase);
    }
    if rules.require_lowercase && !has_lower {
        return Err(Violation::NoLowercase);
    }
    let types = [has_upper, has_lower, has_number, has_symbol]
        .iter()
        .filter(|t| **t)
        .count();
    if types < rules.minimum_character_types {
        return Err(Violation::TooFewCharacterTypes);
    }
    Ok(())
}

/// AWS words every rule violation the same way (its error, as seen from CloudFormation and
/// Ansible's iam module: "Password does not conform to the account password policy.").
pub fn violation_error() -> ApiError {
    errors::password_policy_violation("Password does not conform to the account password policy.")
}

/// Reuse of one of the last PasswordReusePrevention passwords (AWS's wording as reproduced by
/// IAM-compatible services; not recorded from AWS itself).
pub fn reuse_error() -> ApiError {
    errors::password_policy_violation(
        "Policy constraint violation with password reuse prevention during password change.",
    )
}

/// The account's policy, if it set one.
pub async fn account_policy(
    app: &App,
    account_id: &str,
) -> Result<Option<PasswordPolicyRow>, ApiError> {
    let mut c = app.store.read().await?;
    Ok(login_profiles::get_policy(&mut c, account_id).await?)
}

/// Authorizes a call that AllowUsersToChangePassword grants every IAM user (ChangePassword on
/// itself, GetAccountPasswordPolicy). The grant is applied "at the account level" (API Reference,
/// PasswordPolicy): it stands in for a missing identity-based Allow, so explicit denies and
/// permissions boundaries still refuse.
pub async fn authorize_with_user_grant(
    app: &App,
    call: &Call,
    resource: &str,
    granted: bool,
) -> Result<(), ApiError> {
    match authorize(app, call, resource).await {
        Err(e) if granted && matches!(call.principal, Principal::User { .. }) => {
            let no_identity_allow = access_denied_message(
                &call.principal.arn(),
                call.operation.action(),
                resource,
                DenyReason::NoIdentityAllow,
            );
            if e.code == "AccessDenied" && e.message() == no_identity_allow {
                Ok(())
            } else {
                Err(e)
            }
        }
        other => other,
    }
}

pub async fn update_account_password_policy(
    app: &App,
    call: &Call,
    input: UpdateAccountPasswordPolicyRequest,
) -> Result<(), ApiError> {
    // Account-level actions have no resource type (Service Authorization Reference).
    authorize(app, call, "*").await?;
    // Not a partial update: every field left out takes its default (API Reference).
    let row = PasswordPolicyRow {
        account_id: call.account_id().to_string(),
        minimum_password_length: input.minimum_password_length.unwrap_or(6),
        require_symbols: input.require_symbols.unwrap_or(false),
        require_numbers: input.require_numbers.unwrap_or(false),
        require_uppercase_characters: input.require_uppercase_characters.unwrap_or(false),
        require_lowercase_characters: input.require_lowercase_characters.unwrap_or(false),
        allow_users_to_change_password: input.allow_users_to_change_password.unwrap_or(false),
        max_password_age: input.max_password_age,
        password_reuse_prevention: input.password_reuse_prevention,
        hard_expiry: input.hard_expiry,
    };
    let mut tx = app.store.write().await?;
    login_profiles::put_policy(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn get_account_password_policy(
    app: &App,
    call: &Call,
    _input: NoInput,
) -> Result<GetAccountPasswordPolicyResponse, ApiError> {
    let policy = account_policy(app, call.account_id()).await?;
    let granted = policy
        .as_ref()
        .is_some_and(|p| p.allow_users_to_change_password);
    authorize_with_user_grant(app, call, "*", granted).await?;
    let p = policy.ok_or_else(|| {
        errors::no_such_entity(format!(
            "The Password Policy with domain name {} cannot be found.",
            call.account_id()
        ))
    })?;
    // Fields never set are left out, as AWS does (MaxPasswordAge, PasswordReusePrevention,
    // HardExpiry); ExpirePasswords says whether MaxPasswordAge is set.
    Ok(GetAccountPasswordPolicyResponse {
        password_policy: PasswordPolicy {
            minimum_password_length: Some(p.minimum_password_length),
            require_symbols: Some(p.require_symbols),
            require_numbers: Some(p.require_numbers),
            require_uppercase_characters: Some(p.require_uppercase_characters),
            require_lowercase_characters: Some(p.require_lowercase_characters),
            allow_users_to_change_password: Some(p.allow_users_to_change_password),
            expire_passwords: Some(p.max_password_age.is_some()),
            max_password_age: p.max_password_age,
            password_reuse_prevention: p.password_reuse_prevention,
            hard_expiry: p.hard_expiry,
        },
    })
}

pub async fn delete_account_password_policy(
    app: &App,
    call: &Call,
    _input: NoInput,
) -> Result<(), ApiError> {
    authorize(app, call, "*").await?;
    let mut tx = app.store.write().await?;
    if !login_profiles::delete_policy(&mut tx, call.account_id()).await? {
        return Err(errors::no_such_entity(
            "The account policy with name PasswordPolicy cannot be found.",
        ));
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(min: usize, symbols: bool, numbers: bool, upper: bool, lower: bool) -> PasswordRules {
        PasswordRules {
            minimum_length: min,
            require_symbols: symbols,
            require_numbers: numbers,
            require_uppercase: upper,
            require_lowercase: lower,
            minimum_character_types: 0,
        }
    }

    #[test]
    fn aws_default_policy() {
        let d = PasswordRules::AWS_DEFAULT;
        let rows: &[(&str, Result<(), Violation>)] = &[
            ("Ab1!", Err(Violation::TooShort)),
            ("abcdefgh", Err(Violation::TooFewCharacterTypes)),
            ("abcdEFGH", Err(Violation::TooFewCharacterTypes)),
            ("abcdEFG1", Ok(())),
            ("abcd123!", Ok(())),
            ("ABCD123!", Ok(())),
            // A space or `~` is no symbol of AWS's list.
            ("abcd 12~", Err(Violation::TooFewCharacterTypes)),
            // Letters outside ISO basic Latin count as no type at all.
            ("ééééé1A!", Ok(())),
            ("éééééé1!", Err(Violation::TooFewCharacterTypes)),
        ];
        for (pw, want) in rows {
            assert_eq!(check(&d, pw), *want, "{pw}");
        }
    }

    #[test]
    fn custom_policy_rules_in_order() {
        let all = custom(10, true, true, true, true);
        let rows: &[(&str, Result<(), Violation>)] = &[
            ("Ab1!", Err(Violation::TooShort)),
            ("Abcdefghi1", Err(Violation::NoSymbol)),
            ("Abcdefghi!", Err(Violation::NoNumber)),
            ("abcdefgh1!", Err(Violation::NoUppercase)),
            ("ABCDEFGH1!", Err(Violation::NoLowercase)),
            ("Abcdefgh1!", Ok(())),
            ("Abcdefgh1[", Ok(())),
            ("Abcdefgh1'", Ok(())),
        ];
        for (pw, want) in rows {
            assert_eq!(check(&all, pw), *want, "{pw}");
        }
        // Without requirements only the length counts: the default three-types rule is gone.
        assert_eq!(
            check(&custom(6, false, false, false, false), "aaaaaa"),
            Ok(())
        );
        assert_eq!(
            check(&custom(6, false, false, false, false), "aaaaa"),
            Err(Violation::TooShort)
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(
            check(&custom(6, false, false, false, false), "ééééé"),
            Err(Violation::TooShort)
        );
        assert_eq!(
            check(&custom(5, false, false, false, false), "ééééé"),
            Ok(())
        );
    }

    #[test]
    fn policy_row_to_rules() {
        let row = PasswordPolicyRow {
            account_id: "000000000000".into(),
            minimum_password_length: 12,
            require_symbols: true,
            require_numbers: false,
            require_uppercase_characters: true,
            require_lowercase_characters: false,
            allow_users_to_change_password: true,
            max_password_age: Some(90),
            password_reuse_prevention: Some(3),
            hard_expiry: None,
        };
        assert_eq!(
            PasswordRules::of_policy(&row),
            custom(12, true, false, true, false)
        );
    }
}
