//! The real `servicekb serve` on a free loopback port, and plain HTTP/SSE
//! clients over raw sockets to talk to it.

use super::Site;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the tests wait for something that should happen at once; long,
/// so that a slow, busy machine does not fail them.
pub const PATIENCE: Duration = Duration::from_secs(30);

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Server {
    pub child: Child,
    pub port: u16,
    pub log: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the log has `needle` (output is read on its own thread,
    /// so it can come after the event it goes with).
    pub fn wait_log(&self, needle: &str) {
        let t0 = Instant::now();
        while !self.log().contains(needle) {
            assert!(
                t0.elapsed() < PATIENCE,
                "the log never showed {needle:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Panics with the log if the server has exited or panicked.
    pub fn assert_alive(&mut self) {
        let status = self.child.try_wait().unwrap();
        let log = self.log();
        assert!(status.is_none(), "server exited ({status:?}):\n{log}");
        assert!(!log.contains("panicked"), "server panicked:\n{log}");
    }

    /// Resident memory of the server process in KiB (Linux only).
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    }
}

/// `serve --root <site>`, once it answers.
pub fn start(s: &Site) -> Server {
    launch(s, &["--root", s.path().to_str().unwrap()])
}

/// `serve` run in the site's folder, without `--root`.
pub fn start_in_site(s: &Site) -> Server {
    launch(s, &[])
}

/// `serve --root <site>` with more arguments (`--bind`, say), on the port
/// the system gives (`--port 0`), as the server prints it, once it answers.
pub fn start_with(s: &Site, args: &[&str]) -> Server {
    let root = s.path().to_str().unwrap();
    let (child, log) = spawn(s, &[&["--root", root], args, &["--port", "0"]].concat());
    let mut srv = Server {
        child,
        port: 0,
        log,
    };
    let t0 = Instant::now();
    srv.port = loop {
        // serving <root> at http://<address>:<port>/ (Ctrl-C to stop)
        let port = srv.log().lines().find_map(|l| {
            let url = l.strip_prefix("serving ")?.split(" at http://").nth(1)?;
            url.split('/').next()?.rsplit_once(':')?.1.parse().ok()
        });
        if let Some(p) = port {
            break p;
        }
        assert!(t0.elapsed() < PATIENCE, "no address printed: {}", srv.log());
        std::thread::sleep(Duration::from_millis(20));
    };
    ready(srv)
}

fn launch(s: &Site, args: &[&str]) -> Server {
    let port = free_port();
    let (child, log) = spawn(s, &[args, &["--port", &port.to_string()]].concat());
    ready(Server { child, port, log })
}

/// The server running, its output gathered as it comes.
fn spawn(s: &Site, args: &[&str]) -> (Child, Arc<Mutex<String>>) {
    let mut child = Command::new(super::bin())
        .arg("serve")
        .args(args)
        .current_dir(s.path())
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    for pipe in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let log = log.clone();
        std::thread::spawn(move || {
            for mut line in BufReader::new(pipe).lines().map_while(Result::ok) {
                // Huge error lines would only bloat the test's memory.
                if line.len() > 4000 {
                    let mut cut = 4000;
                    while !line.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    line.truncate(cut);
                    line.push('…');
                }
                log.lock().unwrap().push_str(&(line + "\n"));
            }
        });
    }
    (child, log)
}

/// `srv` once it answers.
fn ready(srv: Server) -> Server {
    let t0 = Instant::now();
    while t0.elapsed() < PATIENCE {
        if get(srv.port, "/en/").is_some_and(|r| r.0 == 200) {
            return srv;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("server did not start: {}", srv.log());
}

/// A whole response: status, head (lower-cased), body bytes.
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.head
            .lines()
            .find_map(|l| l.strip_prefix(prefix.as_str()).map(str::trim))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One GET on a fresh connection, read to the end.
pub fn fetch(port: u16, path: &str) -> Option<Response> {
    request(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    )
}

/// `head` (a request line and headers, as they go on the wire) sent on a
/// fresh connection; the answer, read until the server closes it.
pub fn request(port: u16, head: &str) -> Option<Response> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(PATIENCE)).ok()?;
    s.write_all(head.as_bytes()).ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some(Response {
        status,
        head,
        body: buf[end + 4..].to_vec(),
    })
}

/// (status, content type, body)
pub fn get(port: u16, path: &str) -> Option<(u16, String, String)> {
    let r = fetch(port, path)?;
    let ct = r.header("content-type").unwrap_or_default().to_string();
    Some((r.status, ct, r.text()))
}

/// Reload-stream events (name, data), as they arrive.
pub fn events(port: u16) -> mpsc::Receiver<(String, String)> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET /__servicekb/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        let (mut name, mut data) = (String::new(), Vec::new());
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data.push(d.to_string());
            } else if line.is_empty() && !data.is_empty() {
                if tx
                    .send((std::mem::take(&mut name), data.join("\n")))
                    .is_err()
                {
                    return;
                }
                data.clear();
            }
        }
    });
    std::thread::sleep(Duration::from_millis(200));
    rx
}

pub fn next_event(rx: &mpsc::Receiver<(String, String)>) -> (String, String) {
    rx.recv_timeout(PATIENCE)
        .expect("an event within the time allowed")
}

/// Events until one named `name` arrives; returns its data.
pub fn event_named(rx: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    let t0 = Instant::now();
    loop {
        let left = PATIENCE.saturating_sub(t0.elapsed());
        match rx.recv_timeout(left) {
            Ok((n, d)) if n == name => return d,
            Ok(_) => {}
            Err(_) => panic!("no {name:?} event within {PATIENCE:?}"),
        }
    }
}

/// The page once it contains `needle` (polled; panics after a long while).
pub fn wait_for(port: u16, path: &str, needle: &str) -> String {
    let t0 = Instant::now();
    loop {
        if let Some((200, _, body)) = get(port, path) {
            if body.contains(needle) {
                return body;
            }
        }
        assert!(t0.elapsed() < PATIENCE, "{path} never showed {needle:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until `path` answers with `status`.
pub fn wait_status(port: u16, path: &str, status: u16) {
    let t0 = Instant::now();
    while get(port, path).map(|r| r.0) != Some(status) {
        assert!(t0.elapsed() < PATIENCE, "{path} never answered {status}");
        std::thread::sleep(Duration::from_millis(20));
    }
}
