//! Validation table: one row per `MalformedPolicyDocument` message (and the accepted shapes
//! next to them). Messages marked "recorded" are word for word from
//! `shared/reference/aws-iam-errors.tsv`; the order rows pin the check order AWS uses.

use iamlocal::policy::{parse_policy, PolicyKind};

use PolicyKind::{Identity, Managed, Resource, Trust};

/// A 2012-10-17 identity document with one statement body.
fn one(statement: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#)
}

const OK: Result<(), &str> = Ok(());

fn err(message: &'static str) -> Result<(), &'static str> {
    Err(message)
}

struct Row {
    /// The AWS rule (and source) this row checks.
    rule: &'static str,
    kind: PolicyKind,
    document: String,
    expected: Result<(), &'static str>,
}

fn row(
    rule: &'static str,
    kind: PolicyKind,
    document: impl Into<String>,
    expected: Result<(), &'static str>,
) -> Row {
    Row {
        rule,
        kind,
        document: document.into(),
        expected,
    }
}

const TRUST_OK: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#;

fn rows() -> Vec<Row> {
    let stmt = |body: &str| one(&format!(r#"{{"Effect":"Allow",{body}}}"#));
    let res = |resource: &str| {
        stmt(&format!(
            r#""Action":"s3:GetObject","Resource":"{resource}""#
        ))
    };
    let act = |action: &str| stmt(&format!(r#""Action":"{action}","Resource":"*""#));
    let trust =
        |statement: &str| format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#);
    vec![
        // --- JSON syntax: identity policies say "Syntax errors in policy." (recorded; moto and
        // LocalStack map unparseable JSON there), trust/resource policies go through the newer
        // parser that says "This policy contains invalid Json" (recorded: invalid-json).
        row("invalid JSON, identity", Identity, r#"{"Version":"2012-10-17","Statement":[}"#, err("Syntax errors in policy.")),
        row("trailing comma, managed (CreatePolicy answers Syntax errors)", Managed, r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*",}]}"#, err("Syntax errors in policy.")),
        row("invalid JSON, trust", Trust, r#"{"Version":"2012-10-17","Statement":"#, err("This policy contains invalid Json")),
        row("UTF-8 BOM is not JSON, trust", Trust, format!("\u{feff}{TRUST_OK}"), err("This policy contains invalid Json")),
        row("invalid JSON, resource policy", Resource, "{", err("This policy contains invalid Json")),
        row("empty document", Identity, "", err("Syntax errors in policy.")),
        // --- Grammar (IAM User Guide, JSON policy grammar) → "Syntax errors in policy."
        row("document must be an object", Identity, "[]", err("Syntax errors in policy.")),
        row("null document", Identity, "null", err("Syntax errors in policy.")),
        row("unknown top-level element", Identity, r#"{"Version":"2012-10-17","Statement":[],"Foo":1}"#, err("Syntax errors in policy.")),
        row("Statement is required", Identity, r#"{"Version":"2012-10-17"}"#, err("Syntax errors in policy.")),
        row("Statement must not be empty", Identity, r#"{"Version":"2012-10-17","Statement":[]}"#, err("Syntax errors in policy.")),
        row("Statement must be object or array", Identity, r#"{"Version":"2012-10-17","Statement":"x"}"#, err("Syntax errors in policy.")),
        row("Statement entries must be objects", Identity, r#"{"Version":"2012-10-17","Statement":["x"]}"#, err("Syntax errors in policy.")),
        row("Statement as a single object is allowed", Identity, r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#, OK),
        row("unknown statement element", Identity, stmt(r#""Actions":"s3:GetObject","Resource":"*""#), err("Syntax errors in policy.")),
        row("Effect is required", Identity, one(r#"{"Action":"*","Resource":"*"}"#), err("Syntax errors in policy.")),
        row("Effect must be Allow or Deny", Identity, one(r#"{"Effect":"Maybe","Action":"*","Resource":"*"}"#), err("Syntax errors in policy.")),
        row("Effect must be a string", Identity, one(r#"{"Effect":true,"Action":"*","Resource":"*"}"#), err("Syntax errors in policy.")),
        row("Action and NotAction together", Identity, stmt(r#""Action":"*","NotAction":"s3:*","Resource":"*""#), err("Syntax errors in policy.")),
        row("Resource and NotResource together", Identity, stmt(r#""Action":"*","Resource":"*","NotResource":"*""#), err("Syntax errors in policy.")),
        row("Action must be string or list of strings", Identity, stmt(r#""Action":5,"Resource":"*""#), err("Syntax errors in policy.")),
        row("Action list of non-strings", Identity, stmt(r#""Action":["s3:GetObject",1],"Resource":"*""#), err("Syntax errors in policy.")),
        row("Resource must be string or list of strings", Identity, stmt(r#""Action":"*","Resource":{"a":1}"#), err("Syntax errors in policy.")),
        row("Version must be one of the two dates", Identity, r#"{"Version":"2013-01-01","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#, err("Syntax errors in policy.")),
        row("Version must be a string", Identity, r#"{"Version":2012,"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#, err("Syntax errors in policy.")),
        row("Id must be a string", Identity, r#"{"Id":1,"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#, err("Syntax errors in policy.")),
        row("Sid must be a string", Identity, stmt(r#""Sid":1,"Action":"*","Resource":"*""#), err("Syntax errors in policy.")),
        row("Condition must be an object of objects", Identity, stmt(r#""Action":"*","Resource":"*","Condition":{"StringEquals":"x"}"#), err("Syntax errors in policy.")),
        row("unknown condition operator with values", Identity, stmt(r#""Action":"*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"a"}}"#), err("Syntax errors in policy.")),
        row("unknown condition operator with an empty block is ignored", Identity, stmt(r#""Action":"*","Resource":"*","Condition":{"StringEqualz":{}}"#), OK),
        row("operator names are case-sensitive", Identity, stmt(r#""Action":"*","Resource":"*","Condition":{"stringequals":{"aws:username":"a"}}"#), err("Syntax errors in policy.")),
        row("null condition value", Identity, stmt(r#""Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":null}}"#), err("Syntax errors in policy.")),
        row("unquoted number and boolean condition values are allowed (grammar: quotes optional)", Identity, stmt(r#""Action":"*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":[true,false]}}"#), OK),
        row("every operator, IfExists and set qualifier parses", Identity, stmt(r#""Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"v"},"StringNotEquals":{"k":"v"},"StringEqualsIgnoreCase":{"k":"v"},"StringNotEqualsIgnoreCase":{"k":"v"},"StringLike":{"k":"v"},"StringNotLike":{"k":"v"},"NumericEquals":{"k":"1"},"NumericNotEquals":{"k":"1"},"NumericLessThan":{"k":"1"},"NumericLessThanEquals":{"k":"1"},"NumericGreaterThan":{"k":"1"},"NumericGreaterThanEquals":{"k":"1"},"DateEquals":{"k":"2020-01-01"},"DateNotEquals":{"k":"1"},"DateLessThan":{"k":"1"},"DateLessThanEquals":{"k":"1"},"DateGreaterThan":{"k":"1"},"DateGreaterThanEquals":{"k":"1"},"Bool":{"k":"true"},"BinaryEquals":{"k":"QQ=="},"IpAddress":{"k":"10.0.0.0/8"},"NotIpAddress":{"k":"10.0.0.0/8"},"ArnEquals":{"k":"arn:aws:s3:::b"},"ArnLike":{"k":"arn:aws:s3:::b"},"ArnNotEquals":{"k":"arn:aws:s3:::b"},"ArnNotLike":{"k":"arn:aws:s3:::b"},"Null":{"k":"true"},"StringLikeIfExists":{"k":"v"},"ForAnyValue:StringEquals":{"k":"v"},"ForAllValues:StringLikeIfExists":{"k":"v"}}"#), OK),
        row("Principal must be \"*\" or a map", Resource, r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"bob","Action":"s3:*","Resource":"*"}}"#, err("Syntax errors in policy.")),
        row("Principal map keys are AWS/Service/Federated/CanonicalUser", Resource, r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"User":"x"},"Action":"s3:*","Resource":"*"}}"#, err("Syntax errors in policy.")),
        row("Principal and NotPrincipal together", Resource, r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","NotPrincipal":"*","Action":"s3:*","Resource":"*"}}"#, err("Syntax errors in policy.")),
        // --- Version: managed policies need 2012-10-17 (recorded); inline ones may omit it
        // ("If you do not include a Version element, the value defaults to 2008-10-17").
        row("managed policy without Version", Managed, r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#, err("Policy document must be version 2012-10-17 or greater.")),
        row("managed policy with 2008-10-17", Managed, r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#, err("Policy document must be version 2012-10-17 or greater.")),
        row("inline policy without Version", Identity, r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#, OK),
        row("inline policy with 2008-10-17", Identity, r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#, OK),
        // --- Legacy parsing (recorded message): exact-case Effect, readable dates, ARN shapes.
        row("Effect in lower case passes the grammar but fails legacy parsing", Identity, one(r#"{"Effect":"allow","Action":"*","Resource":"*"}"#), err("The policy failed legacy parsing")),
        row("unreadable date value", Identity, stmt(r#""Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"yesterday"}}"#), err("The policy failed legacy parsing")),
        row("impossible calendar date", Identity, stmt(r#""Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-02-30T00:00:00Z"}}"#), err("The policy failed legacy parsing")),
        row("ISO 8601 and epoch dates are readable", Identity, stmt(r#""Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":["2020-02-29T23:59:59.123+05:30","1700000000",1700000000]}}"#), OK),
        row("ARN with '::' and too few colons", Identity, res("arn:aws:s3::bucket"), err("The policy failed legacy parsing")),
        row("ARN with an empty service", Identity, res("arn:aws::us-east-1:111111111111:x"), err("The policy failed legacy parsing")),
        // --- Sid (IAM User Guide, Sid element; recorded uniqueness message; CloudTrail-seen
        // alphanumeric message).
        row("duplicate Sid", Identity, one(r#"{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"}"#), err("Statement IDs (SID) in a single policy must be unique.")),
        row("empty Sids may repeat", Identity, one(r#"{"Sid":"","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"","Effect":"Deny","Action":"*","Resource":"*"}"#), OK),
        row("Sid must be alphanumeric in IAM policies", Managed, one(r#"{"Sid":"Atomic_Red_Team","Effect":"Allow","Action":"iam:CreatePolicyVersion","Resource":"arn:aws:iam::*:policy/*"}"#), err("Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*")),
        row("Sid with a hyphen in a resource policy is fine", Resource, r#"{"Version":"2012-10-17","Statement":{"Sid":"allow-all","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#, OK),
        // --- Actions (recorded messages).
        row("statement without actions", Identity, stmt(r#""Resource":"*""#), err("Policy statement must contain actions.")),
        row("empty action list", Identity, stmt(r#""Action":[],"Resource":"*""#), err("Policy statement must contain actions.")),
        row("action without vendor", Identity, act("s3GetObject"), err("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")),
        row("action with two colons", Identity, act("s3:Get:Object"), err("Actions/Condition can contain only one colon.")),
        row("vendor with a space", Identity, act("a a:b"), err("Vendor a a is not valid")),
        row("vendor with a wildcard", Identity, act("s3*:GetObject"), err("Vendor s3* is not valid")),
        row("NotAction vendors are checked too", Identity, stmt(r#""NotAction":"bad vendor:x","Resource":"*""#), err("Vendor bad vendor is not valid")),
        row("'*' and '*:*' are valid actions", Identity, stmt(r#""Action":["*","*:*","s3:*","ec2:Describe*","iam:?etUser"],"Resource":"*""#), OK),
        // --- Resources (recorded messages).
        row("statement without resources", Identity, stmt(r#""Action":"s3:GetObject""#), err("Policy statement must contain resources.")),
        row("empty resource list", Identity, stmt(r#""Action":"s3:GetObject","Resource":[]"#), err("Policy statement must contain resources.")),
        row("resource not an ARN", Identity, res("adf"), err("Resource adf must be in ARN format or \"*\".")),
        row("empty resource", Identity, res(""), err("Resource  must be in ARN format or \"*\".")),
        row("resource with a space", Identity, res("invalid resource"), err("Resource invalid resource must be in ARN format or \"*\".")),
        row("ECR registry URI is not an ARN (seen in CloudTrail)", Managed, res("174313347505.dkr.ecr.us-west-2.amazonaws.com/repo"), err("Resource 174313347505.dkr.ecr.us-west-2.amazonaws.com/repo must be in ARN format or \"*\".")),
        row("unknown partition, eight parts", Identity, res("arn:b:c:d:e:f:g:h"), err("Partition \"b\" is not valid for resource \"arn:b:c:d:e:f:g:h\".")),
        row("unknown partition, three parts", Identity, res("arn:b:cadfsdf"), err("Partition \"b\" is not valid for resource \"arn:b:cadfsdf:*:*:*\".")),
        row("unknown partition, two parts", Identity, res("arn:bsdfdsafsad"), err("Partition \"bsdfdsafsad\" is not valid for resource \"arn:bsdfdsafsad:*:*:*:*\".")),
        row("unknown partition, full ARN", Identity, res("arn:error:s3:::example_bucket"), err("Partition \"error\" is not valid for resource \"arn:error:s3:::example_bucket\".")),
        row("partition missing (service in its place)", Identity, res("arn:s3:::example_bucket"), err("Partition \"s3\" is not valid for resource \"arn:s3:::example_bucket:*\".")),
        row("other partitions and '*' are valid", Identity, stmt(r#""Action":"s3:GetObject","Resource":["arn:aws-cn:s3:::b","arn:aws-us-gov:s3:::b","arn:*:s3:::b"]"#), OK),
        row("vendor missing", Identity, res("arn:aws"), err("Resource vendor must be fully qualified and cannot contain regexes.")),
        row("IAM resource with a region", Identity, res("arn:aws:iam:us-east-1::example_bucket"), err("IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.")),
        row("S3 resource with a region", Identity, res("arn:aws:s3:us-east-1::example_bucket"), err("Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.")),
        row("S3 access point ARNs carry a region", Identity, res("arn:aws:s3:us-east-1:111111111111:accesspoint/ap/object/*"), OK),
        row("IAM resource path", Identity, res("arn:aws:iam::111111111111:bogus/x"), err("IAM resource path must either be \"*\", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.")),
        row("IAM path '*' folded over types is refused (seen from create-policy-version)", Managed, res("arn:aws:iam::111111111111:*/cdk-*"), err("IAM resource path must either be \"*\", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.")),
        row("IAM '*', root and typed paths are valid", Identity, stmt(r#""Action":"iam:*","Resource":["arn:aws:iam::111111111111:*","arn:aws:iam::111111111111:root","arn:aws:iam::*:role/*","arn:aws:iam::111111111111:user/${aws:username}"]"#), OK),
        row("NotResource is checked like Resource", Identity, stmt(r#""Action":"s3:*","NotResource":"bucket""#), err("Resource bucket must be in ARN format or \"*\".")),
        // --- Principal rules by policy kind.
        row("identity policy with Principal (seen from PutGroupPolicy)", Identity, stmt(r#""Principal":{"AWS":"111111111111"},"Action":"*","Resource":"*""#), err("Policy document should not specify a principal.")),
        row("identity policy with NotPrincipal", Managed, stmt(r#""NotPrincipal":"*","Action":"*","Resource":"*""#), err("Policy document should not specify a principal.")),
        row("resource policy without Principal", Resource, r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#, err("Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!")),
        row("resource policy needs resources", Resource, r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}}"#, err("Policy statement must contain resources.")),
        row("resource policy with every principal type", Resource, r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["111111111111","arn:aws:iam::222222222222:root","arn:aws:iam::111111111111:user/a","arn:aws:sts::111111111111:assumed-role/R/s"],"Service":"ec2.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#, OK),
        // --- Trust policies (recorded: "Has prohibited field Resource", "AssumeRole policy may
        // only specify STS AssumeRole actions.", invalid Json; seen: no-principal and invalid
        // principal messages).
        row("valid trust policy", Trust, TRUST_OK, OK),
        row("trust policy in 2008-10-17 with a service principal", Trust, r#"{"Version":"2008-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#, OK),
        row("trust policy with Resource", Trust, trust(r#"{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole","Resource":"*"}"#), err("Has prohibited field Resource")),
        row("trust policy with NotResource", Trust, trust(r#"{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole","NotResource":"*"}"#), err("Has prohibited field NotResource")),
        row("trust policy with a non-STS action", Trust, trust(r#"{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"s3:GetObject"}"#), err("AssumeRole policy may only specify STS AssumeRole actions.")),
        row("trust policy with an STS action outside AssumeRole*", Trust, trust(r#"{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":["sts:AssumeRole","sts:GetFederationToken"]}"#), err("AssumeRole policy may only specify STS AssumeRole actions.")),
        row("trust policy session actions and wildcards", Trust, trust(r#"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:saml-provider/idp"},"Action":["sts:AssumeRoleWithSAML","sts:TagSession","sts:SetSourceIdentity","STS:assumerole*","sts:*"]}"#), OK),
        row("trust policy with NotAction", Trust, trust(r#"{"Effect":"Allow","Principal":{"AWS":"111111111111"},"NotAction":"sts:GetCallerIdentity"}"#), err("AssumeRole policy may only specify STS AssumeRole actions.")),
        row("trust policy without actions", Trust, trust(r#"{"Effect":"Allow","Principal":{"AWS":"111111111111"}}"#), err("Policy statement must contain actions.")),
        row("trust policy without principal", Trust, trust(r#"{"Effect":"Allow","Action":"sts:AssumeRole"}"#), err("Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!")),
        row("trust policy with a wildcard inside a principal ARN", Trust, trust(r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/*"},"Action":"sts:AssumeRole"}"#), err("Invalid principal in policy: \"AWS\":\"arn:aws:iam::111111111111:role/*\"")),
        row("trust policy naming a group (not a principal)", Trust, trust(r#"{"Effect":"Allow","Principal":{"AWS":["111111111111","arn:aws:iam::111111111111:group/g"]},"Action":"sts:AssumeRole"}"#), err("Invalid principal in policy: \"AWS\":\"arn:aws:iam::111111111111:group/g\"")),
        row("trust policy with Principal \"*\"", Trust, trust(r#"{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}"#), OK),
        // --- Check order (moto/LocalStack, verified against AWS).
        row("order: grammar before version", Managed, r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Foo":1}}"#, err("Syntax errors in policy.")),
        row("order: version before legacy parsing", Managed, r#"{"Statement":{"Effect":"allow","Action":"*","Resource":"*"}}"#, err("Policy document must be version 2012-10-17 or greater.")),
        row("order: legacy parsing before duplicate Sid", Identity, one(r#"{"Sid":"A","Effect":"allow","Action":"*","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"}"#), err("The policy failed legacy parsing")),
        row("order: duplicate Sid before missing actions", Identity, one(r#"{"Sid":"A","Effect":"Allow","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"}"#), err("Statement IDs (SID) in a single policy must be unique.")),
        row("order: missing actions before resource format", Identity, stmt(r#""Resource":"adf""#), err("Policy statement must contain actions.")),
        row("order: resource format before action vendor", Identity, stmt(r#""Action":"s3GetObject","Resource":"adf""#), err("Resource adf must be in ARN format or \"*\".")),
        row("order: action vendor before missing resources", Identity, stmt(r#""Action":"s3GetObject""#), err("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")),
        row("order: the last resource error in reverse-sorted order is reported", Identity, stmt(r#""Action":"s3:*","Resource":["adf","bdf"]"#), err("Resource adf must be in ARN format or \"*\".")),
        row("order: a recorded resource error suppresses later legacy ARN failures", Identity, one(r#"{"Effect":"Allow","Action":"s3:*","Resource":"adf"},{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3::b"}"#), err("Resource adf must be in ARN format or \"*\".")),
        row("order: Resource before NotResource", Identity, one(r#"{"Effect":"Allow","Action":"s3:*","NotResource":"xyz"},{"Effect":"Allow","Action":"s3:*","Resource":"abc"}"#), err("Resource xyz must be in ARN format or \"*\".")),
        row("order: Action vendors before NotAction vendors", Identity, one(r#"{"Effect":"Allow","NotAction":"a b:c","Resource":"*"},{"Effect":"Allow","Action":"noprefix","Resource":"*"}"#), err("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")),
        row("order: trust Resource is refused before anything else", Trust, trust(r#"{"Effect":"allow","Action":"s3:GetObject","Resource":"adf"}"#), err("Has prohibited field Resource")),
        // --- Other accepted shapes.
        row("non-ARN-prefixed resource with a colon (our choice: not ARN format)", Identity, res("foo:bar"), err("Resource foo:bar must be in ARN format or \"*\".")),
        row("Id element is allowed", Identity, r#"{"Version":"2012-10-17","Id":"p1","Statement":{"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:s3:::b"}}"#, OK),
        row("deeply nested JSON is refused without a crash", Identity, "[".repeat(100_000), err("Syntax errors in policy.")),
    ]
}

#[test]
fn validation_table() {
    let rows = rows();
    let mut failures = Vec::new();
    for row in &rows {
        let got = parse_policy(&row.document, row.kind)
            .map(|_| ())
            .map_err(|e| e.to_string());
        let expected = row.expected.map_err(str::to_string);
        if got != expected {
            failures.push(format!(
                "{} ({:?}):\n  document: {}\n  expected: {:?}\n  got:      {:?}",
                row.rule,
                row.kind,
                row.document.chars().take(300).collect::<String>(),
                expected,
                got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
    eprintln!("validation rows: {}", rows.len());
}

#[test]
fn every_error_reports_the_aws_code() {
    let error = parse_policy("{", Identity).expect_err("invalid");
    assert_eq!(error.code(), "MalformedPolicyDocument");
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A cheap deterministic fuzz over mutations of a valid document: every outcome must be
    // Ok or a PolicyError, never a panic.
    let base = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:Get*"],"Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["a*"]},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#;
    let bytes = base.as_bytes();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..20_000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut doc = bytes.to_vec();
        let at = (seed as usize) % doc.len();
        let alphabet = b"{}[]\":,*?$ \\\nA-";
        let replacement = alphabet[(seed >> 32) as usize % alphabet.len()];
        doc[at] = replacement;
        if (seed >> 40).is_multiple_of(3) {
            doc.truncate(at);
        }
        if let Ok(text) = String::from_utf8(doc) {
            for kind in [Identity, Managed, Trust, Resource] {
                let _ = parse_policy(&text, kind);
            }
        }
    }
}

#[test]
fn hostile_condition_values_and_requests_never_panic() {
    use iamlocal::policy::{
        evaluate, PolicyRef, PolicySet, PolicyType, Principal, PrincipalKind, Request,
        RequestContext,
    };
    let values = [
        "",
        "*",
        "?",
        "${",
        "${}",
        "${*}",
        "${aws:username",
        "${a, 'b}",
        "é",
        "1é1",
        "-",
        "T",
        "t",
        "2013-08-16T12:00+1é1",
        "::",
        ":::::",
        "arn:",
        "arn:aws:s3:::é*?",
        "1e999",
        "-0",
        "NaN",
        "::ffff:1.2.3.4/129",
        "1.2.3.4/-1",
        "QQ=",
        "====",
        "\\u0000",
        "2013-02-29",
        "-292275055",
        "292278993-12-31T23:59:59.999999999+23:59",
    ];
    let operators = [
        "StringEquals",
        "StringLike",
        "StringEqualsIgnoreCase",
        "NumericLessThan",
        "DateGreaterThan",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "NotIpAddress",
        "ArnLike",
        "ArnNotEquals",
        "Null",
        "ForAllValues:StringLike",
        "ForAnyValue:DateEquals",
    ];
    let who = Principal {
        arn: "arn:aws:iam::111111111111:user/é".into(),
        account: "111111111111".into(),
        kind: PrincipalKind::User,
    };
    for operator in operators {
        for value in values {
            let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
            let text = format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::{escaped}","Condition":{{"{operator}":{{"k":"{escaped}"}}}}}}}}"#
            );
            let Ok(policy) = parse_policy(&text, Identity) else {
                continue;
            };
            let set = PolicySet {
                identity: vec![PolicyRef {
                    id: "p".into(),
                    policy_type: PolicyType::Inline,
                    policy: &policy,
                }],
                ..PolicySet::default()
            };
            for request_value in values {
                let mut ctx = RequestContext::new();
                ctx.set("k", request_value)
                    .set("aws:username", request_value);
                let request = Request {
                    principal: &who,
                    action: request_value,
                    resource: request_value,
                    context: &ctx,
                };
                let _ = evaluate(&request, &set);
                let listed = RequestContext::new().with_list("k", [request_value, "x"]);
                let _ = evaluate(
                    &Request {
                        context: &listed,
                        ..request
                    },
                    &set,
                );
            }
        }
    }
}
