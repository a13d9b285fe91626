//! Hebrew words without their one-letter prefixes.

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
pub(super) fn bare_forms<'w>(w: &'w str, mut f: impl FnMut(&'w str)) {
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

/// The first letters [`hebrew_bare_forms`] may take off.
pub(super) const HEBREW_PREFIXES: [char; 7] = ['ו', 'ה', 'ב', 'ל', 'מ', 'ש', 'כ'];
