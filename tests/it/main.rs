//! The integration tests: the real binary on real sites in temp folders.
//! One binary, so the program is linked once. They need only Rust (a few
//! compare with `msgfmt` or translate-toolkit when installed and say when
//! they skip). The browser tests are a separate suite: tests/browser.

#[path = "../common/mod.rs"]
mod common;

mod build;
mod content;
mod docs;
mod errors;
mod fuzz_regressions;
mod i18n;
mod i18n_exchange;
mod incremental;
mod limits;
mod properties;
mod raw_html;
mod reading;
mod safety;
mod search_index;
mod serve;
mod serve_faults;
mod templates;
