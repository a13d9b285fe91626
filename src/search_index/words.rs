//! The distinct folded words of a page as numbers: each folded word is
//! numbered once for the whole process ([`Table`]), and each thread keeps
//! the spellings it has met, so that a word costs one lookup per
//! occurrence and a page holds about a byte a word instead of its text.

use rustc_hash::FxHashMap;
use std::sync::{LazyLock, RwLock, RwLockReadGuard};

use super::fold::{fold_into, in_word, le8, split_words};

/// Every folded word met, numbered in the order met. Numbers stay for the
/// process's life (`serve` keeps pages' words between rebuilds), so the
/// table only grows: a site's vocabulary is tens of thousands of words,
/// and an edit adds the words it brings.
#[derive(Default)]
pub struct Table {
    ids: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
}

static TABLE: LazyLock<RwLock<Table>> = LazyLock::new(Default::default);

impl Table {
    /// The table, to read many words at once.
    pub fn read() -> RwLockReadGuard<'static, Table> {
        TABLE.read().unwrap_or_else(|e| e.into_inner())
    }

    /// How many words it has.
    pub fn count(&self) -> usize {
        self.words.len()
    }

    pub fn word(&self, id: u32) -> &str {
        &self.words[id as usize]
    }

    pub fn id(&self, folded: &str) -> Option<u32> {
        self.ids.get(folded).copied()
    }

    /// The number of folded word `f` (not empty), made if new.
    fn intern(f: &str) -> u32 {
        if let Some(id) = Table::read().id(f) {
            return id;
        }
        let mut t = TABLE.write().unwrap_or_else(|e| e.into_inner());
        if let Some(id) = t.id(f) {
            return id;
        }
        let id = t.words.len() as u32;
        t.words.push(f.into());
        t.ids.insert(f.into(), id);
        id
    }
}

/// A page's distinct folded words, as [`Table`] numbers, ascending, kept
/// as the gaps between them in LEB128 (most take one byte: about a third
/// of the numbers themselves, and a sixth of the words' text).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordSet(Box<[u8]>);

impl WordSet {
    /// `ids`, ascending and distinct.
    fn encode(ids: impl IntoIterator<Item = u32>) -> WordSet {
        let mut out = Vec::new();
        let mut next = 0u32;
        for id in ids {
            let mut gap = id - next;
            next = id.wrapping_add(1);
            while gap >= 0x80 {
                out.push(gap as u8 | 0x80);
                gap >>= 7;
            }
            out.push(gap as u8);
        }
        WordSet(out.into_boxed_slice())
    }

    /// The numbers, ascending.
    pub fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        let mut bytes = self.0.iter();
        let mut next = 0u32;
        std::iter::from_fn(move || {
            let mut gap = 0u32;
            let mut shift = 0;
            loop {
                let b = *bytes.next()?;
                gap |= u32::from(b & 0x7F) << shift;
                if b < 0x80 {
                    break;
                }
                shift += 7;
            }
            let id = next + gap;
            next = id.wrapping_add(1);
            Some(id)
        })
    }

    /// The words of both.
    pub fn union(&self, other: &WordSet) -> WordSet {
        let (mut a, mut b) = (self.ids().peekable(), other.ids().peekable());
        WordSet::encode(std::iter::from_fn(|| match (a.peek(), b.peek()) {
            (Some(&x), Some(&y)) => {
                if x <= y {
                    a.next();
                }
                if y <= x {
                    b.next();
                }
                Some(x.min(y))
            }
            _ => a.next().or_else(|| b.next()),
        }))
    }

    /// The words themselves, sorted, space-separated.
    pub fn text(&self) -> String {
        let t = Table::read();
        let mut ws: Vec<&str> = self.ids().map(|i| t.word(i)).collect();
        ws.sort_unstable();
        ws.join(" ")
    }

    /// Exactly these words, unfolded and unsplit (for tests of the index).
    #[cfg(test)]
    pub(super) fn of<'a>(words: impl IntoIterator<Item = &'a str>) -> WordSet {
        let mut ids: Vec<u32> = words
            .into_iter()
            .filter(|w| !w.is_empty())
            .map(Table::intern)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        WordSet::encode(ids)
    }
}

/// The spellings a thread has met, each mapped to its folded word's
/// number and stamped with the last call that saw it: a page's spellings
/// are deduplicated by the stamp, not a set, in the slot a lookup reads.
struct Vocabulary {
    /// Spellings of up to 16 bytes, by their bytes as two numbers: open
    /// addressing, so that a word costs one look into memory, and the
    /// frequent words' slots stay in the cache.
    slots: Box<[Slot]>,
    /// `64 - log2(slots.len())`, to take a slot from the top of a hash.
    shift: u32,
    /// Mixed into the hash, so that no text can be written to pile its
    /// words into one run of slots.
    seed: (u64, u64),
    used: usize,
    /// Longer spellings: their word, and the last call that saw them.
    spellings: FxHashMap<Box<str>, (u32, u32)>,
    call: u32,
    /// The words of the text at hand, kept for its next text.
    batch: Vec<Spelt>,
}

/// A word of a text: where it is, and its bytes as a [`Slot`]'s key
/// (`head` 0 for a longer word).
struct Spelt {
    head: u64,
    rest: u64,
    at: usize,
    n: usize,
}

/// A spelling of up to 16 bytes as its bytes read as two little-endian
/// numbers, zero-padded, and its id (`u32::MAX` when it folds to nothing).
/// No word has a zero byte, so an empty slot (`head` 0) is no word's.
#[derive(Clone, Copy, Default)]
#[repr(C, packed(4))]
struct Slot {
    head: u64,
    rest: u64,
    id: u32,
    /// The last call that saw the spelling.
    seen: u32,
}

const FIRST_SLOTS: u32 = 12;

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            slots: vec![Slot::default(); 1 << FIRST_SLOTS].into_boxed_slice(),
            shift: 64 - FIRST_SLOTS,
            seed: {
                use std::hash::BuildHasher;
                let random = std::collections::hash_map::RandomState::new();
                (random.hash_one(1u8), random.hash_one(2u8))
            },
            used: 0,
            spellings: FxHashMap::default(),
            call: 0,
            batch: Vec::new(),
        }
    }
}

impl Vocabulary {
    /// Bounded, for a server that runs for days.
    const MAX_WORDS: usize = 1 << 18;

    fn len(&self) -> usize {
        self.used + self.spellings.len()
    }

    /// A folded multiply of the key's two halves, each with its seed.
    fn slot_of(&self, head: u64, rest: u64) -> usize {
        let m = u128::from(head ^ self.seed.0) * u128::from(rest ^ self.seed.1);
        ((m as u64 ^ (m >> 64) as u64) >> self.shift) as usize
    }

    /// The folded word of spelling `w` of up to 16 bytes, `(head, rest)`
    /// its bytes as numbers, the first time `call` meets the spelling;
    /// otherwise, or when it folds to nothing, `None`. The spelling is found
    /// by its bytes, with no string compared or hashed.
    #[inline]
    fn short_id(&mut self, head: u64, rest: u64, w: &str, call: u32) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut i = self.slot_of(head, rest);
        loop {
            let s = &mut self.slots[i];
            if s.head == head && s.rest == rest {
                let first = s.seen != call;
                s.seen = call;
                return some_id(s.id).filter(|_| first);
            }
            if s.head == 0 {
                break;
            }
            i = (i + 1) & mask;
        }
        let id = form_id(w);
        self.slots[i] = Slot {
            head,
            rest,
            id,
            seen: call,
        };
        self.used += 1;
        if self.used * 4 > self.slots.len() * 3 {
            self.grow();
        }
        some_id(id)
    }

    /// Twice the slots, at most three quarters full.
    fn grow(&mut self) {
        let twice = vec![Slot::default(); self.slots.len() * 2].into_boxed_slice();
        let old = std::mem::replace(&mut self.slots, twice);
        self.shift -= 1;
        let mask = self.slots.len() - 1;
        for s in old.iter().filter(|s| s.head != 0) {
            let mut i = self.slot_of(s.head, s.rest);
            while self.slots[i].head != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = *s;
        }
    }

    /// As [`Self::short_id`], for a spelling of any length.
    fn id(&mut self, w: &str, call: u32) -> Option<u32> {
        let b = w.as_bytes();
        if b.len() <= 16 {
            let (head, rest) = b.split_at(b.len().min(8));
            return self.short_id(padded(head), padded(rest), w, call);
        }
        // Looked up by the text before it is copied into a key.
        if let Some((id, seen)) = self.spellings.get_mut(w) {
            let first = *seen != call;
            *seen = call;
            return some_id(*id).filter(|_| first);
        }
        let id = form_id(w);
        self.spellings.insert(w.into(), (id, call));
        some_id(id)
    }
}

/// The number of the folded form of `w`, `u32::MAX` when it folds to
/// nothing.
fn form_id(w: &str) -> u32 {
    let mut f = String::new();
    fold_into(&mut f, w);
    if f.is_empty() {
        return u32::MAX;
    }
    Table::intern(&f)
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

/// Distinct folded words of `texts`.
pub fn words<'a>(texts: impl IntoIterator<Item = &'a str>) -> WordSet {
    thread_local! {
        static VOCABULARY: std::cell::RefCell<Vocabulary> = Default::default();
    }
    VOCABULARY.with_borrow_mut(|v| {
        if v.len() >= Vocabulary::MAX_WORDS || v.call == u32::MAX {
            *v = Vocabulary::default();
        }
        v.call += 1;
        let call = v.call;
        let mut ids: Vec<u32> = Vec::new();
        let mut batch = std::mem::take(&mut v.batch);
        for t in texts {
            let bytes = t.as_bytes();
            batch.clear();
            split_words(t, |w| {
                if w.len() < 2 && w.is_ascii() {
                    return;
                }
                // A word of up to 16 bytes with 16 bytes of text from its
                // start is read from the text as two numbers, the bytes
                // past its end masked off.
                let at = w.as_ptr() as usize - t.as_ptr() as usize;
                let n = w.len();
                let (head, rest) = match bytes.get(at..at + 16) {
                    Some(b) if n <= 8 => (le8(b) & low_bytes(n), 0),
                    Some(b) if n <= 16 => (le8(b), le8(&b[8..]) & low_bytes(n - 8)),
                    _ if n <= 16 => {
                        let (head, rest) = w.as_bytes().split_at(n.min(8));
                        (padded(head), padded(rest))
                    }
                    _ => (0, 0),
                };
                batch.push(Spelt { head, rest, at, n });
            });
            // Each word's slot is read first, all of them at once, so that
            // the misses on rare words overlap instead of coming one by one.
            for k in batch.iter().filter(|k| k.head != 0) {
                prefetch(&v.slots[v.slot_of(k.head, k.rest)]);
            }
            for k in &batch {
                let w = &t[k.at..k.at + k.n];
                let id = if k.head != 0 {
                    v.short_id(k.head, k.rest, w, call)
                } else {
                    v.id(w, call)
                };
                ids.extend(id);
            }
        }
        v.batch = batch;
        // Spellings that fold alike.
        ids.sort_unstable();
        ids.dedup();
        WordSet::encode(ids)
    })
}

/// Asks the processor to bring `x` into its cache, without waiting for it.
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing into the program and cannot fault.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// A mask of the low `n` bytes of a number (`n` from 1 to 8).
fn low_bytes(n: usize) -> u64 {
    u64::MAX >> (8 * (8 - n))
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

#[cfg(test)]
mod tests {
    use super::{Vocabulary, WordSet};

    #[test]
    fn words_whose_halves_mirror_each_other_spread_over_the_table() {
        // Eight letters, then their second four and first four: a hash that
        // ignored the halves' order would give them all one slot.
        let mut v = Vocabulary::default();
        for i in 0..50_000usize {
            let h: String = (0..8)
                .map(|k| char::from(b'a' + (i / 26usize.pow(k) % 26) as u8))
                .collect();
            v.id(&format!("{h}{}{}", &h[4..], &h[..4]), 1);
        }
        let mask = v.slots.len() - 1;
        let farthest = v
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.head != 0)
            .map(|(i, s)| i.wrapping_sub(v.slot_of(s.head, s.rest)) & mask)
            .max();
        assert!(
            farthest < Some(1000),
            "a word {farthest:?} slots from its own"
        );
    }

    #[test]
    fn word_sets_keep_numbers_of_any_size() {
        let a = [0, 1, 127, 128, 300, 16_383, 16_384, 2_000_000, u32::MAX - 1];
        let b = [1, 2, 128, 129, 70_000, u32::MAX];
        let set = |ids: &[u32]| WordSet::encode(ids.iter().copied());
        assert_eq!(set(&a).ids().collect::<Vec<_>>(), a);
        assert_eq!(set(&[]).ids().count(), 0);
        let mut both: Vec<u32> = a.iter().chain(&b).copied().collect();
        both.sort_unstable();
        both.dedup();
        assert_eq!(set(&a).union(&set(&b)), set(&both));
        assert_eq!(set(&b).union(&set(&a)).ids().collect::<Vec<_>>(), both);
        assert!(set(&[5, 9]).0.len() == 2, "small gaps take a byte each");
    }
}
