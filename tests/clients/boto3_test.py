"""boto3 against a running iamlocal (IAMLOCAL_ENDPOINT)."""
import json
import os
import sys
import time
import unittest
import urllib.request

import boto3
from botocore.exceptions import ClientError

EP = os.environ["IAMLOCAL_ENDPOINT"]


def client(service, key="test", secret="test"):
    return boto3.client(service, endpoint_url=EP, region_name="us-east-1",
                        aws_access_key_id=key, aws_secret_access_key=secret)


def err(call):
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("Message"), e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError("no error")


class Boto3Test(unittest.TestCase):
    def setUp(self):
        urllib.request.urlopen(urllib.request.Request(EP + "/_iamlocal/reset", method="POST")).read()
        self.iam = client("iam")

    def test_user_and_keys(self):
        u = self.iam.create_user(UserName="alice", Path="/dev/", Tags=[{"Key": "team", "Value": "a"}])["User"]
        self.assertEqual(u["Arn"], "arn:aws:iam::000000000000:user/dev/alice")
        self.assertTrue(u["UserId"].startswith("AIDA") and len(u["UserId"]) == 21)
        self.assertEqual(u["CreateDate"].tzname(), "UTC")
        key = self.iam.create_access_key(UserName="alice")["AccessKey"]
        me = client("sts", key["AccessKeyId"], key["SecretAccessKey"]).get_caller_identity()
        self.assertEqual(me["Arn"], u["Arn"])
        self.assertEqual(me["UserId"], u["UserId"])
        code, msg, status = err(lambda: self.iam.delete_user(UserName="alice"))
        self.assertEqual((code, msg, status), ("DeleteConflict", "Cannot delete entity, must delete access keys first.", 409))
        code, msg, status = err(lambda: client("iam", key["AccessKeyId"], key["SecretAccessKey"]).create_user(UserName="x"))
        self.assertEqual((code, status), ("AccessDenied", 403))
        self.assertEqual(msg, "User: arn:aws:iam::000000000000:user/dev/alice is not authorized to perform: "
                              "iam:CreateUser on resource: arn:aws:iam::000000000000:user/x because no "
                              "identity-based policy allows the iam:CreateUser action")

    def test_paginator(self):
        for i in range(7):
            self.iam.create_user(UserName=f"user{i}")
        pages = list(self.iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2}))
        self.assertEqual(len(pages), 4)
        self.assertEqual([u["UserName"] for p in pages for u in p["Users"]], [f"user{i}" for i in range(7)])

    def test_errors(self):
        self.assertEqual(err(lambda: self.iam.get_user(UserName="ghost")),
                         ("NoSuchEntity", "The user with name ghost cannot be found.", 404))
        self.iam.create_user(UserName="dup")
        self.assertEqual(err(lambda: self.iam.create_user(UserName="DUP")),
                         ("EntityAlreadyExists", "User with name DUP already exists.", 409))
        self.assertEqual(err(lambda: client("sts", "test", "wrong").get_caller_identity())[0], "SignatureDoesNotMatch")
        self.assertEqual(err(lambda: client("sts", "AKIAAAAAAAAAAAAAAAAA", "x").get_caller_identity()),
                         ("InvalidClientTokenId", "The security token included in the request is invalid.", 403))
        code, msg, status = err(lambda: self.iam.tag_user(UserName="dup", Tags=[{"Key": "k" * 129, "Value": "v"}]))
        self.assertEqual((code, status), ("ValidationError", 400))
        self.assertEqual(msg, "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy "
                              "constraint: Member must have length less than or equal to 128")

    def test_presigned_get_caller_identity(self):
        # What `aws eks get-token` does: a presigned GET of sts:GetCallerIdentity.
        url = client("sts").generate_presigned_url("get_caller_identity", ExpiresIn=60, HttpMethod="GET")
        body = urllib.request.urlopen(url).read().decode()
        self.assertIn("<Arn>arn:aws:iam::000000000000:root</Arn>", body)
        self.assertIn('xmlns="https://sts.amazonaws.com/doc/2011-06-15/"', body)

    def test_terraform_style_workload(self):
        """An account the size a Terraform plan builds, read back whole and torn down."""
        started = time.monotonic()
        iam = self.iam
        trust = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})

        def doc(i, version):
            return json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": f"s3:Get{version}*", "Resource": f"arn:aws:s3:::bucket-{i}/*"}]})

        groups = [f"group-{g:02}" for g in range(20)]
        users = [f"user-{u:03}" for u in range(200)]
        roles = [f"role-{r:02}" for r in range(50)]
        for g in groups:
            iam.create_group(GroupName=g, Path="/tf/")
        policy_arns = []
        for i in range(100):
            arn = iam.create_policy(PolicyName=f"policy-{i:03}", PolicyDocument=doc(i, "Object"))["Policy"]["Arn"]
            iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc(i, "Bucket"), SetAsDefault=True)
            policy_arns.append(arn)
        for u, name in enumerate(users):
            iam.create_user(UserName=name, Path="/tf/", Tags=[{"Key": "n", "Value": str(u)}])
            iam.add_user_to_group(GroupName=groups[u % 20], UserName=name)
            iam.attach_user_policy(UserName=name, PolicyArn=policy_arns[u % 100])
        for i, arn in enumerate(policy_arns):
            iam.attach_group_policy(GroupName=groups[i % 20], PolicyArn=arn)
        for r, name in enumerate(roles):
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust, Path="/tf/")
            iam.attach_role_policy(RoleName=name, PolicyArn=policy_arns[r])
            iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=doc(r, "Object"))
        iam.attach_role_policy(RoleName=roles[0], PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")

        details = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
        pages = iam.get_paginator("get_account_authorization_details").paginate(PaginationConfig={"PageSize": 100})
        for page in pages:
            for key, items in details.items():
                items.extend(page.get(key, []))
        self.assertEqual(len(details["UserDetailList"]), 200)
        self.assertEqual(len(details["GroupDetailList"]), 20)
        self.assertEqual(len(details["RoleDetailList"]), 50)
        self.assertEqual(len(details["Policies"]), 101)  # 100 local + the one AWS policy in use
        self.assertTrue(all(len(u["GroupList"]) == 1 and len(u["AttachedManagedPolicies"]) == 1
                            for u in details["UserDetailList"]))
        self.assertTrue(all(len(g["AttachedManagedPolicies"]) == 5 for g in details["GroupDetailList"]))
        local = [p for p in details["Policies"] if ":aws:policy/" not in p["Arn"]]
        self.assertTrue(all(len(p["PolicyVersionList"]) == 2 and p["DefaultVersionId"] == "v2" for p in local))
        self.assertTrue(all(p["AttachmentCount"] == 4 for p in local[:50]))
        # boto3 decodes the URL-encoded documents into dicts.
        self.assertEqual(details["RoleDetailList"][0]["AssumeRolePolicyDocument"]["Statement"][0]["Action"],
                         "sts:AssumeRole")
        summary = iam.get_account_summary()["SummaryMap"]
        self.assertEqual((summary["Users"], summary["Groups"], summary["Roles"], summary["Policies"],
                          summary["PolicyVersionsInUse"]), (200, 20, 50, 100, 200))
        entities = iam.list_entities_for_policy(PolicyArn=policy_arns[0])
        self.assertEqual([g["GroupName"] for g in entities["PolicyGroups"]], ["group-00"])
        self.assertEqual([u["UserName"] for u in entities["PolicyUsers"]], ["user-000", "user-100"])
        self.assertEqual([r["RoleName"] for r in entities["PolicyRoles"]], ["role-00"])

        for u, name in enumerate(users):
            iam.remove_user_from_group(GroupName=groups[u % 20], UserName=name)
            iam.detach_user_policy(UserName=name, PolicyArn=policy_arns[u % 100])
            iam.delete_user(UserName=name)
        for i, arn in enumerate(policy_arns):
            iam.detach_group_policy(GroupName=groups[i % 20], PolicyArn=arn)
        for g in groups:
            iam.delete_group(GroupName=g)
        iam.detach_role_policy(RoleName=roles[0], PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        for r, name in enumerate(roles):
            iam.detach_role_policy(RoleName=name, PolicyArn=policy_arns[r])
            iam.delete_role_policy(RoleName=name, PolicyName="inline")
            iam.delete_role(RoleName=name)
        for arn in policy_arns:
            iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
            iam.delete_policy(PolicyArn=arn)
        empty = iam.get_account_authorization_details()
        self.assertEqual(sum(len(empty[k]) for k in details), 0)
        elapsed = time.monotonic() - started
        print(f"\nterraform-style workload: {elapsed:.1f} s", file=sys.stderr)
        self.assertLess(elapsed, 60)

    def test_account_alias(self):
        self.iam.create_account_alias(AccountAlias="my-local-account")
        self.assertEqual(self.iam.list_account_aliases()["AccountAliases"], ["my-local-account"])
        self.assertEqual(err(lambda: self.iam.delete_account_alias(AccountAlias="other-alias")),
                         ("NoSuchEntity", "The account alias other-alias cannot be found.", 404))
        self.iam.delete_account_alias(AccountAlias="my-local-account")
        self.assertEqual(self.iam.list_account_aliases()["AccountAliases"], [])


if __name__ == "__main__":
    unittest.main()
