//! `servicekb i18n diff`: what changed in an article since its translation
//! was made, unit by unit, word by word.

use super::{article_rel, check_lang, load_config_or_print, load_doc};
use crate::commands::translate::body_at_hash;
use crate::units::units;
use std::path::Path;

/// Word-level difference: `[-old-]{+new+}` around what changed.
pub fn word_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    let (n, m) = (a.len(), b.len());
    let mut l = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            l[i][j] = if a[i] == b[j] {
                l[i + 1][j + 1] + 1
            } else {
                l[i + 1][j].max(l[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out: Vec<String> = Vec::new();
    let (mut del, mut ins): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    let flush = |out: &mut Vec<String>, del: &mut Vec<&str>, ins: &mut Vec<&str>| {
        if !del.is_empty() {
            out.push(format!("[-{}-]", del.join(" ")));
            del.clear();
        }
        if !ins.is_empty() {
            out.push(format!("{{+{}+}}", ins.join(" ")));
            ins.clear();
        }
    };
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            flush(&mut out, &mut del, &mut ins);
            out.push(a[i].to_string());
            i += 1;
            j += 1;
        } else if j < m && (i == n || l[i][j + 1] >= l[i + 1][j]) {
            ins.push(b[j]);
            j += 1;
        } else {
            del.push(a[i]);
            i += 1;
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out.join(" ")
}

pub fn i18n_diff(root: &Path, article: &Path, to: &str) -> u8 {
    let Some(config) = load_config_or_print(root) else {
        return 1;
    };
    let fail = |m: String| {
        eprintln!("error: {m}");
        1
    };
    if let Err(m) = check_lang(&config, to) {
        return fail(m);
    }
    let rel = match article_rel(root, article) {
        Ok(r) => r,
        Err(m) => return fail(m),
    };
    let doc = match load_doc(root, &config, &rel, to) {
        Ok(d) => d,
        Err(m) => return fail(m),
    };
    let Some(recorded) = &doc.recorded else {
        return fail(format!(
            "{} has no translation.source_hash to compare with",
            doc.target_rel
        ));
    };
    if *recorded == doc.source_hash {
        println!(
            "{} is up to date (source_hash \"{recorded}\")",
            doc.target_rel
        );
        return 0;
    }
    let Some(old_body) = body_at_hash(root, &rel, recorded) else {
        return fail(format!(
            "no version of {rel} in the git history has source_hash \"{recorded}\"; compare by hand"
        ));
    };
    let old = units(&old_body);
    let new = units(&doc.source_text[doc.source_fm.2..]);
    println!(
        "{rel}: units changed since {} was translated (source_hash \"{recorded}\" → \"{}\")",
        doc.target_rel, doc.source_hash
    );
    for i in 0..old.len().max(new.len()) {
        match (old.get(i), new.get(i)) {
            (Some(o), Some(n)) if o.kind == n.kind && o.text == n.text => {}
            (Some(o), Some(n)) => {
                let line = doc
                    .units
                    .iter()
                    .find(|u| u.id == n.id())
                    .map_or(0, |u| u.line);
                println!(
                    "\n{} ({rel}:{line})\n  {}",
                    n.id(),
                    word_diff(&o.text, &n.text)
                );
                let _ = o;
            }
            (None, Some(n)) => println!("\n{} (new)\n  {{+{}+}}", n.id(), n.text),
            (Some(o), None) => println!("\n{} (removed)\n  [-{}-]", o.id(), o.text),
            (None, None) => {}
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_changes() {
        assert_eq!(word_diff("a b c", "a x c"), "a [-b-] {+x+} c");
        assert_eq!(word_diff("a b", "a b d"), "a b {+d+}");
    }
}
