#![allow(dead_code)] // each test file uses part of it
//! Headless Chromium through ChromeDriver (Debian's `chromium` and
//! `chromium-driver`; `scripts/test` installs them), on a site built by the
//! real binary and served as static files from a loopback port.

use crate::common::server::free_port;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn wait_for_port(port: u16, what: &str) {
    let t0 = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "{what} did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Serves `dir` over HTTP on a free port, like any static host: `x/` gives
/// `x/index.html`, a missing file gives `404.html` with status 404.
pub fn static_server(rt: &tokio::runtime::Runtime, dir: PathBuf) -> u16 {
    use axum::http::{header, StatusCode, Uri};
    use axum::response::IntoResponse;
    let port = free_port();
    let app = axum::Router::new().fallback(move |uri: Uri| {
        let dir = dir.clone();
        async move {
            let path = percent_encoding::percent_decode_str(uri.path())
                .decode_utf8_lossy()
                .into_owned();
            let mut rel = path.trim_start_matches('/').to_string();
            if rel.is_empty() || rel.ends_with('/') {
                rel.push_str("index.html");
            }
            let file = dir.join(&rel);
            let ok = !rel.split('/').any(|c| c == "..") && file.is_file();
            let (status, file) = if ok {
                (StatusCode::OK, file)
            } else {
                (StatusCode::NOT_FOUND, dir.join("404.html"))
            };
            let ct = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("css") => "text/css",
                Some("js") => "text/javascript",
                Some("json") => "application/json",
                Some("xml") => "application/xml",
                _ => "application/octet-stream",
            };
            let body = std::fs::read(&file).unwrap_or_default();
            (status, [(header::CONTENT_TYPE, ct)], body).into_response()
        }
    });
    let listener = rt
        .block_on(tokio::net::TcpListener::bind(("127.0.0.1", port)))
        .unwrap();
    rt.spawn(async move { axum::serve(listener, app).await });
    port
}

pub struct Browser {
    pub rt: tokio::runtime::Runtime,
    pub c: Client,
    driver: Child,
    driver_port: u16,
    pub base: String,
    _out: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let c = self.c.clone();
        let _ = self.rt.block_on(c.close());
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    /// Builds the site at `root` with the real binary, serves the output and
    /// opens a headless Chromium on it.
    pub fn on_site(root: &Path) -> Browser {
        let out = tempfile::tempdir().unwrap();
        let public = out.path().join("public");
        let r = Command::new(env!("CARGO_BIN_EXE_servicekb"))
            .args(["build", "--root"])
            .arg(root)
            .arg("--output")
            .arg(&public)
            .output()
            .unwrap();
        assert!(
            r.status.success(),
            "the site builds: {}",
            String::from_utf8_lossy(&r.stderr)
        );
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let port = static_server(&rt, public);
        let driver_port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (Debian's chromium-driver: scripts/test installs it)");
        wait_for_port(driver_port, "chromedriver");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium_binary(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900"],
            }),
        );
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let c = rt
            .block_on(
                ClientBuilder::new(HttpConnector::new())
                    .capabilities(caps)
                    .connect(&format!("http://127.0.0.1:{driver_port}")),
            )
            .expect("a Chromium session starts");
        Browser {
            rt,
            c,
            driver,
            driver_port,
            base: format!("http://127.0.0.1:{port}"),
            _out: out,
        }
    }

    pub fn goto(&self, path: &str) {
        let url = format!("{}{}", self.base, path);
        self.rt.block_on(self.c.goto(&url)).unwrap();
    }

    /// Runs `js` (a function body; `arguments` are `args`) and returns its value.
    pub fn js(&self, js: &str, args: Vec<Value>) -> Value {
        self.rt
            .block_on(self.c.execute(js, args))
            .unwrap_or_else(|e| panic!("script failed: {e}\n{js}"))
    }

    /// Like `js`, for a script that calls `arguments[arguments.length-1]` when done.
    pub fn js_async(&self, js: &str, args: Vec<Value>) -> Value {
        self.rt
            .block_on(self.c.execute_async(js, args))
            .unwrap_or_else(|e| panic!("script failed: {e}\n{js}"))
    }

    pub fn text(&self, selector: &str) -> String {
        self.js(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
            vec![json!(selector)],
        )
        .as_str()
        .unwrap_or_else(|| panic!("no element {selector}"))
        .to_string()
    }

    pub fn click(&self, selector: &str) {
        let c = &self.c;
        self.rt.block_on(async {
            c.find(fantoccini::Locator::Css(selector))
                .await
                .unwrap_or_else(|e| panic!("no element {selector}: {e}"))
                .click()
                .await
                .unwrap_or_else(|e| panic!("cannot click {selector}: {e}"));
        });
    }

    pub fn type_into(&self, selector: &str, text: &str) {
        let c = &self.c;
        self.rt.block_on(async {
            let e = c.find(fantoccini::Locator::Css(selector)).await.unwrap();
            e.clear().await.unwrap();
            e.send_keys(text).await.unwrap();
        });
    }

    /// Chooses files for an `<input type=file>`.
    pub fn upload(&self, selector: &str, files: &[&Path]) {
        let c = &self.c;
        let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        self.rt.block_on(async {
            let e = c.find(fantoccini::Locator::Css(selector)).await.unwrap();
            e.send_keys(&paths.join("\n")).await.unwrap();
        });
    }

    pub fn reload(&self) {
        self.rt.block_on(self.c.refresh()).unwrap();
    }

    /// Waits until `js` returns something truthy, and returns it.
    pub fn wait_for(&self, js: &str, what: &str) -> Value {
        let t0 = Instant::now();
        loop {
            let v = self.js(js, vec![]);
            if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
                return v;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "timed out waiting for {what}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The browser console's messages at level SEVERE since the last call.
    pub fn console_errors(&self) -> Vec<String> {
        let v = self
            .rt
            .block_on(self.c.issue_cmd(BrowserLog))
            .expect("ChromeDriver returns the browser log");
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter(|e| e["level"] == "SEVERE")
                    .map(|e| e["message"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Sets the window's size in CSS pixels.
    pub fn resize(&self, width: u32, height: u32) {
        self.rt
            .block_on(self.c.set_window_size(width, height))
            .unwrap();
    }

    /// Like `axe`, and the moderate violations too.
    pub fn axe_moderate(&self) -> Vec<String> {
        self.axe_at(&["critical", "serious", "moderate"])
    }

    /// Like `axe`, every violation of any impact.
    pub fn axe_all(&self) -> Vec<String> {
        self.axe_at(&["critical", "serious", "moderate", "minor"])
    }

    /// Runs axe-core (npm `axe-core`) in the page; returns the critical and
    /// serious violations as "id: help (targets)".
    pub fn axe(&self) -> Vec<String> {
        self.axe_at(&["critical", "serious"])
    }

    fn axe_at(&self, impacts: &[&str]) -> Vec<String> {
        let axe = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
        let src = std::fs::read_to_string(&axe)
            .expect("axe-core is installed (npm ci; scripts/test does it)");
        self.js(&src, vec![]);
        let r = self.js_async(
            "const done = arguments[arguments.length - 1], want = arguments[0];
             axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] })
               .then(r => done(r.violations.filter(v => want.includes(v.impact))
                 .map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ') + ')')))
               .catch(e => done(['axe failed: ' + e]));",
            vec![json!(impacts)],
        );
        r.as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }
}

/// A Chrome DevTools command through ChromeDriver (`Emulation.setEmulatedMedia`,
/// `Page.printToPDF`...), which WebDriver has no call for.
#[derive(Debug)]
struct Cdp(String, Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "cmd": self.0, "params": self.1 }).to_string()),
        )
    }
}

impl Browser {
    /// Runs a DevTools command and returns its result.
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.rt
            .block_on(self.c.issue_cmd(Cdp(cmd.to_string(), params)))
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// Lays the page out for print (`true`) or for the screen.
    pub fn print_media(&self, on: bool) {
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "media": if on { "print" } else { "" } }),
        );
    }

    /// The page printed to PDF on A4 paper, as Chromium's print does.
    pub fn pdf_a4(&self) -> Vec<u8> {
        let r = self.cdp(
            "Page.printToPDF",
            json!({ "paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": true }),
        );
        base64_decode(r["data"].as_str().expect("PDF data"))
    }

    /// Saves a PNG of the element `selector` as `dir/name.png`, if the
    /// environment names a folder in CHECKLIST_SCREENSHOTS (to look at them).
    pub fn screenshot_of(&self, selector: &str, name: &str) {
        let Ok(dir) = std::env::var("CHECKLIST_SCREENSHOTS") else {
            return;
        };
        let c = &self.c;
        let png = self.rt.block_on(async {
            let e = c.find(fantoccini::Locator::Css(selector)).await.unwrap();
            e.screenshot().await.unwrap()
        });
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        .map(val)
        .collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | (u32::from(*d) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// The number of pages in a PDF that Chromium wrote.
pub fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

/// ChromeDriver's log endpoint, which the WebDriver client has no call for.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

fn chromium_binary() -> String {
    for p in [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ] {
        if Path::new(p).exists() {
            return p.to_string();
        }
    }
    "chromium".to_string()
}
