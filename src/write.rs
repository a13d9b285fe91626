//! The write stage, double-buffered. Beside the output folder (`public/`)
//! lives the previous build (`.public.prev/`) with a manifest of what it
//! holds. A build updates that folder in place, writing only the files whose
//! bytes changed and deleting the ones that went, then swaps the two folders
//! (an atomic exchange on Linux). A failed or interrupted build never touches
//! `public/`, and a rebuild with nothing changed writes nothing.
//!
//! The manifest also keeps each folder's modification time. A folder whose
//! time is unchanged holds what the manifest says (adding, removing or
//! renaming an entry changes it), so only changed folders are listed to find
//! files the new build no longer has.

use crate::diagnostics::Diagnostic;
use crate::source::plain_io;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::fs;
use std::hash::Hasher;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

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

fn mtime_ns(m: &fs::Metadata) -> Option<u128> {
    Some(
        m.modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos(),
    )
}

fn stat(p: &Path) -> Option<(u64, u128)> {
    let m = fs::metadata(p).ok()?;
    Some((m.len(), mtime_ns(&m)?))
}

fn now_ns() -> u128 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Note that the folders above `rel` may have changed in this build.
fn touch(touched: &Mutex<FxHashSet<String>>, rel: &str) {
    let mut t = touched.lock().unwrap_or_else(|e| e.into_inner());
    for d in ancestors(rel) {
        if !t.insert(d.to_string()) {
            break;
        }
    }
}

/// Files and folders (with their modification times) a manifest records.
#[derive(Default)]
struct Manifest {
    files: FxHashMap<String, Entry>,
    dirs: FxHashMap<String, u128>,
}

fn read_manifest(p: &Path) -> Manifest {
    let mut out = Manifest::default();
    let Ok(text) = fs::read_to_string(p) else {
        return out;
    };
    for line in text.lines() {
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

/// Writes a build into the spare folder, then swaps it in.
pub struct OutputWriter {
    out: PathBuf,
    spare: PathBuf,
    manifest: PathBuf,
    spare_manifest: PathBuf,
    old: std::sync::Arc<Manifest>,
    written: Mutex<FxHashMap<String, Entry>>,
    /// Folders this build may have changed: their times are not recorded.
    touched: Mutex<FxHashSet<String>>,
    dirs: Mutex<FxHashSet<PathBuf>>,
    errors: Mutex<Vec<Diagnostic>>,
    pub files_written: std::sync::atomic::AtomicUsize,
    /// What the spare folder held before this build, listed while it renders.
    listing: Option<std::thread::JoinHandle<Listing>>,
}

/// What the spare folder held before this build: its files and folders in
/// walk order (a folder, then what is in it), as `/`-separated paths with
/// "is a folder"; and its folders' modification times, where they are old
/// enough to be trusted next time.
#[derive(Default)]
struct Listing {
    entries: Vec<(String, bool)>,
    dir_times: FxHashMap<String, u128>,
}

/// A folder changed less than this before it was looked at may change again
/// within the same tick of the file system's clock, keeping its time: it is
/// listed again next time instead of trusted.
const SETTLED_NS: u128 = 2_000_000_000;

fn parent_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(p, _)| p)
}

/// The folders above `rel`, nearest first, the top folder ("") left out.
fn ancestors(rel: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(parent_of(rel)), |d| Some(parent_of(d)))
        .take_while(|d| !d.is_empty())
}

/// Lists the spare folder, reading only the folders whose time differs from
/// the one the manifest `known` recorded; `started` is when this build began.
fn list_spare(root: &Path, known: &Manifest, started: u128) -> Listing {
    // What the manifest says each folder holds.
    let mut held: FxHashMap<&str, Vec<(&str, bool)>> = FxHashMap::default();
    let mut folders: FxHashSet<&str> = FxHashSet::default();
    let paths = known.files.keys().map(|f| (f.as_str(), false));
    for (rel, is_dir) in paths.chain(known.dirs.keys().map(|d| (d.as_str(), true))) {
        if is_dir && !folders.insert(rel) {
            continue;
        }
        held.entry(parent_of(rel)).or_default().push((rel, is_dir));
        for d in ancestors(rel) {
            if !folders.insert(d) {
                break;
            }
            held.entry(parent_of(d)).or_default().push((d, true));
        }
    }
    let mut out = Listing::default();
    visit(root, String::new(), known, &held, started, &mut out);
    out
}

/// One folder of [`list_spare`], then (depth first) what is in it.
fn visit(
    root: &Path,
    rel: String,
    known: &Manifest,
    held: &FxHashMap<&str, Vec<(&str, bool)>>,
    started: u128,
    out: &mut Listing,
) {
    let path = if rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(&rel)
    };
    // Its time is read before it is listed: a change after that shows next time.
    let settled = fs::metadata(&path)
        .ok()
        .filter(fs::Metadata::is_dir)
        .and_then(|m| mtime_ns(&m))
        .filter(|t| t + SETTLED_NS <= started);
    // The top folder is always listed: the swap may not change its time.
    let trusted = !rel.is_empty() && settled.is_some_and(|t| known.dirs.get(&rel) == Some(&t));
    let mut kids: Vec<(String, bool)> = if trusted {
        held.get(rel.as_str())
            .map(|v| v.iter().map(|&(r, d)| (r.to_string(), d)).collect())
            .unwrap_or_default()
    } else {
        fs::read_dir(&path)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| {
                        let name = e.file_name();
                        let name = name.to_string_lossy();
                        let kid = if rel.is_empty() {
                            name.into_owned()
                        } else {
                            format!("{rel}/{name}")
                        };
                        (kid, e.file_type().is_ok_and(|t| t.is_dir()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(t) = settled {
        out.dir_times.insert(rel, t);
    }
    kids.sort_unstable();
    for (kid, is_dir) in kids {
        out.entries.push((kid.clone(), is_dir));
        if is_dir {
            visit(root, kid, known, held, started, out);
        }
    }
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
        let old = std::sync::Arc::new(if spare.is_dir() {
            read_manifest(&spare_manifest)
        } else {
            Manifest::default()
        });
        let _ = fs::remove_file(&spare_manifest);
        if spare.exists() && !spare.is_dir() {
            let _ = fs::remove_file(&spare);
        }
        fs::create_dir_all(&spare).map_err(|e| {
            Diagnostic::error(display(&spare), format!("cannot write: {}", plain_io(&e)))
        })?;
        // Listing runs beside the rendering instead of after it. Files
        // written meanwhile may or may not be listed: they are kept either way.
        let started = now_ns();
        let listing = {
            let (spare, old) = (spare.clone(), old.clone());
            std::thread::Builder::new()
                .name("list-output".into())
                .spawn(move || list_spare(&spare, &old, started))
                .ok()
        };
        Ok(OutputWriter {
            out: out.to_path_buf(),
            spare,
            manifest,
            spare_manifest,
            old,
            written: Mutex::new(FxHashMap::default()),
            touched: Mutex::new(FxHashSet::default()),
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
        if let Some(e) = self.old.files.get(rel) {
            if e.hash == h && stat(&p) == Some((e.size, e.mtime)) {
                self.written
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(rel.to_string(), *e);
                return;
            }
        }
        touch(&self.touched, rel);
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
        let Listing {
            entries: listing,
            dir_times,
        } = self
            .listing
            .and_then(|h| h.join().ok())
            .unwrap_or_else(|| list_spare(&self.spare, &self.old, now_ns()));
        let touched = &self.touched;
        // Only a folder that lost a file, or had nothing in it, can be
        // removed; trying every folder would cost a call per page.
        let parent = |rel: &str| ancestors(rel).next().map(str::to_string);
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
                touch(touched, rel);
                candidates.extend(parent(rel));
            }
        }
        // Deepest first: a folder sorts after its parent.
        while let Some(d) = candidates.pop_last() {
            touch(touched, &d);
            if fs::remove_dir(self.spare.join(&d)).is_ok() {
                candidates.extend(parent(&d));
            }
        }
        let touched = self.touched.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut manifest = String::with_capacity(written.len() * 80);
        let mut folders: FxHashSet<&str> = FxHashSet::default();
        for (rel, e) in &written {
            use std::fmt::Write;
            let _ = writeln!(manifest, "{:016x} {} {} {rel}", e.hash, e.size, e.mtime);
            for d in ancestors(rel) {
                if !folders.insert(d) {
                    break;
                }
                if let Some(t) = dir_times.get(d).filter(|_| !touched.contains(d)) {
                    let _ = writeln!(manifest, "dir {t} {d}");
                }
            }
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
