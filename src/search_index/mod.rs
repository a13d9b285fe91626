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
mod index;
mod words;

use serde::Serialize;

pub use fold::fold;
pub use hebrew::hebrew_bare_forms;
pub use index::index_json;
pub use words::{cut_word_runs, words, Table, WordSet};

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
    /// the page's distinct folded words (written to the file in `words`)
    #[serde(skip)]
    pub w: WordSet,
}

#[cfg(test)]
mod tests {
    use super::fold::{in_word, split_words};
    use super::index::{LAST, MORE};
    use super::*;

    proptest::proptest! {
        /// The union of two word sets is the set of both texts' words;
        /// each is ascending and distinct, by number and as text.
        #[test]
        fn words_come_sorted_and_distinct(
            a in "[a-zA-Z ąžŠ\u{5E9}\u{5C1}\u{5D1}\u{5D9}\u{5EA}-]{0,80}",
            b in "[a-zA-Z ąžŠ\u{5E9}\u{5C1}\u{5D1}\u{5D9}\u{5EA}-]{0,80}",
        ) {
            let (x, y) = (words([a.as_str()]), words([b.as_str()]));
            for w in [&x, &y, &x.union(&y)] {
                let ids: Vec<u32> = w.ids().collect();
                proptest::prop_assert!(ids.windows(2).all(|p| p[0] < p[1]), "{:?}", ids);
                let text = w.text();
                let ws: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
                proptest::prop_assert!(ws.windows(2).all(|p| p[0] < p[1]), "{:?}", text);
            }
            proptest::prop_assert_eq!(x.union(&y), words([a.as_str(), b.as_str()]));
            proptest::prop_assert_eq!(y.union(&x), words([a.as_str(), b.as_str()]));
        }
    }

    #[test]
    fn each_call_has_its_own_words() {
        assert_eq!(words(["Cat cat CAT, dog"]).text(), "cat dog");
        assert_eq!(
            words(["the cat"]).text(),
            "cat the",
            "the cat seen before still counts"
        );
        assert_eq!(words(["Źródła", "zrodla ZRODLA"]).text(), "zrodla");
        assert_eq!(words(["a b"]).text(), "", "one ASCII letter is not a word");
        assert_eq!(
            words(["\u{5B0}\u{5B4}"]).text(),
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
            words(["abcdefghij Abcdefgh abcdefghia abcdefg ab"]).text(),
            "ab abcdefg abcdefgh abcdefghia abcdefghij"
        );
    }

    #[test]
    fn words_seen_again_are_found_again() {
        // More words than the vocabulary first has room for, so that it
        // grows, each seen twice and in two calls; the same text cased
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
                assert_eq!(words([t.as_str()]).text(), expected, "{prefix}");
            }
        }
    }

    #[test]
    fn folds_diacritics_niqqud_and_finals() {
        assert_eq!(fold("Źródła"), "zrodla");
        assert_eq!(fold("šviesa"), "sviesa");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("שָׁלוֹם"), "שלומ");
        assert_eq!(words(["A cat, a CAT; the dog"]).text(), "cat dog the");
        let (a, b) = ("Źródła, the dog", "a cat; THE zebra dog");
        assert_eq!(words([a]).union(&words([b])), words([a, b]));
        assert_eq!(WordSet::default().union(&words([b])), words([b]));
        let t = "ab, cd ef-gh! ij";
        let (pieces, runs) = cut_word_runs(t, &[1, 5, 6, 16]);
        assert_eq!(pieces, ["", ", ", " ef-gh! ", ""]);
        assert_eq!(
            runs,
            [(0, "ab".into()), (4, "cd".into()), (14, "ij".into())]
        );
        assert_eq!(words([a]).union(&WordSet::default()), words([a]));
        assert_eq!(
            words(["בית־ספר"]).text(),
            "בית ספר",
            "maqaf separates words"
        );
        assert_eq!(
            words(["Źródła zrodla, ŹRÓDŁA"]).text(),
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
            w: WordSet::of(w.split(' ')),
        }
    }

    /// What search.js does with `words`.
    fn decode(json: &[u8]) -> Vec<(String, Vec<u32>)> {
        decode_field(json, "words")
    }

    fn decode_field(json: &[u8], field: &str) -> Vec<(String, Vec<u32>)> {
        let v: serde_json::Value = serde_json::from_slice(json).unwrap();
        assert_eq!(v["version"], 3);
        let mut out: Vec<(String, Vec<u32>)> = Vec::new();
        let (mut n, mut mult, mut last) = (0u32, 1u32, -1i64);
        for c in v[field].as_str().unwrap_or("").chars() {
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
        pages[1].w = WordSet::of(["לקוחות"]);
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
        pages[0].w = WordSet::of(["call", "calls", "caller", "zrodla"]);
        pages[399].w = WordSet::of(["call", "common", "😀a", "😁b"]);
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

    /// What the index holds, by its definition, from each page's words as
    /// text: a word for the pages where it is no prefix of another of
    /// their words; a Hebrew word's shortest bare form that some page has
    /// whole, for the pages with no word starting with it (and it no
    /// prefix of another such form of theirs). Sorted as JavaScript does.
    fn by_definition(pages: &[Vec<&str>]) -> [Vec<(String, Vec<u32>)>; 2] {
        use std::collections::BTreeMap;
        type Listed = BTreeMap<Vec<u16>, (String, Vec<u32>)>;
        let all: std::collections::BTreeSet<&str> = pages.iter().flatten().copied().collect();
        let starts = |ws: &[&str], w: &str| ws.iter().any(|x| x.starts_with(w));
        let longer =
            |ws: &[&str], w: &str| ws.iter().any(|x| x.len() > w.len() && x.starts_with(w));
        let mut words = Listed::new();
        let mut bare = Listed::new();
        for (i, ws) in pages.iter().enumerate() {
            for w in ws {
                let e = words
                    .entry(w.encode_utf16().collect())
                    .or_insert((w.to_string(), vec![]));
                if !longer(ws, w) {
                    e.1.push(i as u32);
                }
            }
            let mut forms: Vec<&str> = Vec::new();
            for w in ws {
                let best = hebrew_bare_forms(w)
                    .into_iter()
                    .filter(|b| all.contains(b))
                    .min_by_key(|b| b.len());
                if let Some(b) = best.filter(|b| !starts(ws, b)) {
                    forms.push(b);
                }
            }
            for b in &forms {
                if !longer(&forms, b) {
                    let e = bare
                        .entry(b.encode_utf16().collect())
                        .or_insert((b.to_string(), vec![]));
                    if !e.1.contains(&(i as u32)) {
                        e.1.push(i as u32);
                    }
                }
            }
        }
        let keep = |m: Listed| m.into_values().filter(|(_, p)| !p.is_empty()).collect();
        [keep(words), keep(bare)]
    }

    proptest::proptest! {
        /// Words from a small alphabet (so that many are prefixes of
        /// others), with Hebrew prefixes and characters that sort apart in
        /// UTF-16 (U+E000 up, and beyond U+FFFF).
        #[test]
        fn the_index_holds_what_its_definition_says(
            pages in proptest::collection::vec(
                proptest::collection::btree_set(
                    "[aו\u{5D4}\u{5DC}\u{5E7}\u{E000}\u{1F600}]{1,5}",
                    0..12,
                ),
                1..12,
            )
        ) {
            let pages: Vec<Vec<&str>> =
                pages.iter().map(|p| p.iter().map(String::as_str).collect()).collect();
            let entries: Vec<Entry> = pages
                .iter()
                .map(|ws| {
                    let mut e = entry("");
                    e.w = WordSet::of(ws.iter().copied());
                    e
                })
                .collect();
            let refs: Vec<&Entry> = entries.iter().collect();
            let json = index_json("he", &refs);
            let [words, bare] = by_definition(&pages);
            proptest::prop_assert_eq!(decode(&json), words);
            proptest::prop_assert_eq!(decode_field(&json, "bare"), bare);
        }
    }
}
