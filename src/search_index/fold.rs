//! Folding words for search (case, diacritics, Hebrew finals) and
//! splitting a text into words.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Fold a text for search: lower case, no diacritics, Hebrew finals as
/// their base letters, `ł` → `l`, `ß` → `ss`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(&mut out, s);
    out
}

/// [`fold`], appended to `out`.
pub(super) fn fold_into(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        fold_decomposed(out, s);
    }
}

fn fold_decomposed(out: &mut String, s: &str) {
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
}

/// Letters, digits and combining marks (niqqud stays inside its word).
pub(super) fn in_word(c: char) -> bool {
    match c as u32 {
        // Hebrew letters, and Latin letters with diacritics: the common cases, decided at once.
        // (Niqqud are combining marks; maqaf and sof pasuq are punctuation.)
        0x05D0..=0x05EA | 0x00C0..=0x00D6 | 0x00D8..=0x00F6 | 0x00F8..=0x024F => true,
        _ => c.is_alphanumeric() || is_combining_mark(c),
    }
}

/// [`in_word`] for every character of two UTF-8 bytes (U+0080 to U+07FF:
/// Latin with diacritics, Hebrew and its niqqud), decided once.
static IN_WORD_2: std::sync::LazyLock<[bool; 0x800]> = std::sync::LazyLock::new(|| {
    let mut t = [false; 0x800];
    for (c, w) in t.iter_mut().enumerate().skip(0x80) {
        *w = char::from_u32(c as u32).is_some_and(in_word);
    }
    t
});

/// The words of a text, split on anything but letters, digits and marks.
/// The text goes in blocks of up to 64 bytes: one bit per byte says whether
/// it is part of a word character (eight ASCII bytes classified at once;
/// other characters decoded), and words are read off the bits, so the
/// loop does not branch on every byte.
pub(crate) fn split_words<'t>(t: &'t str, mut f: impl FnMut(&'t str)) {
    let b = t.as_bytes();
    let in_word_2 = &*IN_WORD_2;
    let mut pos = 0;
    let mut start = 0;
    // Whether the byte before `pos` ends a word character.
    let mut carry = 0u64;
    while pos < b.len() {
        let mut n = (b.len() - pos).min(64);
        // Blocks end between characters, so each is classified whole.
        while !t.is_char_boundary(pos + n) {
            n -= 1;
        }
        let mut buf = [0u8; 64];
        buf[..n].copy_from_slice(&b[pos..pos + n]);
        let (mut word, lead) = classify_block(&buf);
        let valid = if n == 64 { !0 } else { (1u64 << n) - 1 };
        let mut lead = lead & valid;
        while lead != 0 {
            let k = lead.trailing_zeros() as usize;
            lead &= lead - 1;
            let x = buf[k];
            let (is_word, len) = if x < 0xE0 {
                // Two bytes, both in this block (it ends between characters).
                let c = (usize::from(x & 0x1F) << 6) | usize::from(buf[(k + 1) & 63] & 0x3F);
                (in_word_2[c], 2)
            } else {
                long_char_class(&t[pos + k..])
            };
            if !is_word {
                word &= !(((1u64 << len) - 1) << k);
            }
        }
        word &= valid;
        let before = (word << 1) | carry;
        let mut starts = word & !before;
        let mut ends = !word & before & valid;
        // Starts and ends alternate; a word open at the block's end goes on.
        loop {
            let s = if starts == 0 {
                64
            } else {
                starts.trailing_zeros()
            };
            let e = if ends == 0 { 64 } else { ends.trailing_zeros() };
            if s == 64 && e == 64 {
                break;
            }
            if e < s {
                f(&t[start..pos + e as usize]);
                ends &= ends - 1;
            } else {
                start = pos + s as usize;
                starts &= starts - 1;
            }
        }
        carry = (word >> (n - 1)) & 1;
        pos += n;
    }
    if carry == 1 {
        f(&t[start..]);
    }
}

/// For 64 bytes: which are ASCII letters or digits or not ASCII (those are
/// decided one character at a time), and which begin a character of two or
/// more bytes.
fn classify_block(buf: &[u8; 64]) -> (u64, u64) {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn each(b: u8) -> u64 {
        u64::from_le_bytes([b; 8])
    }
    // The top bit of each byte, gathered into eight bits in byte order.
    let gather = |x: u64| (x >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
    let (mut word, mut lead) = (0u64, 0u64);
    for (i, chunk) in buf.chunks_exact(8).enumerate() {
        let x = le8(chunk);
        let high = x & HIGH;
        // Per byte, on its low seven bits: adding 0x80 - n sets the top bit
        // when the byte is at least n, and never carries into the next byte.
        let low = x & !HIGH;
        let digit = low.wrapping_add(each(0x80 - b'0')) & !low.wrapping_add(each(0x80 - b'9' - 1));
        let folded = low | each(0x20);
        let letter =
            folded.wrapping_add(each(0x80 - b'a')) & !folded.wrapping_add(each(0x80 - b'z' - 1));
        word |= gather((digit | letter) & HIGH | high) << (8 * i);
        lead |= gather(x & (x << 1) & HIGH) << (8 * i);
    }
    (word, lead)
}

/// Whether the first character of `t` (one of three or four bytes) is a
/// word character, and its length.
fn long_char_class(t: &str) -> (bool, usize) {
    let c = t.chars().next().unwrap_or(' ');
    (in_word(c), c.len_utf8())
}

/// Eight bytes from the start of `b` as a number, little-endian.
#[inline]
pub(super) fn le8(b: &[u8]) -> u64 {
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}
