//! Edit-to-reload latency of `servicekb serve`: starts the real server on a
//! site, edits one article's body N times, and times each write until the
//! reload event reaches a browser-like client of the event stream.
//!
//! Usage: serve_latency SERVICEKB_BIN SITE_DIR ARTICLE_REL [N] [rename]
//!
//! With `rename`, each edit is saved as `sed -i`, gedit and JetBrains'
//! safe write save: into a new file beside the article, renamed over it.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: serve_latency SERVICEKB_BIN SITE_DIR ARTICLE_REL [N] [rename]");
        std::process::exit(2);
    }
    let (bin, site, rel) = (&args[1], &args[2], &args[3]);
    let n: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(20);
    let rename = args.get(5).is_some_and(|a| a == "rename");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(bin)
        .args(["serve", "--root", site, "--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("servicekb runs");
    // Ready when it answers a page (the first build may still run after it binds).
    let t0 = Instant::now();
    loop {
        let ok = TcpStream::connect(("127.0.0.1", port)).is_ok_and(|mut s| {
            let _ = write!(
                s,
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            );
            let mut line = String::new();
            BufReader::new(s).read_line(&mut line).is_ok() && line.contains(" 200 ")
        });
        if ok {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(300),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET /__servicekb/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                let _ = tx.send((name.to_string(), Instant::now()));
            }
        }
    });
    std::thread::sleep(Duration::from_millis(500));
    while rx.try_recv().is_ok() {}
    let path = std::path::Path::new(site).join(rel);
    let original = std::fs::read_to_string(&path).expect("the article exists");
    let mut times = Vec::new();
    for i in 0..n {
        let text = format!("{original}\nEdit number {i} for the latency benchmark.\n");
        let start = Instant::now();
        if rename {
            let tmp = path.with_file_name(format!(".edit-{i}.tmp"));
            std::fs::write(&tmp, text).unwrap();
            std::fs::rename(&tmp, &path).unwrap();
        } else {
            std::fs::write(&path, text).unwrap();
        }
        loop {
            match rx.recv_timeout(Duration::from_secs(30)) {
                Ok((name, at)) if name == "reload" || name == "css" => {
                    times.push(at.duration_since(start));
                    break;
                }
                Ok(_) => continue,
                Err(_) => panic!("no reload event within 30 s"),
            }
        }
        std::thread::sleep(Duration::from_millis(150));
        while rx.try_recv().is_ok() {}
    }
    std::fs::write(&path, original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "edit→reload over {n} {}: median {:.1} ms, min {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        if rename { "rename-saves" } else { "edits" },
        ms(times[n / 2]),
        ms(times[0]),
        ms(times[(n * 9 / 10).min(n - 1)]),
        ms(times[n - 1])
    );
}
