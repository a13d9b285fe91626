//! `source_hash` (SPEC §4): the first 8 hex characters of the SHA-256 of an
//! article body, front matter removed, CRLF → LF, blank lines at either end trimmed.

use sha2::{Digest, Sha256};

pub fn source_hash(body: &str) -> String {
    let body = body.replace("\r\n", "\n");
    let lines: Vec<&str> = body.split('\n').collect();
    let start = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(start, |i| i + 1);
    let trimmed = lines[start..end.max(start)].join("\n");
    let digest = Sha256::digest(trimmed.as_bytes());
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
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
}
