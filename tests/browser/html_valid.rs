//! The demo site's pages are valid HTML5, per the Nu Html Checker
//! (npm `vnu-jar`, run with the machine's Java; `scripts/test` installs both),
//! with no errors and no warnings either.

use crate::common;
use std::path::Path;
use std::process::Command;

#[test]
fn demo_site_pages_are_valid_html() {
    if crate::skip(&["java", "node_modules/vnu-jar/build/dist/vnu.jar"]) {
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let jar = repo.join("node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        jar.exists(),
        "the Nu Html Checker is missing: run `scripts/test` (or `npm ci`) to install it"
    );
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let r = common::run(
        &[
            "build",
            "--root",
            repo.to_str().unwrap(),
            "--output",
            public.to_str().unwrap(),
        ],
        repo,
    );
    assert!(r.ok(), "the demo site builds: {}", r.stderr);
    let v = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--skip-non-html", "--Werror", "--format", "text"])
        .arg(&public)
        .output()
        .expect("java runs (install a JRE: scripts/test does)");
    let report =
        String::from_utf8_lossy(&v.stderr).into_owned() + &String::from_utf8_lossy(&v.stdout);
    assert!(
        v.status.success() && !report.to_lowercase().contains("warning:"),
        "HTML errors or warnings:\n{report}"
    );
}
