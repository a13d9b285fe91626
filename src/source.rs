//! Reading a user's file: UTF-8 (with or without BOM), LF or CRLF, and
//! mapping byte offsets back to 1-based line and column.

use crate::diagnostics::Diagnostic;
use std::path::Path;

/// Files larger than this are refused with an error instead of exhausting memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Files under `static/` (images, PDFs, fonts) are copied, not parsed.
pub const MAX_STATIC_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, `/`-separated.
    pub rel: String,
    /// The text, BOM removed and CRLF turned into LF.
    pub text: String,
    /// Where each line starts, made when a position is first asked for:
    /// a file with thousands of errors would otherwise be scanned for each.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// Reads a file of the site: only a regular file inside the site
    /// folder, at most [`MAX_FILE_BYTES`].
    pub fn read(root: &Path, rel: &str) -> Result<SourceFile, Diagnostic> {
        let bytes = crate::fsguard::read_site_file(root, rel, MAX_FILE_BYTES)?;
        Self::from_bytes(rel, bytes)
    }

    pub fn from_bytes(rel: &str, bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
        // Validating is a tenth of loading a site; the SIMD validator is
        // several times faster than the standard one on non-ASCII text.
        if simdutf8::basic::from_utf8(&bytes).is_ok() {
            // SAFETY: the bytes were validated as UTF-8 on the line above.
            let text = unsafe { String::from_utf8_unchecked(bytes) };
            return Ok(SourceFile::new(rel, normalize_text(text)));
        }
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                // The valid prefix tells where the bad byte sits.
                let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
                let pos = line_col(&prefix, prefix.len());
                return Err(Diagnostic::error(
                    rel,
                    "the file is not valid UTF-8 text (save it as UTF-8)",
                )
                .at(Some(pos)));
            }
        };
        Ok(SourceFile::new(rel, normalize_text(text)))
    }

    pub fn new(rel: &str, text: String) -> SourceFile {
        SourceFile {
            rel: rel.to_string(),
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// Keeps the text up to `end` only (positions after it are not asked for).
    pub fn drop_text_after(&mut self, end: usize) {
        if end < self.text.len() && self.text.is_char_boundary(end) {
            self.text.truncate(end);
            self.text.shrink_to_fit();
            self.line_starts = std::sync::OnceLock::new();
        }
    }

    /// Line and column of a byte offset into `text`.
    pub fn pos(&self, offset: usize) -> (usize, usize) {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let offset = char_floor(&self.text, offset);
        // The last line start at or before `offset`.
        let line = starts.partition_point(|&s| s <= offset);
        let start = starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

/// Positions of ascending offsets in one pass over the text, without the
/// table of line starts that [`SourceFile::pos`] builds.
pub struct PosWalker<'a> {
    file: &'a SourceFile,
    /// Line number of `at`, and how many characters of its line come before it.
    line: usize,
    col: usize,
    at: usize,
}

impl<'a> PosWalker<'a> {
    pub fn new(file: &'a SourceFile) -> Self {
        PosWalker {
            file,
            line: 1,
            col: 0,
            at: 0,
        }
    }

    /// Line and column of `offset`; an offset before the last one asked for
    /// is looked up the slow way. Each byte is read about once, however many
    /// offsets share a line.
    pub fn pos(&mut self, offset: usize) -> (usize, usize) {
        let text = &self.file.text;
        let offset = char_floor(text, offset);
        if offset < self.at {
            return self.file.pos(offset);
        }
        let gap = &text.as_bytes()[self.at..offset];
        match memchr::memrchr(b'\n', gap) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', &gap[..last]).count() + 1;
                self.col = text[self.at + last + 1..offset].chars().count();
            }
            None => self.col += text[self.at..offset].chars().count(),
        }
        self.at = offset;
        (self.line, self.col + 1)
    }
}

/// Strip a BOM and turn CRLF (and lone CR) line endings into LF.
pub fn normalize_text(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    text
}

/// `offset`, within `text` and moved back to the start of its character.
fn char_floor(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = char_floor(text, offset);
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Byte ranges of the front matter YAML and the start of the body.
pub fn split_front_matter(file: &SourceFile) -> Result<(usize, usize, usize), Diagnostic> {
    let t = &file.text;
    if t.trim().is_empty() {
        return Err(Diagnostic::error(
            &file.rel,
            "the file is empty; an article starts with front matter (`---`, `title: ...`, `---`)",
        )
        .at(Some((1, 1))));
    }
    let first_end = t.find('\n').unwrap_or(t.len());
    if t[..first_end].trim_end() != "---" {
        return Err(Diagnostic::error(
            &file.rel,
            "the article has no front matter: its first line must be `---`, followed by `title: ...` and a closing `---`",
        )
        .at(Some((1, 1))));
    }
    let fm_start = (first_end + 1).min(t.len());
    let mut off = fm_start;
    while off < t.len() {
        let end = t[off..].find('\n').map_or(t.len(), |n| off + n);
        if t[off..end].trim_end() == "---" {
            return Ok((fm_start, off, (end + 1).min(t.len())));
        }
        off = end + 1;
    }
    Err(Diagnostic::error(
        &file.rel,
        "the front matter is not closed: add a line `---` after it, before the article text",
    )
    .at(Some((1, 1))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walking_ascending_offsets_gives_the_same_positions() {
        for text in ["ab\nשלום x\n\nyz", "", "\n", "\n\na\n", "a\n\nשל\n", "x"] {
            let f = SourceFile::new("x", text.to_string());
            let mut w = PosWalker::new(&f);
            for off in (0..=text.len() + 2).chain([1, 0, text.len()]) {
                assert_eq!(w.pos(off), f.pos(off), "{text:?} at {off}");
            }
        }
    }

    #[test]
    fn positions_are_one_based_in_characters() {
        let t = "ab\nשלום x";
        for text in [t, "", "\n", "\n\na\n", "a\n\nשל\n", "x"] {
            let f = SourceFile::new("x", text.to_string());
            for off in 0..=text.len() + 2 {
                assert_eq!(f.pos(off), line_col(text, off), "{text:?} at {off}");
            }
        }
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        let x = t.find('x').unwrap();
        assert_eq!(line_col(t, x), (2, 6));
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let f = SourceFile::from_bytes("a.md", b"\xef\xbb\xbfa\r\nb\r\n".to_vec()).unwrap();
        assert_eq!(f.text, "a\nb\n");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let e = SourceFile::from_bytes("a.md", b"ok\nbad \xff here".to_vec()).unwrap_err();
        assert_eq!((e.line, e.col), (Some(2), Some(5)));
    }
}
