//! `source_hash` (docs/content-format.md, "Translations"): the first 8 hex
//! characters of the SHA-256 of an article body, front matter removed,
//! CRLF → LF, blank lines at either end trimmed.

use sha2::{Digest, Sha256};

pub fn source_hash(body: &str) -> String {
    let body: std::borrow::Cow<str> = if body.contains("\r\n") {
        body.replace("\r\n", "\n").into()
    } else {
        body.into()
    };
    let digest = Sha256::digest(trim_blank_lines(&body).as_bytes());
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// `s` without its leading and trailing blank (whitespace-only) lines, and
/// without the newline that ends its last line.
fn trim_blank_lines(s: &str) -> &str {
    let blank = |l: &str| l.trim().is_empty();
    let mut start = 0;
    for line in s.split_inclusive('\n') {
        if !blank(line) {
            break;
        }
        start += line.len();
    }
    let mut end = s.len();
    for line in s[start..].rsplit_terminator('\n') {
        // `rsplit_terminator` skips one final empty piece after a last `\n`.
        if !blank(line) {
            end = start + line.as_ptr() as usize - s[start..].as_ptr() as usize + line.len();
            break;
        }
    }
    if end < start {
        return "";
    }
    &s[start..end]
}

pub fn is_hash(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_line_endings_and_outer_blank_lines() {
        let a = source_hash("\n\nHello\nworld\n\n");
        let b = source_hash("Hello\r\nworld");
        assert_eq!(a, b);
        assert_eq!(a.len(), 8);
        assert_ne!(a, source_hash("Hello\nworld!"));
        // sha256("Hello\nworld") starts with these bytes
        assert_eq!(a, &format!("{:x}", Sha256::digest(b"Hello\nworld"))[..8]);
    }

    fn by_lines(body: &str) -> String {
        let lines: Vec<&str> = body.split('\n').collect();
        let start = lines
            .iter()
            .position(|l| !l.trim().is_empty())
            .unwrap_or(lines.len());
        let end = lines
            .iter()
            .rposition(|l| !l.trim().is_empty())
            .map_or(start, |i| i + 1);
        lines[start..end.max(start)].join("\n")
    }

    proptest::proptest! {
        #[test]
        fn trimming_matches_joined_lines(body in "[ a\\n\t\u{a0}]{0,12}") {
            proptest::prop_assert_eq!(trim_blank_lines(&body), by_lines(&body));
        }
    }

    /// The slice-based trimming hashes exactly what joining the kept lines would.
    #[test]
    fn trimming_matches_line_by_line_definition() {
        let cases = [
            "",
            "\n",
            "\n\n",
            " \n\t\n",
            "a",
            "a\n",
            "\na",
            "\n\na\n\n",
            "  a  \n\n b\n \n",
            "a\n\nb",
            " \n  x\n",
            "x\n \n",
            "\u{a0}\nx\n\u{2003}",
            "a\n\n\n",
            "\n \n a \n \n",
        ];
        for c in cases {
            assert_eq!(trim_blank_lines(c), by_lines(c), "{c:?}");
        }
    }
}
