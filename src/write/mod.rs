//! The write stage, double-buffered. Beside the output folder (`public/`)
//! lives the previous build (`.public.prev/`) with a manifest of what it
//! holds. A build updates that folder in place, writing only the files whose
//! bytes changed and deleting the ones that went, then swaps the two folders
//! (an atomic exchange on Linux). A failed or interrupted build never touches
//! `public/`, and a rebuild with nothing changed writes nothing.
//!
//! servicekb cleans only what it wrote (docs/safety.md): a build refuses an
//! output folder holding anything its manifest does not list, deletes only
//! files it wrote, replaces links inside the output instead of following
//! them, and writes into a linked output (`public -> /var/www/site`) in
//! place, file by file, leaving the files it did not write alone. A lock
//! beside the output makes a second build into it wait.
//!
//! The manifest also keeps each folder's modification time. A folder whose
//! time is unchanged holds what the manifest says (adding, removing or
//! renaming an entry changes it), so only changed folders are listed to find
//! files the new build no longer has.

use crate::diagnostics::plain_io;
use crate::diagnostics::Diagnostic;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::fs;
use std::hash::Hasher;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

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

/// Size and time of what stands at `p`, a link not followed.
fn lstat(p: &Path) -> Option<(u64, u128)> {
    let m = fs::symlink_metadata(p).ok().filter(fs::Metadata::is_file)?;
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
    /// The folder it describes, as written in its first line (older
    /// manifests have none).
    folder: Option<PathBuf>,
    files: FxHashMap<String, Entry>,
    dirs: FxHashMap<String, u128>,
}

const MANIFEST_HEAD: &str = "servicekb manifest 2 ";

impl Manifest {
    /// Whether it may speak for `folder`: it names that folder, or (an
    /// older manifest) names none and `folder` is not a linked output.
    fn describes(&self, folder: &Path, linked: bool) -> bool {
        // A real output folder is the one beside its manifest, wherever the
        // site was moved or copied; a linked one must be the same folder.
        match &self.folder {
            Some(f) if linked => f == folder,
            Some(_) => true,
            None => !linked,
        }
    }

    /// Every folder holding a file it lists, and every folder it lists.
    fn folders(&self) -> FxHashSet<&str> {
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

fn read_manifest(p: &Path) -> Manifest {
    let mut out = Manifest::default();
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

/// Writes a build into the spare folder, then swaps it in (or, for a
/// linked output, copies what changed into the folder the link leads to).
pub struct OutputWriter {
    out: PathBuf,
    /// Where a linked output leads (written into in place, never renamed).
    target: Option<PathBuf>,
    spare: PathBuf,
    manifest: PathBuf,
    spare_manifest: PathBuf,
    old: std::sync::Arc<Manifest>,
    written: Mutex<FxHashMap<String, Entry>>,
    /// Folders this build may have changed: their times are not recorded.
    touched: Mutex<FxHashSet<String>>,
    dirs: Mutex<FxHashSet<PathBuf>>,
    /// The first write error, and how many there were.
    errors: Mutex<(Option<Diagnostic>, usize)>,
    pub files_written: std::sync::atomic::AtomicUsize,
    /// What the spare folder held before this build, listed while it renders.
    listing: Option<std::thread::JoinHandle<Listing>>,
    /// What the output folder holds that servicekb did not write.
    foreign: Option<std::thread::JoinHandle<Vec<String>>>,
    /// Held until the build ends: a second build into the same output waits.
    _lock: Option<fs::File>,
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
                        // A link is never followed: it counts as a file.
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

fn shown(p: &Path) -> String {
    p.display().to_string()
}

/// Takes the lock beside the output, waiting (and saying so) while another
/// build holds it.
fn lock(path: &Path, out: &Path) -> Result<fs::File, Diagnostic> {
    let f = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| {
            Diagnostic::error(
                shown(path),
                format!("cannot lock the output: {}", plain_io(&e)),
            )
        })?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!(
                "note: another build is writing to {}; waiting for it to finish",
                shown(out)
            );
            f.lock().map_err(|e| {
                Diagnostic::error(
                    shown(path),
                    format!("cannot lock the output: {}", plain_io(&e)),
                )
            })?;
            Ok(f)
        }
        Err(fs::TryLockError::Error(e)) => Err(Diagnostic::error(
            shown(path),
            format!("cannot lock the output: {}", plain_io(&e)),
        )),
    }
}

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

fn not_ours(out: &Path, foreign: &[String]) -> Diagnostic {
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

impl OutputWriter {
    /// Starts a build of the site at `root` into `out`, refusing an output
    /// that is, holds or lies inside the site's sources.
    pub fn begin(root: &Path, out: &Path) -> Result<OutputWriter, Diagnostic> {
        crate::fsguard::check_output_location(root, out)?;
        let meta = fs::symlink_metadata(out).ok();
        let target = match &meta {
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
                Some(t)
            }
            Some(m) if !m.is_dir() => {
                return Err(Diagnostic::error(
                    shown(out),
                    "the output path is a file, not a folder",
                ));
            }
            _ => None,
        };
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(
                shown(parent),
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
        let live = target
            .clone()
            .unwrap_or_else(|| crate::fsguard::resolve_existing(out));
        let live_manifest = read_manifest(&manifest);
        let live_manifest = if live_manifest.describes(&live, target.is_some()) {
            live_manifest
        } else {
            Manifest::default()
        };
        // A folder servicekb never built into is refused at once, before
        // anything is written beside it.
        if target.is_none() && live_manifest.files.is_empty() {
            if let Some(first) = fs::read_dir(out).ok().and_then(|mut d| d.next()) {
                let first = first.map(|e| e.file_name().to_string_lossy().into_owned());
                return Err(not_ours(out, &[first.unwrap_or_default()]));
            }
        }
        let lock = lock(&parent.join(format!(".{name}.lock")), out)?;
        // The spare folder is servicekb's while one of its manifests is there
        // (an interrupted build leaves the output's); otherwise only empty.
        match fs::symlink_metadata(&spare) {
            Ok(m) if m.file_type().is_symlink() => {
                fs::remove_file(&spare).map_err(|e| {
                    Diagnostic::error(
                        shown(&spare),
                        format!("cannot remove this link: {}", plain_io(&e)),
                    )
                })?;
            }
            Ok(m) if !m.is_dir() => {
                return Err(Diagnostic::error(
                    shown(&spare),
                    "servicekb keeps its previous build here, but this is a file it did not write; move it away",
                ));
            }
            Ok(_) => {
                let ours = manifest.exists() || spare_manifest.exists();
                let empty = fs::read_dir(&spare).is_ok_and(|mut d| d.next().is_none());
                if !ours && !empty {
                    return Err(Diagnostic::error(
                        shown(&spare),
                        "servicekb keeps its previous build here, but this folder holds files it did not write; move them away",
                    ));
                }
            }
            Err(_) => {}
        }
        // The spare folder's manifest is trusted only if the spare folder is there;
        // it is removed now and written again when the build completes, so an
        // interrupted build leaves no manifest that lies.
        let old = std::sync::Arc::new(if spare.is_dir() {
            read_manifest(&spare_manifest)
        } else {
            Manifest::default()
        });
        let _ = fs::remove_file(&spare_manifest);
        fs::create_dir_all(&spare).map_err(|e| {
            Diagnostic::error(shown(&spare), format!("cannot write: {}", plain_io(&e)))
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
        // A folder that is swapped away must hold only what servicekb wrote.
        let foreign = match (&target, &meta) {
            (None, Some(_)) => {
                let out = out.to_path_buf();
                std::thread::Builder::new()
                    .name("check-output".into())
                    .spawn(move || {
                        let l = list_spare(&out, &live_manifest, started);
                        foreign_entries(&out, &l, &live_manifest)
                    })
                    .ok()
            }
            _ => None,
        };
        Ok(OutputWriter {
            out: out.to_path_buf(),
            target,
            spare,
            manifest,
            spare_manifest,
            old,
            written: Mutex::new(FxHashMap::default()),
            touched: Mutex::new(FxHashSet::default()),
            dirs: Mutex::new(FxHashSet::default()),
            errors: Mutex::new((None, 0)),
            files_written: std::sync::atomic::AtomicUsize::new(0),
            listing,
            foreign,
            _lock: Some(lock),
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
            if e.hash == h && lstat(&p) == Some((e.size, e.mtime)) {
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
                if let Err(e) = crate::fsguard::create_dirs_below(&self.spare, d) {
                    self.fail(d, e);
                    return;
                }
                self.dirs
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(d.to_path_buf());
            }
        }
        // What stands at the path in the spare folder (servicekb's own) is
        // replaced, never written through.
        match fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => {
                let _ = fs::remove_dir_all(&p);
            }
            Ok(m) if !m.is_file() => {
                let _ = fs::remove_file(&p);
            }
            _ => {}
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
        let mut errors = self.errors.lock().unwrap_or_else(|e| e.into_inner());
        errors.1 += 1;
        if errors.0.is_none() {
            errors.0 = Some(Diagnostic::error(
                shown(p),
                format!("cannot write: {}", plain_io(&e)),
            ));
        }
    }

    /// Gives up the build: the spare folder holds a part of it, and goes.
    pub fn abandon(self) {
        if let Some(h) = self.listing {
            let _ = h.join();
        }
        let _ = fs::remove_dir_all(&self.spare);
        let _ = fs::remove_file(&self.spare_manifest);
    }

    fn abandon_with(self, d: Diagnostic) -> Result<usize, Vec<Diagnostic>> {
        self.abandon();
        Err(vec![d])
    }

    /// Delete what the new build does not have, record the manifest, and
    /// swap the folders. On error the output is as it was.
    pub fn finish(mut self) -> Result<usize, Vec<Diagnostic>> {
        let (first, count) =
            std::mem::take(&mut *self.errors.lock().unwrap_or_else(|e| e.into_inner()));
        if let Some(mut d) = first {
            if count > 1 {
                d.message = format!(
                    "{} (and {} more files could not be written)",
                    d.message,
                    count - 1
                );
            }
            return self.abandon_with(d);
        }
        let foreign = self
            .foreign
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        if !foreign.is_empty() {
            let d = not_ours(&self.out, &foreign);
            return self.abandon_with(d);
        }
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        // Remove files (and then empty folders) the new build does not have.
        let Listing {
            entries: listing,
            dir_times,
        } = self
            .listing
            .take()
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
        let touched = std::mem::take(&mut *self.touched.lock().unwrap_or_else(|e| e.into_inner()));
        let manifest_of = |folder: &Path,
                           files: &FxHashMap<String, Entry>,
                           times: Option<&FxHashMap<String, u128>>| {
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
        };
        if let Some(target) = self.target.clone() {
            // The spare folder stays a copy of the output; the output gets
            // what changed, file by file.
            let spare_manifest = manifest_of(
                &crate::fsguard::resolve_existing(&self.spare),
                &written,
                Some(&dir_times),
            );
            let live = read_manifest(&self.manifest);
            let live = if live.describes(&target, true) {
                live
            } else {
                Manifest::default()
            };
            let synced = match sync_into(&self.spare, &target, &written, &live) {
                Ok(s) => s,
                Err(d) => return self.abandon_with(d),
            };
            let live_text = manifest_of(&target, &synced, None);
            for (path, text) in [
                (&self.manifest, live_text),
                (&self.spare_manifest, spare_manifest),
            ] {
                if let Err(e) = crate::fsguard::replace_file(path, text.as_bytes()) {
                    let d =
                        Diagnostic::error(shown(path), format!("cannot write: {}", plain_io(&e)));
                    return Err(vec![d]);
                }
            }
            return Ok(self
                .files_written
                .load(std::sync::atomic::Ordering::Relaxed));
        }
        let live = crate::fsguard::resolve_existing(&self.out);
        let manifest = manifest_of(&live, &written, Some(&dir_times));
        if let Err(d) = swap(&self.out, &self.spare) {
            return self.abandon_with(d);
        }
        // The old output is now the spare; its manifest goes with it.
        let _ = fs::rename(&self.manifest, &self.spare_manifest);
        if let Err(e) = crate::fsguard::replace_file(&self.manifest, manifest.as_bytes()) {
            let _ = fs::remove_file(&self.manifest);
            return Err(vec![Diagnostic::error(
                shown(&self.manifest),
                format!("cannot write: {}", plain_io(&e)),
            )]);
        }
        Ok(self
            .files_written
            .load(std::sync::atomic::Ordering::Relaxed))
    }
}

/// Brings the folder a linked output leads to up to date with `spare`:
/// writes each changed file through a temporary file and a rename, deletes
/// the files an earlier build wrote there that this one does not have, and
/// leaves everything else alone. Refuses, before changing anything, to put
/// a file where one that servicekb did not write stands.
fn sync_into(
    spare: &Path,
    target: &Path,
    written: &FxHashMap<String, Entry>,
    live: &Manifest,
) -> Result<FxHashMap<String, Entry>, Diagnostic> {
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
    let mut synced: FxHashMap<String, Entry> = FxHashMap::default();
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
    // Files an earlier build wrote here that this one does not have.
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
    Ok(synced)
}

/// Put the spare folder in the output's place, and the output in the spare's.
fn swap(out: &Path, spare: &Path) -> Result<(), Diagnostic> {
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
