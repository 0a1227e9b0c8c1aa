//! Why a policy document was refused. Each variant displays the exact `MalformedPolicyDocument`
//! message AWS IAM returns (recorded in `shared/reference/aws-iam-errors.tsv` where noted).

/// A `MalformedPolicyDocument` error; `Display` is AWS's message, word for word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Unparseable JSON in a trust or resource policy (recorded: `invalid-json`).
    #[error("This policy contains invalid Json")]
    InvalidJson,
    /// Unparseable JSON in an identity policy, or JSON that does not follow the policy
    /// grammar (recorded).
    #[error("Syntax errors in policy.")]
    SyntaxErrors,
    /// A managed policy without `"Version": "2012-10-17"` (recorded).
    #[error("Policy document must be version 2012-10-17 or greater.")]
    VersionTooOld,
    /// `Effect` not spelled `Allow`/`Deny` exactly, an unreadable date, or a malformed ARN
    /// that the legacy parser chokes on (recorded).
    #[error("The policy failed legacy parsing")]
    LegacyParsing,
    /// Recorded.
    #[error("Statement IDs (SID) in a single policy must be unique.")]
    DuplicateSid,
    /// Seen in CloudTrail for `CreatePolicy` with a `Sid` containing `_`.
    #[error("Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*")]
    SidNotAlphanumeric,
    /// Recorded.
    #[error("Policy statement must contain actions.")]
    MissingActions,
    /// Recorded.
    #[error("Policy statement must contain resources.")]
    MissingResources,
    /// Recorded (`Resource adf must be …`; an empty resource gives two spaces).
    #[error("Resource {0} must be in ARN format or \"*\".")]
    ResourceNotArn(String),
    /// Recorded; `resource` is rebuilt with `*` for missing parts, as AWS does.
    #[error("Partition \"{partition}\" is not valid for resource \"{resource}\".")]
    InvalidPartition { partition: String, resource: String },
    /// Recorded.
    #[error("Resource vendor must be fully qualified and cannot contain regexes.")]
    ResourceVendorNotQualified,
    /// Recorded.
    #[error("IAM resource {0} cannot contain region information.")]
    IamResourceRegion(String),
    /// Recorded (note AWS's "can not" here versus "cannot" for IAM).
    #[error("Resource {0} can not contain region information.")]
    S3ResourceRegion(String),
    /// Recorded.
    #[error("IAM resource path must either be \"*\", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.")]
    IamResourcePath,
    /// Recorded.
    #[error("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")]
    ActionWithoutVendor,
    /// Recorded.
    #[error("Actions/Condition can contain only one colon.")]
    ActionTooManyColons,
    /// Recorded (`Vendor a a is not valid`).
    #[error("Vendor {0} is not valid")]
    InvalidVendor(String),
    /// A `Principal`/`NotPrincipal` in an identity policy (seen from `PutGroupPolicy`).
    #[error("Policy document should not specify a principal.")]
    PrincipalNotAllowed,
    /// A `Resource`/`NotResource` in a trust policy (recorded for `Resource`).
    #[error("Has prohibited field {0}")]
    ProhibitedField(&'static str),
    /// A trust policy action other than the `sts:AssumeRole*` family (recorded).
    #[error("AssumeRole policy may only specify STS AssumeRole actions.")]
    NotAssumeRoleAction,
    /// A trust or resource policy statement without `Principal`/`NotPrincipal` (seen from
    /// `CreateRole`).
    #[error("Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!")]
    MissingPrincipal,
    /// A principal value IAM cannot resolve (seen from `CreateRole` /
    /// `UpdateAssumeRolePolicy`).
    #[error("Invalid principal in policy: \"{kind}\":\"{value}\"")]
    InvalidPrincipal { kind: &'static str, value: String },
    /// A `Federated` value that is neither an identity provider's domain nor an IAM SAML or
    /// OpenID Connect provider ARN (recorded by users of CreateRole, e.g.
    /// terraform-aws-modules/terraform-aws-iam#202, pulumi/pulumi-eks#871).
    #[error("Federated principals must be valid domain names or SAML metadata ARNs")]
    InvalidFederatedPrincipal,
}

impl PolicyError {
    /// The AWS error code every variant is reported under.
    pub fn code(&self) -> &'static str {
        "MalformedPolicyDocument"
    }
}
