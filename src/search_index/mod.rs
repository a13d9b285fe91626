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

mod fold;
mod hebrew;
mod words;

use rustc_hash::FxHashMap;
use serde::Serialize;

pub use fold::fold;
pub use hebrew::hebrew_bare_forms;
use hebrew::{bare_forms, HEBREW_PREFIXES};
use words::Words;
pub use words::{cut_word_runs, merge_words, words};

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
    use super::fold::{in_word, split_words};
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
            proptest::prop_assert_eq!(merge_words(&x, &y), words([a.as_str(), b.as_str()]));
            proptest::prop_assert_eq!(merge_words(&y, &x), words([a.as_str(), b.as_str()]));
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
        let (pieces, runs) = cut_word_runs(t, &[1, 5, 6, 16]);
        assert_eq!(pieces, ["", ", ", " ef-gh! ", ""]);
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
