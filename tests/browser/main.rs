//! The browser suite: pages of real sites in headless Chromium through
//! ChromeDriver, axe-core, and the Nu Html Checker (Java). On a machine
//! without those tools each test says what it skipped and passes, so a bare
//! `cargo test` works with Rust alone; `scripts/test` installs them and sets
//! `SERVICEKB_BROWSER_TESTS=required`, which makes a missing tool a failure.

#[path = "../common/mod.rs"]
mod common;
mod support;

mod checklist;
mod demo;
mod html_valid;
mod reading;
mod search;
mod search_quality;

use std::io::Write;
use std::path::Path;

/// Whether this test must be skipped: one of `needs` (commands, or files
/// under the repository) is missing and the suite is not required.
pub fn skip(needs: &[&str]) -> bool {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let missing: Vec<&str> = needs
        .iter()
        .copied()
        .filter(|n| {
            if n.contains('/') {
                !repo.join(n).exists()
            } else {
                std::process::Command::new(n)
                    .arg("--version")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .is_err()
            }
        })
        .collect();
    if missing.is_empty() {
        return false;
    }
    let required = std::env::var("SERVICEKB_BROWSER_TESTS").is_ok_and(|v| v == "required");
    assert!(
        !required,
        "missing for the browser tests: {} (scripts/test installs them)",
        missing.join(", ")
    );
    // Straight to stderr: the test harness captures only `eprintln!`.
    let _ = writeln!(
        std::io::stderr(),
        "skipped (missing {}; scripts/test installs what is missing)",
        missing.join(", ")
    );
    true
}

/// What a test in Chromium needs.
pub const CHROMIUM: &[&str] = &[
    "chromium",
    "chromedriver",
    "node_modules/axe-core/axe.min.js",
];
