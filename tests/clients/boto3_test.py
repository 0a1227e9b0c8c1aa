"""boto3 against a running iamlocal (IAMLOCAL_ENDPOINT)."""
import base64
import hashlib
import hmac
import os
import struct

import json
import os
import sys
import time
import unittest
import urllib.request
import zlib

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


def totp(seed_b32, step):
    """RFC 6238 with SHA-1, 30-second steps and 6 digits: the code of time step `step`."""
    key = base64.b32decode(seed_b32 + "=" * (-len(seed_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return "%06d" % (value % 1000000)


def png_pixels(png):
    """Checks a PNG's chunk CRCs and returns (width, height, inflated image data)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + data), kind
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", data)
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    return header[0], header[1], zlib.decompress(idat)


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

    def test_assume_role(self):
        self.iam.create_user(UserName="dev")
        key = self.iam.create_access_key(UserName="dev")["AccessKey"]
        trust = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":'
                 '"arn:aws:iam::000000000000:user/dev"},"Action":"sts:AssumeRole",'
                 '"Condition":{"StringEquals":{"sts:ExternalId":"ext-1"}}}]}')
        role = self.iam.create_role(RoleName="app", AssumeRolePolicyDocument=trust)["Role"]
        self.iam.put_role_policy(RoleName="app", PolicyName="read", PolicyDocument=(
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}'))
        sts = client("sts", key["AccessKeyId"], key["SecretAccessKey"])
        code, msg, status = err(lambda: sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1"))
        self.assertEqual((code, status), ("AccessDenied", 403))
        self.assertEqual(msg, "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: "
                              "sts:AssumeRole on resource: arn:aws:iam::000000000000:role/app")
        out = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", ExternalId="ext-1", DurationSeconds=900)
        c = out["Credentials"]
        self.assertRegex(c["AccessKeyId"], r"^ASIA[A-Z2-7]{16}$")
        self.assertEqual(c["Expiration"].tzname(), "UTC")
        self.assertEqual(out["AssumedRoleUser"]["Arn"], "arn:aws:sts::000000000000:assumed-role/app/s1")
        session = boto3.session.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                                        aws_session_token=c["SessionToken"], region_name="us-east-1")
        as_role = session.client("iam", endpoint_url=EP)
        self.assertEqual(as_role.get_role(RoleName="app")["Role"]["RoleId"], role["RoleId"])
        code, _, _ = err(lambda: as_role.list_users())
        self.assertEqual(code, "AccessDenied")
        me = session.client("sts", endpoint_url=EP).get_caller_identity()
        self.assertEqual(me["UserId"], out["AssumedRoleUser"]["AssumedRoleId"])
    def test_virtual_mfa(self):
        self.iam.create_user(UserName="mfa-user")
        dev = self.iam.create_virtual_mfa_device(VirtualMFADeviceName="mfa-user")["VirtualMFADevice"]
        serial = dev["SerialNumber"]
        self.assertEqual(serial, "arn:aws:iam::000000000000:mfa/mfa-user")
        seed = dev["Base32StringSeed"].decode()
        width, height, pixels = png_pixels(dev["QRCodePNG"])
        self.assertEqual(width, height)
        self.assertEqual(len(pixels), height * (1 + (width + 7) // 8))
        step = int(time.time()) // 30
        code, msg, status = err(lambda: self.iam.enable_mfa_device(
            UserName="mfa-user", SerialNumber=serial,
            AuthenticationCode1=totp(seed, step + 1), AuthenticationCode2=totp(seed, step)))
        self.assertEqual((code, status), ("InvalidAuthenticationCode", 403))
        self.iam.enable_mfa_device(UserName="mfa-user", SerialNumber=serial,
                                   AuthenticationCode1=totp(seed, step), AuthenticationCode2=totp(seed, step + 1))
        devices = self.iam.list_mfa_devices(UserName="mfa-user")["MFADevices"]
        self.assertEqual([d["SerialNumber"] for d in devices], [serial])
        assigned = self.iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
        self.assertEqual(assigned[0]["User"]["UserName"], "mfa-user")
        self.assertEqual(err(lambda: self.iam.delete_virtual_mfa_device(SerialNumber=serial))[0], "DeleteConflict")

    def test_credential_report(self):
        code, msg, status = err(lambda: self.iam.get_credential_report())
        self.assertEqual((code, status), ("ReportNotPresent", 410))
        self.iam.create_user(UserName="reported")
        self.assertEqual(self.iam.generate_credential_report()["State"], "STARTED")
        self.assertEqual(self.iam.generate_credential_report()["State"], "COMPLETE")
        report = self.iam.get_credential_report()
        self.assertEqual(report["ReportFormat"], "text/csv")
        lines = report["Content"].decode().splitlines()
        self.assertEqual(lines[0].split(",")[:8], ["user", "arn", "user_creation_time", "password_enabled",
                                                   "password_last_used", "password_last_changed",
                                                   "password_next_rotation", "mfa_active"])
        self.assertEqual(len(lines[0].split(",")), 22)
        self.assertTrue(lines[1].startswith("<root_account>,arn:aws:iam::000000000000:root,"))
        self.assertTrue(lines[2].startswith("reported,arn:aws:iam::000000000000:user/reported,"))

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
