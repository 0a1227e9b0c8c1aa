//! The AWS Query protocol at the HTTP edge: parameters from the query string and the form body,
//! which service and operation they name, and the XML error document.

use crate::api::query::QueryNode;
use crate::api::{xml, ApiError, Operation, Service};

/// Decodes `application/x-www-form-urlencoded` text into pairs (`+` is a space, `%XX` bytes).
pub fn form_pairs(raw: &[u8]) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(raw).map_err(|_| {
        ApiError::new(
            "MalformedQueryString",
            400,
            true,
            "The query string or form body could not be parsed.",
        )
    })
}

/// All parameters of a request: the query string's, then the form body's.
pub fn parameters(query: &str, form_body: Option<&[u8]>) -> Result<QueryNode, ApiError> {
    let mut pairs = form_pairs(query.as_bytes())?;
    if let Some(body) = form_body {
        pairs.extend(form_pairs(body)?);
    }
    // The SigV4 presigning parameters are not operation input.
    pairs.retain(|(k, _)| !k.starts_with("X-Amz-"));
    Ok(QueryNode::from_pairs(pairs))
}

/// The operation a request names. `signing_service` (from the signature's credential scope)
/// picks IAM or STS when present; otherwise the action name alone decides (the services share
/// no action names). A `Version` other than the service's is refused as AWS refuses it.
pub fn operation(params: &QueryNode, signing_service: Option<&str>) -> Result<Operation, ApiError> {
    let action = params.param("Action").unwrap_or_default();
    let version = params.param("Version");
    let service = match signing_service {
        Some("iam") => Some(Service::Iam),
        Some("sts") => Some(Service::Sts),
        _ => None,
    };
    let op = match service {
        Some(s) => Operation::find(s, action),
        None => Operation::find_any(action),
    };
    let default_version = service.unwrap_or(Service::Iam).version();
    let Some(op) = op else {
        return Err(ApiError::invalid_action(
            action,
            version.unwrap_or(default_version),
        ));
    };
    match version {
        Some(v) if v != op.service().version() => Err(ApiError::invalid_action(action, v)),
        _ => Ok(op),
    }
}

/// The XML body of an error answer.
pub fn error_body(error: &ApiError, service: Service, request_id: &str) -> Vec<u8> {
    xml::write_error(error, service.namespace(), request_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_operations_by_service_and_version() {
        let p = parameters("Action=GetUser&Version=2010-05-08", None).unwrap_or_default();
        assert_eq!(operation(&p, Some("iam")), Ok(Operation::GetUser));
        let p = parameters("Action=GetCallerIdentity&Version=2011-06-15", None).unwrap_or_default();
        assert_eq!(operation(&p, None), Ok(Operation::GetCallerIdentity));
        let p = parameters("Action=GetUser&Version=2011-06-15", None).unwrap_or_default();
        let e = operation(&p, Some("iam")).err().map(|e| e.code.to_string());
        assert_eq!(e.as_deref(), Some("InvalidAction"));
        let p = parameters("Action=Nope", None).unwrap_or_default();
        let e = operation(&p, Some("iam"))
            .err()
            .map(|e| e.message().to_string());
        assert_eq!(
            e.as_deref(),
            Some("Could not find operation Nope for version 2010-05-08")
        );
    }

    #[test]
    fn form_decoding_handles_plus_and_percent() {
        let p = parameters("", Some(b"Action=CreateUser&UserName=a%2Bb&Path=%2Fx+y%2F"))
            .unwrap_or_default();
        assert_eq!(p.param("UserName"), Some("a+b"));
        assert_eq!(p.param("Path"), Some("/x y/"));
    }
}
