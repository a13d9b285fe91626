//! The distinct folded words of a page, cached per thread, and merging
//! and cutting such word lists.

use rustc_hash::FxHashMap;

use super::fold::{fold_into, in_word, le8, split_words};

/// The words a thread has met: each spelling once, mapped to its folded
/// word; each folded word once, with a sort key and the last call that saw
/// it. A site repeats its vocabulary, so a word costs one lookup per
/// occurrence, and a page's words are deduplicated by a stamp, not a set.
#[derive(Default)]
struct Vocabulary {
    /// Spellings of up to 8 bytes, by their bytes as a number (zero-padded).
    short: FxHashMap<u64, u32>,
    /// 9 to 16 bytes: (first 8 bytes, the rest zero-padded).
    long: FxHashMap<(u64, u64), u32>,
    /// Longer spellings.
    spellings: FxHashMap<Box<str>, u32>,
    forms: Forms,
    call: u32,
}

/// The folded words, numbered in the order met.
#[derive(Default)]
struct Forms {
    ids: FxHashMap<Box<str>, u32>,
    folded: Vec<Box<str>>,
    /// What each occurrence needs, apart from the text so that it is one
    /// cache line away: rare words are found in no cache.
    marks: Vec<Mark>,
}

#[derive(Clone, Copy)]
struct Mark {
    /// The first 8 bytes, big-endian: most comparisons end there.
    head: u64,
    /// The last call that saw it.
    seen_in: u32,
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

const SLOT_MUL: u64 = 0x9E37_79B9_7F4A_7C15;

impl Vocabulary {
    /// Bounded, for a server that runs for days.
    const MAX_WORDS: usize = 1 << 18;

    fn len(&self) -> usize {
        self.short.len() + self.long.len() + self.spellings.len()
    }

    /// The folded word of spelling `w` of up to 8 bytes, `head` its bytes
    /// as a number; `None` when it folds to nothing. Most spellings are
    /// short enough to be found by their bytes, with no string compared.
    fn short_id(&mut self, head: u64, w: &str) -> Option<u32> {
        some_id(*self.short.entry(head).or_insert_with(|| self.forms.id(w)))
    }

    /// As [`Self::short_id`], for a spelling of 9 to 16 bytes.
    fn long_id(&mut self, key: (u64, u64), w: &str) -> Option<u32> {
        some_id(*self.long.entry(key).or_insert_with(|| self.forms.id(w)))
    }

    /// As [`Self::short_id`], for a spelling of any length.
    fn id(&mut self, w: &str) -> Option<u32> {
        let b = w.as_bytes();
        if b.len() <= 8 {
            return self.short_id(padded(b), w);
        }
        if b.len() <= 16 {
            return self.long_id((le8(b), padded(&b[8..])), w);
        }
        // Looked up by the text before it is copied into a key.
        if let Some(&id) = self.spellings.get(w) {
            return some_id(id);
        }
        let id = self.forms.id(w);
        self.spellings.insert(w.into(), id);
        some_id(id)
    }
}

impl Forms {
    /// The number of the folded form of `w` (made if new), `u32::MAX` when
    /// it folds to nothing.
    fn id(&mut self, w: &str) -> u32 {
        let mut f = String::new();
        fold_into(&mut f, w);
        if f.is_empty() {
            return u32::MAX;
        }
        if let Some(&id) = self.ids.get(f.as_str()) {
            return id;
        }
        let id = self.folded.len() as u32;
        let mut head = [0u8; 8];
        let n = f.len().min(8);
        head[..n].copy_from_slice(&f.as_bytes()[..n]);
        let f: Box<str> = f.into();
        self.ids.insert(f.clone(), id);
        self.folded.push(f);
        self.marks.push(Mark {
            head: u64::from_be_bytes(head),
            seen_in: 0,
        });
        id
    }
}

/// `u32::MAX` (a spelling that folds to nothing) as `None`.
fn some_id(id: u32) -> Option<u32> {
    (id != u32::MAX).then_some(id)
}

/// Up to 8 bytes as a little-endian number, zero-padded.
fn padded(b: &[u8]) -> u64 {
    let mut x = [0u8; 8];
    x[..b.len()].copy_from_slice(b);
    u64::from_le_bytes(x)
}

/// Distinct folded words of `texts`, sorted, space-separated.
pub fn words<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    thread_local! {
        static VOCABULARY: std::cell::RefCell<(Vocabulary, RecentSpellings)> = Default::default();
    }
    VOCABULARY.with_borrow_mut(|(v, recent)| {
        if v.len() >= Vocabulary::MAX_WORDS || v.call == u32::MAX {
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
                            recent.short.get_or(slot, head, || v.short_id(head, w))
                        }
                        None => v.id(w),
                    }
                } else if n <= 16 {
                    match bytes.get(at..at + 16) {
                        Some(b) => {
                            let head = le8(b);
                            let rest = le8(&b[8..]) & (u64::MAX >> (8 * (16 - n)));
                            let slot = (head ^ rest.rotate_left(32)).wrapping_mul(SLOT_MUL);
                            recent
                                .long
                                .get_or(slot, (head, rest), || v.long_id((head, rest), w))
                        }
                        None => v.id(w),
                    }
                } else {
                    v.id(w)
                };
                if let Some(id) = id {
                    let m = &mut v.forms.marks[id as usize];
                    if m.seen_in != call {
                        m.seen_in = call;
                        ids.push((m.head, id));
                    }
                }
            });
        }
        let folded = &v.forms.folded;
        // By the first eight bytes, then whole words where those are equal.
        ids.sort_unstable();
        for run in ids.chunk_by_mut(|a, b| a.0 == b.0) {
            if run.len() > 1 {
                run.sort_unstable_by(|a, b| folded[a.1 as usize].cmp(&folded[b.1 as usize]));
            }
        }
        let len: usize = ids.iter().map(|&(_, i)| folded[i as usize].len() + 1).sum();
        let mut out = String::with_capacity(len);
        for &(_, i) in &ids {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&folded[i as usize]);
        }
        out
    })
}

/// `text` split around the runs of word characters that touch the
/// positions `at` (ascending), where more letters go in later; and those
/// runs, each with its offset in `text`. `words(text)` is `words(pieces)`
/// merged with the runs' words.
pub fn cut_word_runs<'t>(text: &'t str, at: &[usize]) -> (Vec<&'t str>, Vec<(usize, String)>) {
    let run_end = |p: usize| {
        text[p..]
            .char_indices()
            .find(|&(_, c)| !in_word(c))
            .map_or(text.len(), |(i, _)| p + i)
    };
    let mut pieces = Vec::with_capacity(at.len() + 1);
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
        pieces.push(&text[last..start]);
        runs.push((start, text[start..end].to_string()));
        last = end;
        i += 1;
    }
    pieces.push(&text[last..]);
    (pieces, runs)
}

/// Where the first word not less than `w` begins in `list` (sorted words
/// separated by single spaces), looking from `from` (where a word begins);
/// `list.len()` when there is none. A binary search over bytes: each step
/// looks at the word around the middle.
fn lower_bound(list: &str, from: usize, w: &str) -> usize {
    let b = list.as_bytes();
    let (mut lo, mut hi) = (from, b.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = b[lo..mid]
            .iter()
            .rposition(|&c| c == b' ')
            .map_or(lo, |i| lo + i + 1);
        let end = memchr::memchr(b' ', &b[start..]).map_or(b.len(), |i| start + i);
        if &list[start..end] < w {
            lo = (end + 1).min(b.len());
        } else {
            hi = start;
        }
    }
    lo
}

/// Two results of [`words`] as one: `words(a ∪ b)`. `b` is usually a few
/// words (a title, names) and `a` a page's hundreds: each word of `b` is
/// placed by a binary search, and `a` is copied between them in pieces.
pub fn merge_words(a: &str, b: &str) -> String {
    let mut out = String::with_capacity(a.len() + b.len() + 1);
    let mut push = |piece: &str| {
        let piece = piece.trim_end_matches(' ');
        if !piece.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(piece);
        }
    };
    let mut pos = 0;
    for y in Words(b) {
        let at = lower_bound(a, pos, y);
        push(&a[pos..at]);
        pos = at;
        let rest = &a[at..];
        let same = rest
            .strip_prefix(y)
            .is_some_and(|r| r.is_empty() || r.starts_with(' '));
        if !same {
            push(y);
        }
    }
    push(&a[pos..]);
    out
}

/// The words of a space-separated list, found by a plain loop: they are
/// short, and `split(' ')` runs memchr for each.
pub(super) struct Words<'a>(pub(super) &'a str);

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
