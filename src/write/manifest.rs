//! The manifest beside each folder: what servicekb wrote there, and when
//! each folder last changed.

use rustc_hash::{FxHashMap, FxHashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// What the manifest knows of a written file: its hash, and its size and
/// modification time then, so a file changed by hand is written again.
#[derive(Clone, Copy, PartialEq)]
pub(super) struct Entry {
    pub(super) hash: u64,
    pub(super) size: u64,
    pub(super) mtime: u128,
}

pub(super) fn mtime_ns(m: &fs::Metadata) -> Option<u128> {
    Some(
        m.modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos(),
    )
}

pub(super) fn stat(p: &Path) -> Option<(u64, u128)> {
    let m = fs::metadata(p).ok()?;
    Some((m.len(), mtime_ns(&m)?))
}

/// Size and time of what stands at `p`, a link not followed.
pub(super) fn lstat(p: &Path) -> Option<(u64, u128)> {
    let m = fs::symlink_metadata(p).ok().filter(fs::Metadata::is_file)?;
    Some((m.len(), mtime_ns(&m)?))
}

/// Files and folders (with their modification times) a manifest records.
#[derive(Default)]
pub(super) struct Manifest {
    /// The folder it describes, as written in its first line (older
    /// manifests have none).
    folder: Option<PathBuf>,
    pub(super) files: FxHashMap<String, Entry>,
    pub(super) dirs: FxHashMap<String, u128>,
}

const MANIFEST_HEAD: &str = "servicekb manifest 2 ";

impl Manifest {
    /// Whether it may speak for `folder`: it names that folder, or (an
    /// older manifest) names none and `folder` is not a linked output.
    pub(super) fn describes(&self, folder: &Path, linked: bool) -> bool {
        // A real output folder is the one beside its manifest, wherever the
        // site was moved or copied; a linked one must be the same folder.
        match &self.folder {
            Some(f) if linked => f == folder,
            Some(_) => true,
            None => !linked,
        }
    }

    /// Every folder holding a file it lists, and every folder it lists.
    pub(super) fn folders(&self) -> FxHashSet<&str> {
        let mut out: FxHashSet<&str> = self.dirs.keys().map(String::as_str).collect();
        for f in self.files.keys() {
            for d in ancestors(f) {
                if !out.insert(d) {
                    break;
                }
            }
        }
        out
    }
}

pub(super) fn read_manifest(p: &Path) -> Manifest {
    let mut out = Manifest::default();
    // Only a regular file: a pipe put there would never end.
    if !fs::symlink_metadata(p).is_ok_and(|m| m.is_file()) {
        return out;
    }
    let Ok(text) = fs::read_to_string(p) else {
        return out;
    };
    for line in text.lines() {
        if let Some(folder) = line.strip_prefix(MANIFEST_HEAD) {
            out.folder = Some(PathBuf::from(folder));
            continue;
        }
        if let Some((t, rel)) = line.strip_prefix("dir ").and_then(|l| l.split_once(' ')) {
            if let Ok(t) = t.parse() {
                out.dirs.insert(rel.to_string(), t);
            }
            continue;
        }
        let mut it = line.splitn(4, ' ');
        let (Some(h), Some(s), Some(t), Some(path)) = (it.next(), it.next(), it.next(), it.next())
        else {
            continue;
        };
        if let (Ok(hash), Ok(size), Ok(mtime)) = (u64::from_str_radix(h, 16), s.parse(), t.parse())
        {
            out.files
                .insert(path.to_string(), Entry { hash, size, mtime });
        }
    }
    out
}

pub(super) fn parent_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(p, _)| p)
}

/// The folders above `rel`, nearest first, the top folder ("") left out.
pub(super) fn ancestors(rel: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(parent_of(rel)), |d| Some(parent_of(d)))
        .take_while(|d| !d.is_empty())
}

/// The manifest of `folder` holding `files`, with the times of the folders
/// above them that `times` knows and this build did not touch.
pub(super) fn manifest_text(
    folder: &Path,
    files: &FxHashMap<String, Entry>,
    times: Option<&FxHashMap<String, u128>>,
    touched: &FxHashSet<String>,
) -> String {
    use std::fmt::Write;
    let mut m = String::with_capacity(files.len() * 80);
    let _ = writeln!(m, "{MANIFEST_HEAD}{}", folder.display());
    let mut folders: FxHashSet<&str> = FxHashSet::default();
    for (rel, e) in files {
        let _ = writeln!(m, "{:016x} {} {} {rel}", e.hash, e.size, e.mtime);
        for d in ancestors(rel) {
            if !folders.insert(d) {
                break;
            }
            if let Some(t) = times
                .and_then(|t| t.get(d))
                .filter(|_| !touched.contains(d))
            {
                let _ = writeln!(m, "dir {t} {d}");
            }
        }
    }
    m
}
