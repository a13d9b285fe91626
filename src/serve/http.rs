//! The HTTP side of `serve`: the built site from memory (never the file
//! system, so no path can lead outside it), the live-reload stream and script.

use super::{App, Notice};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, Response, StatusCode, Uri, Version};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::convert::Infallible;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;
use unicode_normalization::UnicodeNormalization;

const EVENTS: &str = "/__servicekb/events";
const LIVE_JS: &str = "/__servicekb/live.js";
const LIVE_SCRIPT: &str = include_str!("live.js");
/// A client that has not sent a whole request head by then is hung up on
/// (slowloris), and so is an idle keep-alive connection.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

pub async fn run(app: Arc<App>, listener: std::net::TcpListener) -> u8 {
    let local = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: cannot serve: {e}");
            return 1;
        }
    };
    let hosts = Hosts {
        port: local.port(),
        any: !super::is_loopback(local.ip()),
    };
    if let Err(e) = listener.set_nonblocking(true) {
        eprintln!("error: cannot serve: {e}");
        return 1;
    }
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot serve: {e}");
            return 1;
        }
    };
    let router = Router::new()
        .route(EVENTS, get(events))
        .route(LIVE_JS, get(live_js))
        .fallback(site_file)
        .with_state(app)
        .layer(axum::middleware::from_fn_with_state(hosts, check_request));
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let mut last_error = String::new();
    loop {
        tokio::select! {
            _ = &mut ctrl_c => {
                // Open event streams never end by themselves: leave at once.
                println!("stopping");
                return 0;
            }
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    tokio::spawn(connection(stream, router.clone()));
                }
                Err(e) => {
                    // Out of file descriptors, say: wait for some to close.
                    let text = e.to_string();
                    if text != last_error {
                        eprintln!("warning: cannot accept a connection: {text}");
                        last_error = text;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
        }
    }
}

/// One HTTP/1 connection, with a deadline for its request heads (axum's own
/// `serve` sets none).
async fn connection(stream: tokio::net::TcpStream, router: Router) {
    let _ = stream.set_nodelay(true);
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(router))
        .await;
}

/// The hosts requests may be for. On a loopback address, only loopback
/// names and this port: a web page whose host name its owner points at
/// 127.0.0.1 (DNS rebinding) is same-origin with itself, not with the
/// preview, and is refused. On other addresses any name goes (serve warns
/// that it serves to the network).
#[derive(Clone, Copy)]
struct Hosts {
    port: u16,
    any: bool,
}

impl Hosts {
    /// Whether `host` (a Host header or a request's authority: a name or an
    /// address, then maybe `:port`) is a loopback name and, if it has a
    /// port, ours.
    fn allows(self, host: &str) -> bool {
        if self.any {
            return true;
        }
        let (local, rest) = match host.strip_prefix('[') {
            Some(v6) => {
                let Some((addr, rest)) = v6.split_once(']') else {
                    return false;
                };
                (
                    addr.parse::<Ipv6Addr>().is_ok_and(|a| a.is_loopback()),
                    rest,
                )
            }
            None => {
                let (name, rest) = host.split_at(host.find(':').unwrap_or(host.len()));
                let local = name.eq_ignore_ascii_case("localhost")
                    || name.parse::<Ipv4Addr>().is_ok_and(|a| a.is_loopback());
                (local, rest)
            }
        };
        local
            && match rest.strip_prefix(':') {
                None => rest.is_empty(),
                Some(p) => p.bytes().all(|b| b.is_ascii_digit()) && p.parse() == Ok(self.port),
            }
    }
}

/// Refuses a request with no Host (HTTP/1.1 requires one), more than one,
/// or one not ours, and methods other than GET and HEAD.
async fn check_request(State(hosts): State<Hosts>, req: Request, next: Next) -> Response<Body> {
    let mut given = req.headers().get_all(header::HOST).iter();
    let host = given.next();
    if given.next().is_some() {
        return plain(
            StatusCode::BAD_REQUEST,
            "bad request: more than one Host header\n",
        );
    }
    if host.is_none() && req.version() != Version::HTTP_10 {
        return plain(StatusCode::BAD_REQUEST, "bad request: no Host header\n");
    }
    // A request for `http://host/path` names its host twice: both must do.
    let names = host
        .map(|h| h.to_str().unwrap_or_default())
        .into_iter()
        .chain(req.uri().authority().map(|a| a.as_str()));
    if !names.into_iter().all(|n| hosts.allows(n)) {
        return plain(
            StatusCode::MISDIRECTED_REQUEST,
            &format!(
                "misdirected request: this preview answers only to localhost, 127.0.0.1 and [::1] on port {}\n",
                hosts.port
            ),
        );
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    next.run(req).await
}

async fn live_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_SCRIPT,
    )
}

async fn events(State(app): State<Arc<App>>) -> impl IntoResponse {
    let current = app.error.read().unwrap_or_else(|e| e.into_inner()).clone();
    let first = tokio_stream::iter(
        current.map(|t| Ok::<Event, Infallible>(Event::default().event("build-error").data(t))),
    );
    let rest = BroadcastStream::new(app.tx.subscribe()).filter_map(move |n| {
        Some(Ok::<Event, Infallible>(match n {
            Ok(Notice::Reload) => Event::default().event("reload").data("reload"),
            Ok(Notice::Css) => Event::default().event("css").data("css"),
            Ok(Notice::Error) => {
                // The errors as they are now; none if already fixed.
                let text = app
                    .error
                    .read()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone()?;
                Event::default().event("build-error").data(text)
            }
            Ok(Notice::Ok) => Event::default().event("build-ok").data("ok"),
            // A client too slow to read misses notices rather than piling
            // them up; a reload shows it the current state.
            Err(BroadcastStreamRecvError::Lagged(_)) => {
                Event::default().event("reload").data("reload")
            }
        }))
    });
    Sse::new(first.chain(rest)).keep_alive(KeepAlive::default())
}

pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path.ends_with("atom.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The output file a request path names, or why it cannot name one.
pub fn resolve_path(raw: &str) -> Result<String, StatusCode> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| StatusCode::BAD_REQUEST)?;
    if decoded.contains(['\\', '\0']) {
        return Err(StatusCode::BAD_REQUEST);
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(StatusCode::BAD_REQUEST),
            s => parts.push(s.nfc().collect::<String>()),
        }
    }
    let rel = parts.join("/");
    Ok(if rel.is_empty() {
        "index.html".into()
    } else if decoded.ends_with('/') {
        format!("{rel}/index.html")
    } else {
        rel
    })
}

fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_JS}\" defer></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn respond(status: StatusCode, path: &str, bytes: Vec<u8>) -> Response<Body> {
    let ct = content_type(path);
    let body = if ct.starts_with("text/html") {
        inject(&bytes)
    } else {
        bytes
    };
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut().insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn plain(status: StatusCode, text: &str) -> Response<Body> {
    let mut r = Response::new(Body::from(text.to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// GET or HEAD (`check_request` refuses other methods).
async fn site_file(State(app): State<Arc<App>>, uri: Uri) -> Response<Body> {
    let rel = match resolve_path(uri.path()) {
        Ok(r) => r,
        Err(s) => return plain(s, "bad request\n"),
    };
    // A clone of the `Arc`, and the lock let go at once: a rebuild swapping
    // in new files does not wait for this request, nor it for the rebuild.
    let files = app.files.read().unwrap_or_else(|e| e.into_inner()).clone();
    let Some(files) = files else {
        let errs = app
            .error
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .unwrap_or_default();
        let page = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build error</title></head><body><h1>The site has errors</h1><pre>{}</pre></body></html>",
            crate::text::escape_html(&errs)
        );
        return respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            "error.html",
            page.into_bytes(),
        );
    };
    if let Some(bytes) = files.get(&rel) {
        return respond(StatusCode::OK, &rel, bytes.to_vec());
    }
    // A folder asked for without its slash: send the browser to it, by the
    // path resolved (`//en` → `/en/`). The path as asked could make
    // `//en/`, which a browser reads as a link to the host `en`.
    if files.contains_key(&format!("{rel}/index.html")) {
        let mut r = plain(StatusCode::MOVED_PERMANENTLY, "moved\n");
        if let Ok(v) = HeaderValue::from_str(&crate::urls::encode_path(&format!("/{rel}/"))) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    match files.get("404.html") {
        Some(b) => respond(StatusCode::NOT_FOUND, "404.html", b.to_vec()),
        None => plain(StatusCode::NOT_FOUND, "not found\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_site() {
        assert_eq!(resolve_path("/").unwrap(), "index.html");
        assert_eq!(resolve_path("/en/").unwrap(), "en/index.html");
        assert_eq!(
            resolve_path("/pl/articles/pr%C3%BCfung/").unwrap(),
            "pl/articles/prüfung/index.html"
        );
        assert_eq!(resolve_path("//etc/passwd").unwrap(), "etc/passwd");
        for bad in [
            "/../site.yaml",
            "/%2e%2e/site.yaml",
            "/..%2fsite.yaml",
            "/en/../../x",
            "/..%5csite.yaml",
            "/a%00b",
        ] {
            assert_eq!(resolve_path(bad), Err(StatusCode::BAD_REQUEST), "{bad}");
        }
    }

    #[test]
    fn on_loopback_only_loopback_names_and_our_port_are_hosts() {
        let ours = Hosts {
            port: 1111,
            any: false,
        };
        for good in [
            "localhost",
            "localhost:1111",
            "LocalHost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.3.2.1:1111",
            "[::1]",
            "[::1]:1111",
            "[0:0:0:0:0:0:0:1]:1111",
        ] {
            assert!(ours.allows(good), "{good}");
        }
        for bad in [
            "",
            "evil.example",
            "evil.example:1111",
            "localhost:1112",
            "localhost:",
            "localhost:+1111",
            "localhost:01111x",
            "localhost.",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "127.1",
            "0.0.0.0:1111",
            "192.168.1.10:1111",
            "[::2]:1111",
            "[::1",
            "::1",
            "[::ffff:127.0.0.1]",
            "user@localhost:1111",
            "localhost:1111@evil.example",
        ] {
            assert!(!ours.allows(bad), "{bad}");
        }
        let anyone = Hosts {
            port: 1111,
            any: true,
        };
        assert!(anyone.allows("evil.example:80"));
    }
}
