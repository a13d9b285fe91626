//! The write stage, double-buffered. Beside the output folder (`public/`)
//! lives the previous build (`.public.prev/`) with a manifest of what it
//! holds. A build updates that folder in place, writing only the files whose
//! bytes changed and deleting the ones that went, then swaps the two folders
//! (an atomic exchange on Linux). A failed or interrupted build never touches
//! `public/`, and a rebuild with nothing changed writes nothing.

use crate::diagnostics::Diagnostic;
use crate::source::plain_io;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::fs;
use std::hash::Hasher;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;
use walkdir::WalkDir;

fn display(p: &Path) -> String {
    p.display().to_string()
}

fn safe_rel(p: &str) -> bool {
    !p.is_empty()
        && Path::new(p)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}

/// What the manifest knows of a written file: its hash, and its size and
/// modification time then, so a file changed by hand is written again.
#[derive(Clone, Copy, PartialEq)]
struct Entry {
    hash: u64,
    size: u64,
    mtime: u128,
}

fn stat(p: &Path) -> Option<(u64, u128)> {
    let m = fs::metadata(p).ok()?;
    let t = m
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((m.len(), t))
}

fn read_manifest(p: &Path) -> FxHashMap<String, Entry> {
    let mut out = FxHashMap::default();
    let Ok(text) = fs::read_to_string(p) else {
        return out;
    };
    for line in text.lines() {
        let mut it = line.splitn(4, ' ');
        let (Some(h), Some(s), Some(t), Some(path)) = (it.next(), it.next(), it.next(), it.next())
        else {
            continue;
        };
        if let (Ok(hash), Ok(size), Ok(mtime)) = (u64::from_str_radix(h, 16), s.parse(), t.parse())
        {
            out.insert(path.to_string(), Entry { hash, size, mtime });
        }
    }
    out
}

/// Writes a build into the spare folder, then swaps it in.
pub struct OutputWriter {
    out: PathBuf,
    spare: PathBuf,
    manifest: PathBuf,
    spare_manifest: PathBuf,
    old: FxHashMap<String, Entry>,
    written: Mutex<FxHashMap<String, Entry>>,
    dirs: Mutex<FxHashSet<PathBuf>>,
    errors: Mutex<Vec<Diagnostic>>,
    pub files_written: std::sync::atomic::AtomicUsize,
    /// What the spare folder held before this build, listed while it renders.
    listing: Option<std::thread::JoinHandle<Listing>>,
}

/// Files and folders under a folder: (`/`-separated path relative to it,
/// is a folder).
type Listing = Vec<(String, bool)>;

fn list_tree(root: &Path) -> Listing {
    WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|entry| {
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            (rel, entry.file_type().is_dir())
        })
        .collect()
}

impl OutputWriter {
    pub fn begin(out: &Path) -> Result<OutputWriter, Diagnostic> {
        if out.is_file() {
            return Err(Diagnostic::error(
                display(out),
                "the output path is a file, not a folder",
            ));
        }
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(
                display(parent),
                format!("cannot create the output folder: {}", plain_io(&e)),
            )
        })?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let spare = parent.join(format!(".{name}.prev"));
        let manifest = parent.join(format!(".{name}.manifest"));
        let spare_manifest = parent.join(format!(".{name}.prev.manifest"));
        // The spare folder's manifest is trusted only if the spare folder is there;
        // it is removed now and written again when the build completes, so an
        // interrupted build leaves no manifest that lies.
        let old = if spare.is_dir() {
            read_manifest(&spare_manifest)
        } else {
            FxHashMap::default()
        };
        let _ = fs::remove_file(&spare_manifest);
        if spare.exists() && !spare.is_dir() {
            let _ = fs::remove_file(&spare);
        }
        fs::create_dir_all(&spare).map_err(|e| {
            Diagnostic::error(display(&spare), format!("cannot write: {}", plain_io(&e)))
        })?;
        // Listing 10,000 files takes tens of milliseconds; it runs beside
        // the rendering instead of after it. Files written meanwhile may or
        // may not be listed: they are kept either way.
        let listing = {
            let spare = spare.clone();
            std::thread::Builder::new()
                .name("list-output".into())
                .spawn(move || list_tree(&spare))
                .ok()
        };
        Ok(OutputWriter {
            out: out.to_path_buf(),
            spare,
            manifest,
            spare_manifest,
            old,
            written: Mutex::new(FxHashMap::default()),
            dirs: Mutex::new(FxHashSet::default()),
            errors: Mutex::new(Vec::new()),
            files_written: std::sync::atomic::AtomicUsize::new(0),
            listing,
        })
    }

    /// Put one file of the new build (from any thread).
    pub fn put(&self, rel: &str, bytes: &[u8]) {
        if !safe_rel(rel) {
            return;
        }
        let p = self.spare.join(rel);
        let h = hash(bytes);
        if let Some(e) = self.old.get(rel) {
            if e.hash == h && stat(&p) == Some((e.size, e.mtime)) {
                self.written
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(rel.to_string(), *e);
                return;
            }
        }
        if let Some(d) = p.parent() {
            let known = self
                .dirs
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(d);
            if !known {
                if d.is_file() {
                    let _ = fs::remove_file(d);
                }
                if let Err(e) = fs::create_dir_all(d) {
                    self.fail(d, e);
                    return;
                }
                self.dirs
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(d.to_path_buf());
            }
        }
        if p.is_dir() {
            let _ = fs::remove_dir_all(&p);
        }
        match fs::write(&p, bytes) {
            Ok(()) => {
                self.files_written
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let (size, mtime) = stat(&p).unwrap_or((bytes.len() as u64, 0));
                self.written
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(
                        rel.to_string(),
                        Entry {
                            hash: h,
                            size,
                            mtime,
                        },
                    );
            }
            Err(e) => self.fail(&p, e),
        }
    }

    fn fail(&self, p: &Path, e: std::io::Error) {
        self.errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Diagnostic::error(
                display(p),
                format!("cannot write: {}", plain_io(&e)),
            ));
    }

    /// Delete what the new build does not have, record the manifest, and
    /// swap the folders. On error `public/` is as it was.
    pub fn finish(self) -> Result<usize, Vec<Diagnostic>> {
        let errors = self.errors.into_inner().unwrap_or_else(|e| e.into_inner());
        if !errors.is_empty() {
            return Err(errors);
        }
        let written = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        // Remove files (and then empty folders) the new build does not have.
        let listing = self
            .listing
            .and_then(|h| h.join().ok())
            .unwrap_or_else(|| list_tree(&self.spare));
        // Only a folder that lost a file, or had nothing in it, can be
        // removed; trying every folder would cost a call per page.
        let parent = |rel: &str| rel.rsplit_once('/').map(|(p, _)| p.to_string());
        let mut candidates = std::collections::BTreeSet::new();
        for (k, (rel, is_dir)) in listing.iter().enumerate() {
            if *is_dir {
                // The walk lists a folder's entries right after it.
                let empty = !listing.get(k + 1).is_some_and(|(next, _)| {
                    next.strip_prefix(rel.as_str())
                        .is_some_and(|r| r.starts_with('/'))
                });
                if empty {
                    candidates.insert(rel.clone());
                }
            } else if !written.contains_key(rel) {
                let _ = fs::remove_file(self.spare.join(rel));
                candidates.extend(parent(rel));
            }
        }
        // Deepest first: a folder sorts after its parent.
        while let Some(d) = candidates.pop_last() {
            if fs::remove_dir(self.spare.join(&d)).is_ok() {
                candidates.extend(parent(&d));
            }
        }
        let mut manifest = String::with_capacity(written.len() * 64);
        for (rel, e) in &written {
            use std::fmt::Write;
            let _ = writeln!(manifest, "{:016x} {} {} {rel}", e.hash, e.size, e.mtime);
        }
        swap(&self.out, &self.spare).map_err(|d| vec![d])?;
        // The old output is now the spare; its manifest goes with it.
        let _ = fs::rename(&self.manifest, &self.spare_manifest);
        if let Err(e) = fs::write(&self.manifest, manifest) {
            let _ = fs::remove_file(&self.manifest);
            return Err(vec![Diagnostic::error(
                display(&self.manifest),
                format!("cannot write: {}", plain_io(&e)),
            )]);
        }
        Ok(self
            .files_written
            .load(std::sync::atomic::Ordering::Relaxed))
    }
}

/// Put the spare folder in the output's place, and the output in the spare's.
fn swap(out: &Path, spare: &Path) -> Result<(), Diagnostic> {
    let err = |e: std::io::Error| {
        Diagnostic::error(
            display(out),
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
