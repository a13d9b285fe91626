//! `servicekb serve` under what editors, file systems and clients do to it:
//! folders deleted and recreated, files turned into folders, unreadable
//! files, bursts of writes, clients that never read or never finish asking.
//! Every wait is long and only eventual correctness is asserted, never speed.

use crate::common;
use common::server::{
    event_named, events, fetch, get, start, start_in_site, wait_for, wait_status, Server, PATIENCE,
};
use common::Site;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

const WAITING: &str = "content/articles/skills/waiting.en.md";
const WAITING_URL: &str = "/en/articles/skills/waiting/";

/// Every file under `dir`, relative to it, with its bytes.
fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn write_tree(dir: &Path, files: &[(String, Vec<u8>)]) {
    for (rel, bytes) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// The content folder with the waiting article's text changed.
fn content_with(files: &[(String, Vec<u8>)], text: &str) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|(rel, bytes)| {
            let b = if rel.ends_with("waiting.en.md") {
                String::from_utf8(bytes.clone())
                    .unwrap()
                    .replace("Explain the wait.", text)
                    .into_bytes()
            } else {
                bytes.clone()
            };
            (rel.clone(), b)
        })
        .collect()
}

/// Log lines the server prints once per rebuild (not the first build).
fn rebuild_count(srv: &Server) -> usize {
    srv.log()
        .lines()
        .filter(|l| (l.ends_with(" ms") || l.ends_with(" ms)")) && !l.starts_with("built "))
        .count()
}

/// Waits until no rebuild has been logged for `quiet`; the rebuild count.
fn settle(srv: &Server, quiet: Duration) -> usize {
    let t0 = Instant::now();
    let mut n = rebuild_count(srv);
    let mut since = Instant::now();
    while since.elapsed() < quiet {
        assert!(t0.elapsed() < PATIENCE, "the server never settled");
        std::thread::sleep(Duration::from_millis(50));
        let m = rebuild_count(srv);
        if m != n {
            n = m;
            since = Instant::now();
        }
    }
    n
}

/// Waits for a build-error event that has every one of `needles`.
fn error_naming(rx: &mpsc::Receiver<(String, String)>, needles: &[&str]) -> String {
    let t0 = Instant::now();
    let mut seen = Vec::new();
    while t0.elapsed() < PATIENCE {
        let data = event_named(rx, "build-error");
        if needles.iter().all(|n| data.contains(n)) {
            return data;
        }
        seen.push(data);
    }
    panic!("no error with {needles:?}; errors seen: {seen:#?}");
}

fn rewrite(s: &Site, rel: &str, from: &str, to: &str) {
    let t = s.read(rel);
    assert!(t.contains(from), "{rel} has no {from:?}");
    s.write(rel, &t.replacen(from, to, 1));
}

#[test]
fn edits_are_seen_when_serving_from_the_site_folder_without_root() {
    let s = Site::sample();
    let srv = start_in_site(&s);
    // As `sed -i` saves: a temp file beside, renamed over.
    let tmp = s.path().join("content/articles/skills/sedX1b2c3");
    std::fs::write(
        &tmp,
        s.read(WAITING)
            .replace("Explain the wait.", "Edited in place."),
    )
    .unwrap();
    std::fs::rename(&tmp, s.path().join(WAITING)).unwrap();
    wait_for(srv.port, WAITING_URL, "Edited in place.");
    rewrite(&s, "content/skills/patience.yaml", "Staying calm.", "Calm.");
    wait_for(srv.port, "/en/skills/patience/", "Calm.");
}

#[test]
fn the_content_folder_deleted_and_recreated_is_served_again() {
    let s = Site::sample();
    let mut srv = start(&s);
    let rx = events(srv.port);
    let content = s.path().join("content");
    let original = files_under(&content);

    // Deleted, then (a moment later) written back with a change.
    std::fs::remove_dir_all(&content).unwrap();
    let (name, _) = common::server::next_event(&rx);
    assert!(name == "reload" || name == "build-error", "{name}");
    srv.assert_alive();
    assert_eq!(get(srv.port, "/en/").unwrap().0, 200, "still serving");
    write_tree(&content, &content_with(&original, "Back from nothing."));
    wait_for(srv.port, WAITING_URL, "Back from nothing.");
    wait_status(srv.port, "/he/skills/empathy/", 200);
    // The new folder is watched.
    rewrite(
        &s,
        WAITING,
        "Back from nothing.",
        "Edited in the new folder.",
    );
    wait_for(srv.port, WAITING_URL, "Edited in the new folder.");

    // Swapped at once, as sync tools and `git checkout` of a folder do.
    let old = s.path().join("content-old");
    std::fs::rename(&content, &old).unwrap();
    write_tree(&content, &content_with(&original, "Swapped in."));
    wait_for(srv.port, WAITING_URL, "Swapped in.");
    rewrite(&s, WAITING, "Swapped in.", "Edited after the swap.");
    wait_for(srv.port, WAITING_URL, "Edited after the swap.");
    // The folder moved away is no longer the site.
    let old_waiting = old.join("articles/skills/waiting.en.md");
    let t = std::fs::read_to_string(&old_waiting).unwrap();
    std::fs::write(
        &old_waiting,
        t.replace("Edited in the new folder.", "Stale text."),
    )
    .unwrap();
    rewrite(&s, WAITING, "Edited after the swap.", "Last edit.");
    let body = wait_for(srv.port, WAITING_URL, "Last edit.");
    assert!(!body.contains("Stale text."));
    settle(&srv, Duration::from_millis(500));
    let (st, _, body) = get(srv.port, WAITING_URL).unwrap();
    assert_eq!(st, 200);
    assert!(body.contains("Last edit.") && !body.contains("Stale text."));
    srv.assert_alive();
}

#[test]
fn a_file_replaced_by_a_folder_is_an_error_until_it_is_a_file_again() {
    let s = Site::sample();
    let mut srv = start(&s);
    let rx = events(srv.port);
    for (rel, from, to, url) in [
        (WAITING, "Explain the wait.", "A file again.", WAITING_URL),
        (
            "content/skills/patience.yaml",
            "Staying calm.",
            "Staying calm again.",
            "/en/skills/patience/",
        ),
        ("site.yaml", "Test KB", "Test KB again", "/en/"),
    ] {
        let p = s.path().join(rel);
        let text = s.read(rel);
        std::fs::remove_file(&p).unwrap();
        std::fs::create_dir(&p).unwrap();
        std::fs::write(p.join("inside.txt"), "not a page").unwrap();
        // Removing the file may show first, with errors of its own.
        error_naming(&rx, &[rel, "folder"]);
        srv.assert_alive();
        assert_eq!(
            get(srv.port, "/en/").unwrap().0,
            200,
            "{rel}: still serving"
        );
        srv.wait_log(&format!("error: {rel}"));

        std::fs::remove_dir_all(&p).unwrap();
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
        wait_for(srv.port, url, to);
        srv.assert_alive();
    }
}

#[test]
fn an_unreadable_file_is_named_and_the_site_recovers_once_readable() {
    use std::os::unix::fs::PermissionsExt;
    let s = Site::sample();
    let mut srv = start(&s);
    let rx = events(srv.port);
    let p = s.path().join(WAITING);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    // As root (or with CAP_DAC_OVERRIDE) mode 000 does not stop reading.
    if std::fs::read(&p).is_err() {
        error_naming(&rx, &[WAITING, "permission denied"]);
        srv.wait_log(&format!(
            "error: {WAITING}: cannot read the file: permission denied"
        ));
        let (st, _, body) = get(srv.port, WAITING_URL).unwrap();
        assert_eq!(st, 200, "the last good page is still served");
        assert!(body.contains("Explain the wait."));
    } else {
        eprintln!("note: mode 000 does not deny reading here (root); not checking the error");
        settle(&srv, Duration::from_millis(300));
    }
    srv.assert_alive();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    rewrite(&s, WAITING, "Explain the wait.", "Readable again.");
    wait_for(srv.port, WAITING_URL, "Readable again.");
    srv.assert_alive();
}

fn burst_article(k: usize, rev: usize) -> String {
    format!(
        "---\ntitle: Burst {k}\ndate: 2026-01-01\n---\n\nText [rev {rev}] of burst {k}.\n\n{}\n",
        "Filler text to give the page some weight. ".repeat(40)
    )
}

#[test]
fn a_burst_of_a_thousand_writes_is_a_few_rebuilds_ending_on_the_last_write() {
    let s = Site::sample();
    let files = 10;
    for k in 0..files {
        s.write(
            &format!("content/articles/skills/burst-{k}.en.md"),
            &burst_article(k, 0),
        );
    }
    let mut srv = start(&s);
    // One rebuild first, so its allocations count in the baseline.
    s.write(
        "content/articles/skills/burst-0.en.md",
        &burst_article(0, 1),
    );
    wait_for(srv.port, "/en/articles/skills/burst-0/", "[rev 1]");
    let before_count = settle(&srv, Duration::from_millis(500));
    let rss_before = srv.rss_kib();

    let writes = 1000;
    let t0 = Instant::now();
    for i in 0..writes {
        let k = i % files;
        s.write(
            &format!("content/articles/skills/burst-{k}.en.md"),
            &burst_article(k, i),
        );
        std::thread::sleep(Duration::from_micros(900));
    }
    let took = t0.elapsed();
    for k in 0..files {
        let last = writes - files + k;
        wait_for(
            srv.port,
            &format!("/en/articles/skills/burst-{k}/"),
            &format!("[rev {last}]"),
        );
    }
    let rebuilds = settle(&srv, Duration::from_secs(1)) - before_count;
    // No stale page after the last rebuild.
    for k in 0..files {
        let last = writes - files + k;
        let (st, _, body) = get(srv.port, &format!("/en/articles/skills/burst-{k}/")).unwrap();
        assert_eq!(st, 200);
        assert!(
            body.contains(&format!("[rev {last}]")),
            "burst-{k} is stale"
        );
    }
    srv.assert_alive();
    eprintln!("{writes} writes in {took:?}: {rebuilds} rebuilds");
    assert!(
        (1..=5).contains(&rebuilds),
        "{rebuilds} rebuilds for a burst of {writes} writes:\n{}",
        srv.log()
    );

    // Memory goes back to where it was (Linux).
    let Some(before) = rss_before else {
        eprintln!("note: no /proc here; memory not checked");
        return;
    };
    let limit = 2 * before + 32 * 1024;
    let t0 = Instant::now();
    let after = loop {
        let now = srv.rss_kib().unwrap();
        if now <= limit || t0.elapsed() > Duration::from_secs(10) {
            break now;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    eprintln!("server RSS: {before} KiB before the burst, {after} KiB after");
    assert!(
        after <= limit,
        "RSS {after} KiB after the burst, {before} KiB before"
    );
}

#[test]
fn a_reload_client_that_never_reads_holds_no_one_up_and_no_memory() {
    let s = Site::sample();
    let mut srv = start(&s);
    let reader = events(srv.port);
    // Ask for the stream and never read a byte of it.
    let stuck: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut c = TcpStream::connect(("127.0.0.1", srv.port)).unwrap();
            c.write_all(b"GET /__servicekb/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .unwrap();
            c
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let rss_before = srv.rss_kib();
    // Each round is a rebuild that fails with a 1 MB error message, which
    // goes to every open stream: far more than socket buffers hold.
    let big = "a".repeat(1 << 20);
    let rounds = 100;
    for r in 0..rounds {
        let marker = format!("r{r}-");
        s.write(
            "content/articles/skills/big.en.md",
            &format!("---\ntitle: Big\n---\n\n[x](skill:{marker}{big})\n"),
        );
        let t0 = Instant::now();
        loop {
            let data = event_named(&reader, "build-error");
            if data.contains(&format!("`{marker}a")) {
                break;
            }
            assert!(t0.elapsed() < PATIENCE, "round {r}: no error event");
        }
        if r % 10 == 0 {
            let resp = fetch(srv.port, "/en/").expect("others are served");
            assert_eq!(resp.status, 200);
        }
    }
    srv.assert_alive();
    // The broken file never made it into the site: fixed, nothing to reload.
    std::fs::remove_file(s.path().join("content/articles/skills/big.en.md")).unwrap();
    event_named(&reader, "build-ok");
    assert_eq!(get(srv.port, "/en/").unwrap().0, 200);
    if let (Some(before), Some(after)) = (rss_before, srv.rss_kib()) {
        eprintln!(
            "server RSS: {before} KiB before, {after} KiB after {rounds} MB sent to clients that never read"
        );
        assert!(
            after <= 2 * before + 48 * 1024,
            "RSS grew from {before} KiB to {after} KiB"
        );
    }
    drop(stuck);
}

/// Whether the server has hung up (EOF or reset); any answer counts too.
fn closed(c: &mut TcpStream) -> bool {
    c.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 512];
    let r = c.read(&mut buf);
    c.set_nonblocking(false).unwrap();
    match r {
        Ok(_) => true,
        Err(e) => e.kind() != ErrorKind::WouldBlock,
    }
}

#[test]
fn slow_and_silent_clients_do_not_hold_up_others_and_are_hung_up_on() {
    let s = Site::sample();
    let mut srv = start(&s);
    let port = srv.port;
    let rx = events(port);
    let request = b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    let mut slow: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let mut silent: Vec<TcpStream> = (0..50)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let stop2 = stop.clone();
    // One byte per connection every 100 ms, the header never finished.
    let trickle = std::thread::spawn(move || {
        let t0 = Instant::now();
        let mut open = vec![true; slow.len()];
        let mut i = 0;
        while !stop2.load(Ordering::Relaxed) && t0.elapsed() < 3 * PATIENCE {
            let byte = [*request.get(i).unwrap_or(&b'a')];
            for (c, o) in slow.iter_mut().zip(open.iter_mut()) {
                if *o && (c.write_all(&byte).is_err() || closed(c)) {
                    *o = false;
                }
            }
            if open.iter().all(|o| !o) {
                break;
            }
            i += 1;
            std::thread::sleep(Duration::from_millis(100));
        }
        open.iter().filter(|o| !**o).count()
    });
    // Everyone else is served meanwhile.
    for _ in 0..20 {
        let r = fetch(port, "/en/").expect("served while slow clients hang on");
        assert_eq!(r.status, 200);
        assert!(r.text().trim_end().ends_with("</html>"));
        std::thread::sleep(Duration::from_millis(50));
    }
    // The server hangs up on the ones that never finish.
    let hung_up = trickle.join().unwrap();
    assert_eq!(hung_up, 100, "slow clients hung up on");
    let t0 = Instant::now();
    while !silent.iter_mut().all(closed) {
        assert!(
            t0.elapsed() < 3 * PATIENCE,
            "silent clients never hung up on"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    stop.store(true, Ordering::Relaxed);
    assert_eq!(get(port, "/en/").unwrap().0, 200);
    // The deadline is for request heads only: a reload stream stays open.
    rewrite(&s, WAITING, "Explain the wait.", "Still told.");
    event_named(&rx, "reload");
    srv.assert_alive();
}

fn versioned(v: usize) -> String {
    let mut t = format!(
        "---\ntitle: Version {v} title\ndescription: Version {v} summary.\ndate: 2026-01-01\nskills: [patience]\n---\n\n"
    );
    for i in 0..150 {
        t.push_str(&format!("Paragraph {i} of version {v}.\n\n"));
    }
    t
}

/// The number after every "Version " and "of version " in a page, in order.
fn versions_in(text: &str) -> Vec<usize> {
    let mut found: Vec<(usize, usize)> = ["Version ", "of version "]
        .iter()
        .flat_map(|pat| {
            text.match_indices(pat).filter_map(|(i, m)| {
                let rest = &text[i + m.len()..];
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                Some((i, digits.parse().ok()?))
            })
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, v)| v).collect()
}

#[test]
fn two_hundred_clients_during_rebuilds_get_whole_pages_of_one_version() {
    let s = Site::sample();
    let rel = "content/articles/skills/versioned.en.md";
    s.write(rel, &versioned(0));
    let srv = start(&s);
    let port = srv.port;
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..200)
        .map(|i| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let paths = [
                    "/en/articles/skills/versioned/",
                    "/en/topics/skills/",
                    "/en/skills/patience/",
                    "/en/search-index.json",
                ];
                let mut problems = Vec::new();
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    let path = paths[(i + n) % paths.len()];
                    n += 1;
                    let Some(r) = fetch(port, path) else {
                        problems.push(format!("{path}: no response"));
                        continue;
                    };
                    if r.status != 200 {
                        problems.push(format!("{path}: status {}", r.status));
                        continue;
                    }
                    let len: Option<usize> =
                        r.header("content-length").and_then(|l| l.parse().ok());
                    if len != Some(r.body.len()) {
                        problems.push(format!(
                            "{path}: {} bytes, content-length {len:?}",
                            r.body.len()
                        ));
                    }
                    let text = r.text();
                    let whole = if path.ends_with(".json") {
                        serde_json::from_str::<serde_json::Value>(&text).is_ok()
                    } else {
                        text.trim_end().ends_with("</html>")
                    };
                    if !whole {
                        problems.push(format!("{path}: not a whole document"));
                    }
                    let mut v = versions_in(&text);
                    v.dedup();
                    if v.len() > 1 {
                        problems.push(format!("{path}: versions {v:?} mixed"));
                    }
                }
                problems
            })
        })
        .collect();
    let tmp = s
        .path()
        .join("content/articles/skills/.versioned.en.md.tmp");
    let edits = 20;
    for v in 1..=edits {
        // An editor's save: write beside, rename over.
        std::fs::write(&tmp, versioned(v)).unwrap();
        std::fs::rename(&tmp, s.path().join(rel)).unwrap();
        std::thread::sleep(Duration::from_millis(40));
    }
    let body = wait_for(
        port,
        "/en/articles/skills/versioned/",
        &format!("Version {edits} title"),
    );
    stop.store(true, Ordering::Relaxed);
    let problems: Vec<String> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    assert!(
        problems.is_empty(),
        "{} bad responses, first: {:?}",
        problems.len(),
        &problems[..problems.len().min(10)]
    );
    assert_eq!(
        {
            let mut v = versions_in(&body);
            v.dedup();
            v
        },
        vec![edits]
    );
}
