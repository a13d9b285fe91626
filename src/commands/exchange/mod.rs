//! `servicekb i18n export|import|diff`: articles exchanged with
//! translators as PO or XLIFF 1.2 files, one file per article, cut into
//! block-level units (see `crate::units`).

mod apply;
mod diff;
mod doc;
mod export;
mod import;

pub(super) use apply::markdown_of;
pub use apply::{apply, check_units};
pub use diff::{i18n_diff, word_diff};
pub use doc::load_doc;
pub(super) use doc::renumber;
pub use export::i18n_export;
pub use import::i18n_import;

use super::translate::relative_to_root;
use crate::hash::source_hash;
use crate::load::config::load_config;
use crate::model::SiteConfig;
use crate::units::Code;
use std::path::Path;

/// One unit as exchanged: the source text, the translation found, where.
#[derive(Debug, Clone)]
pub struct XUnit {
    pub id: String,
    pub kind: &'static str,
    pub source: String,
    pub codes: Vec<Code>,
    /// Line in the source file.
    pub line: usize,
    /// The existing translation that aligns, in the source's placeholders.
    pub target: String,
    /// The source text changed since the translation was made.
    pub fuzzy: bool,
    /// Byte range in the target body, when the target aligns.
    pub target_span: Option<std::ops::Range<usize>>,
    /// The file the source text is in, when not the document's own.
    pub file: Option<String>,
}

/// An article as exchanged.
pub struct Doc {
    pub source_rel: String,
    pub target_rel: String,
    pub lang: String,
    pub source_lang: String,
    pub source_hash: String,
    /// A fingerprint of the target file as it was ("none": no file).
    pub target_state: String,
    pub units: Vec<XUnit>,
    /// Every target body unit aligns with the source's (same count and kinds).
    pub aligned: bool,
    /// The translation's recorded source_hash.
    recorded: Option<String>,
    source_text: String,
    source_fm: (usize, usize, usize),
    target_text: Option<String>,
    target_fm: Option<(usize, usize, usize)>,
}

impl Doc {
    /// For each unit, whether an earlier one has the same text at the same
    /// place (identical table cells on one line): those get their id as a
    /// second reference, since converters that drop msgctxt (po2xliff)
    /// merge entries with equal text and references (xliff2po).
    pub fn repeated(&self) -> Vec<bool> {
        let mut seen = std::collections::HashSet::new();
        self.units
            .iter()
            .map(|u| !seen.insert((&u.source, &u.file, u.line)))
            .collect()
    }

    /// A document of skill, checklist or UI texts (see `fields`).
    pub fn of_fields(
        source_rel: &str,
        target_rel: &str,
        lang: &str,
        source_lang: &str,
        units: Vec<XUnit>,
    ) -> Doc {
        let all = |f: fn(&XUnit) -> &str| {
            units
                .iter()
                .map(|u| format!("{}\0{}\0", u.id, f(u)))
                .collect::<String>()
        };
        Doc {
            source_rel: source_rel.to_string(),
            target_rel: target_rel.to_string(),
            lang: lang.to_string(),
            source_lang: source_lang.to_string(),
            source_hash: source_hash(&all(|u| &u.source)),
            target_state: source_hash(&all(|u| &u.target)),
            units,
            aligned: false,
            recorded: None,
            source_text: String::new(),
            source_fm: (0, 0, 0),
            target_text: None,
            target_fm: None,
        }
    }
}
pub fn article_rel(root: &Path, article: &Path) -> Result<String, String> {
    relative_to_root(root, article).ok_or_else(|| {
        format!(
            "{}: no such article in the site folder {}",
            article.display(),
            root.display()
        )
    })
}
/// A translated unit from an exchange file.
#[derive(Debug, Clone)]
pub struct Translated {
    pub id: String,
    pub source: String,
    pub target: String,
    pub fuzzy: bool,
    /// Line in the exchange file.
    pub line: usize,
}

/// An exchange file read back.
pub struct Incoming {
    pub file: String,
    pub headers: Vec<(String, String)>,
    pub units: Vec<Translated>,
    /// Line of the end of the file (for errors about what is missing).
    pub last_line: usize,
}

impl Incoming {
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }
}
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ExFormat {
    Po,
    Xliff,
}
fn load_config_or_print(root: &Path) -> Option<SiteConfig> {
    match load_config(root) {
        Ok(c) => Some(c),
        Err(ds) => {
            for d in ds {
                eprintln!("{d}");
            }
            None
        }
    }
}

fn check_lang(config: &SiteConfig, to: &str) -> Result<(), String> {
    if config.has_language(to) {
        return Ok(());
    }
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    Err(format!(
        "`{to}` is not a language of this site (languages: {})",
        codes.join(", ")
    ))
}
