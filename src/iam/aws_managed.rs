//! AWS-managed policies (`arn:aws:iam::aws:policy/…`), visible and attachable in every account,
//! shipped as data. The built-in set can be extended (or overridden, by ARN) at startup with
//! `--aws-managed-policies DIR`: every `*.json` file there holds one policy as
//! `{"PolicyName": …, "Path": "/…/", "PolicyDocument": {…}}`, optionally with
//! `"DefaultVersionId"` (`v1`) and `"PolicyId"` (derived from the ARN).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::ids::{self, IdKind};
use crate::policy::{parse_policy, PolicyKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsManagedPolicy {
    pub name: String,
    pub path: String,
    /// `ANPA…`, the same on every start (derived from the ARN unless the file gives one).
    pub policy_id: String,
    pub version_id: String,
    pub document: String,
}

impl AwsManagedPolicy {
    pub fn arn(&self) -> String {
        format!("arn:aws:iam::aws:policy{}{}", self.path, self.name)
    }
}

/// Small policies, inline: (name, path, document). Documents are AWS's.
const INLINE: &[(&str, &str, &str)] = &[
    (
        "AdministratorAccess",
        "/",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    ),
    (
        "IAMFullAccess",
        "/",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount","organizations:DescribeOrganization","organizations:DescribeOrganizationalUnit","organizations:DescribePolicy","organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget","organizations:ListRoots","organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*"}]}"#,
    ),
    (
        "IAMReadOnlyAccess",
        "/",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy"],"Resource":"*"}]}"#,
    ),
    (
        "IAMUserChangePassword",
        "/",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ChangePassword"],"Resource":["arn:aws:iam::*:user/${aws:username}"]},{"Effect":"Allow","Action":["iam:GetAccountPasswordPolicy"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonS3FullAccess",
        "/",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonS3ReadOnlyAccess",
        "/",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]}"#,
    ),
    (
        "AWSLambdaBasicExecutionRole",
        "/service-role/",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}"#,
    ),
];

/// Larger policies, shipped as data files in the `--aws-managed-policies` format: AWS's default
/// version as GetPolicyVersion returns it (PowerUserAccess v12, ReadOnlyAccess v188).
const FILES: &[(&str, &str)] = &[
    (
        "PowerUserAccess.json",
        include_str!("../../data/aws-managed-policies/PowerUserAccess.json"),
    ),
    (
        "ReadOnlyAccess.json",
        include_str!("../../data/aws-managed-policies/ReadOnlyAccess.json"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("AWS managed policies directory {path}: {source}")]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("AWS managed policy file {path}: {message}")]
    File { path: String, message: String },
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct PolicyFile<'a> {
    policy_name: String,
    path: String,
    policy_id: Option<String>,
    default_version_id: Option<String>,
    #[serde(borrow)]
    policy_document: &'a RawValue,
}

/// Reads one policy file's text; `origin` names it in errors.
fn parse_file(origin: &str, text: &str) -> Result<AwsManagedPolicy, LoadError> {
    let bad = |message: String| LoadError::File {
        path: origin.to_string(),
        message,
    };
    let f: PolicyFile = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    if !f.path.starts_with('/') || !f.path.ends_with('/') {
        return Err(bad(format!("Path {} must begin and end with /", f.path)));
    }
    let document = f.policy_document.get().to_string();
    parse_policy(&document, PolicyKind::Managed).map_err(|e| bad(e.to_string()))?;
    let arn = format!("arn:aws:iam::aws:policy{}{}", f.path, f.policy_name);
    Ok(AwsManagedPolicy {
        policy_id: f
            .policy_id
            .unwrap_or_else(|| ids::stable_id(IdKind::Policy, &arn)),
        name: f.policy_name,
        path: f.path,
        version_id: f.default_version_id.unwrap_or_else(|| "v1".into()),
        document,
    })
}

/// The AWS-managed policies this server knows, by ARN and in name order.
#[derive(Debug, Clone, Default)]
pub struct AwsManagedPolicies {
    by_arn: HashMap<String, Arc<AwsManagedPolicy>>,
    by_name: Vec<Arc<AwsManagedPolicy>>,
}

impl AwsManagedPolicies {
    /// The built-in set, plus every `*.json` file in `dir` (a file's policy replaces a built-in
    /// one with the same ARN).
    pub fn load(dir: Option<&Path>) -> Result<AwsManagedPolicies, LoadError> {
        let mut policies: Vec<AwsManagedPolicy> = INLINE
            .iter()
            .map(|(name, path, document)| AwsManagedPolicy {
                policy_id: ids::stable_id(
                    IdKind::Policy,
                    &format!("arn:aws:iam::aws:policy{path}{name}"),
                ),
                name: name.to_string(),
                path: path.to_string(),
                version_id: "v1".into(),
                document: document.to_string(),
            })
            .collect();
        for (origin, text) in FILES {
            policies.push(parse_file(origin, text)?);
        }
        if let Some(dir) = dir {
            let io = |source| LoadError::Dir {
                path: dir.to_path_buf(),
                source,
            };
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(io)?
                .map(|e| e.map(|e| e.path()))
                .collect::<Result<_, _>>()
                .map_err(io)?;
            files.retain(|p| p.extension().is_some_and(|e| e == "json"));
            files.sort();
            for file in files {
                let origin = file.display().to_string();
                let text = std::fs::read_to_string(&file).map_err(|e| LoadError::File {
                    path: origin.clone(),
                    message: e.to_string(),
                })?;
                policies.push(parse_file(&origin, &text)?);
            }
        }
        let mut by_arn = HashMap::new();
        for p in policies {
            by_arn.insert(p.arn(), Arc::new(p));
        }
        let mut by_name: Vec<_> = by_arn.values().cloned().collect();
        by_name.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.path.cmp(&b.path)));
        Ok(AwsManagedPolicies { by_arn, by_name })
    }

    pub fn find(&self, arn: &str) -> Option<Arc<AwsManagedPolicy>> {
        self.by_arn.get(arn).cloned()
    }

    /// Every policy, in name order.
    pub fn all(&self) -> &[Arc<AwsManagedPolicy>] {
        &self.by_name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_set_loads_and_parses() {
        let set = AwsManagedPolicies::load(None).expect("built-ins");
        let read_only = set
            .find("arn:aws:iam::aws:policy/ReadOnlyAccess")
            .expect("ReadOnlyAccess");
        assert!(read_only.document.contains("\"s3:Get*\""));
        assert!(set
            .find("arn:aws:iam::aws:policy/PowerUserAccess")
            .is_some());
        assert!(set
            .find("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
            .is_some());
        let names: Vec<_> = set.all().iter().map(|p| p.name.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
    }

    #[test]
    fn a_bad_file_is_refused_with_its_name() {
        for text in [
            "{",
            r#"{"PolicyName":"X","Path":"/","PolicyDocument":{"Statement":[]},"Extra":1}"#,
            r#"{"PolicyName":"X","Path":"nope","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}"#,
            r#"{"PolicyName":"X","Path":"/","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}}"#,
        ] {
            let e = parse_file("x.json", text).expect_err(text);
            assert!(
                e.to_string().starts_with("AWS managed policy file x.json:"),
                "{e}"
            );
        }
    }
}
