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

mod guard;
mod listing;
mod lock;
mod manifest;
mod sync;

use crate::diagnostics::plain_io;
use crate::diagnostics::Diagnostic;
use guard::{check_spare, foreign_in, link_target, not_ours, refuse_unbuilt};
use listing::{list_spare, spawn_listing, Listing};
use lock::lock;
use manifest::{ancestors, lstat, manifest_text, read_manifest, stat, Entry, Manifest};
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::fs;
use std::hash::Hasher;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;
use sync::{swap, sync_into};

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

/// Writes a build into the spare folder, then swaps it in (or, for a
/// linked output, copies what changed into the folder the link leads to).
pub struct OutputWriter {
    out: PathBuf,
    /// Where a linked output leads (written into in place, never renamed).
    target: Option<PathBuf>,
    spare: PathBuf,
    manifest: PathBuf,
    spare_manifest: PathBuf,
    /// Says, while a build with no manifest yet writes into the spare
    /// folder, that what is there is servicekb's (see [`prepare_spare`]).
    building: PathBuf,
    /// The manifest of the output this build puts in place, written before
    /// it changes the output (see [`OutputWriter::finish`]).
    pending: PathBuf,
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
    /// The output's manifest, as read under the lock.
    live: Manifest,
    /// The output is a folder that is swapped away: it must hold only what
    /// servicekb wrote (see [`foreign_in`]).
    check_foreign: bool,
    /// When the build began.
    started: u128,
    /// Held until the build ends: a second build into the same output waits.
    _lock: Option<fs::File>,
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

impl OutputWriter {
    /// Starts a build of the site at `root` into `out`, refusing an output
    /// that is, holds or lies inside the site's sources.
    pub fn begin(root: &Path, out: &Path) -> Result<OutputWriter, Diagnostic> {
        // `public/.` is `public` (and `.` has no name, which is refused).
        let named: PathBuf = out.components().collect();
        let out = if named.as_os_str().is_empty() {
            out
        } else {
            &named
        };
        crate::fsguard::check_output_location(root, out)?;
        let (parent, name) = output_parent(out)?;
        let spare = parent.join(format!(".{name}.prev"));
        let manifest = parent.join(format!(".{name}.manifest"));
        let spare_manifest = parent.join(format!(".{name}.prev.manifest"));
        let building = parent.join(format!(".{name}.prev.building"));
        let pending = parent.join(format!(".{name}.manifest.new"));
        let lock_path = parent.join(format!(".{name}.lock"));
        // Judged under the lock: a build finishing meanwhile swaps its folder
        // in before it writes the manifest, which would make it look foreign.
        // Where no build ever ran (no lock even after the output was read),
        // a refusal comes first and leaves nothing beside the output.
        if !lock_path.exists() {
            if let Err(d) = inspect_output(root, out, &manifest, &pending) {
                if !lock_path.exists() {
                    return Err(d);
                }
            }
        }
        let lock = lock(&lock_path, out)?;
        let (meta, target, live_manifest) = inspect_output(root, out, &manifest, &pending)?;
        check_spare(&spare, &[&manifest, &spare_manifest, &building])?;
        let old = std::sync::Arc::new(prepare_spare(
            &spare,
            &spare_manifest,
            &manifest,
            &building,
        )?);
        // Listing runs beside the rendering instead of after it. Files
        // written meanwhile may or may not be listed: they are kept either way.
        let started = now_ns();
        let listing = spawn_listing(&spare, &old, started);
        let check_foreign = target.is_none() && meta.is_some();
        Ok(OutputWriter {
            out: out.to_path_buf(),
            target,
            spare,
            manifest,
            spare_manifest,
            building,
            pending,
            old,
            written: Mutex::new(FxHashMap::default()),
            touched: Mutex::new(FxHashSet::default()),
            dirs: Mutex::new(FxHashSet::default()),
            errors: Mutex::new((None, 0)),
            files_written: std::sync::atomic::AtomicUsize::new(0),
            listing,
            check_foreign,
            live: live_manifest,
            started,
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
        let _ = fs::remove_file(&self.building);
    }

    fn abandon_with(self, d: Diagnostic) -> Result<usize, Vec<Diagnostic>> {
        self.abandon();
        Err(vec![d])
    }

    /// Delete what the new build does not have, record the manifest, and
    /// swap the folders. On error the output is as it was.
    ///
    /// The new output's manifest is written first, as `pending`, and renamed
    /// into place once the output is changed: a build stopped in between
    /// leaves both, and the next one counts what either lists as its own.
    pub fn finish(mut self) -> Result<usize, Vec<Diagnostic>> {
        if let Some(d) = self.write_error() {
            return self.abandon_with(d);
        }
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        let dir_times = self.remove_stale(&written);
        let touched = std::mem::take(&mut *self.touched.lock().unwrap_or_else(|e| e.into_inner()));
        let building = self.building.clone();
        let live = std::mem::take(&mut self.live);
        let done = match self.target.clone() {
            Some(target) => self.finish_linked(&target, &live, &written, &dir_times, &touched),
            None => self.finish_swap(&live, &written, &dir_times, &touched),
        };
        // The manifests now say what is whose.
        if done.is_ok() {
            let _ = fs::remove_file(building);
        }
        done
    }

    /// The first write error of the build, saying how many more there were.
    fn write_error(&self) -> Option<Diagnostic> {
        let (first, count) =
            std::mem::take(&mut *self.errors.lock().unwrap_or_else(|e| e.into_inner()));
        let mut d = first?;
        if count > 1 {
            d.message = format!(
                "{} (and {} more files could not be written)",
                d.message,
                count - 1
            );
        }
        Some(d)
    }

    /// Removes from the spare folder the files (and then the empty folders)
    /// the new build does not have; returns the folders' times as listed.
    fn remove_stale(&mut self, written: &FxHashMap<String, Entry>) -> FxHashMap<String, u128> {
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
        dir_times
    }

    /// For a linked output: the spare folder stays a copy of the output; the
    /// output gets what changed, file by file.
    fn finish_linked(
        self,
        target: &Path,
        live: &Manifest,
        written: &FxHashMap<String, Entry>,
        dir_times: &FxHashMap<String, u128>,
        touched: &FxHashSet<String>,
    ) -> Result<usize, Vec<Diagnostic>> {
        let spare_manifest = manifest_text(
            &crate::fsguard::resolve_existing(&self.spare),
            written,
            Some(dir_times),
            touched,
        );
        if let Err(d) = self.write_pending(&manifest_text(target, written, None, touched)) {
            return self.abandon_with(d);
        }
        let synced = match sync_into(&self.spare, target, written, live) {
            Ok(s) => s,
            Err(d) => return self.abandon_with(d),
        };
        let live_text = manifest_text(target, &synced, None, touched);
        for (path, text) in [
            (&self.manifest, live_text),
            (&self.spare_manifest, spare_manifest),
        ] {
            if let Err(e) = crate::fsguard::replace_file(path, text.as_bytes()) {
                return Err(vec![unrecorded(path, "cannot write", &e)]);
            }
        }
        let _ = fs::remove_file(&self.pending);
        Ok(self.written_count())
    }

    /// For a real output folder: swaps the spare folder in, and the old
    /// output out to be the next spare.
    fn finish_swap(
        self,
        live_manifest: &Manifest,
        written: &FxHashMap<String, Entry>,
        dir_times: &FxHashMap<String, u128>,
        touched: &FxHashSet<String>,
    ) -> Result<usize, Vec<Diagnostic>> {
        if self.check_foreign {
            let foreign = foreign_in(&self.out, live_manifest, self.started);
            if !foreign.is_empty() {
                let d = not_ours(&self.out, &foreign);
                return self.abandon_with(d);
            }
        }
        let live = crate::fsguard::resolve_existing(&self.out);
        let manifest = manifest_text(&live, written, Some(dir_times), touched);
        if let Err(d) = self.write_pending(&manifest) {
            return self.abandon_with(d);
        }
        if let Err(d) = swap(&self.out, &self.spare) {
            let _ = fs::remove_file(&self.pending);
            return self.abandon_with(d);
        }
        // The old output is now the spare; its manifest goes with it.
        let _ = fs::rename(&self.manifest, &self.spare_manifest);
        if let Err(e) = fs::rename(&self.pending, &self.manifest) {
            let what = "cannot rename the new manifest into place";
            return Err(vec![unrecorded(&self.manifest, what, &e)]);
        }
        Ok(self.written_count())
    }

    /// Writes the manifest of the output about to be put in place.
    fn write_pending(&self, text: &str) -> Result<(), Diagnostic> {
        crate::fsguard::replace_file(&self.pending, text.as_bytes()).map_err(|e| {
            Diagnostic::error(
                shown(&self.pending),
                format!("cannot write: {}", plain_io(&e)),
            )
        })
    }

    fn written_count(&self) -> usize {
        self.files_written
            .load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// A manifest not written after the output changed: the pending one
/// still says what is servicekb's.
fn unrecorded(path: &Path, what: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        shown(path),
        format!(
            "{what}: {}; the output holds the new build, and the next build completes this record",
            plain_io(e)
        ),
    )
}

/// The folder beside the output where its spare, manifests and lock live
/// (created if missing), and the output's name.
fn output_parent(out: &Path) -> Result<(&Path, String), Diagnostic> {
    // Its spare folder and lock go beside it, so it needs a name and a
    // folder above it: `.` would have them inside the output.
    let Some(name) = out.file_name() else {
        return Err(Diagnostic::error(
            shown(out),
            "the output must end in a folder's name (such as ../public), not `.`, `..` or `/`: servicekb keeps its previous build beside it",
        ));
    };
    let name = name.to_string_lossy().into_owned();
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
    Ok((parent, name))
}

/// What stands at the output, where a link there leads and the output's
/// manifest; refuses an output servicekb may not build into.
fn inspect_output(
    root: &Path,
    out: &Path,
    manifest: &Path,
    pending: &Path,
) -> Result<(Option<fs::Metadata>, Option<PathBuf>, Manifest), Diagnostic> {
    let meta = fs::symlink_metadata(out).ok();
    let target = link_target(root, out, meta.as_ref())?;
    let live_manifest = live_manifest(out, target.as_deref(), manifest, pending);
    refuse_unbuilt(out, target.is_some(), &live_manifest)?;
    Ok((meta, target, live_manifest))
}

/// The output's manifest, if it speaks for the folder the output is (or
/// leads to); otherwise an empty one.
fn live_manifest(out: &Path, target: Option<&Path>, manifest: &Path, pending: &Path) -> Manifest {
    let live = target
        .map(Path::to_path_buf)
        .unwrap_or_else(|| crate::fsguard::resolve_existing(out));
    read_live(manifest, pending, &live, target.is_some())
}

/// The output's manifest as [`read_manifest`] reads it, or none if it does
/// not speak for `folder`. With the manifest of a build stopped while it
/// put its output in place (`pending`), it lists the files of both: the
/// output holds the one build's or the other's. Then no folder's time is
/// trusted, so every folder is looked through.
fn read_live(manifest: &Path, pending: &Path, folder: &Path, linked: bool) -> Manifest {
    let read = |p: &Path| {
        let m = read_manifest(p);
        if m.describes(folder, linked) {
            m
        } else {
            Manifest::default()
        }
    };
    let mut live = read(manifest);
    let pending = read(pending);
    if !pending.files.is_empty() {
        live.files.extend(pending.files);
        live.dirs.clear();
    }
    live
}

/// Reads the spare folder's manifest, trusted only if the spare folder is
/// there; it is removed now and written again when the build completes, so
/// an interrupted build leaves no manifest that lies. Creates the folder.
/// When no manifest will speak for the spare folder until the build
/// completes (a first build), `building` is written first: a build stopped
/// on the way (killed, the power lost) leaves it, and the next build knows
/// the folder's files as a part of one of its own and removes them.
fn prepare_spare(
    spare: &Path,
    spare_manifest: &Path,
    manifest: &Path,
    building: &Path,
) -> Result<Manifest, Diagnostic> {
    let cannot = |p: &Path, e: std::io::Error| {
        Diagnostic::error(shown(p), format!("cannot write: {}", plain_io(&e)))
    };
    if building.exists() {
        match fs::remove_dir_all(spare) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(cannot(spare, e)),
            _ => {}
        }
    }
    let old = if spare.is_dir() {
        read_manifest(spare_manifest)
    } else {
        Manifest::default()
    };
    let _ = fs::remove_file(spare_manifest);
    if !manifest.exists() {
        crate::fsguard::replace_file(building, b"").map_err(|e| cannot(building, e))?;
    }
    fs::create_dir_all(spare).map_err(|e| cannot(spare, e))?;
    Ok(old)
}
