//! URLs: percent-encoding of paths and absolute URLs from `base_url`.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// What browsers encode in a path: controls, space, non-ASCII and a few marks.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'?')
    .add(b'{')
    .add(b'}')
    .add(b'%')
    .add(b'#');

/// A site path as it goes on the wire (`/pl/articles/prüfung/` → `/pl/articles/pr%C3%BCfung/`).
pub fn encode_path(path: &str) -> String {
    encode_path_cow(path).into_owned()
}

/// [`encode_path`], borrowing `path` when nothing in it needs encoding.
pub fn encode_path_cow(path: &str) -> std::borrow::Cow<'_, str> {
    utf8_percent_encode(path, PATH).into()
}

/// [`encode_path_cow`] as pieces, to write straight into a buffer.
pub fn encode_path_pieces(path: &str) -> impl Iterator<Item = &str> {
    utf8_percent_encode(path, PATH)
}

/// `folder-name` → `Folder name`, for a topic or category with no name in site.yaml.
pub fn humanize(id: &str) -> String {
    let s = id.replace(['-', '_'], " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// `s` in Unicode NFC, as paths, keys and slugs are compared; ASCII is
/// already, and is borrowed as it is.
pub fn nfc(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if s.is_ascii() {
        s.into()
    } else {
        s.nfc().collect::<String>().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_a_browser() {
        assert_eq!(
            encode_path("/pl/articles/prüfung/"),
            "/pl/articles/pr%C3%BCfung/"
        );
        assert_eq!(encode_path("/en/a-b/"), "/en/a-b/");
        assert_eq!(humanize("hiring-tips"), "Hiring tips");
    }
}
