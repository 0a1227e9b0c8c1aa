//! Starts a real iamlocal server in-process on 127.0.0.1:0 and builds AWS SDK clients for it.
#![allow(dead_code)]

use std::sync::Arc;

use aws_sdk_iam::config::{BehaviorVersion, Credentials, Region};
use iamlocal::app::App;
use iamlocal::clock::Clock;
use iamlocal::config::Config;
use tokio::sync::oneshot;

pub struct TestServer {
    pub endpoint: String,
    pub app: Arc<App>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(Config::for_tests()).await
    }

    pub async fn start_with(config: Config) -> TestServer {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let app = App::new(config, Clock::default()).await.expect("app");
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(iamlocal::server::run(listener, app.clone(), async {
            let _ = rx.await;
        }));
        TestServer {
            endpoint: format!("http://{addr}"),
            app,
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    /// Stops the server and waits until it has closed its database.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }

    pub fn iam_as(&self, key: &str, secret: &str) -> aws_sdk_iam::Client {
        self.iam_with(key, secret, None)
    }

    /// An IAM client signing with `key`/`secret` and, for temporary credentials, `token`.
    pub fn iam_with(&self, key: &str, secret: &str, token: Option<&str>) -> aws_sdk_iam::Client {
        self.iam_in_region(key, secret, token, "us-east-1")
    }

    /// As [`TestServer::iam_with`], signing for `region` (`aws:RequestedRegion`).
    pub fn iam_in_region(
        &self,
        key: &str,
        secret: &str,
        token: Option<&str>,
        region: &'static str,
    ) -> aws_sdk_iam::Client {
        let conf = aws_sdk_iam::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region))
            .endpoint_url(&self.endpoint)
            .credentials_provider(Credentials::new(
                key,
                secret,
                token.map(str::to_string),
                None,
                "test",
            ))
            .build();
        aws_sdk_iam::Client::from_conf(conf)
    }

    pub fn sts_as(&self, key: &str, secret: &str) -> aws_sdk_sts::Client {
        self.sts_with(key, secret, None)
    }

    pub fn sts_with(&self, key: &str, secret: &str, token: Option<&str>) -> aws_sdk_sts::Client {
        let conf = aws_sdk_sts::Config::builder()
            .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
            .region(aws_sdk_sts::config::Region::new("us-east-1"))
            .endpoint_url(&self.endpoint)
            .credentials_provider(aws_sdk_sts::config::Credentials::new(
                key,
                secret,
                token.map(str::to_string),
                None,
                "test",
            ))
            .build();
        aws_sdk_sts::Client::from_conf(conf)
    }

    /// The default account's root.
    pub fn iam(&self) -> aws_sdk_iam::Client {
        self.iam_as("test", "test")
    }

    pub fn sts(&self) -> aws_sdk_sts::Client {
        self.sts_as("test", "test")
    }
}

/// The AWS error code and message of an SDK error.
pub fn error_of<E, R>(e: &aws_sdk_iam::error::SdkError<E, R>) -> (String, String)
where
    E: aws_sdk_iam::error::ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    match e.as_service_error() {
        Some(s) => (
            s.code().unwrap_or_default().to_string(),
            s.message().unwrap_or_default().to_string(),
        ),
        None => ("<not a service error>".into(), format!("{e:?}")),
    }
}

/// A bare HTTP/1.1 request to the server's admin endpoints; returns (status, body).
pub async fn admin(endpoint: &str, method: &str, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = endpoint.trim_start_matches("http://");
    let mut sock = tokio::net::TcpStream::connect(host).await.expect("connect");
    let req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    sock.write_all(req.as_bytes()).await.expect("write");
    let mut buf = String::new();
    sock.read_to_string(&mut buf).await.expect("read");
    let status = buf
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = buf
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Creates a user with an access key; returns (access key id, secret).
pub async fn user_with_key(s: &TestServer, name: &str) -> (String, String) {
    s.iam()
        .create_user()
        .user_name(name)
        .send()
        .await
        .expect("create user");
    let k = s
        .iam()
        .create_access_key()
        .user_name(name)
        .send()
        .await
        .expect("key");
    let k = k.access_key().expect("key");
    (
        k.access_key_id().to_string(),
        k.secret_access_key().to_string(),
    )
}

/// Creates a customer managed policy in the default account; returns its ARN.
pub async fn create_policy(s: &TestServer, name: &str, document: &str) -> String {
    s.iam()
        .create_policy()
        .policy_name(name)
        .policy_document(document)
        .send()
        .await
        .expect("create policy")
        .policy()
        .and_then(|p| p.arn())
        .expect("policy arn")
        .to_string()
}
