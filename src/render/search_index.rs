//! `/<lang>/search-index.json`: one language's pages, their words folded
//! (case, diacritics, Hebrew niqqud and final letters) for prefix search.

use rustc_hash::FxHashSet;
use serde::Serialize;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// title
    pub t: String,
    /// URL (site path with base path)
    pub u: String,
    /// description or summary
    #[serde(skip_serializing_if = "String::is_empty")]
    pub d: String,
    /// kind: article, skill, checklist
    pub k: &'static str,
    /// skill names
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub s: Vec<String>,
    /// headings
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub h: Vec<String>,
    /// the page's distinct folded words, space-separated
    pub w: String,
}

/// Fold a text for search: lower case, no diacritics, Hebrew finals as
/// their base letters, `ł` → `l`, `ß` → `ss`.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        for c in c.to_lowercase() {
            match c {
                'ł' => out.push('l'),
                'ß' => out.push_str("ss"),
                'ø' => out.push('o'),
                'đ' => out.push('d'),
                'ı' => out.push('i'),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'ך' => out.push('כ'),
                'ם' => out.push('מ'),
                'ן' => out.push('נ'),
                'ף' => out.push('פ'),
                'ץ' => out.push('צ'),
                c => out.push(c),
            }
        }
    }
    out
}

/// Letters, digits and combining marks (niqqud stays inside its word).
fn in_word(c: char) -> bool {
    match c as u32 {
        // Hebrew letters, and Latin letters with diacritics: the common cases, decided at once.
        0x05D0..=0x05EA | 0x00C0..=0x00D6 | 0x00D8..=0x00F6 | 0x00F8..=0x024F => true,
        0x0591..=0x05C7 => true,
        _ => c.is_alphanumeric() || is_combining_mark(c),
    }
}

/// The words of a text, split on anything but letters, digits and marks.
/// ASCII is scanned byte by byte; other characters are decoded.
fn split_words<'t>(t: &'t str, mut f: impl FnMut(&'t str)) {
    let b = t.as_bytes();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        let (is_word, len) = if b[i] < 0x80 {
            (b[i].is_ascii_alphanumeric(), 1)
        } else {
            let c = t[i..].chars().next().unwrap_or(' ');
            (in_word(c), c.len_utf8())
        };
        match (is_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                f(&t[s..i]);
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(s) = start {
        f(&t[s..]);
    }
}

/// Distinct folded words of `texts`, in order of first use.
pub fn words<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let mut raw_seen: FxHashSet<&str> = FxHashSet::default();
    let mut seen: FxHashSet<String> = FxHashSet::default();
    let mut out = String::new();
    for t in texts {
        split_words(t, |w| {
            if (w.len() < 2 && w.is_ascii()) || !raw_seen.insert(w) {
                return;
            }
            let f = fold(w);
            if !seen.contains(&f) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&f);
                seen.insert(f);
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_niqqud_and_finals() {
        assert_eq!(fold("Źródła"), "zrodla");
        assert_eq!(fold("šviesa"), "sviesa");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("שָׁלוֹם"), "שלומ");
        assert_eq!(words(["A cat, a CAT; the dog"]), "cat the dog");
    }
}
