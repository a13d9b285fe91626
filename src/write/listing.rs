//! Listing what a folder holds, trusting the manifest for the folders whose
//! time did not change.

use super::manifest::{ancestors, mtime_ns, parent_of, Manifest};
use rustc_hash::{FxHashMap, FxHashSet};
use std::fs;
use std::path::Path;
use std::sync::Arc;

/// What the spare folder held before this build: its files and folders in
/// walk order (a folder, then what is in it), as `/`-separated paths with
/// "is a folder"; and its folders' modification times, where they are old
/// enough to be trusted next time.
#[derive(Default)]
pub(super) struct Listing {
    pub(super) entries: Vec<(String, bool)>,
    pub(super) dir_times: FxHashMap<String, u128>,
}

/// A folder changed less than this before it was looked at may change again
/// within the same tick of the file system's clock, keeping its time: it is
/// listed again next time instead of trusted.
const SETTLED_NS: u128 = 2_000_000_000;

/// Lists the spare folder, reading only the folders whose time differs from
/// the one the manifest `known` recorded; `started` is when this build began.
pub(super) fn list_spare(root: &Path, known: &Manifest, started: u128) -> Listing {
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

/// Lists the spare folder on a thread of its own.
pub(super) fn spawn_listing(
    spare: &Path,
    old: &Arc<Manifest>,
    started: u128,
) -> Option<std::thread::JoinHandle<Listing>> {
    let (spare, old) = (spare.to_path_buf(), old.clone());
    std::thread::Builder::new()
        .name("list-output".into())
        .spawn(move || list_spare(&spare, &old, started))
        .ok()
}
