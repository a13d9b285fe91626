//! Text helpers every stage may use: HTML escaping.

/// Escapes what HTML needs escaped; unlike Tera's default, leaves `/` alone
/// so URLs stay readable.
pub fn escape_html(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + 8);
    // Writing to a Vec cannot fail, and the result is `s` with ASCII
    // replaced by ASCII, so still UTF-8.
    let _ = escape_html_to(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Whether one of the eight bytes `x` holds is one HTML needs escaped: a
/// byte equal to `b` is a zero byte in `x ^ (b × 0x0101…)`, and `v − 0x0101…`
/// borrows into the top bit of the first zero byte only.
#[inline]
fn needs_escape(x: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    let has = |b: u8| {
        let v = x ^ (ONES * u64::from(b));
        v.wrapping_sub(ONES) & !v & (ONES << 7)
    };
    has(b'&') | has(b'<') | has(b'>') | has(b'"') | has(b'\'') != 0
}

/// [`escape_html`], written to `out`: how templates write `{{ x }}`.
pub fn escape_html_to(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = s.as_bytes();
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        // Eight bytes at a time, byte by byte only where one may need it.
        if let Some(&[a, b, c, d, e, f, g, h]) = bytes.get(i..i + 8) {
            if !needs_escape(u64::from_le_bytes([a, b, c, d, e, f, g, h])) {
                i += 8;
                continue;
            }
        }
        let rep: &[u8] = match bytes[i] {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => {
                i += 1;
                continue;
            }
        };
        out.write_all(&bytes[run..i])?;
        out.write_all(rep)?;
        i += 1;
        run = i;
    }
    out.write_all(&bytes[run..])
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn escapes_markup_characters_and_keeps_the_rest() {
        assert_eq!(
            escape_html(r#"<a href="/x?a=1&b='2'">ש"ל ąž/</a>"#),
            "&lt;a href=&quot;/x?a=1&amp;b=&#39;2&#39;&quot;&gt;ש&quot;ל ąž/&lt;/a&gt;"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("&"), "&amp;");
        assert_eq!(escape_html("plain עברית"), "plain עברית");
    }

    proptest::proptest! {
        /// Eight bytes at a time or one by one, the same escaping: strings
        /// made of markup characters, ASCII and multi-byte letters, with
        /// every alignment of the markup in the eight-byte steps.
        #[test]
        fn escaping_by_words_matches_escaping_by_characters(s in "[<>&\"'a-z /ąžש]{0,40}") {
            let mut want = String::new();
            for c in s.chars() {
                match c {
                    '&' => want.push_str("&amp;"),
                    '<' => want.push_str("&lt;"),
                    '>' => want.push_str("&gt;"),
                    '"' => want.push_str("&quot;"),
                    '\'' => want.push_str("&#39;"),
                    c => want.push(c),
                }
            }
            proptest::prop_assert_eq!(escape_html(&s), want);
        }
    }
}
