//! The one place that decides what servicekb may read, write and delete
//! (docs/safety.md):
//! - it reads only regular files that lie inside the site folder, links
//!   included only when they resolve inside it;
//! - it writes every file through a temporary file and a rename, never
//!   through a link, and never over a file it was not asked to replace;
//! - it builds only into an output folder that is not, does not hold, and
//!   does not lie inside the site's sources.

use crate::diagnostics::Diagnostic;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::RwLock;

/// Canonical paths of the site roots seen so far (a process has one or two).
static ROOTS: RwLock<Vec<(PathBuf, PathBuf)>> = RwLock::new(Vec::new());

/// The site root with every link resolved.
pub fn canonical_root(root: &Path) -> PathBuf {
    if let Some((_, c)) = ROOTS
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|(r, _)| r == root)
    {
        return c.clone();
    }
    let c = fs::canonicalize(root).unwrap_or_else(|_| absolute(root));
    ROOTS
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .push((root.to_path_buf(), c.clone()));
    c
}

/// `p` made absolute against the working folder, `.` and `..` folded
/// without touching the file system.
pub fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// `p` with links resolved as far as it exists, the rest appended.
pub fn resolve_existing(p: &Path) -> PathBuf {
    let abs = absolute(p);
    let mut base = abs.clone();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = fs::canonicalize(&base) {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (base.file_name().map(|n| n.to_os_string()), base.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                base = parent.to_path_buf();
            }
            _ => return abs,
        }
    }
}

fn kind_of(ft: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device";
        }
    }
    if ft.is_dir() {
        "a folder"
    } else if ft.is_symlink() {
        "a link"
    } else {
        "not a regular file"
    }
}

/// Where an open file really is.
fn real_path_of(file: &fs::File, path: &Path) -> io::Result<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        if let Ok(p) = fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) {
            return Ok(p);
        }
    }
    let _ = file;
    fs::canonicalize(path)
}

/// Opens a file of the site for reading: a regular file inside the site
/// folder (a link counts where it leads). Never blocks on a pipe.
pub fn open_site_file(root: &Path, rel: &str) -> Result<(fs::File, u64), Diagnostic> {
    let path = root.join(rel);
    let cannot = |e: io::Error| {
        Diagnostic::error(
            rel,
            format!("cannot read the file: {}", crate::diagnostics::plain_io(&e)),
        )
    };
    let mut opts = fs::OpenOptions::new();
    opts.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading would wait for a writer forever.
        opts.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = opts.open(&path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        if meta.is_dir() {
            return Err(Diagnostic::error(
                rel,
                "this is a folder, but a file is expected here",
            ));
        }
        return Err(Diagnostic::error(
            rel,
            format!(
                "this is {}, not a regular file; servicekb reads only regular files",
                kind_of(&meta.file_type())
            ),
        ));
    }
    let real = real_path_of(&file, &path).map_err(cannot)?;
    let canon = canonical_root(root);
    if !real.starts_with(&canon) {
        return Err(outside(rel, &real));
    }
    Ok((file, meta.len()))
}

fn outside(rel: &str, real: &Path) -> Diagnostic {
    Diagnostic::error(
        rel,
        format!(
            "this is a link to {}, outside the site folder; servicekb reads only files inside the site",
            real.display()
        ),
    )
}

/// Reads a whole site file (see [`open_site_file`]), refusing one over `limit` bytes.
pub fn read_site_file(root: &Path, rel: &str, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let (file, len) = open_site_file(root, rel)?;
    let too_large = || {
        Diagnostic::error(
            rel,
            format!("the file is too large (over {} MB)", limit / (1024 * 1024)),
        )
    };
    if len > limit {
        return Err(Diagnostic::error(
            rel,
            format!(
                "the file is too large ({} MB; the limit is {} MB)",
                len / (1024 * 1024),
                limit / (1024 * 1024)
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // A file that grew since the stat is still read only up to the limit.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| {
        Diagnostic::error(
            rel,
            format!("cannot read the file: {}", crate::diagnostics::plain_io(&e)),
        )
    })?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// A walked entry that is a link: an error unless it leads inside the site.
pub fn check_link(root: &Path, path: &Path, rel: &str) -> Result<(), Diagnostic> {
    match fs::canonicalize(path) {
        Ok(real) if real.starts_with(canonical_root(root)) => Ok(()),
        Ok(real) => Err(outside(rel, &real)),
        Err(e) => Err(Diagnostic::error(
            rel,
            format!(
                "this link leads nowhere: {}",
                crate::diagnostics::plain_io(&e)
            ),
        )),
    }
}

/// Folders, files and other litter under `static/` that are not published:
/// version control and what editors and operating systems leave behind.
pub fn is_litter(name: &str) -> bool {
    matches!(
        name,
        ".git"
            | ".hg"
            | ".svn"
            | ".bzr"
            | "CVS"
            | ".DS_Store"
            | "Thumbs.db"
            | "desktop.ini"
            | ".directory"
    ) || name.starts_with("._")
        || name.ends_with('~')
        || name.ends_with(".swp") && name.starts_with('.')
        || name.starts_with(".#")
        || name.starts_with('#') && name.ends_with('#')
}

/// A temporary file beside `path`, named so that nobody mistakes it.
fn temp_beside(path: &Path) -> io::Result<(PathBuf, fs::File)> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let dir = dir.unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for n in 0..100u32 {
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary file name",
    ))
}

fn write_temp(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let (tmp, mut f) = temp_beside(path)?;
    let done = f.write_all(bytes).and_then(|()| f.sync_data());
    if let Err(e) = done {
        drop(f);
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(tmp)
}

/// Replaces (or creates) `path` atomically: readers see the old file or the
/// new one, never a part; on a full disk the old file stays. A link at
/// `path` is refused, not written through.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Ok(m) = fs::symlink_metadata(path) {
        if !m.is_file() {
            return Err(io::Error::other(format!(
                "it is {}; servicekb replaces only regular files",
                kind_of(&m.file_type())
            )));
        }
    }
    let tmp = write_temp(path, bytes)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// Creates `path` atomically, refusing if anything (a file, a folder, a
/// link, even one that leads nowhere) is already there.
pub fn create_new_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if fs::symlink_metadata(path).is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "it already exists",
        ));
    }
    let tmp = write_temp(path, bytes)?;
    // A hard link fails if the name was taken meanwhile; rename would not.
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    linked.map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            io::Error::new(io::ErrorKind::AlreadyExists, "it already exists")
        } else {
            e
        }
    })
}

/// Creates the folders of `dir` below `base` (which exists), replacing a
/// link found on the way by a real folder instead of following it.
pub fn create_dirs_below(base: &Path, dir: &Path) -> io::Result<()> {
    make_dirs(base, dir, true)
}

/// Creates the folders of `dir` below `base`, refusing to go through a link
/// (in a user's folder a link is theirs to keep).
pub fn create_dirs_no_links(base: &Path, dir: &Path) -> io::Result<()> {
    make_dirs(base, dir, false)
}

fn make_dirs(base: &Path, dir: &Path, replace_links: bool) -> io::Result<()> {
    let rel = dir.strip_prefix(base).unwrap_or(dir);
    let mut p = base.to_path_buf();
    for c in rel.components() {
        p.push(c);
        match fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => continue,
            Ok(m) if m.file_type().is_symlink() && replace_links => fs::remove_file(&p)?,
            Ok(m) if m.file_type().is_symlink() => {
                return Err(io::Error::other(format!(
                    "{} is a link; servicekb does not write through links",
                    p.display()
                )))
            }
            Ok(_) => {
                return Err(io::Error::other(format!(
                    "{} is a file where a folder is needed",
                    p.display()
                )))
            }
            Err(_) => {}
        }
        match fs::create_dir(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && p.is_dir() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Why `out` cannot be the output folder of the site at `root`, if it cannot.
/// `out` and `root` are as the user gave them; both are resolved here.
pub fn check_output_location(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root = canonical_root(root);
    // Both where the path is written (a link in `content/` is still in
    // `content/`) and where it leads.
    let written = match (out.parent(), out.file_name()) {
        (Some(p), Some(n)) if !p.as_os_str().is_empty() => resolve_existing(p).join(n),
        (_, Some(n)) => resolve_existing(Path::new(".")).join(n),
        _ => resolve_existing(out),
    };
    let shown = out.display().to_string();
    for target in [written, resolve_existing(out)] {
        check_one(&root, &target, &shown)?;
    }
    Ok(())
}

fn check_one(root: &Path, target: &Path, shown: &str) -> Result<(), Diagnostic> {
    let refuse = |why: String| {
        Err(Diagnostic::error(
            shown,
            format!(
                "{why}; choose an output folder of its own, such as `public` in the site folder"
            ),
        ))
    };
    if target == root {
        return refuse("this is the site folder itself, which holds your sources".into());
    }
    if root.starts_with(target) {
        return refuse("this folder holds the site folder".into());
    }
    for src in ["content", "static", "themes", "i18n", "site.yaml"] {
        let s = root.join(src);
        if target.starts_with(&s) {
            return refuse(format!("this is inside the site's `{src}`"));
        }
    }
    Ok(())
}
