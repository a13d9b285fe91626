//! What servicekb will and will not touch (docs/safety.md): it never
//! deletes, moves or overwrites what it did not write, never reads outside
//! the site, and never hangs on what it finds there. Every test runs the
//! real binary on a real site in a temp folder.

use crate::common;
use common::{bin, Site};
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Plants a file with known text; `survived` says whether it is still there, unchanged.
fn canary(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, "canary\n").unwrap();
}

fn survived(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| t == "canary\n")
}

/// Every error line of a run.
fn errors(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("error:")).collect()
}

#[test]
fn dangerous_outputs_are_refused_and_every_canary_survives() {
    let holder = tempfile::tempdir().unwrap();
    let parent = holder.path();
    let site = parent.join("site");
    let s = Site::sample();
    // The sample site, moved into a folder of ours so that its parent holds canaries too.
    std::fs::rename(s.path(), &site).unwrap();
    let root = site.to_str().unwrap();
    let canaries = [
        parent.join("parent-notes.txt"),
        site.join("root-notes.txt"),
        site.join("content/notes.txt"),
        site.join("static/notes.txt"),
        site.join("themes/notes.txt"),
        site.join("i18n/notes.txt"),
        parent.join("elsewhere/notes.txt"),
        parent.join("www/notes.txt"),
        parent.join("www/.git/HEAD"),
    ];
    for c in &canaries {
        canary(c);
    }
    symlink(parent.join("elsewhere"), site.join("content/link")).unwrap();
    let outputs = [
        ".".to_string(),
        "..".to_string(),
        root.to_string(),
        "content".into(),
        "content/link".into(),
        "static".into(),
        "static/site".into(),
        "themes".into(),
        "i18n".into(),
        parent.to_str().unwrap().into(),
        parent.join("www").to_str().unwrap().into(),
    ];
    for out in &outputs {
        for _ in 0..3 {
            let r = common::run(&["build", "--root", root, "--output", out], &site);
            r.assert_no_panic();
            assert_eq!(r.code, 1, "--output {out} must be refused: {}", r.stdout);
            assert_eq!(errors(&r.stderr).len(), 1, "one clear error: {}", r.stderr);
            assert!(r.stdout.is_empty(), "{}", r.stdout);
        }
    }
    for c in &canaries {
        assert!(survived(c), "{} was touched", c.display());
    }
    assert!(!parent.join(".www.prev").exists() && !parent.join(".www.lock").exists());
    // The same site still builds where it should.
    let r = common::run(&["build", "--root", root], &site);
    assert!(r.ok(), "{}", r.stderr);
}

#[test]
fn a_folder_servicekb_did_not_build_is_never_replaced() {
    let s = Site::sample();
    s.write("www/notes.txt", "canary\n");
    let www = s.path().join("www");
    for _ in 0..3 {
        let r = s.run(&["build", "--output", www.to_str().unwrap()]);
        assert_eq!(r.code, 1);
        assert!(
            r.stderr.contains("`notes.txt`") && r.stderr.contains("did not write"),
            "{}",
            r.stderr
        );
    }
    assert!(survived(&www.join("notes.txt")));
    // A file added by hand to an output servicekb built is refused the same way.
    assert!(s.build().ok());
    s.write("public/CNAME", "canary\n");
    s.write("public/en/notes/todo.txt", "canary\n");
    for _ in 0..3 {
        let r = s.build();
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains("`CNAME` and 1 more"), "{}", r.stderr);
    }
    assert!(survived(&s.path().join("public/CNAME")));
    assert!(survived(&s.path().join("public/en/notes/todo.txt")));
    std::fs::remove_file(s.path().join("public/CNAME")).unwrap();
    std::fs::remove_dir_all(s.path().join("public/en/notes")).unwrap();
    assert!(s.build().ok());
}

#[test]
fn a_linked_output_is_written_in_place_and_keeps_the_files_already_there() {
    let s = Site::sample();
    let web = tempfile::tempdir().unwrap();
    canary(&web.path().join("CNAME"));
    canary(&web.path().join(".git/HEAD"));
    symlink(web.path(), s.path().join("public")).unwrap();
    for _ in 0..3 {
        let r = s.build();
        assert!(r.ok(), "{}", r.stderr);
        let link = std::fs::symlink_metadata(s.path().join("public")).unwrap();
        assert!(link.file_type().is_symlink(), "public stays a link");
    }
    assert!(survived(&web.path().join("CNAME")));
    assert!(survived(&web.path().join(".git/HEAD")));
    assert!(web.path().join("en/index.html").exists());
    // A page the site no longer has goes; a page edited by hand comes back.
    std::fs::remove_file(s.path().join("content/articles/skills/waiting.en.md")).unwrap();
    s.replace(
        "content/articles/skills/empathy.en.md",
        " See [waiting](@/articles/skills/waiting.md#on-hold).",
        "",
    );
    s.replace(
        "content/articles/skills/empathy.he.md",
        "ועל [המתנה](@/articles/skills/waiting.md)",
        "",
    );
    std::fs::write(web.path().join("en/index.html"), "edited").unwrap();
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    assert!(!web.path().join("en/articles/skills/waiting").exists());
    assert!(std::fs::read_to_string(web.path().join("en/index.html"))
        .unwrap()
        .contains("<!DOCTYPE html>"));
    assert!(survived(&web.path().join("CNAME")));
    // A file servicekb did not write where it would write one: refused, nothing changed.
    std::fs::remove_file(web.path().join("sitemap.xml")).unwrap();
    let web2 = tempfile::tempdir().unwrap();
    canary(&web2.path().join("sitemap.xml"));
    let out2 = s.path().join("out2");
    symlink(web2.path(), &out2).unwrap();
    let r = s.run(&["build", "--output", out2.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("`sitemap.xml`"), "{}", r.stderr);
    assert!(survived(&web2.path().join("sitemap.xml")));
    assert!(!web2.path().join("en").exists(), "nothing written");
}

#[test]
fn links_inside_the_output_are_replaced_not_followed() {
    let s = Site::sample();
    // Two builds: the output and the spare copy both exist.
    assert!(s.build().ok());
    assert!(s.build().ok());
    let elsewhere = tempfile::tempdir().unwrap();
    canary(&elsewhere.path().join("style.css"));
    canary(&elsewhere.path().join("index.html"));
    for dir in ["public", ".public.prev"] {
        let st = s.path().join(dir).join("static");
        std::fs::remove_dir_all(&st).unwrap();
        symlink(elsewhere.path(), &st).unwrap();
        let page = s.path().join(dir).join("en/index.html");
        std::fs::remove_file(&page).unwrap();
        symlink(elsewhere.path().join("index.html"), &page).unwrap();
    }
    for _ in 0..3 {
        assert!(s.build().ok());
    }
    assert!(survived(&elsewhere.path().join("style.css")));
    assert!(survived(&elsewhere.path().join("index.html")));
    for dir in ["public", ".public.prev"] {
        let m = std::fs::symlink_metadata(s.path().join(dir).join("static")).unwrap();
        assert!(m.is_dir(), "{dir}/static is a real folder again");
        assert!(s
            .read(&format!("{dir}/en/index.html"))
            .contains("<!DOCTYPE html>"));
    }
}

#[test]
fn builds_into_one_output_at_once_wait_for_each_other() {
    let s = Site::sample();
    let kids: Vec<_> = (0..4)
        .map(|_| {
            Command::new(bin())
                .args(["build", "--root", s.path().to_str().unwrap()])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for k in kids {
        let o = k.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let together = s.snapshot();
    std::fs::remove_dir_all(s.path().join("public")).unwrap();
    assert!(s.build().ok());
    assert_eq!(together, s.snapshot(), "the output is one whole build");
}

/// A build of `s` started while the test holds the output's lock, once it
/// has said that it waits; its stderr from there on.
fn waiting_build(
    s: &Site,
) -> (
    std::process::Child,
    std::io::BufReader<std::process::ChildStderr>,
) {
    use std::io::BufRead;
    let mut kid = Command::new(bin())
        .args(["build", "--root", s.path().to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(kid.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.contains("waiting for it to finish"), "{first}");
    (kid, stderr)
}

/// The moment a build has swapped its folder in but not yet written its
/// manifest, held there: a build waiting for the lock judges the output
/// only once it has the lock, when the manifest is back.
#[test]
fn a_waiting_build_judges_the_output_once_it_holds_the_lock() {
    let s = Site::sample();
    assert!(s.build().ok());
    let lock = std::fs::File::open(s.path().join(".public.lock")).unwrap();
    lock.lock().unwrap();
    let manifest = s.path().join(".public.manifest");
    let aside = s.path().join("manifest.aside");
    std::fs::rename(&manifest, &aside).unwrap();
    let (mut kid, mut stderr) = waiting_build(&s);
    std::fs::rename(&aside, &manifest).unwrap();
    lock.unlock().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(kid.wait().unwrap().success(), "{rest}");
}

/// The lock file deleted and made again while a build waits (a `git clean`
/// and another build): the waiting build takes the lock on the file now
/// there, so it still waits for the build holding that one.
#[test]
fn a_lock_file_replaced_meanwhile_still_keeps_builds_apart() {
    let s = Site::sample();
    assert!(s.build().ok());
    let path = s.path().join(".public.lock");
    let first = std::fs::File::open(&path).unwrap();
    first.lock().unwrap();
    let (mut kid, _stderr) = waiting_build(&s);
    std::fs::remove_file(&path).unwrap();
    let second = std::fs::File::create(&path).unwrap();
    second.lock().unwrap();
    first.unlock().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        kid.try_wait().unwrap().is_none(),
        "the build went on while the lock now at the path was held"
    );
    second.unlock().unwrap();
    assert!(kid.wait().unwrap().success());
}

/// A lock file that is a link is not written through, and a pipe there is
/// an error, not a wait that never ends.
#[test]
fn a_lock_file_that_is_a_link_or_a_pipe_is_refused() {
    let s = Site::sample();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    symlink(&victim, s.path().join(".public.lock")).unwrap();
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains(".public.lock"), "{}", r.stderr);
    assert!(!victim.exists(), "nothing made through the link");
    std::fs::remove_file(s.path().join(".public.lock")).unwrap();
    let fifo = Command::new("mkfifo")
        .arg(s.path().join(".public.lock"))
        .status()
        .unwrap();
    assert!(fifo.success());
    let (code, err) = run_for(&["build", "--root", s.path().to_str().unwrap()], 60)
        .expect("the build hung on a pipe at the lock");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(".public.lock"), "{err}");
}

/// `--output .` would put the spare folder and the lock inside the output:
/// refused, with nothing written; `sub/.` is the folder `sub`.
#[test]
fn an_output_without_a_name_is_refused_and_one_ending_in_a_dot_is_the_folder() {
    let s = Site::sample();
    let empty = tempfile::tempdir().unwrap();
    let root = s.path().to_str().unwrap();
    let r = common::run(&["build", "--root", root, "--output", "."], empty.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("must end in a folder's name"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
    let r = common::run(
        &["build", "--root", root, "--output", "sub/."],
        empty.path(),
    );
    assert!(r.ok(), "{}", r.stderr);
    assert!(empty.path().join("sub/en/index.html").exists());
    assert!(empty.path().join(".sub.manifest").exists());
}

/// A file put into the output while a build runs is found just before the
/// swap: the build is refused and the file stays where it was put, instead
/// of going out with the old output to be deleted by the next build.
#[test]
fn a_file_put_into_the_output_during_a_build_is_never_swapped_away() {
    let s = Site::sample();
    for i in 0..300 {
        s.write(
            &format!("content/articles/skills/extra-{i}.en.md"),
            &format!("---\ntitle: Extra {i}\n---\n\nMore text, number {i}.\n"),
        );
    }
    assert!(s.build().ok());
    assert!(s.build().ok());
    let spare_manifest = s.path().join(".public.prev.manifest");
    assert!(spare_manifest.exists());
    let kid = Command::new(bin())
        .args(["build", "--root", s.path().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The build has begun once it has set its spare folder's manifest aside.
    let t = Instant::now();
    while spare_manifest.exists() && t.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(1));
    }
    let notes = s.path().join("public/NOTES.txt");
    canary(&notes);
    let o = kid.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("`NOTES.txt`"), "{stderr}");
    assert!(survived(&notes), "the file stays where it was put");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(survived(&notes));
}

const NEW_ARTICLE: &str = "content/articles/skills/new-one.en.md";
const NEW_TEXT: &str = "---\ntitle: New one\n---\n\nA new article.\n";

/// A build stopped after it swapped its output in and before its manifest
/// was renamed into place (killed there, or the disk full): the next build
/// takes the output as its own and builds the whole site. Both moments:
/// the old manifest not yet moved beside the old output, and moved.
#[test]
fn a_build_stopped_after_its_swap_leaves_an_output_the_next_build_takes() {
    for old_moved in [false, true] {
        let s = Site::sample();
        canary(&s.path().join("notes.txt"));
        assert!(s.build().ok());
        s.write(NEW_ARTICLE, NEW_TEXT);
        assert!(s.build().ok());
        let at = |name: &str| s.path().join(name);
        std::fs::rename(at(".public.manifest"), at(".public.manifest.new")).unwrap();
        if !old_moved {
            std::fs::rename(at(".public.prev.manifest"), at(".public.manifest")).unwrap();
        }
        s.replace(NEW_ARTICLE, "A new article.", "A new article, edited.");
        let r = s.build();
        assert!(r.ok(), "old manifest moved: {old_moved}: {}", r.stderr);
        assert!(!s.exists(".public.manifest.new"));
        assert!(s
            .page("/en/articles/skills/new-one/")
            .contains("A new article, edited."));
        let whole = s.snapshot();
        std::fs::remove_dir_all(at("public")).unwrap();
        assert!(s.build().ok());
        assert_eq!(whole, s.snapshot(), "the output is one whole build");
        assert!(survived(&at("notes.txt")));
    }
}

/// A build into a linked output stopped after it copied its new pages in
/// and before it recorded them: the next build knows them as its own, to
/// replace, or to delete when the site no longer has them.
#[test]
fn a_linked_build_stopped_while_it_copies_leaves_pages_the_next_build_knows() {
    for removed in [false, true] {
        let s = Site::sample();
        let web = tempfile::tempdir().unwrap();
        canary(&web.path().join("CNAME"));
        symlink(web.path(), s.path().join("public")).unwrap();
        let at = |name: &str| s.path().join(name);
        assert!(s.build().ok());
        let recorded = std::fs::read(at(".public.manifest")).unwrap();
        s.write(NEW_ARTICLE, NEW_TEXT);
        assert!(s.build().ok());
        std::fs::rename(at(".public.manifest"), at(".public.manifest.new")).unwrap();
        std::fs::write(at(".public.manifest"), recorded).unwrap();
        if removed {
            std::fs::remove_file(at(NEW_ARTICLE)).unwrap();
        }
        let r = s.build();
        assert!(r.ok(), "article removed: {removed}: {}", r.stderr);
        let page = web.path().join("en/articles/skills/new-one/index.html");
        assert_eq!(page.exists(), !removed, "article removed: {removed}");
        assert!(!s.exists(".public.manifest.new"));
        assert!(survived(&web.path().join("CNAME")));
    }
}

#[test]
fn a_build_that_cannot_write_removes_its_spare_and_says_so_once() {
    let s = Site::sample();
    assert!(s.build().ok());
    let before = s.snapshot();
    s.replace(
        "content/articles/skills/empathy.en.md",
        "Say it.",
        "Say it, kindly.",
    );
    // Files over 2 KB cannot be written: a full disk, as far as the build can tell.
    let o = Command::new("sh")
        .args([
            "-c",
            "trap '' XFSZ; ulimit -f 4; exec \"$0\" \"$@\"",
            bin().to_str().unwrap(),
            "build",
            "--root",
            s.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let errs = errors(&stderr);
    assert_eq!(errs.len(), 2, "the cause once, then the summary: {stderr}");
    assert!(
        errs[0].contains("more files could not be written"),
        "{stderr}"
    );
    assert!(!s.exists(".public.prev"), "the spare is gone");
    assert_eq!(before, s.snapshot(), "the output is untouched");
    let r = s.build();
    assert!(r.ok(), "the next build fits: {}", r.stderr);
    assert!(s
        .page("/en/articles/skills/empathy/")
        .contains("Say it, kindly."));
}

#[test]
fn links_that_lead_out_of_the_site_are_errors() {
    let s = Site::sample();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOKEN=hunter2").unwrap();
    std::fs::write(
        outside.path().join("page.en.md"),
        "---\ntitle: Secret\n---\nTOKEN=hunter2\n",
    )
    .unwrap();
    std::fs::create_dir_all(s.path().join("static")).unwrap();
    symlink("/proc/self/environ", s.path().join("static/env.txt")).unwrap();
    symlink(
        outside.path().join("secret.txt"),
        s.path().join("static/secret.txt"),
    )
    .unwrap();
    symlink(outside.path(), s.path().join("content/articles/linked")).unwrap();
    // A link that stays inside the site is fine.
    s.write("notes/shared.css", "body{}");
    symlink(
        s.path().join("notes/shared.css"),
        s.path().join("static/shared.css"),
    )
    .unwrap();
    for cmd in ["build", "check"] {
        let r = s.run(&[cmd]);
        assert_eq!(r.code, 1, "{cmd}: {}", r.stderr);
        for rel in [
            "static/env.txt",
            "static/secret.txt",
            "content/articles/linked",
        ] {
            assert!(
                r.stderr
                    .contains(&format!("error: {rel}: this is a link to"))
                    && r.stderr.contains("outside the site folder"),
                "{cmd} names {rel}: {}",
                r.stderr
            );
        }
    }
    assert!(!s.exists("public"), "nothing published");
    for f in [
        "static/env.txt",
        "static/secret.txt",
        "content/articles/linked",
    ] {
        std::fs::remove_file(s.path().join(f)).unwrap();
    }
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(s.read("public/shared.css"), "body{}");
}

/// Runs a command for at most `secs`, killing it after; `None` when it hung.
fn run_for(args: &[&str], secs: u64) -> Option<(i32, String)> {
    let mut k = Command::new(bin())
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(secs) {
        if let Some(status) = k.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(k.stderr.as_mut().unwrap(), &mut err).unwrap();
            return Some((status.code().unwrap_or(-1), err));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = k.kill();
    let _ = k.wait();
    None
}

#[test]
fn a_named_pipe_is_an_error_not_a_hang() {
    let s = Site::sample();
    let fifo = s.path().join("content/articles/skills/x.en.md");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for cmd in ["build", "check"] {
        let (code, err) = run_for(&[cmd, "--root", s.path().to_str().unwrap()], 60)
            .unwrap_or_else(|| panic!("{cmd} hung on a FIFO"));
        assert_eq!(code, 1);
        assert!(
            err.contains("error: content/articles/skills/x.en.md: this is a named pipe (FIFO), not a regular file"),
            "{err}"
        );
    }
}

#[test]
fn hidden_files_under_static_are_published_but_not_version_control_or_litter() {
    let s = Site::sample();
    s.write(
        "static/.well-known/security.txt",
        "Contact: mailto:a@example.org\n",
    );
    s.write("static/.nojekyll", "");
    s.write("static/.git/HEAD", "ref: x\n");
    s.write("static/img/.DS_Store", "x");
    s.write("static/img/logo.svg~", "x");
    s.write("static/img/logo.svg", "<svg/>");
    assert!(s.build().ok());
    assert!(s.exists("public/.well-known/security.txt"));
    assert!(s.exists("public/.nojekyll"));
    assert!(s.exists("public/img/logo.svg"));
    for gone in [
        "public/.git",
        "public/img/.DS_Store",
        "public/img/logo.svg~",
    ] {
        assert!(!s.exists(gone), "{gone} is not published");
    }
}

#[test]
fn init_refuses_to_overwrite_anything_and_never_writes_through_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("site");
    canary(&target.join(".gitignore"));
    let r = common::run(&["init", target.to_str().unwrap()], dir.path());
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(".gitignore is already there"),
        "{}",
        r.stderr
    );
    assert!(survived(&target.join(".gitignore")));
    assert!(!target.join("site.yaml").exists(), "nothing written");
    // A link where init would write: refused, nothing written outside.
    let outside = tempfile::tempdir().unwrap();
    let t2 = dir.path().join("site2");
    std::fs::create_dir_all(&t2).unwrap();
    symlink(outside.path().join("missing"), t2.join("site.yaml")).unwrap();
    let r = common::run(&["init", t2.to_str().unwrap()], dir.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!outside.path().join("missing").exists());
    let t3 = dir.path().join("site3");
    std::fs::create_dir_all(&t3).unwrap();
    symlink(outside.path(), t3.join("content")).unwrap();
    let r = common::run(&["init", t3.to_str().unwrap()], dir.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("is a link"), "{}", r.stderr);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

#[test]
fn translate_never_writes_through_a_link_and_leaves_no_partial_file() {
    let s = Site::sample();
    s.replace(
        "site.yaml",
        "  - { code: he, name: עברית, direction: rtl }\n",
        "  - { code: he, name: עברית, direction: rtl }\n  - { code: pl, name: Polski }\n",
    );
    let outside = tempfile::tempdir().unwrap();
    let dangling = outside.path().join("stub.md");
    symlink(
        &dangling,
        s.path().join("content/articles/skills/empathy.pl.md"),
    )
    .unwrap();
    let r = s.run(&[
        "translate",
        "content/articles/skills/empathy.en.md",
        "--to",
        "pl",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!dangling.exists(), "nothing written outside the site");
    let r = s.run(&[
        "translate",
        "content/articles/skills/empathy.en.md",
        "--to",
        "pl",
        "--force",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!dangling.exists());
    std::fs::remove_file(s.path().join("content/articles/skills/empathy.pl.md")).unwrap();
    let r = s.run(&[
        "translate",
        "content/articles/skills/empathy.en.md",
        "--to",
        "pl",
    ]);
    assert!(r.ok(), "{}", r.stderr);
    // --update on a full disk keeps the translation whole.
    s.replace(
        "content/articles/skills/empathy.en.md",
        "Say it.",
        &format!("Say it.\n\n{}", "More text. ".repeat(400)),
    );
    let before = s.read("content/articles/skills/empathy.pl.md");
    let o = Command::new("sh")
        .args([
            "-c",
            "trap '' XFSZ; ulimit -f 4; exec \"$0\" \"$@\"",
            bin().to_str().unwrap(),
            "translate",
            "content/articles/skills/empathy.en.md",
            "--to",
            "pl",
            "--update",
            "--root",
            s.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        before,
        s.read("content/articles/skills/empathy.pl.md"),
        "left whole"
    );
    let leftovers: Vec<_> = std::fs::read_dir(s.path().join("content/articles/skills"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file left");
}

#[test]
fn a_closed_pipe_ends_quietly_and_a_full_disk_is_an_error() {
    let s = Site::sample();
    let mut k = Command::new(bin())
        .args(["i18n", "--root", s.path().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(k.stdout.take());
    let o = k.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(o.status.code(), Some(0), "{err}");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = Command::new(bin())
        .args(["i18n", "--root", s.path().to_str().unwrap()])
        .stdout(full)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: cannot write the output: no space left on device"),
        "{err}"
    );
}

#[test]
fn base_url_from_the_command_line_is_checked_like_site_yaml() {
    let s = Site::sample();
    for bad in [
        "javascript:alert(1)//",
        "//evil.example",
        "https://x.org/\"><script>",
        "kb.example.org",
    ] {
        let r = s.run(&["build", "--base-url", bad]);
        assert_eq!(r.code, 1, "{bad}");
        assert!(
            r.stderr.contains("must be an absolute http(s) URL"),
            "{}",
            r.stderr
        );
    }
    assert!(!s.exists("public"));
    let r = s.run(&["build", "--base-url", "https://docs.example.org/kb/"]);
    assert!(r.ok(), "{}", r.stderr);
    assert!(s
        .read("public/sitemap.xml")
        .contains("https://docs.example.org/kb/en/"));
}

#[test]
fn an_unquoted_source_hash_is_read_as_written() {
    let s = Site::sample();
    let body = common::ARTICLE_EN.splitn(3, "---\n").nth(2).unwrap();
    let hash = servicekb::hash::source_hash(body);
    // Whatever the real hash, an unquoted all-digit or exponent-like one
    // must be read as text.
    for written in ["20240101", "3e141592", "1e100000"] {
        let t = s.read("content/articles/skills/empathy.he.md");
        let start = t.find("source_hash:").unwrap();
        let end = start + t[start..].find('\n').unwrap();
        s.write(
            "content/articles/skills/empathy.he.md",
            &format!("{}source_hash: {written}{}", &t[..start], &t[end..]),
        );
        let r = s.check();
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!("source_hash is \"{written}\"")) || written == hash,
            "read as written: {}",
            r.stderr
        );
    }
    let t = s.read("content/articles/skills/empathy.he.md");
    let start = t.find("source_hash:").unwrap();
    let end = start + t[start..].find('\n').unwrap();
    s.write(
        "content/articles/skills/empathy.he.md",
        &format!("{}source_hash: 12.5{}", &t[..start], &t[end..]),
    );
    let r = s.check();
    assert_eq!(r.code, 0, "a warning, not an error: {}", r.stderr);
    assert!(
        r.stderr
            .contains("source_hash `12.5` is not 8 hex characters"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_value_of_the_wrong_kind_is_explained_in_plain_words() {
    let s = Site::sample();
    s.replace(
        "content/articles/skills/empathy.en.md",
        "title: Empathy on the phone",
        "title: [x, y]",
    );
    let r = s.check();
    assert!(
        r.stderr
            .contains("empathy.en.md:2:8: `title` should be a text, but it is a list"),
        "{}",
        r.stderr
    );
    s.replace(
        "content/skills/empathy.yaml",
        "name: { en: Empathy, he: אמפתיה }",
        "name: ~",
    );
    let r = s.check();
    assert!(
        r.stderr.contains(
            "`name` should be one text per language, such as { en: ..., he: ... }, but it is empty"
        ),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("invalid type") && !r.stderr.contains("untagged"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_file_name_that_is_not_utf8_is_named_as_such() {
    use std::os::unix::ffi::OsStrExt;
    let s = Site::sample();
    let name = std::ffi::OsStr::from_bytes(b"bad-\xff.en.md");
    std::fs::write(
        s.path().join("content/articles/skills").join(name),
        "---\ntitle: x\n---\n",
    )
    .unwrap();
    let r = s.check();
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("this name is not valid UTF-8 text; rename it"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("does not exist"), "{}", r.stderr);
}

/// A first build stopped on the way (killed, the power lost) leaves part
/// of itself in the spare folder and no manifest yet; the next build takes
/// that part as its own, removes it, and completes with no stray file.
#[test]
fn a_first_build_killed_on_the_way_does_not_block_the_next() {
    let s = Site::sample();
    let text = "A line of the article, long enough to take some time. ".repeat(100);
    for i in 0..3000 {
        s.write(
            &format!("content/articles/skills/a{i}.en.md"),
            &format!("---\ntitle: Article {i}\n---\n\n{text}\n"),
        );
    }
    let spare = s.path().join(".public.prev");
    let mut stopped = false;
    for _ in 0..5 {
        let _ = std::fs::remove_dir_all(&spare);
        let _ = std::fs::remove_dir_all(s.path().join("public"));
        let _ = std::fs::remove_file(s.path().join(".public.prev.building"));
        let mut child = Command::new(bin())
            .args(["build", "--root"])
            .arg(s.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        // Killed as soon as the spare folder has its first page.
        while start.elapsed() < Duration::from_secs(60) {
            let begun = std::fs::read_dir(&spare).is_ok_and(|mut d| d.next().is_some());
            if begun || child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        if !status.success() && !s.path().join("public").exists() {
            stopped = true;
            break;
        }
    }
    assert!(stopped, "no build could be stopped half way");
    assert!(
        std::fs::read_dir(&spare).is_ok_and(|mut d| d.next().is_some()),
        "the stopped build left part of itself"
    );
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    let built = s.snapshot();
    let other = tempfile::tempdir().unwrap();
    let out = other.path().join("out");
    let r = s.run(&["build", "--output", out.to_str().unwrap()]);
    assert!(r.ok(), "{}", r.stderr);
    let fresh: Vec<String> = walkdir::WalkDir::new(&out)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let names: Vec<String> = built.into_iter().map(|(p, _)| p).collect();
    assert_eq!(names, fresh, "the same files as a build into a new folder");
    let r = s.build();
    assert!(r.ok(), "a rebuild after it: {}", r.stderr);
}
