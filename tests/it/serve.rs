//! `servicekb serve`: the real server on a free loopback port, real files
//! edited, created, renamed and deleted, checked over HTTP and the reload
//! stream.

use crate::common;
use common::server::{events, get, next_event, start, start_with, wait_for};
use common::Site;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn serves_the_site_with_types_404_and_no_way_out() {
    let s = Site::sample();
    s.write("../outside-secret.txt", "secret-outside");
    let srv = start(&s);
    let (st, ct, body) = get(srv.port, "/en/").unwrap();
    assert_eq!(st, 200);
    assert!(ct.starts_with("text/html"));
    assert!(
        body.contains("/__servicekb/live.js"),
        "live reload injected"
    );
    assert!(!s.exists("public"), "serve builds in memory");
    for (p, t) in [
        ("/sitemap.xml", "xml"),
        ("/en/atom.xml", "atom+xml"),
        ("/en/search-index.json", "json"),
        ("/static/style.css", "text/css"),
    ] {
        let (st, ct, _) = get(srv.port, p).unwrap();
        assert_eq!(st, 200, "{p}");
        assert!(ct.contains(t), "{p}: {ct}");
    }
    let (st, _, body) = get(srv.port, "/en/no-such-page/").unwrap();
    assert_eq!(st, 404);
    assert!(body.contains("Page not found"), "the site's 404 page");
    let (st, _, _) = get(srv.port, "/en/skills").unwrap();
    assert_eq!(st, 301, "folder without slash redirects");
    for p in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/..%2fsite.yaml",
        "/%2e%2e%2fsite.yaml",
        "/en/../../site.yaml",
        "/..%5csite.yaml",
        "/../../outside-secret.txt",
        "/%2e%2e/%2e%2e/outside-secret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
    ] {
        let (st, _, body) = get(srv.port, p).unwrap();
        assert!((400..500).contains(&st), "{p} -> {st}");
        assert!(
            !body.contains("secret-outside")
                && !body.contains("base_url")
                && !body.contains("root:x:0:0"),
            "{p} leaked"
        );
    }
}

#[test]
fn edits_re_render_the_right_pages_and_reload_tabs() {
    let s = Site::sample();
    let srv = start(&s);
    let untouched = get(srv.port, "/he/checklists/self-check/").unwrap().2;
    let rx = events(srv.port);
    s.replace(
        "content/articles/skills/waiting.en.md",
        "Explain the wait.",
        "Explain the wait: token-one.",
    );
    assert_eq!(next_event(&rx).0, "reload");
    wait_for(srv.port, "/en/articles/skills/waiting/", "token-one");
    assert_eq!(
        get(srv.port, "/he/checklists/self-check/").unwrap().2,
        untouched,
        "unrelated page unchanged"
    );
    // The terminal line is printed after the reload goes out: wait for it.
    srv.wait_log("waiting.en.md: 1 page re-rendered");

    // Create, rename, delete.
    s.write(
        "content/articles/skills/fresh.en.md",
        "---\ntitle: Fresh piece\n---\n\nNew text.\n",
    );
    assert_eq!(next_event(&rx).0, "reload");
    wait_for(srv.port, "/en/articles/skills/fresh/", "New text.");
    wait_for(srv.port, "/en/topics/skills/", "Fresh piece");
    std::fs::rename(
        s.path().join("content/articles/skills/fresh.en.md"),
        s.path().join("content/articles/skills/renamed.en.md"),
    )
    .unwrap();
    assert_eq!(next_event(&rx).0, "reload");
    wait_for(srv.port, "/en/articles/skills/renamed/", "New text.");
    assert_eq!(get(srv.port, "/en/articles/skills/fresh/").unwrap().0, 404);
    std::fs::remove_file(s.path().join("content/articles/skills/renamed.en.md")).unwrap();
    assert_eq!(next_event(&rx).0, "reload");
    let t0 = Instant::now();
    while get(srv.port, "/en/articles/skills/renamed/").unwrap().0 != 404 {
        assert!(t0.elapsed() < Duration::from_secs(5));
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!get(srv.port, "/en/topics/skills/")
        .unwrap()
        .2
        .contains("Fresh piece"));
}

#[test]
fn editor_style_saves_and_css_changes() {
    let s = Site::sample();
    let srv = start(&s);
    let rx = events(srv.port);
    // Write to a temp file, then rename over: one change.
    let f = s.path().join("content/articles/skills/waiting.en.md");
    let tmp = s.path().join("content/articles/skills/.waiting.en.md.tmp");
    std::fs::write(
        &tmp,
        s.read("content/articles/skills/waiting.en.md")
            .replace("Explain the wait.", "Saved by an editor."),
    )
    .unwrap();
    std::fs::rename(&tmp, &f).unwrap();
    assert_eq!(next_event(&rx).0, "reload");
    wait_for(
        srv.port,
        "/en/articles/skills/waiting/",
        "Saved by an editor.",
    );
    assert!(
        rx.recv_timeout(Duration::from_millis(500)).is_err(),
        "one save, one reload"
    );
    s.write("themes/default/static/style.css", "body { color: #111 }");
    assert_eq!(
        next_event(&rx).0,
        "css",
        "a stylesheet change swaps CSS without a reload"
    );
    wait_for(srv.port, "/static/style.css", "#111");
}

/// Tabs reload as soon as the pages are served; the search index and feed
/// follow once the edits stop, without a second reload.
#[test]
fn the_search_index_and_feed_follow_an_edit_without_a_second_reload() {
    let s = Site::sample();
    let srv = start(&s);
    let rx = events(srv.port);
    s.replace(
        "content/articles/skills/waiting.en.md",
        "Explain the wait.",
        "Explain the wait, quokkaword included.",
    );
    assert_eq!(next_event(&rx).0, "reload");
    wait_for(srv.port, "/en/articles/skills/waiting/", "quokkaword");
    wait_for(srv.port, "/en/search-index.json", "quokkaword");
    s.replace(
        "content/articles/skills/waiting.en.md",
        "title: ",
        "title: Feedtitle ",
    );
    assert_eq!(next_event(&rx).0, "reload");
    wait_for(srv.port, "/en/atom.xml", "Feedtitle");
    assert!(
        rx.recv_timeout(Duration::from_millis(500)).is_err(),
        "one reload an edit"
    );
}

#[test]
fn a_broken_file_shows_an_error_keeps_the_last_good_site_and_recovers() {
    let s = Site::sample();
    let srv = start(&s);
    let rx = events(srv.port);
    s.replace(
        "content/skills/patience.yaml",
        "category: self-management\n",
        "category: self-management: [broken\n",
    );
    let (name, data) = next_event(&rx);
    assert_eq!(name, "build-error");
    assert!(data.contains("content/skills/patience.yaml:1:"), "{data}");
    assert_eq!(
        data.lines().count(),
        1,
        "no errors that follow from the broken file: {data}"
    );
    let (st, _, body) = get(srv.port, "/en/skills/patience/").unwrap();
    assert_eq!(st, 200, "last good page still served");
    assert!(body.contains("Patience"));
    // The terminal hears of it too (its line may come just after the event).
    srv.wait_log("content/skills/patience.yaml");
    // A tab opened now learns of the error at once.
    let rx2 = events(srv.port);
    assert_eq!(next_event(&rx2).0, "build-error");
    s.replace(
        "content/skills/patience.yaml",
        "category: self-management: [broken\n",
        "category: self-management\n",
    );
    s.replace(
        "content/skills/patience.yaml",
        "Staying calm.",
        "Staying calm and fixed.",
    );
    let t0 = Instant::now();
    loop {
        let (n, _) = next_event(&rx);
        if n == "reload" {
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(10));
    }
    wait_for(srv.port, "/en/skills/patience/", "Staying calm and fixed.");
}

#[test]
fn many_clients_during_edits_get_no_errors_and_no_stale_page() {
    let s = Site::sample();
    let srv = start(&s);
    let port = srv.port;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut clients = Vec::new();
    for i in 0..200 {
        let stop = stop.clone();
        clients.push(std::thread::spawn(move || {
            let paths = [
                "/en/",
                "/en/articles/skills/waiting/",
                "/he/skills/empathy/",
                "/en/search-index.json",
                "/sitemap.xml",
            ];
            let mut fails = 0;
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && n < 40 {
                match get(port, paths[(i + n) % paths.len()]) {
                    Some((200, _, _)) => {}
                    _ => fails += 1,
                }
                n += 1;
            }
            fails
        }));
    }
    for k in 0..10 {
        s.replace(
            "content/articles/skills/waiting.en.md",
            "Explain the wait",
            &format!("Explain the wait (edit {k})"),
        );
        std::thread::sleep(Duration::from_millis(60));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let fails: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();
    assert_eq!(fails, 0, "failed requests");
    wait_for(port, "/en/articles/skills/waiting/", "(edit 9)");
}

#[test]
fn ctrl_c_stops_the_server() {
    let s = Site::sample();
    let mut srv = start(&s);
    let _rx = events(srv.port);
    let ok = Command::new("kill")
        .args(["-INT", &srv.child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let t0 = Instant::now();
    loop {
        if let Some(status) = srv.child.try_wait().unwrap() {
            assert!(status.success() || status.code().is_some());
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(5),
            "still running 5 s after SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_busy_port_moves_to_the_next() {
    let s = Site::sample();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut child = Command::new(common::bin())
        .args([
            "serve",
            "--root",
            s.path().to_str().unwrap(),
            "--port",
            &port.to_string(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains(&format!("port {port} is busy")), "{line}");
}

/// An article of about 600 words, with a few links and a list.
fn long_article(k: usize) -> String {
    let mut t = format!(
        "---\ntitle: Long read {k}\ndate: 2026-01-01\nskills: [patience]\n---\n\nSee [waiting](@/articles/skills/waiting.md) and [](skill:empathy).\n\n"
    );
    for p in 0..12 {
        t.push_str(&format!("## Part {p} {{#part-{p}}}\n\n"));
        for w in 0..50 {
            t.push_str(&format!("word{} ", (k * 31 + p * 7 + w) % 997));
        }
        t.push_str("\n\n- one item\n- *another* item\n\n");
    }
    t
}

#[test]
fn requests_during_a_long_rebuild_get_the_last_good_site_without_waiting() {
    let s = Site::sample();
    for k in 0..2000 {
        s.write(
            &format!("content/articles/skills/long-{k}.en.md"),
            &long_article(k),
        );
    }
    let srv = start(&s);
    let port = srv.port;
    let page = "/en/articles/skills/waiting/";
    assert!(get(port, page).unwrap().2.contains("Test KB"));
    // Ask again and again, noting when each request was sent and whether it
    // got the old site or the new one.
    let t0 = Instant::now();
    let client = std::thread::spawn(move || {
        let mut seen = Vec::new();
        loop {
            let sent = t0.elapsed();
            let r = common::server::fetch(port, page).expect("an answer");
            assert_eq!(r.status, 200);
            let text = r.text();
            let new = text.contains("Renamed KB");
            assert!(new || text.contains("Test KB"), "{text}");
            seen.push((sent, new));
            if new {
                return seen;
            }
        }
    });
    std::thread::sleep(Duration::from_millis(300));
    // A new site title: every page is rendered again.
    let written = t0.elapsed();
    s.replace("site.yaml", "en: Test KB", "en: Renamed KB");
    let seen = client.join().unwrap();
    srv.wait_log("site.yaml: full rebuild");
    let line = srv
        .log()
        .lines()
        .find(|l| l.starts_with("site.yaml: full rebuild"))
        .unwrap()
        .to_string();
    let ms: u64 = line
        .rsplit(" in ")
        .next()
        .and_then(|t| t.strip_suffix(" ms"))
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no time in {line:?}"));
    // The rebuild starts a few milliseconds after the write (the watcher
    // waits for the file system to be quiet) and ends `ms` after it at the
    // earliest. A request sent in its second half that got the old site was
    // answered during the rebuild: had it waited for the rebuild to end, it
    // would have got the new one.
    let rebuild = Duration::from_millis(ms);
    assert!(
        rebuild >= Duration::from_millis(200),
        "the rebuild took {ms} ms: too short to tell whether requests wait for it"
    );
    let during: Vec<_> = seen
        .iter()
        .filter(|(sent, new)| !new && *sent >= written + rebuild / 2)
        .collect();
    assert!(
        !during.is_empty(),
        "no request sent in the second half of the {ms} ms rebuild got an answer before it ended; sent since the write: {:?}",
        seen.iter()
            .filter(|(sent, _)| *sent >= written)
            .map(|(sent, new)| (sent.saturating_sub(written), new))
            .collect::<Vec<_>>()
    );
    eprintln!(
        "{} requests answered with the last good site in the second half of a {ms} ms rebuild",
        during.len()
    );
}

#[test]
fn the_address_printed_is_the_one_listened_on_and_the_network_is_warned_of() {
    let s = Site::sample();
    // `--port 0`: the system picks one, and that one is printed.
    let srv = start_with(&s, &[]);
    assert_ne!(srv.port, 0);
    let log = srv.log();
    assert!(
        log.contains(&format!("at http://127.0.0.1:{}/ (Ctrl-C", srv.port)),
        "{log}"
    );
    assert!(!log.contains("serving to the network"), "{log}");
    drop(srv);

    let srv = start_with(&s, &["--bind", "0.0.0.0"]);
    srv.wait_log(
        "warning: serving to the network: anyone who can reach this machine can read the preview",
    );
    let log = srv.log();
    let port = srv.port;
    assert!(
        log.contains(&format!("at http://0.0.0.0:{port}/ (Ctrl-C")),
        "{log}"
    );
    assert!(
        log.contains(&format!("on this machine: http://127.0.0.1:{port}/")),
        "{log}"
    );
    assert_eq!(get(port, "/en/").unwrap().0, 200);
}

/// `n` listeners on consecutive loopback ports; the first port.
fn consecutive_ports(n: u16) -> (u16, Vec<std::net::TcpListener>) {
    for _ in 0..100 {
        let first = common::server::free_port();
        let Some(last) = first.checked_add(n - 1) else {
            continue;
        };
        let taken: Result<Vec<_>, _> = (first..=last)
            .map(|p| std::net::TcpListener::bind(("127.0.0.1", p)))
            .collect();
        if let Ok(taken) = taken {
            return (first, taken);
        }
    }
    panic!("no {n} consecutive free ports");
}

#[test]
fn when_every_port_tried_is_busy_the_message_names_them() {
    let s = Site::sample();
    let root = s.path().to_str().unwrap();
    let (first, _taken) = consecutive_ports(20);
    let r = common::run(
        &["serve", "--root", root, "--port", &first.to_string()],
        s.path(),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let want = format!(
        "error: cannot listen on 127.0.0.1: ports {first}–{} are all busy; pick another with --port",
        first + 19
    );
    assert_eq!(r.stderr.trim_end(), want);
    // The last port has no next ones.
    if let Ok(_last) = std::net::TcpListener::bind("127.0.0.1:65535") {
        let r = common::run(&["serve", "--root", root, "--port", "65535"], s.path());
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert_eq!(
            r.stderr.trim_end(),
            "error: cannot listen on 127.0.0.1: port 65535 is busy; pick another with --port"
        );
    }
}

/// A GET of `path` with these header lines (each ending in CRLF).
fn get_with(port: u16, path: &str, version: &str, headers: &str) -> common::server::Response {
    common::server::request(
        port,
        &format!("GET {path} HTTP/{version}\r\n{headers}Connection: close\r\n\r\n"),
    )
    .unwrap_or_else(|| panic!("no answer to GET {path} with {headers:?}"))
}

#[test]
fn on_loopback_only_requests_for_a_loopback_name_are_answered() {
    let s = Site::sample();
    let srv = start(&s);
    let port = srv.port;
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        "127.0.0.1".into(),
        format!("127.0.0.1:{port}"),
        format!("127.0.0.2:{port}"),
        "[::1]".into(),
        format!("[::1]:{port}"),
    ] {
        let r = get_with(port, "/en/", "1.1", &format!("Host: {host}\r\n"));
        assert_eq!(r.status, 200, "Host: {host}");
    }
    // A page of a site whose name was made to point at 127.0.0.1, or this
    // server asked for by another port or address.
    for host in [
        "rebound.example".to_string(),
        format!("rebound.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        format!("localhost.rebound.example:{port}"),
        format!("0.0.0.0:{port}"),
        format!("10.0.0.1:{port}"),
    ] {
        for path in [
            "/en/",
            "/__servicekb/events",
            "/__servicekb/live.js",
            "/nope",
        ] {
            let r = get_with(port, path, "1.1", &format!("Host: {host}\r\n"));
            assert_eq!(r.status, 421, "{path}, Host: {host}");
            assert!(r.header("content-type").unwrap().starts_with("text/plain"));
            assert!(r.text().starts_with("misdirected request"), "{}", r.text());
            assert!(!r.text().contains("Test KB"));
        }
    }
    // The host in the request line counts too.
    let r = get_with(
        port,
        "http://rebound.example/en/",
        "1.1",
        "Host: 127.0.0.1\r\n",
    );
    assert_eq!(r.status, 421);
    // HTTP/1.1 needs exactly one Host; HTTP/1.0 may have none.
    assert_eq!(get_with(port, "/en/", "1.1", "").status, 400);
    let two = "Host: 127.0.0.1\r\nHost: rebound.example\r\n";
    assert_eq!(get_with(port, "/en/", "1.1", two).status, 400);
    assert_eq!(get_with(port, "/en/", "1.0", "").status, 200);
}

#[test]
fn on_another_address_any_host_is_answered() {
    let s = Site::sample();
    let srv = start_with(&s, &["--bind", "0.0.0.0"]);
    let r = get_with(srv.port, "/en/", "1.1", "Host: kb.lan.example:8080\r\n");
    assert_eq!(r.status, 200);
    assert_eq!(get_with(srv.port, "/en/", "1.1", "").status, 400);
}

#[test]
fn folder_redirects_stay_on_this_site() {
    let s = Site::sample();
    let srv = start(&s);
    for (path, to) in [
        ("/en/skills", "/en/skills/"),
        ("//en", "/en/"),
        ("///en", "/en/"),
        ("//en/skills", "/en/skills/"),
        ("/%2F%2Fen", "/en/"),
        ("/%2f/en", "/en/"),
        ("/./en", "/en/"),
        ("/en//skills", "/en/skills/"),
        ("/en/skills?from=//elsewhere.example", "/en/skills/"),
    ] {
        let r = common::server::fetch(srv.port, path).unwrap();
        assert_eq!(r.status, 301, "{path}");
        let location = r.header("location").unwrap();
        assert_eq!(location, to, "{path}");
    }
}

#[test]
fn only_get_and_head_are_allowed() {
    let s = Site::sample();
    let srv = start(&s);
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
        for path in [
            "/en/",
            "/nope",
            "/__servicekb/events",
            "/__servicekb/live.js",
        ] {
            let r = common::server::request(
                srv.port,
                &format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
            )
            .unwrap();
            assert_eq!(r.status, 405, "{method} {path}");
            assert_eq!(r.header("allow"), Some("get, head"), "{method} {path}");
        }
    }
    let head = common::server::request(
        srv.port,
        "HEAD /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}
