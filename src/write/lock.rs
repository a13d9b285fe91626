//! The lock beside the output.

use super::shown;
use crate::diagnostics::plain_io;
use crate::diagnostics::Diagnostic;
use std::fs;
use std::path::Path;

/// Takes the lock beside the output, waiting (and saying so) while another
/// build holds it.
pub(super) fn lock(path: &Path, out: &Path) -> Result<fs::File, Diagnostic> {
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
