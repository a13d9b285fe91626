//! `/<lang>/search-index.json`: one language's pages, their words folded
//! (case, diacritics, Hebrew niqqud and final letters) for prefix search.
//!
//! The file (version 3) is `{lang, version, pages, words}`: `pages` lists
//! each page's title, URL, description, kind, skill names and headings;
//! `words` holds the language's folded words, whole and sorted by UTF-16
//! code units, each followed by the pages it is in: ascending page numbers
//! as gaps (first the number, then each difference minus one), each in base
//! 14, least significant digit first, the digits ``:;<=>?@[]^`{|}`` meaning
//! "more follow" and the last one from `!#$%&'()*+,-./`. Words are letters,
//! digits and marks, so they never hold those characters: a word runs to
//! its first digit, its pages to the next word. A word that is a prefix of
//! another word of the same page is left out of that page: the longer word
//! matches every prefix it would.
//!
//! `bare` (optional, same encoding) holds Hebrew words without their
//! one-letter prefixes ([`hebrew_bare_forms`]: the shortest form that is
//! a whole word of some page) for the pages that do not hold that form
//! whole, so the script can rank those pages below the ones with the
//! whole word.

use rustc_hash::FxHashMap;
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
    /// the page's distinct folded words, sorted, space-separated (written to the
    /// file as `words` and `postings`)
    #[serde(skip)]
    pub w: String,
}

/// Fold a text for search: lower case, no diacritics, Hebrew finals as
/// their base letters, `ł` → `l`, `ß` → `ss`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(&mut out, s);
    out
}

/// [`fold`], appended to `out`.
fn fold_into(out: &mut String, s: &str) {
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
fn in_word(c: char) -> bool {
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

/// The words a thread has met: each spelling once, mapped to its folded
/// word; each folded word once, with a sort key and the last call that saw
/// it. A site repeats its vocabulary, so a word costs one lookup per
/// occurrence, and a page's words are deduplicated by a stamp, not a set.
#[derive(Default)]
struct Vocabulary {
    spellings: FxHashMap<Box<str>, u32>,
    folded_ids: FxHashMap<Box<str>, u32>,
    /// (first 8 bytes, big-endian: most comparisons end there; the word)
    folded: Vec<(u64, Box<str>)>,
    seen_in: Vec<u32>,
    call: u32,
}

/// Spellings met lately, found by their bytes before any hashing.
#[derive(Default)]
struct RecentSpellings {
    /// Up to 8 bytes: (their bytes as a number, id or `u32::MAX`).
    short: Recent<u64>,
    /// 9 to 16 bytes: ((first 8 bytes, the rest), id or `u32::MAX`).
    long: Recent<(u64, u64)>,
}

const RECENT_BITS: u32 = 11;

struct Recent<K>(Box<[(K, u32)]>);

impl<K: Copy + Default> Default for Recent<K> {
    fn default() -> Self {
        // A key of zeros is no word's (words hold no zero byte, and a long
        // word's rest is at least one byte), so every slot starts empty.
        Recent(vec![(K::default(), 0); 1 << RECENT_BITS].into_boxed_slice())
    }
}

impl<K: Copy + PartialEq> Recent<K> {
    /// The id in `slot` if it holds `key`, else `find`'s (then kept there).
    #[inline]
    fn get_or(&mut self, slot: u64, key: K, find: impl FnOnce() -> Option<u32>) -> Option<u32> {
        let e = &mut self.0[(slot >> (64 - RECENT_BITS)) as usize];
        if e.0 == key {
            return (e.1 != u32::MAX).then_some(e.1);
        }
        let id = find();
        *e = (key, id.unwrap_or(u32::MAX));
        id
    }
}

/// Eight bytes from the start of `b` as a number, little-endian.
#[inline]
fn le8(b: &[u8]) -> u64 {
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

const SLOT_MUL: u64 = 0x9E37_79B9_7F4A_7C15;

impl Vocabulary {
    /// Bounded, for a server that runs for days.
    const MAX_WORDS: usize = 1 << 18;

    /// The folded word of spelling `w`; `None` when it folds to nothing.
    fn id(&mut self, w: &str) -> Option<u32> {
        if let Some(&id) = self.spellings.get(w) {
            return (id != u32::MAX).then_some(id);
        }
        let mut f = String::new();
        fold_into(&mut f, w);
        let id = if f.is_empty() {
            u32::MAX
        } else if let Some(&id) = self.folded_ids.get(f.as_str()) {
            id
        } else {
            let id = self.folded.len() as u32;
            let mut head = [0u8; 8];
            let n = f.len().min(8);
            head[..n].copy_from_slice(&f.as_bytes()[..n]);
            let f: Box<str> = f.into();
            self.folded_ids.insert(f.clone(), id);
            self.folded.push((u64::from_be_bytes(head), f));
            self.seen_in.push(0);
            id
        };
        self.spellings.insert(w.into(), id);
        (id != u32::MAX).then_some(id)
    }
}

/// Distinct folded words of `texts`, sorted, space-separated.
pub fn words<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    thread_local! {
        static VOCABULARY: std::cell::RefCell<(Vocabulary, RecentSpellings)> = Default::default();
    }
    VOCABULARY.with_borrow_mut(|(v, recent)| {
        if v.spellings.len() >= Vocabulary::MAX_WORDS || v.call == u32::MAX {
            *v = Vocabulary::default();
            *recent = RecentSpellings::default();
        }
        v.call += 1;
        let call = v.call;
        // (the word's first eight bytes as a number, its id)
        let mut ids: Vec<(u64, u32)> = Vec::new();
        for t in texts {
            let bytes = t.as_bytes();
            split_words(t, |w| {
                if w.len() < 2 && w.is_ascii() {
                    return;
                }
                // A word of up to 16 bytes with 16 bytes of text from its start
                // (8 for one of up to 8) is its bytes read as numbers,
                // zero-padded (no word has a zero byte), found in
                // `recent.short` or `recent.long` without hashing it.
                let at = w.as_ptr() as usize - t.as_ptr() as usize;
                let n = w.len();
                let id = if n <= 8 {
                    match bytes.get(at..at + 8) {
                        Some(b) => {
                            let head = le8(b) & (u64::MAX >> (8 * (8 - n)));
                            let slot = head.wrapping_mul(SLOT_MUL);
                            recent.short.get_or(slot, head, || v.id(w))
                        }
                        None => v.id(w),
                    }
                } else if n <= 16 {
                    match bytes.get(at..at + 16) {
                        Some(b) => {
                            let head = le8(b);
                            let rest = le8(&b[8..]) & (u64::MAX >> (8 * (16 - n)));
                            let slot = (head ^ rest.rotate_left(32)).wrapping_mul(SLOT_MUL);
                            recent.long.get_or(slot, (head, rest), || v.id(w))
                        }
                        None => v.id(w),
                    }
                } else {
                    v.id(w)
                };
                if let Some(id) = id {
                    let seen = &mut v.seen_in[id as usize];
                    if *seen != call {
                        *seen = call;
                        ids.push((v.folded[id as usize].0, id));
                    }
                }
            });
        }
        let folded = &v.folded;
        // By the first eight bytes, then whole words where those are equal.
        ids.sort_unstable();
        for run in ids.chunk_by_mut(|a, b| a.0 == b.0) {
            if run.len() > 1 {
                run.sort_unstable_by(|a, b| folded[a.1 as usize].1.cmp(&folded[b.1 as usize].1));
            }
        }
        let len: usize = ids
            .iter()
            .map(|&(_, i)| folded[i as usize].1.len() + 1)
            .sum();
        let mut out = String::with_capacity(len);
        for &(_, i) in &ids {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&folded[i as usize].1);
        }
        out
    })
}

/// `text` without the runs of word characters that touch the positions `at`
/// (ascending), where more letters go in later; and those runs, each with
/// its offset in `text`. What is left is split by a space where a run was,
/// so `words(text)` is `words(rest)` merged with the runs' words.
pub fn cut_word_runs(text: &str, at: &[usize]) -> (String, Vec<(usize, String)>) {
    let run_end = |p: usize| {
        text[p..]
            .char_indices()
            .find(|&(_, c)| !in_word(c))
            .map_or(text.len(), |(i, _)| p + i)
    };
    let mut rest = String::with_capacity(text.len());
    let mut runs = Vec::new();
    let mut last = 0;
    let mut i = 0;
    while i < at.len() {
        let p = at[i].clamp(last, text.len());
        let start = text[last..p]
            .char_indices()
            .rev()
            .find(|&(_, c)| !in_word(c))
            .map_or(last, |(j, c)| last + j + c.len_utf8());
        let mut end = run_end(p);
        while at.get(i + 1).is_some_and(|&q| q <= end) {
            i += 1;
            end = end.max(run_end(at[i].max(p)));
        }
        rest.push_str(&text[last..start]);
        rest.push(' ');
        runs.push((start, text[start..end].to_string()));
        last = end;
        i += 1;
    }
    rest.push_str(&text[last..]);
    (rest, runs)
}

/// Two results of [`words`] as one: `words(a ∪ b)`.
pub fn merge_words(a: &str, b: &str) -> String {
    let mut out = String::with_capacity(a.len() + b.len() + 1);
    let mut push = |w: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    };
    let (mut xs, mut ys) = (Words(a), Words(b));
    let (mut x, mut y) = (xs.next(), ys.next());
    loop {
        // The smaller next word goes first; one in both, once.
        let w = match (x, y) {
            (Some(p), Some(q)) if q < p => {
                y = ys.next();
                q
            }
            (Some(p), q) => {
                if q == Some(p) {
                    y = ys.next();
                }
                x = xs.next();
                p
            }
            (None, Some(q)) => {
                y = ys.next();
                q
            }
            (None, None) => return out,
        };
        push(w);
    }
}

/// The words of a space-separated list, found by a plain loop: they are
/// short, and `split(' ')` runs memchr for each.
struct Words<'a>(&'a str);

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let s = self.0.trim_start_matches(' ');
        if s.is_empty() {
            self.0 = s;
            return None;
        }
        let end = s.bytes().position(|b| b == b' ').unwrap_or(s.len());
        self.0 = &s[end..];
        Some(&s[..end])
    }
}

/// The forms of a folded Hebrew word without the one-letter prefixes
/// written onto it (and, then, the, in, to, from, that, as: ו ה ב ל מ ש כ,
/// in the order they combine, as in `והלקוחות` or `שבמוקד`), each leaving at
/// least three letters. No dictionary: `משוב` gives `שוב` too, which only
/// ranks below the whole word.
pub fn hebrew_bare_forms(w: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    bare_forms(w, |rest| {
        if !out.contains(&rest) {
            out.push(rest);
        }
    });
    out
}

/// Calls `f` with each form [`hebrew_bare_forms`] lists (a form may come
/// more than once), without allocating.
fn bare_forms<'w>(w: &'w str, mut f: impl FnMut(&'w str)) {
    const MIN_LETTERS: usize = 3;
    if !w.starts_with(HEBREW_PREFIXES) {
        return;
    }
    // (ו)? then (ש | כש | מ)? then (ה | ב | ל | כ | מ)?
    // Nothing cut, or the one prefix of `p` that `s` starts with (no two
    // of a group can both begin a word).
    let strip = |s: &str, p: &[&str]| -> [Option<usize>; 2] {
        [
            Some(0),
            p.iter().find(|x| s.starts_with(**x)).map(|x| x.len()),
        ]
    };
    for a in strip(w, &["ו"]).into_iter().flatten() {
        for b in strip(&w[a..], &["ש", "כש", "מ"]).into_iter().flatten() {
            for c in strip(&w[a + b..], &["ה", "ב", "ל", "כ", "מ"])
                .into_iter()
                .flatten()
            {
                let at = a + b + c;
                let rest = &w[at..];
                if at > 0 && rest.chars().nth(MIN_LETTERS - 1).is_some() {
                    f(rest);
                }
            }
        }
    }
}

/// Whether a word of `sorted` starts with `w`.
fn has_prefixed(sorted: &[&str], w: &str) -> bool {
    let i = sorted.partition_point(|x| *x < w);
    sorted.get(i).is_some_and(|x| x.starts_with(w))
}

/// Words and their pages as the index writes them: whole words, sorted as
/// JavaScript compares strings (so the script can bisect), each followed
/// by its pages' digits (no separators: those digits cannot occur in a word).
/// Words without pages are left out.
fn encode(postings: FxHashMap<&str, Vec<u32>>) -> String {
    let mut vocab: Vec<(&str, Vec<u32>)> = postings
        .into_iter()
        .filter(|(_, p)| !p.is_empty())
        .collect();
    // UTF-8 bytes sort as UTF-16 code units do unless a word has a
    // character from U+E000 up (its first byte is 0xEE or more).
    if vocab.iter().any(|(w, _)| w.bytes().any(|b| b >= 0xEE)) {
        vocab.sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    } else {
        vocab.sort_unstable_by(|a, b| a.0.cmp(b.0));
    }
    let len: usize = vocab.iter().map(|(w, p)| w.len() + p.len() * 2).sum();
    let mut words = String::with_capacity(len);
    for (w, pages) in &vocab {
        words.push_str(w);
        let mut last: Option<u32> = None;
        for &p in pages {
            page_gap(&mut words, last.map_or(p, |l| p - l - 1));
            last = Some(p);
        }
    }
    words
}

/// A page's words, sorted and distinct, into `ws`.
fn split_into<'a>(e: &'a Entry, ws: &mut Vec<&'a str>) {
    ws.clear();
    ws.extend(Words(&e.w));
    // `words` gives them so; sorted here only when made otherwise.
    if !ws.windows(2).all(|p| p[0] < p[1]) {
        ws.sort_unstable();
        ws.dedup();
    }
}

/// The first letters [`hebrew_bare_forms`] may take off.
const HEBREW_PREFIXES: [char; 7] = ['ו', 'ה', 'ב', 'ל', 'מ', 'ש', 'כ'];

/// The JSON of `/<lang>/search-index.json` for `pages`, in this order.
pub fn index_json(lang: &str, pages: &[&Entry]) -> Vec<u8> {
    // Every word of every page, with the pages it is in, leaving out a
    // page's words that are prefixes of its longer ones (sorted, so a
    // word's longer forms come right after it).
    let mut postings: FxHashMap<&str, Vec<u32>> = Default::default();
    let mut ws: Vec<&str> = Vec::new();
    let mut hebrew = false;
    for (i, e) in pages.iter().enumerate() {
        split_into(e, &mut ws);
        for (j, w) in ws.iter().enumerate() {
            hebrew = hebrew || w.starts_with(HEBREW_PREFIXES);
            let list = postings.entry(w).or_default();
            if !ws.get(j + 1).is_some_and(|next| next.starts_with(w)) {
                list.push(i as u32);
            }
        }
    }
    // Hebrew words without their prefixes, for the pages that do not have
    // that form whole (those are found by `words` already). Only a form some
    // page has whole, the shortest: most others are no word (שירות gives
    // ירות), and they would make the file half as large again.
    let mut bare: FxHashMap<&str, Vec<u32>> = Default::default();
    let mut forms: Vec<&str> = Vec::new();
    for (i, e) in pages.iter().enumerate().filter(|_| hebrew) {
        split_into(e, &mut ws);
        forms.clear();
        for w in &ws {
            // All forms are suffixes of `w`: the shortest is the shortest.
            let mut best: Option<&str> = None;
            bare_forms(w, |b| {
                if best.is_none_or(|x| b.len() < x.len()) && postings.contains_key(b) {
                    best = Some(b);
                }
            });
            if let Some(b) = best.filter(|b| !has_prefixed(&ws, b)) {
                forms.push(b);
            }
        }
        forms.sort_unstable();
        forms.dedup();
        for (j, b) in forms.iter().enumerate() {
            if !forms.get(j + 1).is_some_and(|next| next.starts_with(b)) {
                bare.entry(b).or_default().push(i as u32);
            }
        }
    }
    let words = encode(postings);
    let bare = encode(bare);
    #[derive(Serialize)]
    struct Index<'a> {
        lang: &'a str,
        version: u32,
        pages: &'a [&'a Entry],
        words: String,
        #[serde(skip_serializing_if = "String::is_empty")]
        bare: String,
    }
    // Sized for the whole file at once (a megabyte per language at 10,000
    // pages), instead of grown by doubling.
    let mut json = Vec::with_capacity(words.len() + bare.len() + pages.len() * 512);
    // Writing to a Vec cannot fail.
    let _ = serde_json::to_writer(
        &mut json,
        &Index {
            lang,
            version: 3,
            pages,
            words,
            bare,
        },
    );
    json
}

/// Base-14 digits of a page gap: the last one from `LAST`, the others from `MORE`.
const LAST: &[u8; 14] = b"!#$%&'()*+,-./";
const MORE: &[u8; 14] = b":;<=>?@[]^`{|}";

fn page_gap(out: &mut String, mut n: u32) {
    loop {
        let d = (n % 14) as usize;
        n /= 14;
        if n == 0 {
            out.push(LAST[d] as char);
            return;
        }
        out.push(MORE[d] as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `merge_words` merges two lists as `words` gives them: distinct
        /// and ascending, as strings compare; its output is one too.
        #[test]
        fn words_come_sorted_and_distinct(
            a in "[a-zA-Z ąžŠ\u{5E9}\u{5C1}\u{5D1}\u{5D9}\u{5EA}-]{0,80}",
            b in "[a-zA-Z ąžŠ\u{5E9}\u{5C1}\u{5D1}\u{5D9}\u{5EA}-]{0,80}",
        ) {
            let (x, y) = (words([a.as_str()]), words([b.as_str()]));
            for w in [&x, &y, &merge_words(&x, &y)] {
                let ws: Vec<&str> = Words(w).collect();
                proptest::prop_assert!(ws.windows(2).all(|p| p[0] < p[1]), "{:?}", w);
            }
        }
    }

    #[test]
    fn each_call_has_its_own_words() {
        assert_eq!(words(["Cat cat CAT, dog"]), "cat dog");
        assert_eq!(
            words(["the cat"]),
            "cat the",
            "the cat seen before still counts"
        );
        assert_eq!(words(["Źródła", "zrodla ZRODLA"]), "zrodla");
        assert_eq!(words(["a b"]), "", "one ASCII letter is not a word");
        assert_eq!(
            words(["\u{5B0}\u{5B4}"]),
            "",
            "niqqud alone folds to nothing"
        );
    }

    /// `split_words`, and the same split done a character at a time.
    fn both_splits(t: &str) -> (Vec<&str>, Vec<&str>) {
        let mut fast = Vec::new();
        split_words(t, |w| fast.push(w));
        let naive = t
            .split(|c: char| !in_word(c))
            .filter(|w| !w.is_empty())
            .collect();
        (fast, naive)
    }

    #[test]
    fn splitting_from_bytes_agrees_with_decoding_each_character() {
        let t = "Šalčia źródła, בית־ספר שָׁלוֹם! naïve café ☕ 東京 x1 — łąka;ø œuvre\u{200D}ok ǅ ߊ";
        let (fast, naive) = both_splits(t);
        assert_eq!(fast, naive);
    }

    proptest::proptest! {
        /// Texts of every length around the 64-byte blocks, mixing ASCII,
        /// two-, three- and four-byte characters, words and not.
        #[test]
        fn splitting_in_blocks_agrees_with_decoding_each_character(
            chars in proptest::collection::vec(
                proptest::sample::select(vec![
                    'a', 'Z', '7', ' ', ',', '-', '\n', '_', '@', '[', '`', '{', '/', ':',
                    'ą', 'Ł', 'é', '\u{A0}', '\u{D7}', 'ש', 'ם', '\u{5B4}', '\u{5BE}', 'ߊ',
                    '—', '€', '東', '\u{200D}', '☕', '😀', '𝐀',
                ]),
                0..300,
            )
        ) {
            let t: String = chars.into_iter().collect();
            let (fast, naive) = both_splits(&t);
            proptest::prop_assert_eq!(fast, naive);
        }
    }

    #[test]
    fn words_sharing_their_first_eight_bytes_sort_whole() {
        assert_eq!(
            words(["abcdefghij Abcdefgh abcdefghia abcdefg ab"]),
            "ab abcdefg abcdefgh abcdefghia abcdefghij"
        );
    }

    #[test]
    fn words_seen_again_are_found_again() {
        // More words than `recent` has slots, each seen twice and in two
        // calls, so slots are taken over by other words; the same text cased
        // differently, with a word at its very end. A prefix and the digits
        // of i as letters: "qb", "qbc", … (each is another's start); with
        // the longer prefixes, words of 9 to 16 bytes, and longer.
        for prefix in ["q", "qrstuvwx", "ąčęėįšųūž", "qrstuvwxyzqrstu"] {
            let ws: Vec<String> = (0..5000)
                .map(|i: u32| {
                    let digits: String = i
                        .to_string()
                        .bytes()
                        .map(|d| char::from(d - b'0' + b'a'))
                        .collect();
                    format!("{prefix}{digits}")
                })
                .collect();
            let text = ws.join(" ");
            let mut expected: Vec<String> = ws.iter().map(|w| fold(w)).collect();
            expected.sort();
            let expected = expected.join(" ");
            for t in [text.clone(), text.to_uppercase(), format!("{text} {text}")] {
                assert_eq!(words([t.as_str()]), expected, "{prefix}");
            }
        }
    }

    #[test]
    fn folds_diacritics_niqqud_and_finals() {
        assert_eq!(fold("Źródła"), "zrodla");
        assert_eq!(fold("šviesa"), "sviesa");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("שָׁלוֹם"), "שלומ");
        assert_eq!(words(["A cat, a CAT; the dog"]), "cat dog the");
        let (a, b) = ("Źródła, the dog", "a cat; THE zebra dog");
        assert_eq!(merge_words(&words([a]), &words([b])), words([a, b]));
        assert_eq!(merge_words("", &words([b])), words([b]));
        let t = "ab, cd ef-gh! ij";
        let (rest, runs) = cut_word_runs(t, &[1, 5, 6, 16]);
        assert_eq!(rest, " ,   ef-gh!  ");
        assert_eq!(
            runs,
            [(0, "ab".into()), (4, "cd".into()), (14, "ij".into())]
        );
        assert_eq!(merge_words(&words([a]), ""), words([a]));
        assert_eq!(words(["בית־ספר"]), "בית ספר", "maqaf separates words");
        assert_eq!(
            words(["Źródła zrodla, ŹRÓDŁA"]),
            "zrodla",
            "one folded word"
        );
    }

    fn entry(w: &str) -> Entry {
        Entry {
            t: "T".into(),
            u: "/x/".into(),
            d: String::new(),
            k: "article",
            s: Vec::new(),
            h: Vec::new(),
            w: w.into(),
        }
    }

    /// What search.js does with `words`.
    fn decode(json: &[u8]) -> Vec<(String, Vec<u32>)> {
        let v: serde_json::Value = serde_json::from_slice(json).unwrap();
        assert_eq!(v["version"], 3);
        let mut out: Vec<(String, Vec<u32>)> = Vec::new();
        let (mut n, mut mult, mut last) = (0u32, 1u32, -1i64);
        for c in v["words"].as_str().unwrap().chars() {
            let digit = |set: &[u8; 14]| set.iter().position(|&x| x as char == c);
            if let Some(d) = digit(LAST) {
                last += (n + d as u32 * mult) as i64 + 1;
                out.last_mut().unwrap().1.push(last as u32);
                (n, mult) = (0, 1);
            } else if let Some(d) = digit(MORE) {
                n += d as u32 * mult;
                mult *= 14;
            } else {
                if out.last().is_none_or(|(_, p)| !p.is_empty()) {
                    out.push((String::new(), Vec::new()));
                    last = -1;
                }
                out.last_mut().unwrap().0.push(c);
            }
        }
        out
    }

    #[test]
    fn hebrew_prefixes_come_off_in_the_order_they_combine() {
        assert_eq!(hebrew_bare_forms("ללקוחות"), ["לקוחות"]);
        assert_eq!(hebrew_bare_forms("והלקוחות"), ["הלקוחות", "לקוחות"]);
        assert_eq!(hebrew_bare_forms("שבמוקד"), ["במוקד", "מוקד"]);
        assert_eq!(
            hebrew_bare_forms("משוב"),
            ["שוב"],
            "the whole word is indexed beside it"
        );
        assert!(
            hebrew_bare_forms("לקח").is_empty(),
            "at least three letters stay"
        );
        assert!(hebrew_bare_forms("customer").is_empty());
        let mut pages = [entry("ללקוחות שירות"), entry("לקוחות"), entry("והלקוחות")];
        pages[1].w = "לקוחות".into();
        let refs: Vec<&Entry> = pages.iter().collect();
        let v: serde_json::Value = serde_json::from_slice(&index_json("he", &refs)).unwrap();
        let bare = v["bare"].as_str().unwrap();
        assert!(
            bare.contains("לקוחות!#"),
            "pages 0 and 2, not 1 (whole): {bare}"
        );
        assert!(
            !bare.contains("ירות"),
            "a form no page has whole is left out: {bare}"
        );
    }

    #[test]
    fn index_round_trips_and_leaves_out_prefixes_of_longer_words() {
        let mut pages: Vec<Entry> = (0..400).map(|i| entry(&format!("w{i} common"))).collect();
        pages[0].w = "call calls caller zrodla".into();
        pages[399].w = "call common 😀a 😁b".into();
        let refs: Vec<&Entry> = pages.iter().collect();
        let json = index_json("en", &refs);
        let text = String::from_utf8(json.clone()).unwrap();
        assert!(
            text.contains("zrodla!"),
            "whole words, greppable: {text:.200}"
        );
        let got = decode(&json);
        let get = |w: &str| got.iter().find(|(x, _)| x == w).map(|(_, p)| p.clone());
        assert_eq!(
            get("call"),
            Some(vec![399]),
            "page 0 keeps only its longest forms"
        );
        assert_eq!(get("calls"), Some(vec![0]));
        assert_eq!(get("caller"), Some(vec![0]));
        assert_eq!(get("common"), Some((1..400).collect::<Vec<_>>()));
        assert_eq!(get("w350"), Some(vec![350]));
        assert_eq!(get("😁b"), Some(vec![399]));
        let sorted: Vec<Vec<u16>> = got
            .iter()
            .map(|(w, _)| w.encode_utf16().collect())
            .collect();
        assert!(
            sorted.windows(2).all(|p| p[0] < p[1]),
            "sorted as JavaScript compares"
        );
    }
}
