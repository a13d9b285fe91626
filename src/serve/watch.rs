//! Watching the site with `notify`: events are gathered until the file
//! system has been quiet for a moment, so an editor's save (write to a temp
//! file, rename over) is one change, and a burst of writes (a checkout, a
//! sync) is a few.

use super::App;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the file system must be quiet before a rebuild starts.
const QUIET: Duration = Duration::from_millis(8);
/// A rebuild starts at the latest this long after the first event.
const MAX_WAIT: Duration = Duration::from_millis(250);
/// In a burst (changes still coming as the last rebuild ends), wait for a
/// longer quiet: pages built in between would be stale at once anyway.
const BURST_QUIET: Duration = Duration::from_millis(100);
const BURST_MAX_WAIT: Duration = Duration::from_secs(2);
/// The folders a site is made of, watched recursively.
const DIRS: &[&str] = &["content", "static", "themes", "i18n"];

/// Keeps the watcher alive.
pub struct Watch {
    _watcher: Arc<Mutex<Watched>>,
}

struct Watched {
    watcher: RecommendedWatcher,
    dirs: BTreeSet<PathBuf>,
}

impl Watched {
    /// Watch the site's folders that exist (again, after one was deleted and recreated).
    fn refresh(&mut self, root: &Path) {
        for d in DIRS {
            let p = root.join(d);
            if p.is_dir() {
                if self.dirs.contains(&p) {
                    // A folder replaced by a new one keeps the path but loses the watch.
                    let _ = self.watcher.unwatch(&p);
                }
                if self.watcher.watch(&p, RecursiveMode::Recursive).is_ok() {
                    self.dirs.insert(p);
                }
            } else if self.dirs.remove(&p) {
                let _ = self.watcher.unwatch(&p);
            }
        }
    }
}

/// Events that may mean a changed file (not mere reads).
fn wanted(kind: &EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// A file written to was closed.
fn closes_after_write(kind: &EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode};
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
    )
}

pub fn start(app: Arc<App>) -> Result<Watch, String> {
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(move |res| {
        let _ = tx.send(res);
    })
    .map_err(|e| e.to_string())?;
    let root = app.root.clone();
    // The root itself (site.yaml, folders coming and going), not recursively:
    // it may hold public/, target/ or node_modules/.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| e.to_string())?;
    let watched = Arc::new(Mutex::new(Watched {
        watcher,
        dirs: BTreeSet::new(),
    }));
    watched
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .refresh(&root);
    let shared = watched.clone();
    std::thread::Builder::new()
        .name("servicekb-watch".into())
        .spawn(move || {
            let mut w = Loop {
                rx,
                app,
                watched: shared,
                last_end: None,
                last_paths: BTreeSet::new(),
                queued: Vec::new(),
                tail_only: false,
            };
            while w.round().is_some() {}
        })
        .map_err(|e| e.to_string())?;
    Ok(Watch { _watcher: watched })
}

type Event = notify::Result<notify::Event>;

/// The watcher thread's state between rebuilds.
struct Loop {
    rx: mpsc::Receiver<Event>,
    app: Arc<App>,
    watched: Arc<Mutex<Watched>>,
    last_end: Option<Instant>,
    /// The paths the last rebuild read.
    last_paths: BTreeSet<PathBuf>,
    /// Events that came right after a rebuild, and whether they only close
    /// files it read (the end of an editor's save: no burst).
    queued: Vec<Event>,
    tail_only: bool,
}

impl Loop {
    /// Waits for changes, rebuilds, and makes the derived files once the
    /// changes stop. `None`: the watcher is gone.
    fn round(&mut self) -> Option<()> {
        if self.queued.is_empty() {
            self.queued.push(self.rx.recv().ok()?);
            self.tail_only = false;
        }
        let started = Instant::now();
        let (relevant, rescan) = self.gather(started)?;
        if rescan || !relevant.is_empty() {
            let root = &self.app.root;
            if rescan || relevant.iter().any(|p| p.parent() == Some(root.as_path())) {
                self.watched
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .refresh(root);
            }
            self.app
                .rebuild(if rescan { &[] } else { &relevant }, started);
            self.last_end = Some(Instant::now());
            self.last_paths = relevant.into_iter().collect();
        }
        // Tabs have reloaded; the feeds, search indexes and sitemap are
        // made once the changes stop coming.
        while self.queued.len() < 64 {
            match self.rx.recv_timeout(QUIET) {
                // Reads, the rebuild's own among them.
                Ok(Ok(ev)) if !wanted(&ev.kind) => {}
                Ok(ev) => self.queued.push(ev),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            }
        }
        if self.queued.is_empty() {
            self.app.finish_derived();
        }
        let last = &self.last_paths;
        self.tail_only = self.queued.iter().all(|ev| {
            ev.as_ref().is_ok_and(|ev| {
                closes_after_write(&ev.kind) && ev.paths.iter().all(|p| last.contains(p))
            })
        });
        Some(())
    }

    /// The queued events and those that follow until the file system is
    /// quiet: the site's paths they name, and whether events were lost.
    fn gather(&mut self, started: Instant) -> Option<(Vec<PathBuf>, bool)> {
        let burst = !self.tail_only && self.last_end.is_some_and(|t| t.elapsed() < BURST_QUIET);
        let (quiet, max_wait) = if burst {
            (BURST_QUIET, BURST_MAX_WAIT)
        } else {
            (QUIET, MAX_WAIT)
        };
        let mut paths: BTreeSet<PathBuf> = BTreeSet::new();
        // Events were lost (queue overflow, a watch that failed): only a
        // full rebuild is sure to be right.
        let mut rescan = false;
        let mut take = |ev: Event| match ev {
            Ok(ev) if ev.need_rescan() => rescan = true,
            Ok(ev) if wanted(&ev.kind) => paths.extend(ev.paths),
            Ok(_) => {}
            Err(_) => rescan = true,
        };
        for ev in self.queued.drain(..) {
            take(ev);
        }
        loop {
            match self.rx.recv_timeout(quiet) {
                Ok(ev) => {
                    take(ev);
                    if started.elapsed() > max_wait {
                        break;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            }
        }
        let root = &self.app.root;
        let relevant = paths
            .into_iter()
            .filter(|p| crate::incremental::classify(root, p).is_some())
            .collect();
        Some((relevant, rescan))
    }
}
