//! What a build refuses before it writes anything: an output that is a
//! file or a link to one, and folders holding files servicekb did not write.

use super::listing::{list_spare, Listing};
use super::manifest::Manifest;
use super::shown;
use crate::diagnostics::plain_io;
use crate::diagnostics::Diagnostic;
use std::fs;
use std::path::{Path, PathBuf};

/// Files and folders in `listing` that `known` does not account for (links
/// are not counted: a build replaces them without following them).
fn foreign_entries(root: &Path, listing: &Listing, known: &Manifest) -> Vec<String> {
    let folders = known.folders();
    let mut out = Vec::new();
    for (rel, is_dir) in &listing.entries {
        let ok = if *is_dir {
            folders.contains(rel.as_str())
        } else {
            known.files.contains_key(rel)
                || fs::symlink_metadata(root.join(rel)).is_ok_and(|m| m.file_type().is_symlink())
        };
        // Below a foreign folder, only the folder itself is named.
        if !ok
            && !out
                .iter()
                .any(|f: &String| rel.starts_with(&format!("{f}/")))
        {
            out.push(rel.clone());
        }
    }
    out
}

pub(super) fn not_ours(out: &Path, foreign: &[String]) -> Diagnostic {
    let more = match foreign.len() {
        0 | 1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Diagnostic::error(
        shown(out),
        format!(
            "this folder holds `{}`{more}, which servicekb did not write; it replaces only a folder that is empty or that it built. Build into another folder (--output), or move those files away (files to publish belong in static/)",
            foreign.first().map_or("", String::as_str)
        ),
    )
}

/// Where the output leads if it is a link (to a folder, outside the
/// sources); refuses an output that is a file or a link to one.
pub(super) fn link_target(
    root: &Path,
    out: &Path,
    meta: Option<&fs::Metadata>,
) -> Result<Option<PathBuf>, Diagnostic> {
    match meta {
        Some(m) if m.file_type().is_symlink() => {
            let t = fs::canonicalize(out).map_err(|e| {
                Diagnostic::error(
                    shown(out),
                    format!("the output is a link that leads nowhere: {}", plain_io(&e)),
                )
            })?;
            if !t.is_dir() {
                return Err(Diagnostic::error(
                    shown(out),
                    "the output is a link to a file, not to a folder",
                ));
            }
            crate::fsguard::check_output_location(root, &t)?;
            Ok(Some(t))
        }
        Some(m) if !m.is_dir() => Err(Diagnostic::error(
            shown(out),
            "the output path is a file, not a folder",
        )),
        _ => Ok(None),
    }
}

/// A folder servicekb never built into is refused at once, before
/// anything is written beside it.
pub(super) fn refuse_unbuilt(
    out: &Path,
    linked: bool,
    live_manifest: &Manifest,
) -> Result<(), Diagnostic> {
    if !linked && live_manifest.files.is_empty() {
        if let Some(first) = fs::read_dir(out).ok().and_then(|mut d| d.next()) {
            let first = first.map(|e| e.file_name().to_string_lossy().into_owned());
            return Err(not_ours(out, &[first.unwrap_or_default()]));
        }
    }
    Ok(())
}

/// The spare folder is servicekb's while one of `marks` is there (its
/// manifests; an interrupted build leaves the output's, or the mark of a
/// first build); otherwise only empty. A link there is removed.
pub(super) fn check_spare(spare: &Path, marks: &[&Path]) -> Result<(), Diagnostic> {
    match fs::symlink_metadata(spare) {
        Ok(m) if m.file_type().is_symlink() => {
            fs::remove_file(spare).map_err(|e| {
                Diagnostic::error(
                    shown(spare),
                    format!("cannot remove this link: {}", plain_io(&e)),
                )
            })?;
        }
        Ok(m) if !m.is_dir() => {
            return Err(Diagnostic::error(
                shown(spare),
                "servicekb keeps its previous build here, but this is a file it did not write; move it away",
            ));
        }
        Ok(_) => {
            let ours = marks.iter().any(|m| m.exists());
            let empty = fs::read_dir(spare).is_ok_and(|mut d| d.next().is_none());
            if !ours && !empty {
                return Err(Diagnostic::error(
                    shown(spare),
                    "servicekb keeps its previous build here, but this folder holds files it did not write; move them away",
                ));
            }
        }
        Err(_) => {}
    }
    Ok(())
}

/// What the output folder holds that servicekb did not write. Looked for
/// just before the swap, so that a file put there while the build ran is
/// found too, rather than swapped away with the old output.
pub(super) fn foreign_in(out: &Path, live_manifest: &Manifest, started: u128) -> Vec<String> {
    let l = list_spare(out, live_manifest, started);
    foreign_entries(out, &l, live_manifest)
}
