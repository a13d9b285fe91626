//! Builds sites whose one article is an input made to exhaust the Markdown
//! renderer or the HTML sanitizer, each as large as the file size limit
//! allows, and prints how long `servicekb build` took per MB of input and
//! its peak memory (GNU time's maximum resident set size). A build that
//! refuses the input prints the error it gave instead of HTML.
//!
//!     cargo build --release --examples
//!     target/release/examples/adversarial [MB] [NAME...]
//!
//! MB defaults to the article size limit; NAMEs pick inputs (all by default).
//! The servicekb binary next to this example is timed; GNU time must be
//! installed at /usr/bin/time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One adversarial article body: `unit(i)` repeated to fill `size` bytes,
/// between `head` and `tail`.
struct Input {
    name: &'static str,
    what: &'static str,
    head: fn(usize) -> String,
    unit: fn(usize) -> String,
    tail: &'static str,
}

fn none(_: usize) -> String {
    String::new()
}

const INPUTS: &[Input] = &[
    Input {
        name: "div-stray-close",
        what: "`<div></i>`: a closing tag that closes nothing after each open one",
        head: none,
        unit: |_| "<div></i>".into(),
        tail: "\n",
    },
    Input {
        name: "span-div",
        what: "`<span><div></span>`: closing tags that a block element stops",
        head: none,
        unit: |_| "<span><div></span>".into(),
        tail: "\n",
    },
    Input {
        name: "div-open",
        what: "`<div>` never closed",
        head: none,
        unit: |_| "<div>".into(),
        tail: "\n",
    },
    Input {
        name: "div-balanced",
        what: "`<div>x</div>`, many siblings",
        head: none,
        unit: |_| "<div>x</div>".into(),
        tail: "\n",
    },
    Input {
        name: "formatting-reopened",
        what: "`<div><b id=N></div>`: bold left open, reopened in every block",
        head: none,
        unit: |i| format!("<div><b id=b{i}></div>"),
        tail: "x\n",
    },
    Input {
        name: "p-b-unclosed",
        what: "`<p><b class=N>x</p>`: bold left open in paragraphs",
        head: none,
        unit: |i| format!("<p><b class=c{i}>x</p>"),
        tail: "\n",
    },
    Input {
        name: "anchors",
        what: "`<a href=#N>x`: links never closed",
        head: none,
        unit: |i| format!("<a href=#a{i}>x"),
        tail: "\n",
    },
    Input {
        name: "foster-parented",
        what: "`<div></div>` inside a `<table>`: moved before it, one by one",
        head: |_| "<table>".into(),
        unit: |_| "<div></div>".into(),
        tail: "</table>\n",
    },
    Input {
        name: "table-text",
        what: "text inside a `<table>` row: moved before the table",
        head: |_| "<table><tr>".into(),
        unit: |_| "x<b></b>".into(),
        tail: "</tr></table>\n",
    },
    Input {
        name: "symmetric-words",
        what: "distinct 16-letter words whose halves mirror each other's bytes",
        head: none,
        unit: |i| {
            // Eight letters, then their second four and first four: a word
            // a hash of its halves that ignores their order would put in
            // one place.
            let h: String = (0..8)
                .map(|k| char::from(b'a' + (i / 26usize.pow(k) % 26) as u8))
                .collect();
            format!("{h}{}{} ", &h[4..], &h[..4])
        },
        tail: "\n",
    },
    Input {
        name: "many-attributes",
        what: "one tag with an attribute every few bytes",
        head: |_| "<div".into(),
        unit: |i| format!(" a{i:x}"),
        tail: ">x</div>\n",
    },
    Input {
        name: "heading-attributes",
        what: "a Markdown heading with an attribute every few bytes",
        head: |_| "# Title {".into(),
        unit: |i| format!(" a{i:x}=v"),
        tail: "}\n",
    },
    Input {
        name: "table-empty-cells",
        what: "a table of rows of empty cells (`|` repeated)",
        head: |_| "| a | b |\n|---|---|\n".into(),
        unit: |_| "||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||\n".into(),
        tail: "\n",
    },
    Input {
        name: "table-grid",
        what: "a 1,000-column table of empty cells (`|` repeated)",
        head: |_| format!("{}|\n{}|\n", "|h".repeat(1000), "|-".repeat(1000)),
        unit: |_| format!("{}\n", "|".repeat(1001)),
        tail: "\n",
    },
    Input {
        name: "table-grid-aligned",
        what: "the same, centred: each `|` becomes `<td style=\"text-align: center\"></td>`",
        head: |_| format!("{}|\n{}|\n", "|h".repeat(1000), "|:-:".repeat(1000)),
        unit: |_| format!("{}\n", "|".repeat(1001)),
        tail: "\n",
    },
    Input {
        name: "table-short-rows",
        what: "a 1,000-column table whose rows are a lone `|`",
        head: |_| {
            let mut h = "|a".repeat(1000);
            h.push_str("|\n");
            h.push_str(&"|-".repeat(1000));
            h.push_str("|\n");
            h
        },
        unit: |_| "|\n".into(),
        tail: "\n",
    },
    Input {
        name: "table-wide-row",
        what: "a table whose header is one line of empty cells",
        head: none,
        unit: |_| "|".into(),
        tail: "\n|-|\n",
    },
    Input {
        name: "table-raw-html",
        what: "a table with a raw `<b>` in each cell",
        head: |_| "| a | b |\n|---|---|\n".into(),
        unit: |_| "| <b> | <i> |\n".into(),
        tail: "\n",
    },
    Input {
        name: "short-lines",
        what: "lines of one letter (`a` and a line break, repeated)",
        head: none,
        unit: |_| "a\n".into(),
        tail: "\n",
    },
    Input {
        name: "headings",
        what: "empty headings (`#` lines)",
        head: none,
        unit: |_| "#\n".into(),
        tail: "\n",
    },
    Input {
        name: "p-flood",
        what: "`<p>` repeated",
        head: none,
        unit: |_| "<p>".into(),
        tail: "\n",
    },
    Input {
        name: "br-flood",
        what: "`<br>` repeated",
        head: none,
        unit: |_| "<br>".into(),
        tail: "\n",
    },
    Input {
        name: "emphasis-flood",
        what: "`*a* ` repeated: two marks in four bytes",
        head: none,
        unit: |_| "*a* ".into(),
        tail: "\n",
    },
    Input {
        name: "code-flood",
        what: "`` `a` `` repeated: one-letter code spans",
        head: none,
        unit: |_| "`a` ".into(),
        tail: "\n",
    },
    Input {
        name: "emphasis-then-text",
        what: "499,000 marks of `*a* `, then plain words",
        head: none,
        unit: |i| if i < 249_500 { "*a* " } else { "plain words " }.into(),
        tail: "\n",
    },
    Input {
        name: "code-then-text",
        what: "499,000 marks of `` `a` ``, then plain words",
        head: none,
        unit: |i| if i < 249_500 { "`a` " } else { "plain words " }.into(),
        tail: "\n",
    },
    Input {
        name: "long-line",
        what: "one line of words, no markup",
        head: none,
        unit: |_| "word ".into(),
        tail: "\n",
    },
    Input {
        name: "long-html-line",
        what: "one line of `<span>x</span>` in a paragraph",
        head: |_| "x ".into(),
        unit: |_| "<span>x</span>".into(),
        tail: "\n",
    },
    Input {
        name: "inline-open",
        what: "`<i>x ` in a paragraph, never closed",
        head: |_| "x ".into(),
        unit: |_| "<i>x ".into(),
        tail: "\n",
    },
    Input {
        name: "list-html",
        what: "list items each opening a `<div>`",
        head: none,
        unit: |_| "- <div>x\n".into(),
        tail: "\n",
    },
    Input {
        name: "paragraphs-html",
        what: "Markdown paragraphs each with an unclosed `<span>`",
        head: none,
        unit: |_| "a <span>b\n\n".into(),
        tail: "\n",
    },
    Input {
        name: "reserved-ids",
        what: "raw HTML reusing the theme's ids",
        head: none,
        unit: |_| "<p id=\"main\">x</p>\n".into(),
        tail: "\n",
    },
    Input {
        name: "plain-markdown",
        what: "ordinary Markdown (a baseline)",
        head: none,
        // A heading and a link every 100 paragraphs: a text may have 50,000
        // and 10,000.
        unit: |i| {
            match i % 100 {
            0 => format!(
                "## Step {i}\n\nSome **bold** text, a [link](https://x.org/{i}) and `code`.\n\n"
            ),
            // A paragraph to a line, as writers write them, and a list.
            _ => "Some **bold** text, a word and `code`, then a sentence or two of plain words that run on to the end of the paragraph.\n\n- one\n- two\n\n".into(),
        }
        },
        tail: "\n",
    },
];

const SITE_YAML: &str = "title:\n  en: Adversarial\nbase_url: https://kb.example.org\ndefault_language: en\nlanguages:\n  - { code: en, name: English }\ntopics:\n  t: { en: Test }\n";

fn body(input: &Input, size: usize) -> String {
    let mut s = (input.head)(size);
    let mut i = 0;
    loop {
        let u = (input.unit)(i);
        if s.len() + u.len() + input.tail.len() > size {
            break;
        }
        s.push_str(&u);
        i += 1;
    }
    s.push_str(input.tail);
    s
}

struct Run {
    secs: f64,
    kb: u64,
    ok: bool,
    note: String,
}

fn build(bin: &Path, root: &Path) -> Run {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%e %M", "-o"])
        .arg(root.join("time"))
        .arg(bin)
        .arg("build")
        .arg("--root")
        .arg(root)
        .output()
        .expect("cannot run /usr/bin/time (GNU time)");
    let time = std::fs::read_to_string(root.join("time")).unwrap_or_default();
    let last = time.lines().last().unwrap_or("");
    let mut f = last.split_whitespace();
    let secs = f.next().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
    let kb = f.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let note = stderr
        .lines()
        .find(|l| l.starts_with("error"))
        .map(|l| l.chars().take(150).collect())
        .unwrap_or_default();
    Run {
        secs,
        kb,
        ok: out.status.success(),
        note,
    }
}

fn main() {
    let mut mb = servicekb::load::article::MAX_ARTICLE_BYTES as f64 / (1024.0 * 1024.0);
    let mut names = Vec::new();
    for a in std::env::args().skip(1) {
        match a.parse::<f64>() {
            Ok(m) => mb = m,
            Err(_) => names.push(a),
        }
    }
    // The front matter and the final newline fit under the limit.
    let size = (mb * 1024.0 * 1024.0) as usize - 64;
    let exe = std::env::current_exe().expect("own path");
    let bin: PathBuf = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("servicekb"))
        .expect("target folder");
    assert!(bin.exists(), "build servicekb first: {}", bin.display());
    let tmp = tempfile::tempdir().expect("temp folder");
    println!(
        "{:<20} {:>8} {:>8} {:>9} {:>9} {:>7}  result",
        "input", "MB", "s", "s/MB", "peak MB", "×size"
    );
    for input in INPUTS {
        if !names.is_empty() && !names.iter().any(|n| n == input.name) {
            continue;
        }
        let root = tmp.path().join(input.name);
        std::fs::create_dir_all(root.join("content/articles/t")).unwrap();
        std::fs::write(root.join("site.yaml"), SITE_YAML).unwrap();
        let mut text = String::from("---\ntitle: Adversarial\n---\n");
        text.push_str(&body(input, size));
        std::fs::write(root.join("content/articles/t/a.en.md"), &text).unwrap();
        let r = build(&bin, &root);
        let file_mb = text.len() as f64 / (1024.0 * 1024.0);
        let peak_mb = r.kb as f64 / 1024.0;
        let mut result = String::new();
        if r.ok {
            let page = root.join("public/en/articles/t/a/index.html");
            let html = std::fs::metadata(page).map_or(0, |m| m.len());
            let _ = write!(result, "built, page {:.1} MB", html as f64 / 1048576.0);
        } else {
            let _ = write!(result, "refused: {}", r.note);
        }
        println!(
            "{:<20} {:>8.2} {:>8.2} {:>9.3} {:>9.0} {:>7.1}  {result}",
            input.name,
            file_mb,
            r.secs,
            r.secs / file_mb,
            peak_mb,
            peak_mb / file_mb,
        );
        let _ = std::fs::remove_dir_all(&root);
    }
    println!();
    for input in INPUTS {
        if names.is_empty() || names.iter().any(|n| n == input.name) {
            println!("{:<20} {}", input.name, input.what);
        }
    }
}
