//! `servicekb i18n import`: translated exchange files written back into
//! the site, all or nothing.

use super::{apply, check_lang, load_config_or_print, load_doc};
use crate::commands::{fields, po, xliff};
use std::path::{Path, PathBuf};

/// Reads an exchange file as UTF-8, or says where it is not.
fn read_exchange(path: &Path) -> Result<String, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| format!("{name}: cannot read: {}", crate::diagnostics::plain_io(&e)))?;
    match String::from_utf8(bytes) {
        Ok(t) => Ok(t
            .strip_prefix('\u{feff}')
            .unwrap_or(&t)
            .replace("\r\n", "\n")),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let b = e.into_bytes();
            let prefix = String::from_utf8_lossy(&b[..valid]);
            let (line, col) = crate::source::line_col(&prefix, prefix.len());
            Err(format!(
                "{name}:{line}:{col}: the file is not UTF-8 text (save it as UTF-8)"
            ))
        }
    }
}

pub fn i18n_import(root: &Path, files: &[PathBuf], force: bool) -> u8 {
    let Some(config) = load_config_or_print(root) else {
        return 1;
    };
    let mut writes: Vec<(PathBuf, String, String, bool)> = Vec::new();
    for f in files {
        let name = f.display().to_string();
        let prepared = read_exchange(f).and_then(|text| {
            let inc = if text.trim_start().starts_with('<') {
                xliff::read(&name, &text)?
            } else {
                po::read(&name, &text)?
            };
            let src = inc
                .header("X-Servicekb-Source")
                .ok_or_else(|| format!("{name}:1: no X-Servicekb-Source header: this is not a file servicekb exported"))?
                .to_string();
            let lang = inc
                .header("Language")
                .ok_or_else(|| format!("{name}:1: no Language header"))?
                .to_string();
            check_lang(&config, &lang).map_err(|m| format!("{name}:1: {m}"))?;
            if let Some(fd) = fields::load(root, &config, &src, &lang) {
                let fd = fd.map_err(|m| format!("{name}:1: {m}"))?;
                let w = fields::apply(&fd, &inc, force)?;
                return Ok((w, fd.doc.target_rel.clone()));
            }
            let doc = load_doc(root, &config, &src, &lang)?;
            let w = apply(&doc, &inc, force)?
                .map(|text| (doc.target_rel.clone(), text, doc.target_text.is_none()));
            Ok((w.into_iter().collect(), doc.target_rel))
        });
        match prepared {
            Ok((w, target)) if w.is_empty() => println!("{target}: unchanged"),
            Ok((w, _)) => {
                for (rel, text, new) in w {
                    if writes.iter().any(|x| x.1 == rel) {
                        eprintln!("error: {name}: {rel} is written by an earlier file too; import them one at a time");
                        eprintln!("error: nothing was imported");
                        return 1;
                    }
                    writes.push((root.join(&rel), rel, text, new));
                }
            }
            Err(m) => {
                eprintln!("error: {m}");
                eprintln!("error: nothing was imported");
                return 1;
            }
        }
    }
    for (path, rel, text, new) in writes {
        let r = if new {
            let parent = path.parent().unwrap_or(root);
            crate::fsguard::create_dirs_below(root, parent)
                .and_then(|_| crate::fsguard::create_new_file(&path, text.as_bytes()))
        } else {
            crate::fsguard::replace_file(&path, text.as_bytes())
        };
        if let Err(e) = r {
            eprintln!(
                "error: {rel}: cannot write: {}",
                crate::diagnostics::plain_io(&e)
            );
            return 1;
        }
        println!("{rel}");
    }
    0
}
