//! When each article file was last committed, for its "Updated" date: one
//! `git log` over the articles folder, not one process per file. Without
//! git, outside a repository or on any failure: no dates, silently.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

/// Site-relative path (`content/articles/...`) → the date (`YYYY-MM-DD`)
/// of the last commit that changed it.
pub fn last_commit_dates(root: &Path, dir: &str) -> HashMap<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        // Paths as they are (Hebrew slugs), not quoted and escaped.
        .args(["-c", "core.quotePath=false", "log", "--relative"])
        .args(["--name-only", "--no-renames", "--format=%x00%cs", "--"])
        .arg(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => parse(&String::from_utf8_lossy(&o.stdout)),
        _ => HashMap::new(),
    }
}

/// `git log`'s output, newest commit first: a NUL and a date per commit,
/// then the files it changed, one a line. A file's first date is its last.
fn parse(log: &str) -> HashMap<String, String> {
    let mut dates = HashMap::new();
    let mut date = "";
    for line in log.lines() {
        if let Some(d) = line.strip_prefix('\0') {
            date = d.trim();
        } else if !line.is_empty() && !date.is_empty() {
            dates
                .entry(line.to_string())
                .or_insert_with(|| date.to_string());
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_files_newest_commit_wins() {
        let log = "\0 2026-05-10\n\ncontent/articles/a.en.md\n\n\x002026-04-01\n\ncontent/articles/a.en.md\ncontent/articles/b.he.md\n";
        let d = parse(log);
        assert_eq!(d["content/articles/a.en.md"], "2026-05-10");
        assert_eq!(d["content/articles/b.he.md"], "2026-04-01");
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn no_repository_means_no_dates() {
        let dir = tempfile::tempdir().unwrap();
        assert!(last_commit_dates(dir.path(), "content/articles").is_empty());
    }
}
