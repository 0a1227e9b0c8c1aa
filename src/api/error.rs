use std::borrow::Cow;

/// An AWS error answer: what `<ErrorResponse>` carries plus the HTTP status. Every failure of
/// every stage of the pipeline ends up as one of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} ({status}): {}", message.as_deref().unwrap_or(""))]
pub struct ApiError {
    pub code: Cow<'static, str>,
    pub status: u16,
    /// `Sender` (the client's fault) or `Receiver`.
    pub sender: bool,
    /// `None` when AWS sends no `<Message>` element.
    pub message: Option<String>,
}

impl ApiError {
    pub fn new(code: &'static str, status: u16, sender: bool, message: impl Into<String>) -> Self {
        ApiError {
            code: Cow::Borrowed(code),
            status,
            sender,
            message: Some(message.into()),
        }
    }

    /// `ValidationError` 400: a request that breaks the model's constraints.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new("ValidationError", 400, true, message)
    }

    /// `InvalidAction` 400, worded as AWS's Query services word it.
    pub fn invalid_action(action: &str, version: &str) -> Self {
        Self::new(
            "InvalidAction",
            400,
            true,
            format!("Could not find operation {action} for version {version}"),
        )
    }

    /// `AccessDenied` 403.
    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::new("AccessDenied", 403, true, message)
    }

    /// An operation of the model that iamlocal does not implement yet. AWS has no such state; we
    /// answer in its error shape with a code that cannot be mistaken for success or for a
    /// client mistake.
    pub fn not_implemented(operation: &str) -> Self {
        Self::new(
            "NotImplemented",
            501,
            false,
            format!("The operation {operation} is not implemented by iamlocal yet."),
        )
    }

    /// `InternalFailure` 500: something broke on our side (a database error, say).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("InternalFailure", 500, false, message)
    }

    pub fn message(&self) -> &str {
        self.message.as_deref().unwrap_or("")
    }
}
