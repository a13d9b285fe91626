//! `servicekb serve`: the real server on a free loopback port, real files
//! edited, created, renamed and deleted, checked over HTTP and the reload
//! stream.

mod common;
use common::server::{events, get, next_event, start, wait_for};
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
    assert!(srv
        .log
        .lock()
        .unwrap()
        .contains("content/skills/patience.yaml"));
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
