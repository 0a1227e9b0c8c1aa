#!/usr/bin/env bash
# A Terraform-shaped workload through aws-cli, at a scale the CLI's start-up time allows (the full
# 200 users / 20 groups / 50 roles / 100 policies run is boto3_test.py's): users in groups, roles
# with trust policies, managed policies with a second default version, attachments and inline
# policies, everything read back with get-account-authorization-details (paged by the CLI), then
# torn down in dependency order.
set -euo pipefail
ep="$IAMLOCAL_ENDPOINT"
aws_() { aws --endpoint-url "$ep" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
expect_eq() { [ "$1" == "$2" ] || fail "expected '$2', got '$1' ($3)"; }
acct=000000000000
trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
doc() { echo "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:$1\",\"Resource\":\"arn:aws:s3:::bucket-$2/*\"}]}"; }

groups=(g0 g1)
users=(u0 u1 u2 u3 u4 u5)
roles=(r0 r1 r2)
policies=(p0 p1 p2 p3)

for g in "${groups[@]}"; do aws_ iam create-group --group-name "$g" --path /wl/ >/dev/null; done
for i in "${!users[@]}"; do
  aws_ iam create-user --user-name "${users[$i]}" --path /wl/ --tags Key=n,Value="$i" >/dev/null
  aws_ iam add-user-to-group --group-name "${groups[$((i % 2))]}" --user-name "${users[$i]}"
done
for r in "${roles[@]}"; do
  aws_ iam create-role --role-name "$r" --path /wl/ --assume-role-policy-document "$trust" >/dev/null
done
for i in "${!policies[@]}"; do
  p="${policies[$i]}"
  aws_ iam create-policy --policy-name "$p" --path /wl/ --policy-document "$(doc GetObject "$i")" >/dev/null
  aws_ iam create-policy-version --policy-arn "arn:aws:iam::$acct:policy/wl/$p" \
    --policy-document "$(doc PutObject "$i")" --set-as-default >/dev/null
done
aws_ iam attach-group-policy --group-name g0 --policy-arn "arn:aws:iam::$acct:policy/wl/p0"
aws_ iam attach-group-policy --group-name g1 --policy-arn "arn:aws:iam::$acct:policy/wl/p1"
aws_ iam attach-role-policy --role-name r0 --policy-arn "arn:aws:iam::$acct:policy/wl/p2"
aws_ iam attach-user-policy --user-name u0 --policy-arn "arn:aws:iam::$acct:policy/wl/p3"
aws_ iam put-role-policy --role-name r1 --policy-name inline --policy-document "$(doc ListBucket x)"

# Read it all back, one entity per page: the CLI follows the markers.
details="$(aws_ iam get-account-authorization-details --page-size 1 --output json)"
count() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1" <<<"$details"; }
expect_eq "$(count 'len([u for u in d["UserDetailList"] if u["Path"]=="/wl/"])')" "6" "users read back"
expect_eq "$(count 'len(d["GroupDetailList"])')" "2" "groups read back"
expect_eq "$(count 'len(d["RoleDetailList"])')" "3" "roles read back"
expect_eq "$(count 'sorted(d["UserDetailList"][0]["GroupList"])')" "['g0']" "u0's group"
expect_eq "$(count '[p["DefaultVersionId"] for p in d["Policies"] if p["PolicyName"]=="p0"][0]')" "v2" "default version"
expect_eq "$(count '[v["Document"]["Statement"][0]["Action"] for p in d["Policies"] if p["PolicyName"]=="p0" for v in p["PolicyVersionList"] if v["IsDefaultVersion"]][0]')" \
  "s3:PutObject" "the default version's document"
expect_eq "$(count '[r["RolePolicyList"][0]["PolicyName"] for r in d["RoleDetailList"] if r["RoleName"]=="r1"][0]')" "inline" "role inline policy"
expect_eq "$(aws_ iam list-policies --scope Local --only-attached --query 'length(Policies)' --output text)" "4" "attached policies"

# Deleting in the wrong order is refused with AWS's words.
out="$(aws_ iam delete-policy --policy-arn "arn:aws:iam::$acct:policy/wl/p0" 2>&1 || true)"
[[ "$out" == *"(DeleteConflict)"*"Cannot delete a policy attached to entities."* ]] || fail "delete attached policy: $out"
out="$(aws_ iam delete-group --group-name g1 2>&1 || true)"
[[ "$out" == *"(DeleteConflict)"* ]] || fail "delete group with members: $out"

# Teardown.
aws_ iam detach-group-policy --group-name g0 --policy-arn "arn:aws:iam::$acct:policy/wl/p0"
aws_ iam detach-group-policy --group-name g1 --policy-arn "arn:aws:iam::$acct:policy/wl/p1"
aws_ iam detach-role-policy --role-name r0 --policy-arn "arn:aws:iam::$acct:policy/wl/p2"
aws_ iam detach-user-policy --user-name u0 --policy-arn "arn:aws:iam::$acct:policy/wl/p3"
aws_ iam delete-role-policy --role-name r1 --policy-name inline
for i in "${!users[@]}"; do
  aws_ iam remove-user-from-group --group-name "${groups[$((i % 2))]}" --user-name "${users[$i]}"
  aws_ iam delete-user --user-name "${users[$i]}"
done
for g in "${groups[@]}"; do aws_ iam delete-group --group-name "$g"; done
for r in "${roles[@]}"; do aws_ iam delete-role --role-name "$r"; done
for p in "${policies[@]}"; do
  aws_ iam delete-policy-version --policy-arn "arn:aws:iam::$acct:policy/wl/$p" --version-id v1
  aws_ iam delete-policy --policy-arn "arn:aws:iam::$acct:policy/wl/$p"
done
expect_eq "$(aws_ iam get-account-summary --query 'SummaryMap.[Users,Groups,Roles,Policies]' --output text)" \
  "0	0	0	0" "empty after teardown"
echo "aws-cli workload passed"
