//! `cargo xtask bench`: a load generator for a running iamlocal. It signs requests with
//! aws-sigv4 up front (a signature stays valid for 15 minutes), then replays them over
//! keep-alive HTTP/1.1 connections and reports throughput and latency percentiles.

use std::time::{Duration, Instant, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Options {
    endpoint: String,
    operation: String,
    connections: usize,
    requests: usize,
    key: String,
    secret: String,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        endpoint: "http://127.0.0.1:4590".into(),
        operation: "GetUser".into(),
        connections: 32,
        requests: 50_000,
        key: "test".into(),
        secret: "test".into(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().cloned().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--endpoint" => o.endpoint = val()?,
            "--op" => o.operation = val()?,
            "--connections" | "-c" => o.connections = val()?.parse().map_err(|e| format!("{e}"))?,
            "--requests" | "-n" => o.requests = val()?.parse().map_err(|e| format!("{e}"))?,
            "--key" => o.key = val()?,
            "--secret" => o.secret = val()?,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

/// A signed POST of `body` as raw HTTP/1.1 bytes.
fn signed_request(o: &Options, host: &str, body: &str) -> Result<Vec<u8>, String> {
    let identity = Credentials::new(&o.key, &o.secret, None, None, "bench").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("iam")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let url = format!("http://{host}/");
    let headers = [
        ("host", host),
        (
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        ),
    ];
    let signable = SignableRequest::new(
        "POST",
        &url,
        headers.into_iter(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    let mut req = http::Request::builder().method("POST").uri(&url);
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let mut req = req.body(()).map_err(|e| e.to_string())?;
    instructions.apply_to_request_http1x(&mut req);
    let mut raw = format!("POST / HTTP/1.1\r\ncontent-length: {}\r\n", body.len());
    for (k, v) in req.headers() {
        raw.push_str(&format!("{}: {}\r\n", k, v.to_str().unwrap_or_default()));
    }
    raw.push_str("\r\n");
    raw.push_str(body);
    Ok(raw.into_bytes())
}

/// Sends one request on `sock` and reads the whole answer; returns the status code.
async fn roundtrip(sock: &mut TcpStream, req: &[u8], buf: &mut Vec<u8>) -> Result<u16, String> {
    sock.write_all(req).await.map_err(|e| e.to_string())?;
    buf.clear();
    let mut chunk = [0u8; 8192];
    loop {
        let n = sock.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed".into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    l.strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                let status = head
                    .split_whitespace()
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                return Ok(status);
            }
        }
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let o = options(args)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(run_async(o))
}

async fn run_async(o: Options) -> Result<(), String> {
    let host = o
        .endpoint
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut setup = TcpStream::connect(&host).await.map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    // GetUser reads one existing user; make sure it exists.
    let create = signed_request(
        &o,
        &host,
        "Action=CreateUser&Version=2010-05-08&UserName=bench-user",
    )?;
    roundtrip(&mut setup, &create, &mut buf).await?;

    let stamp = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let per_conn = o.requests / o.connections.max(1);
    let mut plans: Vec<Vec<Vec<u8>>> = Vec::new();
    for c in 0..o.connections {
        let mut reqs = Vec::new();
        if o.operation == "CreateUser" {
            for i in 0..per_conn {
                let body =
                    format!("Action=CreateUser&Version=2010-05-08&UserName=b{stamp}-{c}-{i}");
                reqs.push(signed_request(&o, &host, &body)?);
            }
        } else {
            let body = format!(
                "Action={}&Version=2010-05-08&UserName=bench-user",
                o.operation
            );
            reqs.push(signed_request(&o, &host, &body)?);
        }
        plans.push(reqs);
    }

    let started = Instant::now();
    let mut tasks = Vec::new();
    for reqs in plans {
        let host = host.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(per_conn);
            let mut errors = 0usize;
            let mut sock = TcpStream::connect(&host).await.map_err(|e| e.to_string())?;
            sock.set_nodelay(true).map_err(|e| e.to_string())?;
            let mut buf = Vec::with_capacity(8192);
            for i in 0..per_conn {
                let req = &reqs[i % reqs.len()];
                let t = Instant::now();
                let status = roundtrip(&mut sock, req, &mut buf).await?;
                lat.push(t.elapsed());
                if status != 200 {
                    errors += 1;
                }
            }
            Ok::<_, String>((lat, errors))
        }));
    }
    let mut all: Vec<Duration> = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await.map_err(|e| e.to_string())??;
        all.extend(lat);
        errors += e;
    }
    let elapsed = started.elapsed();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    println!(
        "{} x{} over {} connections: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, non-200: {}",
        o.operation,
        all.len(),
        o.connections,
        all.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        all.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
        errors
    );
    Ok(())
}
