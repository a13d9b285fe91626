//! The `servicekb` command line.

use clap::{Parser, Subcommand, ValueEnum};
use servicekb::commands;
use std::path::PathBuf;
use std::process::ExitCode;

// Rendering allocates many small strings; mimalloc makes that markedly cheaper.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// No transparent huge pages for this process. A build's memory grows in
/// many steps, and a fresh huge page is 2 MB the kernel zeroes at the first
/// touch: with them, 10,000 realistic pages took about 6 % longer and
/// peaked 18 MB higher (paired runs). Only a hint: nothing depends on it.
fn small_pages_only() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// `mi_option_purge_delay` in mimalloc's `mimalloc.h` (the same number in
/// its versions 2 and 3; the Rust binding names only some options).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory a build has freed goes back to the system after 0.1 s instead of
/// mimalloc's default 1 s: loading leaves much freed memory behind (each
/// article's parse), which otherwise stays counted. 10,000 realistic pages
/// peaked at 241 MB instead of 282 MB for 4 % more time; 100,000 spent
/// half the time in the kernel (paired runs).
fn purge_sooner() {
    // Safety: sets a number mimalloc reads when it decides to purge; any
    // value is valid.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 100) };
}

#[derive(Parser)]
#[command(
    name = "servicekb",
    version,
    about = "Build multilingual service-quality knowledge bases"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExchangeFormat {
    Po,
    Xliff,
}

#[derive(Subcommand)]
enum I18nAction {
    /// Write PO or XLIFF files for translators: one per article, one each for skills, checklists and UI strings
    Export {
        /// The language to translate into
        #[arg(long)]
        to: String,
        #[arg(long, value_enum, default_value = "po")]
        format: ExchangeFormat,
        /// Where to write the files; default: translations/<lang>/ in the site folder
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Write translated PO or XLIFF files back into the site
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Overwrite translations changed since the export
        #[arg(long)]
        force: bool,
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// The source units that changed since a translation was made
    Diff {
        article: PathBuf,
        #[arg(long)]
        to: String,
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output)
    Build {
        /// The site folder (holding site.yaml); default: the current folder
        #[arg(long)]
        root: Option<PathBuf>,
        /// Where to write the site; default: public/ in the site folder
        #[arg(long)]
        output: Option<PathBuf>,
        /// Use this base URL instead of site.yaml's
        #[arg(long)]
        base_url: Option<String>,
        /// Build draft articles too
        #[arg(long)]
        drafts: bool,
    },
    /// Build, serve on 127.0.0.1 (or --bind), rebuild on change and reload the browser
    Serve {
        #[arg(long)]
        root: Option<PathBuf>,
        /// Address to listen on; other than loopback, anyone who can reach this machine can read the preview
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port to listen on (if it is taken, the first free one of the next 19; 0: any free port)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[arg(long)]
        drafts: bool,
    },
    /// Check everything without writing; exit 1 on errors (and warnings with --strict)
    Check {
        #[arg(long)]
        root: Option<PathBuf>,
        /// Fail on warnings too
        #[arg(long)]
        strict: bool,
    },
    /// What is missing or out of date in each language; exchange files with translators
    I18n {
        #[command(subcommand)]
        action: Option<I18nAction>,
        #[arg(long)]
        root: Option<PathBuf>,
        /// Only this language
        #[arg(long)]
        lang: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Create a translation stub of an article
    Translate {
        /// The article (path relative to the site folder, or absolute)
        article: PathBuf,
        /// The language to translate into
        #[arg(long)]
        to: String,
        #[arg(long)]
        root: Option<PathBuf>,
        /// Overwrite an existing translation
        #[arg(long)]
        force: bool,
        /// Refresh an outdated translation: keep it and append the source's current text
        #[arg(long)]
        update: bool,
    },
    /// Write a small working site into DIR
    Init { dir: PathBuf },
}

fn root_or_cwd(root: Option<PathBuf>) -> PathBuf {
    root.unwrap_or_else(|| PathBuf::from("."))
}

/// A closed pipe (`servicekb i18n | head -1`) ends the command quietly; any
/// other failure to print (a full disk) is one plain error, not a panic.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.starts_with("failed printing to std") {
            if msg.contains("os error 32") {
                std::process::exit(0);
            }
            let why = msg.split_once(": ").map_or(msg, |(_, w)| w);
            let why = why.split(" (os error").next().unwrap_or(why).to_lowercase();
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "error: cannot write the output: {why}");
            std::process::exit(1);
        }
        default(info)
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    small_pages_only();
    purge_sooner();
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => commands::build(&root_or_cwd(root), output, base_url, drafts),
        Command::Check { root, strict } => commands::check(&root_or_cwd(root), strict),
        Command::Serve {
            root,
            bind,
            port,
            drafts,
        } => commands::serve(&root_or_cwd(root), &bind, port, drafts),
        Command::I18n {
            action: Some(a), ..
        } => match a {
            I18nAction::Export {
                to,
                format,
                out,
                root,
            } => commands::i18n_export(
                &root_or_cwd(root),
                &to,
                match format {
                    ExchangeFormat::Po => commands::ExFormat::Po,
                    ExchangeFormat::Xliff => commands::ExFormat::Xliff,
                },
                out,
            ),
            I18nAction::Import { files, force, root } => {
                commands::i18n_import(&root_or_cwd(root), &files, force)
            }
            I18nAction::Diff { article, to, root } => {
                commands::i18n_diff(&root_or_cwd(root), &article, &to)
            }
        },
        Command::I18n {
            action: None,
            root,
            lang,
            format,
        } => commands::i18n(
            &root_or_cwd(root),
            lang.as_deref(),
            matches!(format, Format::Json),
        ),
        Command::Translate {
            article,
            to,
            root,
            force,
            update,
        } => commands::translate(&root_or_cwd(root), &article, &to, force, update),
        Command::Init { dir } => commands::init(&dir),
    };
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    /// The option number is mimalloc's purge delay: of the options before
    /// the guarded ones, only it defaults to 1000 ms.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        let before = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(before, 1000);
        super::purge_sooner();
        let after = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(after, 100);
    }
}
