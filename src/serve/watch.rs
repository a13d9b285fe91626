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
            let mut last_end: Option<Instant> = None;
            while let Ok(first) = rx.recv() {
                let started = Instant::now();
                let burst = last_end.is_some_and(|t| t.elapsed() < BURST_QUIET);
                let (quiet, max_wait) = if burst {
                    (BURST_QUIET, BURST_MAX_WAIT)
                } else {
                    (QUIET, MAX_WAIT)
                };
                let mut paths: BTreeSet<PathBuf> = BTreeSet::new();
                // Events were lost (queue overflow, a watch that failed):
                // only a full rebuild is sure to be right.
                let mut rescan = false;
                let mut take = |ev: notify::Result<notify::Event>| match ev {
                    Ok(ev) if ev.need_rescan() => rescan = true,
                    Ok(ev) if wanted(&ev.kind) => paths.extend(ev.paths),
                    Ok(_) => {}
                    Err(_) => rescan = true,
                };
                take(first);
                loop {
                    match rx.recv_timeout(quiet) {
                        Ok(ev) => {
                            take(ev);
                            if started.elapsed() > max_wait {
                                break;
                            }
                        }
                        Err(mpsc::RecvTimeoutError::Timeout) => break,
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
                let relevant: Vec<PathBuf> = paths
                    .into_iter()
                    .filter(|p| crate::incremental::classify(&root, p).is_some())
                    .collect();
                if relevant.is_empty() && !rescan {
                    continue;
                }
                if rescan || relevant.iter().any(|p| p.parent() == Some(root.as_path())) {
                    shared
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .refresh(&root);
                }
                app.rebuild(if rescan { &[] } else { &relevant }, started);
                last_end = Some(Instant::now());
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(Watch { _watcher: watched })
}
