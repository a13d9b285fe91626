//! The theme: the built-in `default` theme compiled into the binary, with a
//! site's `themes/<name>/` files laid over it file by file.

use crate::diagnostics::Diagnostic;
use crate::model::{Theme, ThemeFile};
use include_dir::{include_dir, Dir};
use std::path::Path;
use walkdir::WalkDir;

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Built-in theme files under `part` (`templates`, `static` or `i18n`).
pub fn builtin_files(part: &str) -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    if let Some(dir) = BUILTIN.get_dir(part) {
        collect(dir, part, &mut out);
    }
    out
}

/// Whether `bytes` are the built-in template `name`, unchanged.
pub fn is_builtin_template(name: &str, bytes: &[u8]) -> bool {
    BUILTIN
        .get_file(format!("templates/{name}"))
        .is_some_and(|f| f.contents() == bytes)
}

fn collect(dir: &'static Dir<'static>, strip: &str, out: &mut Vec<(String, &'static [u8])>) {
    for f in dir.files() {
        let p = f.path().to_string_lossy().replace('\\', "/");
        let rel = p
            .strip_prefix(strip)
            .unwrap_or(&p)
            .trim_start_matches('/')
            .to_string();
        out.push((rel, f.contents()));
    }
    for d in dir.dirs() {
        collect(d, strip, out);
    }
}

/// Files of the site's own theme folder under `part`, as (name, site-relative path).
pub fn site_files(
    root: &Path,
    theme: &str,
    part: &str,
) -> Result<Vec<(String, String)>, Diagnostic> {
    let base = format!("themes/{theme}/{part}");
    let dir = root.join(&base);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in WalkDir::new(&dir).follow_links(true).sort_by_file_name() {
        let entry = entry.map_err(|e| walk_error(root, &e))?;
        let rel_to_root = rel_path(root, entry.path());
        if entry.path_is_symlink() {
            crate::fsguard::check_link(root, entry.path(), &rel_to_root)?;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        let name = rel_to_root[base.len()..]
            .trim_start_matches('/')
            .to_string();
        if name.split('/').any(|s| s.starts_with('.')) {
            continue;
        }
        out.push((name, rel_to_root));
    }
    Ok(out)
}

pub fn rel_path(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A walkdir error in plain words, naming the file.
pub fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e
        .path()
        .map(|p| rel_path(root, p))
        .unwrap_or_else(|| ".".into());
    if let Some(anc) = e.loop_ancestor() {
        return Diagnostic::error(
            path,
            format!("this symbolic link loops back to {}", rel_path(root, anc)),
        );
    }
    let msg = match e.io_error() {
        Some(io) => crate::diagnostics::plain_io(io),
        None => e.to_string(),
    };
    Diagnostic::error(path, format!("cannot read: {msg}"))
}

/// The theme the site asks for: built-in default, then the site's files.
pub fn load_theme(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
    let mut theme = Theme::default();
    let site_dir = root.join("themes").join(name);
    if name != "default" && !site_dir.is_dir() {
        return Err(vec![Diagnostic::error(
            "site.yaml",
            format!("theme `{name}` does not exist: there is no folder themes/{name}/"),
        )]);
    }
    for (n, bytes) in builtin_files("templates") {
        theme.templates.insert(
            n,
            ThemeFile {
                origin: None,
                bytes: bytes.to_vec(),
            },
        );
    }
    for (n, bytes) in builtin_files("static") {
        theme.assets.insert(
            n,
            ThemeFile {
                origin: None,
                bytes: bytes.to_vec(),
            },
        );
    }
    let mut errs = Vec::new();
    for (part, map) in [
        ("templates", &mut theme.templates),
        ("static", &mut theme.assets),
    ] {
        match site_files(root, name, part) {
            Ok(files) => {
                for (n, rel) in files {
                    match crate::fsguard::read_site_file(root, &rel, crate::source::MAX_FILE_BYTES)
                    {
                        Ok(bytes) => {
                            map.insert(
                                n,
                                ThemeFile {
                                    origin: Some(rel),
                                    bytes,
                                },
                            );
                        }
                        Err(d) => errs.push(d),
                    }
                }
            }
            Err(d) => errs.push(d),
        }
    }
    if errs.is_empty() {
        Ok(theme)
    } else {
        Err(errs)
    }
}
