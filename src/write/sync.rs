//! Putting a finished build in place: into the folder a linked output leads
//! to, file by file, or by swapping the spare folder with the output.

use super::manifest::{ancestors, lstat, Entry, Manifest};
use super::shown;
use crate::diagnostics::plain_io;
use crate::diagnostics::Diagnostic;
use rustc_hash::{FxHashMap, FxHashSet};
use std::fs;
use std::path::Path;

/// Brings the folder a linked output leads to up to date with `spare`:
/// writes each changed file through a temporary file and a rename, deletes
/// the files an earlier build wrote there that this one does not have, and
/// leaves everything else alone. Refuses, before changing anything, to put
/// a file where one that servicekb did not write stands.
pub(super) fn sync_into(
    spare: &Path,
    target: &Path,
    written: &FxHashMap<String, Entry>,
    live: &Manifest,
) -> Result<FxHashMap<String, Entry>, Diagnostic> {
    let copy = files_to_copy(target, written, live)?;
    copy_files(spare, target, copy)?;
    let synced = entries_in(target, written);
    remove_gone(target, written, live);
    Ok(synced)
}

/// The files of `written` that the target lacks or holds in an older
/// version; refuses if any would replace something servicekb did not write.
fn files_to_copy<'a>(
    target: &Path,
    written: &'a FxHashMap<String, Entry>,
    live: &Manifest,
) -> Result<Vec<&'a String>, Diagnostic> {
    let ours = live.folders();
    let mut copy = Vec::new();
    let mut conflicts = Vec::new();
    let mut checked: FxHashSet<&str> = FxHashSet::default();
    for (rel, e) in written {
        for d in ancestors(rel) {
            if !checked.insert(d) {
                break;
            }
            if let Ok(m) = fs::symlink_metadata(target.join(d)) {
                if m.is_file() && !live.files.contains_key(d) {
                    conflicts.push(d.to_string());
                }
            }
        }
        let dst = target.join(rel);
        match fs::symlink_metadata(&dst) {
            Err(_) => copy.push(rel),
            Ok(m) if m.file_type().is_symlink() => copy.push(rel),
            Ok(m) if m.is_dir() => {
                if !ours.contains(rel.as_str()) {
                    conflicts.push(rel.clone());
                }
                copy.push(rel);
            }
            Ok(_) => match live.files.get(rel) {
                Some(old) if old.hash == e.hash && lstat(&dst) == Some((old.size, old.mtime)) => {}
                Some(_) => copy.push(rel),
                None => conflicts.push(rel.clone()),
            },
        }
    }
    if !conflicts.is_empty() {
        conflicts.sort();
        return Err(Diagnostic::error(
            shown(target),
            format!(
                "this folder already holds `{}`{}, which servicekb did not write and would overwrite; move it away, or build into another folder",
                conflicts[0],
                if conflicts.len() > 1 { format!(" and {} more", conflicts.len() - 1) } else { String::new() }
            ),
        ));
    }
    Ok(copy)
}

/// Copies each of `copy` from the spare folder into the target, replacing
/// a folder or a link that stands in its place.
fn copy_files(spare: &Path, target: &Path, copy: Vec<&String>) -> Result<(), Diagnostic> {
    let cannot = |p: &Path, e: std::io::Error| {
        Diagnostic::error(shown(p), format!("cannot write: {}", plain_io(&e)))
    };
    for rel in copy {
        let dst = target.join(rel);
        if let Some(d) = dst.parent() {
            crate::fsguard::create_dirs_below(target, d).map_err(|e| cannot(d, e))?;
        }
        if fs::symlink_metadata(&dst).is_ok_and(|m| m.is_dir()) {
            fs::remove_dir_all(&dst).map_err(|e| cannot(&dst, e))?;
        }
        let bytes = fs::read(spare.join(rel)).map_err(|e| cannot(&spare.join(rel), e))?;
        if fs::symlink_metadata(&dst).is_ok_and(|m| m.file_type().is_symlink()) {
            fs::remove_file(&dst).map_err(|e| cannot(&dst, e))?;
        }
        crate::fsguard::replace_file(&dst, &bytes).map_err(|e| cannot(&dst, e))?;
    }
    Ok(())
}

/// The manifest entries of `written` as they now stand in the target.
fn entries_in(target: &Path, written: &FxHashMap<String, Entry>) -> FxHashMap<String, Entry> {
    let mut synced: FxHashMap<String, Entry> = FxHashMap::default();
    for (rel, e) in written {
        let (size, mtime) = lstat(&target.join(rel)).unwrap_or((0, 0));
        synced.insert(
            rel.clone(),
            Entry {
                hash: e.hash,
                size,
                mtime,
            },
        );
    }
    synced
}

/// Deletes the files an earlier build wrote in the target that this one
/// does not have, then the folders that left empty.
fn remove_gone(target: &Path, written: &FxHashMap<String, Entry>, live: &Manifest) {
    let mut emptied = std::collections::BTreeSet::new();
    for rel in live.files.keys() {
        if written.contains_key(rel) {
            continue;
        }
        let p = target.join(rel);
        if fs::symlink_metadata(&p).is_ok_and(|m| !m.is_dir()) && fs::remove_file(&p).is_ok() {
            emptied.extend(ancestors(rel).map(str::to_string));
        }
    }
    // Deepest first; a folder that still holds anything stays.
    while let Some(d) = emptied.pop_last() {
        let _ = fs::remove_dir(target.join(&d));
    }
}

/// Put the spare folder in the output's place, and the output in the spare's.
pub(super) fn swap(out: &Path, spare: &Path) -> Result<(), Diagnostic> {
    let err = |e: std::io::Error| {
        Diagnostic::error(
            shown(out),
            format!("cannot move the new output in place: {}", plain_io(&e)),
        )
    };
    if !out.exists() {
        return fs::rename(spare, out).map_err(err);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        if renameat_with(CWD, spare, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    let tmp = spare.with_extension("swap");
    let _ = fs::remove_dir_all(&tmp);
    fs::rename(out, &tmp).map_err(err)?;
    if let Err(e) = fs::rename(spare, out) {
        let _ = fs::rename(&tmp, out);
        return Err(err(e));
    }
    fs::rename(&tmp, spare).map_err(err)
}
