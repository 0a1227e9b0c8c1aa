//! Which operations iamlocal implements: the generated `Handlers` trait, its methods routed to
//! the handler files. Every operation not listed answers AWS-style `NotImplemented`.

use crate::api::{iam, sts, ApiError, Handlers};
use crate::app::App;
use crate::authz::Call;

macro_rules! route {
    ($($method:ident: $module:path, $input:ty => $output:ty;)*) => {
        impl Handlers for App {
            type Ctx = Call;
            $(
                async fn $method(&self, ctx: &Call, input: $input) -> Result<$output, ApiError> {
                    use $module as m;
                    m::$method(self, ctx, input).await
                }
            )*
        }
    };
}

route! {
    create_user: crate::iam::users, iam::CreateUserRequest => iam::CreateUserResponse;
    get_user: crate::iam::users, iam::GetUserRequest => iam::GetUserResponse;
    list_users: crate::iam::users, iam::ListUsersRequest => iam::ListUsersResponse;
    update_user: crate::iam::users, iam::UpdateUserRequest => ();
    delete_user: crate::iam::users, iam::DeleteUserRequest => ();
    tag_user: crate::iam::users, iam::TagUserRequest => ();
    untag_user: crate::iam::users, iam::UntagUserRequest => ();
    list_user_tags: crate::iam::users, iam::ListUserTagsRequest => iam::ListUserTagsResponse;
    create_access_key: crate::iam::access_keys, iam::CreateAccessKeyRequest => iam::CreateAccessKeyResponse;
    list_access_keys: crate::iam::access_keys, iam::ListAccessKeysRequest => iam::ListAccessKeysResponse;
    update_access_key: crate::iam::access_keys, iam::UpdateAccessKeyRequest => ();
    delete_access_key: crate::iam::access_keys, iam::DeleteAccessKeyRequest => ();
    get_access_key_last_used: crate::iam::access_keys, iam::GetAccessKeyLastUsedRequest => iam::GetAccessKeyLastUsedResponse;
    get_caller_identity: crate::sts, sts::GetCallerIdentityRequest => sts::GetCallerIdentityResponse;
}
