#!/usr/bin/env bash
# aws-cli against iamlocal: the issue's quick start, checked.
set -euo pipefail
ep="$IAMLOCAL_ENDPOINT"
aws_() { aws --endpoint-url "$ep" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
expect_eq() { [ "$1" == "$2" ] || fail "expected '$2', got '$1' ($3)"; }

expect_eq "$(aws_ sts get-caller-identity --query Arn --output text)" "arn:aws:iam::000000000000:root" "root identity"
aws_ iam create-user --user-name alice --path /dev/ --tags Key=team,Value=a >/dev/null
expect_eq "$(aws_ iam get-user --user-name alice --query User.Arn --output text)" "arn:aws:iam::000000000000:user/dev/alice" "get-user"
expect_eq "$(aws_ iam get-user --user-name alice --query 'User.Tags[0].Value' --output text)" "a" "tags"
read -r akid secret < <(aws_ iam create-access-key --user-name alice --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
[[ "$akid" =~ ^AKIA[A-Z2-7]{16}$ ]] || fail "access key id $akid"
expect_eq "${#secret}" "40" "secret length"
expect_eq "$(AWS_ACCESS_KEY_ID=$akid AWS_SECRET_ACCESS_KEY=$secret aws_ sts get-caller-identity --query Arn --output text)" \
  "arn:aws:iam::000000000000:user/dev/alice" "alice identity"

# Errors come back with AWS's code and message.
out="$(aws_ iam get-user --user-name nobody 2>&1 || true)"
[[ "$out" == *"(NoSuchEntity)"*"The user with name nobody cannot be found."* ]] || fail "NoSuchEntity: $out"
out="$(AWS_ACCESS_KEY_ID=$akid AWS_SECRET_ACCESS_KEY=$secret aws_ iam list-users 2>&1 || true)"
[[ "$out" == *"(AccessDenied)"*"User: arn:aws:iam::000000000000:user/dev/alice is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::000000000000:user/ because no identity-based policy allows the iam:ListUsers action"* ]] || fail "AccessDenied: $out"
out="$(AWS_SECRET_ACCESS_KEY=wrong aws_ sts get-caller-identity 2>&1 || true)"
[[ "$out" == *"(SignatureDoesNotMatch)"* ]] || fail "SignatureDoesNotMatch: $out"
out="$(aws_ iam create-user --user-name "$(printf 'a%.0s' $(seq 65))" 2>&1 || true)"
[[ "$out" == *"(ValidationError)"*"Member must have length less than or equal to 64"* ]] || fail "ValidationError: $out"

# Pagination through the CLI's own paginator with a page size of one.
for n in bob carol; do aws_ iam create-user --user-name $n >/dev/null; done
expect_eq "$(aws_ iam list-users --page-size 1 --query 'Users[].UserName' --output text | tr -s '\t\n' ' ' | xargs)" "alice bob carol" "paged list"
expect_eq "$(aws_ iam list-users --max-items 1 --query 'Users[0].UserName' --output text | head -1)" "alice" "max-items"

aws_ iam update-access-key --user-name alice --access-key-id "$akid" --status Inactive
out="$(AWS_ACCESS_KEY_ID=$akid AWS_SECRET_ACCESS_KEY=$secret aws_ sts get-caller-identity 2>&1 || true)"
[[ "$out" == *"(InvalidClientTokenId)"* ]] || fail "inactive key: $out"
aws_ iam delete-access-key --user-name alice --access-key-id "$akid"
aws_ iam delete-user --user-name alice

# Groups and policies: a group policy allows, an attached managed Deny wins.
aws_ iam create-user --user-name carl >/dev/null
read -r ck cs < <(aws_ iam create-access-key --user-name carl --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
aws_ iam create-group --group-name readers >/dev/null
aws_ iam add-user-to-group --group-name readers --user-name carl
aws_ iam put-group-policy --group-name readers --policy-name list \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}'
expect_eq "$(aws_ iam get-group --group-name readers --query 'Users[0].UserName' --output text)" "carl" "get-group"
AWS_ACCESS_KEY_ID=$ck AWS_SECRET_ACCESS_KEY=$cs aws_ iam list-users >/dev/null || fail "group policy should allow"
parn="$(aws_ iam create-policy --policy-name deny-groups --query Policy.Arn --output text \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ListGroups","Resource":"*"}]}')"
expect_eq "$parn" "arn:aws:iam::000000000000:policy/deny-groups" "create-policy"
aws_ iam attach-user-policy --user-name carl --policy-arn "$parn"
out="$(AWS_ACCESS_KEY_ID=$ck AWS_SECRET_ACCESS_KEY=$cs aws_ iam list-groups 2>&1 || true)"
[[ "$out" == *"(AccessDenied)"*"with an explicit deny in an identity-based policy"* ]] || fail "explicit deny: $out"
out="$(aws_ iam create-policy --policy-name bad --policy-document '{"Statement":[{"Effect":"Allow","Action":"nope","Resource":"*"}]}' 2>&1 || true)"
[[ "$out" == *"(MalformedPolicyDocument)"* ]] || fail "malformed: $out"
out="$(aws_ iam delete-group --group-name readers 2>&1 || true)"
[[ "$out" == *"(DeleteConflict)"* ]] || fail "delete-group conflict: $out"
# Service last accessed: carl's ListUsers (allowed by his group) is in his report.
job="$(aws_ iam generate-service-last-accessed-details --arn arn:aws:iam::000000000000:user/carl --query JobId --output text)"
expect_eq "$(aws_ iam get-service-last-accessed-details --job-id "$job" --query JobStatus --output text)" "COMPLETED" "job status"
expect_eq "$(aws_ iam get-service-last-accessed-details --job-id "$job" --query 'ServicesLastAccessed[?ServiceNamespace==`iam`].LastAuthenticatedEntity' --output text)" \
  "arn:aws:iam::000000000000:user/carl" "service last accessed"

# Console passwords: a password policy is set, a weak password refused in AWS's words, a strong one accepted.
aws_ iam update-account-password-policy --minimum-password-length 12 --require-symbols
expect_eq "$(aws_ iam get-account-password-policy --query PasswordPolicy.MinimumPasswordLength --output text)" "12" "password policy"
aws_ iam create-user --user-name erin >/dev/null
out="$(aws_ iam create-login-profile --user-name erin --password 'NoSymbolsHere1' 2>&1 || true)"
[[ "$out" == *"(PasswordPolicyViolation)"*"Password does not conform to the account password policy."* ]] || fail "weak password: $out"
expect_eq "$(aws_ iam create-login-profile --user-name erin --password 'With-Symbols-1' --password-reset-required \
  --query LoginProfile.PasswordResetRequired --output text)" "True" "create-login-profile"
out="$(aws_ iam delete-user --user-name erin 2>&1 || true)"
[[ "$out" == *"(DeleteConflict)"*"must delete login profile first."* ]] || fail "delete-user with a login profile: $out"

# Roles, instance profiles, the account alias and summary.
trust="$(mktemp)"
printf '%s' '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}' >"$trust"
expect_eq "$(aws_ iam create-role --role-name web --path /app/ --assume-role-policy-document "file://$trust" \
  --query Role.Arn --output text)" "arn:aws:iam::000000000000:role/app/web" "create-role"
rm -f "$trust"
expect_eq "$(aws_ iam get-role --role-name web --query 'Role.AssumeRolePolicyDocument.Statement[0].Principal.Service' --output text)" \
  "ec2.amazonaws.com" "get-role decodes the trust policy"
expect_eq "$(aws_ iam list-roles --path-prefix /app/ --query 'Roles[].RoleName' --output text)" "web" "list-roles"
aws_ iam create-instance-profile --instance-profile-name web-profile >/dev/null
aws_ iam add-role-to-instance-profile --instance-profile-name web-profile --role-name web
expect_eq "$(aws_ iam get-instance-profile --instance-profile-name web-profile --query 'InstanceProfile.Roles[0].RoleName' --output text)" \
  "web" "instance profile role"
expect_eq "$(aws_ iam list-instance-profiles-for-role --role-name web --query 'InstanceProfiles[0].InstanceProfileName' --output text)" \
  "web-profile" "list-instance-profiles-for-role"
aws_ iam create-account-alias --account-alias my-local-account
expect_eq "$(aws_ iam list-account-aliases --query 'AccountAliases[0]' --output text)" "my-local-account" "alias"
expect_eq "$(aws_ iam get-account-summary --query 'SummaryMap.[Roles,InstanceProfiles,UsersQuota]' --output text | xargs)" \
  "1 1 5000" "get-account-summary"
expect_eq "$(aws_ iam get-account-authorization-details --filter Role --query 'RoleDetailList[0].InstanceProfileList[0].InstanceProfileName' --output text)" \
  "web-profile" "get-account-authorization-details"
out="$(aws_ iam delete-role --role-name web 2>&1 || true)"
[[ "$out" == *"(DeleteConflict)"*"Cannot delete entity, must remove roles from instance profile first."* ]] || fail "delete-role in a profile: $out"
aws_ iam remove-role-from-instance-profile --instance-profile-name web-profile --role-name web
aws_ iam delete-instance-profile --instance-profile-name web-profile
aws_ iam delete-role --role-name web
aws_ iam delete-account-alias --account-alias my-local-account

# A profile that assumes a role (role_arn + source_profile), as people configure CI.
aws_ iam create-user --user-name deployer >/dev/null
read -r dk ds < <(aws_ iam create-access-key --user-name deployer --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
aws_ iam create-role --role-name ci-role --assume-role-policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/deployer"},"Action":"sts:AssumeRole"}]}' >/dev/null
aws_ iam put-role-policy --role-name ci-role --policy-name list-users \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}'
cfg="$(mktemp)"
cat >"$cfg" <<CFG
[profile deployer]
aws_access_key_id = $dk
aws_secret_access_key = $ds
region = us-east-1
[profile ci-role]
role_arn = arn:aws:iam::000000000000:role/ci-role
source_profile = deployer
role_session_name = ci
region = us-east-1
CFG
# AWS_ENDPOINT_URL reaches the STS client the CLI's assume-role provider creates; a fresh HOME
# keeps the CLI's credential cache (~/.aws/cli/cache) from serving a previous run's session.
cli_home="$(mktemp -d)"
as_profile() { env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY HOME="$cli_home" AWS_CONFIG_FILE="$cfg" AWS_ENDPOINT_URL="$ep" aws --profile "$@"; }
expect_eq "$(as_profile ci-role sts get-caller-identity --query Arn --output text)" \
  "arn:aws:sts::000000000000:assumed-role/ci-role/ci" "assumed-role profile"
as_profile ci-role iam list-users >/dev/null || fail "the role's policy should allow ListUsers"
out="$(as_profile ci-role iam list-roles 2>&1 || true)"
[[ "$out" == *"(AccessDenied)"*"assumed-role/ci-role/ci is not authorized to perform: iam:ListRoles"* ]] || fail "role session denied: $out"
out="$(aws_ sts assume-role --role-arn arn:aws:iam::000000000000:role/ci-role --role-session-name x1 2>&1 || true)"
[[ "$out" == *"(AccessDenied)"*"Roles may not be assumed by root accounts."* ]] || fail "root assume-role: $out"
out="$(AWS_ACCESS_KEY_ID=$dk AWS_SECRET_ACCESS_KEY=$ds aws_ sts assume-role --role-arn arn:aws:iam::000000000000:role/nope --role-session-name x1 2>&1 || true)"
[[ "$out" == *"(AccessDenied)"*"is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/nope"* ]] || fail "unknown role: $out"

# The same with mfa_serial: the CLI asks for a code (read from stdin without a terminal), and a
# trust policy that demands MFA accepts the session. Codes are RFC 6238, computed here.
totp() { python3 -c '
import base64, hashlib, hmac, struct, sys, time
key = base64.b32decode(open(sys.argv[1]).read().strip())
step = int(time.time()) // 30 + int(sys.argv[2])
mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
o = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000))' "$@"; }
seed="$cli_home/seed"
mfa_arn="$(aws_ iam create-virtual-mfa-device --virtual-mfa-device-name deployer --outfile "$seed" \
  --bootstrap-method Base32StringSeed --query VirtualMFADevice.SerialNumber --output text)"
aws_ iam enable-mfa-device --user-name deployer --serial-number "$mfa_arn" \
  --authentication-code1 "$(totp "$seed" -1)" --authentication-code2 "$(totp "$seed" 0)"
aws_ iam create-role --role-name mfa-role --assume-role-policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/deployer"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}' >/dev/null
cat >>"$cfg" <<CFG
[profile mfa-role]
role_arn = arn:aws:iam::000000000000:role/mfa-role
source_profile = deployer
role_session_name = with-mfa
mfa_serial = $mfa_arn
region = us-east-1
[profile no-mfa-role]
role_arn = arn:aws:iam::000000000000:role/mfa-role
source_profile = deployer
role_session_name = without-mfa
region = us-east-1
CFG
expect_eq "$(totp "$seed" 1 | as_profile mfa-role sts get-caller-identity --query Arn --output text 2>/dev/null)" \
  "arn:aws:sts::000000000000:assumed-role/mfa-role/with-mfa" "mfa_serial profile"
out="$(as_profile no-mfa-role sts get-caller-identity 2>&1 || true)"
[[ "$out" == *"(AccessDenied)"*"sts:AssumeRole on resource: arn:aws:iam::000000000000:role/mfa-role"* ]] || fail "trust policy demanding MFA: $out"
rm -rf "$cfg" "$cli_home"
# SSH public keys from the fixtures: upload, list, and the key back in PEM.
fixtures="$(cd "$(dirname "$0")/../fixtures" && pwd)"
aws_ iam create-user --user-name coder >/dev/null
ssh_id="$(aws_ iam upload-ssh-public-key --user-name coder --ssh-public-key-body "file://$fixtures/ssh_rsa.pub" --query SSHPublicKey.SSHPublicKeyId --output text)"
[[ "$ssh_id" == APKA* ]] || fail "ssh key id: $ssh_id"
expect_eq "$(aws_ iam list-ssh-public-keys --user-name coder --query 'SSHPublicKeys[0].SSHPublicKeyId' --output text)" "$ssh_id" "list-ssh-public-keys"
expect_eq "$(aws_ iam get-ssh-public-key --user-name coder --ssh-public-key-id "$ssh_id" --encoding PEM --query SSHPublicKey.SSHPublicKeyBody --output text)" \
  "$(cat "$fixtures/ssh_rsa.pem")" "get-ssh-public-key --encoding PEM"
aws_ iam upload-server-certificate --server-certificate-name web --path /lb/ \
  --certificate-body "file://$fixtures/cert.pem" --private-key "file://$fixtures/cert.key" >/dev/null
expect_eq "$(aws_ iam get-server-certificate --server-certificate-name web --query ServerCertificate.ServerCertificateMetadata.Arn --output text)" \
  "arn:aws:iam::000000000000:server-certificate/lb/web" "upload-server-certificate"
# SAML: a provider from the fixture metadata, a role trusting it, and a response signed by
# signxml (tests/fixtures/saml/make_fixtures.py) exchanged for a session.
saml="$fixtures/saml"
expect_eq "$(aws_ iam create-saml-provider --name TestIdP --saml-metadata-document "file://$saml/metadata.xml" --query SAMLProviderArn --output text)" \
  "arn:aws:iam::000000000000:saml-provider/TestIdP" "create-saml-provider"
expect_eq "$(aws_ iam list-saml-providers --query 'SAMLProviderList[0].Arn' --output text)" \
  "arn:aws:iam::000000000000:saml-provider/TestIdP" "list-saml-providers"
saml_trust="$(mktemp)"
cat >"$saml_trust" <<'JSON'
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::000000000000:saml-provider/TestIdP"},"Action":["sts:AssumeRoleWithSAML","sts:TagSession","sts:SetSourceIdentity"],"Condition":{"StringEquals":{"saml:aud":"https://signin.aws.amazon.com/saml"}}}]}
JSON
aws_ iam create-role --role-name SamlRole --assume-role-policy-document "file://$saml_trust" >/dev/null
rm -f "$saml_trust"
expect_eq "$(aws_ sts assume-role-with-saml --role-arn arn:aws:iam::000000000000:role/SamlRole \
  --principal-arn arn:aws:iam::000000000000:saml-provider/TestIdP --saml-assertion "file://$saml/response-signed.b64" \
  --query '[AssumedRoleUser.Arn,SubjectType,Subject]' --output text | xargs)" \
  "arn:aws:sts::000000000000:assumed-role/SamlRole/alice@example.com persistent alice" "assume-role-with-saml"
out="$(aws_ sts assume-role-with-saml --role-arn arn:aws:iam::000000000000:role/SamlRole \
  --principal-arn arn:aws:iam::000000000000:saml-provider/TestIdP --saml-assertion "file://$saml/other-key.b64" 2>&1 || true)"
[[ "$out" == *"(InvalidIdentityToken)"*"Response signature invalid"* ]] || fail "assume-role-with-saml, foreign key: $out"
echo "aws-cli suite passed"
