//! Errors and warnings a user can cause, each naming its file and, where there
//! is one, the line and column (1-based, over the whole file).

use std::fmt;
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    pub line: Option<usize>,
    pub col: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            col: None,
            message: message.into(),
        }
    }

    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub fn at(mut self, pos: Option<(usize, usize)>) -> Self {
        if let Some((line, col)) = pos {
            self.line = Some(line);
            self.col = Some(col);
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}: {}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// Collects diagnostics from every stage (and from parallel workers), so that
/// `check` can report every problem at once.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&self, d: Diagnostic) {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).push(d);
    }

    pub fn extend(&self, ds: impl IntoIterator<Item = Diagnostic>) {
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        items.extend(ds);
    }

    pub fn has_errors(&self) -> bool {
        self.items
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(Diagnostic::is_error)
    }

    /// Sorted by file, then position, without duplicates.
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        let mut items = self.items.into_inner().unwrap_or_else(|e| e.into_inner());
        items.sort_by(|a, b| {
            (&a.file, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.col, b.severity, &b.message))
        });
        items.dedup();
        items
    }
}

/// A did-you-mean hint for an unknown id, or an empty string.
pub fn suggest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let n = unknown.chars().count();
    let best = known
        .into_iter()
        .filter_map(|k| {
            let m = k.chars().count();
            let limit = (n.max(m) / 3).max(2);
            // The distance is at least the difference in length: skip the work.
            if n.abs_diff(m) > limit {
                return None;
            }
            let d = strsim::damerau_levenshtein(unknown, k);
            (d <= limit).then_some((d, k))
        })
        .min();
    match best {
        Some((_, k)) => format!(" (did you mean `{k}`?)"),
        None => String::new(),
    }
}

/// An I/O error in plain words.
pub fn plain_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "it does not exist".into(),
        PermissionDenied => "permission denied".into(),
        _ => {
            // Symlink loops and similar have no stable ErrorKind.
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_spec() {
        let d = Diagnostic::error("content/a.md", "unknown skill `empaty`").at(Some((14, 22)));
        assert_eq!(
            d.to_string(),
            "error: content/a.md:14:22: unknown skill `empaty`"
        );
        let w = Diagnostic::warning("site.yaml", "no UI strings");
        assert_eq!(w.to_string(), "warning: site.yaml: no UI strings");
    }

    #[test]
    fn suggests_close_ids_only() {
        assert_eq!(
            suggest("empaty", ["empathy", "patience"]),
            " (did you mean `empathy`?)"
        );
        assert_eq!(suggest("zzzzzz", ["empathy", "patience"]), "");
    }
}
