"""boto3 against a running iamlocal (IAMLOCAL_ENDPOINT)."""
import os
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


if __name__ == "__main__":
    unittest.main()
