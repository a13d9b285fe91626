//! `servicekb serve`: builds the site into memory, serves it (on loopback
//! unless told otherwise), watches the site's files, rebuilds only what a
//! change affects, and reloads open browser tabs (server-sent events).

mod http;
mod watch;

use crate::diagnostics::Diagnostic;
use crate::incremental::{Rebuild, State};
use crate::load::LoadOptions;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;
use tokio::sync::broadcast;

/// What open tabs are told. An error's text is read from `App::error` when
/// it is sent, so the channel holds no large messages for slow readers.
#[derive(Debug, Clone)]
pub enum Notice {
    Reload,
    Css,
    Error,
    Ok,
}

/// Output path → bytes, as requests see them.
pub type Files = BTreeMap<String, Arc<Vec<u8>>>;

pub struct App {
    /// What rebuilds work on; `None` until the site first builds. Only
    /// rebuilds lock it, for as long as they run.
    pub state: Mutex<Option<State>>,
    /// The files of the last good build, which requests are answered from;
    /// `None` until the site first builds. A rebuild swaps in new ones when
    /// it is done, and a request holds the lock only to clone the `Arc`, so
    /// it never waits for a rebuild.
    pub files: RwLock<Option<Arc<Files>>>,
    /// The current errors, shown to tabs that connect while the site is broken.
    pub error: RwLock<Option<String>>,
    pub tx: broadcast::Sender<Notice>,
    pub root: PathBuf,
    pub opts: LoadOptions,
}

fn errors_text(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn print(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{d}");
    }
}

impl App {
    /// Serve `st`'s files from now on (before tabs are told to reload).
    fn publish(&self, st: &State) {
        // A map of shared bytes: copying it copies no page.
        let files = Arc::new(st.out.files.clone());
        *self.files.write().unwrap_or_else(|e| e.into_inner()) = Some(files);
    }

    /// Apply changed paths (or build from scratch; no paths: rebuild
    /// everything), print a line, tell the tabs.
    pub fn rebuild(&self, paths: &[PathBuf], started: Instant) {
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let result: Result<Rebuild, Vec<Diagnostic>> = match guard.as_mut() {
            Some(st) if paths.is_empty() => st.full(),
            Some(st) => st.apply_pages(paths),
            None => State::load(&self.root, &self.opts).map(|(st, warnings)| {
                let pages = st.out.metas.len();
                *guard = Some(st);
                Rebuild {
                    full: true,
                    pages,
                    files: vec!["*".into()],
                    warnings,
                }
            }),
        };
        if let (Ok(_), Some(st)) = (&result, guard.as_ref()) {
            self.publish(st);
        }
        drop(guard);
        let what = describe(&self.root, paths);
        let ms = started.elapsed().as_millis();
        match result {
            Ok(r) => {
                print(&r.warnings);
                let was_broken = self
                    .error
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .take()
                    .is_some();
                if r.files.is_empty() {
                    if was_broken {
                        let _ = self.tx.send(Notice::Ok);
                    }
                    println!("{what}: nothing to rebuild ({ms} ms)");
                    return;
                }
                let notice = if r.css_only() && !was_broken {
                    Notice::Css
                } else {
                    Notice::Reload
                };
                let _ = self.tx.send(notice);
                println!(
                    "{what}: {}{} page{} re-rendered, {} file{} changed in {ms} ms",
                    if r.full { "full rebuild, " } else { "" },
                    r.pages,
                    if r.pages == 1 { "" } else { "s" },
                    r.files.len(),
                    if r.files.len() == 1 { "" } else { "s" },
                );
            }
            Err(errs) => {
                print(&errs);
                eprintln!("error: {what}: the site has errors; still serving the last good version ({ms} ms)");
                *self.error.write().unwrap_or_else(|e| e.into_inner()) = Some(errors_text(&errs));
                let _ = self.tx.send(Notice::Error);
            }
        }
    }

    /// Make the feeds, search indexes and sitemap that the rebuilds since
    /// the last call left to make, and serve them. Tabs are not told: no
    /// page shows them.
    pub fn finish_derived(&self) {
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(st) = guard.as_mut() {
            if !st.finish_derived().is_empty() {
                self.publish(st);
            }
        }
    }
}

fn describe(root: &Path, paths: &[PathBuf]) -> String {
    let mut names: Vec<String> = paths
        .iter()
        .map(|p| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    names.sort();
    names.dedup();
    match names.len() {
        0 => "rescan".into(),
        1 => names.remove(0),
        n => format!("{} and {} more", names[0], n - 1),
    }
}

/// Whether only this machine can reach `ip` (`::ffff:127.0.0.1` too).
fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

/// Bind `addr:port`, or the first free one of the 19 ports after it when it
/// is taken; port 0: whichever free port the system gives.
fn bind(addr: IpAddr, port: u16) -> Result<std::net::TcpListener, String> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(19)
    };
    for p in port..=last {
        let at = SocketAddr::new(addr, p);
        match std::net::TcpListener::bind(at) {
            Ok(l) => {
                if p != port {
                    eprintln!("note: port {port} is busy; using {p}");
                }
                return Ok(l);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {}
            Err(e) => {
                return Err(format!(
                    "cannot listen on {at}: {}",
                    crate::diagnostics::plain_io(&e)
                ))
            }
        }
    }
    Err(if last == port {
        format!("cannot listen on {addr}: port {port} is busy; pick another with --port")
    } else {
        format!(
            "cannot listen on {addr}: ports {port}–{last} are all busy; pick another with --port"
        )
    })
}

pub fn serve(root: &Path, bind_addr: &str, port: u16, drafts: bool) -> u8 {
    let (listener, local) = match listen(bind_addr, port) {
        Ok(l) => l,
        Err(m) => {
            eprintln!("error: {m}");
            return 1;
        }
    };
    let base = local_base(local);
    let opts = LoadOptions {
        drafts,
        base_url: Some(base.clone()),
        prepare: crate::load::article::Prepare::HtmlAndWords,
        drop_bodies: false,
    };
    let (tx, _) = broadcast::channel(64);
    // The watcher reports absolute paths; `--root .` must match them.
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let app = Arc::new(App {
        state: Mutex::new(None),
        files: RwLock::new(None),
        error: RwLock::new(None),
        tx,
        root: root.clone(),
        opts: opts.clone(),
    });
    if !first_build(&app, &root, &opts) {
        return 1;
    }
    let watcher = match watch::start(app.clone()) {
        Ok(w) => w,
        Err(m) => {
            eprintln!("error: cannot watch {}: {m}", root.display());
            return 1;
        }
    };
    println!(
        "serving {} at http://{local}/ (Ctrl-C to stop)",
        root.display()
    );
    if local.ip().is_unspecified() {
        println!("on this machine: {base}/");
    }
    if !is_loopback(local.ip()) {
        eprintln!("warning: serving to the network: anyone who can reach this machine can read the preview");
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return 1;
        }
    };
    let code = rt.block_on(http::run(app, listener));
    drop(watcher);
    code
}

/// Listens on `--bind` and `--port` (or a port after it); gives the
/// listener and the address it got.
fn listen(bind_addr: &str, port: u16) -> Result<(std::net::TcpListener, SocketAddr), String> {
    let addr: IpAddr = bind_addr
        .parse()
        .map_err(|_| format!("--bind {bind_addr}: not an IP address (e.g. 127.0.0.1)"))?;
    let listener = bind(addr, port)?;
    // The port the system gave for `--port 0`.
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    Ok((listener, local))
}

/// Where a browser on this machine finds the site (and what pages link
/// to): on every address, that includes loopback.
fn local_base(local: SocketAddr) -> String {
    let here = match local.ip() {
        IpAddr::V4(a) if a.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(a) if a.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(here, local.port()))
}

/// The first build, published; a site with errors is served as its error
/// page until they are fixed. `false` when there is no site to serve.
fn first_build(app: &App, root: &Path, opts: &LoadOptions) -> bool {
    let started = Instant::now();
    match State::load(root, opts) {
        Ok((st, warnings)) => {
            print(&warnings);
            println!(
                "built {} pages in {} ms",
                st.out.metas.len(),
                started.elapsed().as_millis()
            );
            app.publish(&st);
            *app.state.lock().unwrap_or_else(|e| e.into_inner()) = Some(st);
        }
        Err(errs) => {
            if !root.join("site.yaml").exists() {
                print(&errs);
                return false;
            }
            print(&errs);
            eprintln!("error: the site has errors; fix them and the page reloads by itself");
            *app.error.write().unwrap_or_else(|e| e.into_inner()) = Some(errors_text(&errs));
        }
    }
    true
}
