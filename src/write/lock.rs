//! The lock beside the output.

use super::shown;
use crate::diagnostics::plain_io;
use crate::diagnostics::Diagnostic;
use std::fs;
use std::path::Path;

/// Takes the lock beside the output, waiting (and saying so) while another
/// build holds it. The lock file is never written through a link, and a
/// lock whose file was deleted or replaced meanwhile (a `git clean`) is
/// taken again on the file now there, so that two builds never both run.
pub(super) fn lock(path: &Path, out: &Path) -> Result<fs::File, Diagnostic> {
    let cannot = |e: std::io::Error| {
        Diagnostic::error(
            shown(path),
            format!("cannot lock the output: {}", plain_io(&e)),
        )
    };
    let mut said = false;
    loop {
        let f = open(path).map_err(cannot)?;
        match f.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                if !said {
                    eprintln!(
                        "note: another build is writing to {}; waiting for it to finish",
                        shown(out)
                    );
                    said = true;
                }
                f.lock().map_err(cannot)?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(cannot(e)),
        }
        if same_file(&f, path) {
            return Ok(f);
        }
    }
}

/// Opens (creating) the lock file: a regular file, not through a link, and
/// without waiting on a pipe put there.
fn open(path: &Path) -> std::io::Result<fs::File> {
    let not_a_file = || {
        std::io::Error::other(
            "something other than a regular file is there (a link, a pipe or a folder); servicekb makes this file itself: remove what is there",
        )
    };
    if fs::symlink_metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(not_a_file());
    }
    let mut opts = fs::OpenOptions::new();
    opts.create(true).truncate(false).write(true);
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32);
    }
    let f = opts.open(path)?;
    if !f.metadata()?.is_file() {
        return Err(not_a_file());
    }
    Ok(f)
}

/// Whether `f` is still the file at `path`.
#[cfg(unix)]
fn same_file(f: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (f.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &fs::File, _: &Path) -> bool {
    true
}
