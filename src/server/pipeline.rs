//! One request through the pipe: parameters → SigV4 → operation → handler (which authorizes)
//! → XML. Every failure on the way is an AWS error answer.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::api::{dispatch, ApiError, Operation, Service};
use crate::app::App;
use crate::authz::{Call, Principal, Session, SessionKind};
use crate::{ids, protocol, sigv4};

/// What a request turned into, for the answer and the log line.
struct Outcome {
    service: Service,
    action: Option<Operation>,
    principal: Option<String>,
    result: Result<Vec<u8>, ApiError>,
}

pub async fn handle(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let request_id = ids::request_id();
    let mut outcome = Outcome {
        service: Service::Iam,
        action: None,
        principal: None,
        result: Ok(Vec::new()),
    };
    outcome.result = process(
        &app,
        peer,
        &method,
        &uri,
        &headers,
        &body,
        &request_id,
        &mut outcome,
    )
    .await;
    let (status, body, error) = match outcome.result {
        Ok(xml) => (StatusCode::OK, xml, None),
        Err(e) => (
            StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            protocol::error_body(&e, outcome.service, &request_id),
            Some(e.code),
        ),
    };
    tracing::info!(
        action = outcome.action.map(Operation::name).unwrap_or("-"),
        principal = outcome.principal.as_deref().unwrap_or("-"),
        status = status.as_u16(),
        error = error.as_deref().unwrap_or(""),
        ms = format_args!("{:.2}", started.elapsed().as_secs_f64() * 1000.0),
        "request"
    );
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        h.insert("x-amzn-RequestId", v);
    }
    response
}

#[allow(clippy::too_many_arguments)]
async fn process(
    app: &App,
    peer: SocketAddr,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    request_id: &str,
    outcome: &mut Outcome,
) -> Result<Vec<u8>, ApiError> {
    let query = uri.query().unwrap_or("");
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    let form = (*method == Method::POST && is_form).then_some(body);
    let params = protocol::parameters(query, form)?;

    let header_list: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let parts = sigv4::RequestParts {
        method: method.as_str(),
        path: uri.path(),
        query,
        headers: &header_list,
        body,
    };
    let auth = sigv4::parse(&parts).map_err(sigv4_error)?;
    let Some(auth) = auth else {
        let op = protocol::operation(&params, None)?;
        outcome.service = op.service();
        outcome.action = Some(op);
        if op.is_unsigned() {
            // AssumeRoleWithWebIdentity/SAML: the token in the request is the credential; the
            // handler checks it.
            let call = Call::new(
                Principal::Anonymous {
                    account_id: app.config.account_id.clone(),
                },
                None,
                op,
                request_id.to_string(),
                peer.ip(),
                app.config.region.clone(),
                app.clock.now(),
            );
            return dispatch_checked(app, &call, op, &params, request_id).await;
        }
        return Err(ApiError::new(
            "MissingAuthenticationToken",
            403,
            true,
            "Request is missing Authentication Token",
        ));
    };
    if auth.service == "sts" {
        outcome.service = Service::Sts;
    }
    let credential = app
        .credential(&auth.access_key_id)
        .await?
        .filter(|c| c.active)
        .ok_or_else(invalid_client_token)?;
    // Temporary credentials are only valid with their session token.
    if credential.session_token.is_some() && auth.session_token != credential.session_token {
        return Err(invalid_client_token());
    }
    let now = app.clock.now();
    // The token is read before the signature: an expired one is refused as such.
    if credential
        .session
        .as_ref()
        .is_some_and(|s| now >= s.expiration)
    {
        return Err(ApiError::new(
            "ExpiredToken",
            403,
            true,
            "The security token included in the request is expired",
        ));
    }
    if let Err(e) = sigv4::verify(&parts, &auth, &credential.secret, now) {
        tracing::debug!(canonical_request = %sigv4::canonical_request(&parts, &auth), "signature mismatch");
        return Err(sigv4_error(e));
    }
    outcome.principal = Some(credential.principal.arn());

    let op = protocol::operation(&params, Some(&auth.service))?;
    outcome.service = op.service();
    outcome.action = Some(op);
    if let Some(session) = &credential.session {
        session_may_call(session, op)?;
    }
    app.record_key_use(
        &auth.access_key_id,
        op.service().signing_name(),
        &auth.region,
    );

    let mut call = Call::new(
        credential.principal.clone(),
        Some(auth.access_key_id.clone()),
        op,
        request_id.to_string(),
        peer.ip(),
        auth.region.clone(),
        now,
    );
    call.session = credential.session.clone();
    dispatch_checked(app, &call, op, &params, request_id).await
}

/// Runs the handler; a success that skipped authorization is refused, so no handler can forget.
async fn dispatch_checked(
    app: &App,
    call: &Call,
    op: Operation,
    params: &crate::api::query::QueryNode,
    request_id: &str,
) -> Result<Vec<u8>, ApiError> {
    let answer = dispatch(app, call, op, params, request_id).await;
    if call.was_authorized() {
        // AWS: API reference, GenerateServiceLastAccessedDetails: last accessed data "includes
        // all attempts to access an AWS API, not just the successful ones" — every call that
        // reached its authorization check, allowed or denied.
        app.record_service_use(&call.principal, op, &call.region, call.now.timestamp());
    }
    let answer = answer?;
    if !call.was_authorized() {
        tracing::error!(action = op.name(), "handler answered without authorizing");
        return Err(ApiError::internal("The call was not authorized."));
    }
    Ok(answer)
}

/// Which temporary credentials may call IAM at all (STS API reference, "Compare AWS STS
/// credentials"): GetSessionToken credentials only with MFA, GetFederationToken credentials
/// never. (What they may do in STS, the STS handlers check.)
fn session_may_call(session: &Session, op: Operation) -> Result<(), ApiError> {
    let allowed = op.service() != Service::Iam
        || match session.kind {
            SessionKind::Role => true,
            SessionKind::User => session.mfa_time.is_some(),
            SessionKind::Federated => false,
        };
    if allowed {
        Ok(())
    } else {
        Err(invalid_client_token())
    }
}

fn invalid_client_token() -> ApiError {
    ApiError::new(
        "InvalidClientTokenId",
        403,
        true,
        "The security token included in the request is invalid.",
    )
}

fn sigv4_error(e: sigv4::SigV4Error) -> ApiError {
    ApiError {
        code: e.code().into(),
        status: e.http_status(),
        sender: true,
        message: Some(e.to_string()),
    }
}
