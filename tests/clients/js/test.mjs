// The AWS SDK for JavaScript v3 against a running iamlocal (IAMLOCAL_ENDPOINT).
import assert from "node:assert/strict";
import { IAMClient, CreateUserCommand, GetUserCommand, ListUsersCommand, CreateAccessKeyCommand, paginateListUsers } from "@aws-sdk/client-iam";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";

const endpoint = process.env.IAMLOCAL_ENDPOINT;
const creds = (accessKeyId, secretAccessKey) => ({ endpoint, region: "us-east-1", credentials: { accessKeyId, secretAccessKey } });
const iam = new IAMClient(creds("test", "test"));

const { User } = await iam.send(new CreateUserCommand({ UserName: "js-user", Path: "/js/" }));
assert.equal(User.Arn, "arn:aws:iam::000000000000:user/js/js-user");
assert.ok(User.CreateDate instanceof Date);
const got = await iam.send(new GetUserCommand({ UserName: "js-user" }));
assert.equal(got.User.UserId, User.UserId);

for (const n of ["a", "b", "c"]) await iam.send(new CreateUserCommand({ UserName: `js-${n}` }));
const names = [];
for await (const page of paginateListUsers({ client: iam, pageSize: 1 }, {})) names.push(...page.Users.map((u) => u.UserName));
assert.deepEqual(names, ["js-a", "js-b", "js-c", "js-user"]);

const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "js-user" }));
const sts = new STSClient(creds(AccessKey.AccessKeyId, AccessKey.SecretAccessKey));
const me = await sts.send(new GetCallerIdentityCommand({}));
assert.equal(me.Arn, User.Arn);

await assert.rejects(
  new IAMClient(creds(AccessKey.AccessKeyId, AccessKey.SecretAccessKey)).send(new ListUsersCommand({})),
  (e) => e.name === "AccessDenied" && e.$metadata.httpStatusCode === 403,
);
await assert.rejects(iam.send(new GetUserCommand({ UserName: "nope" })), (e) => e.Error?.Code === "NoSuchEntity" && e.name === "NoSuchEntityException" && e.message === "The user with name nope cannot be found.");
console.log("js suite passed");
