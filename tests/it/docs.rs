//! The documentation is true: its examples are run against the real binary.
//!
//! Conventions in docs/*.md (the info string of a fenced code block):
//! - ```` ```yaml file=<path> ```` (any language word): one file of the
//!   example site of docs/content-format.md, written at <path>;
//! - ```` ```text pages ```` / ```` ```text no-pages ````: URLs the example
//!   site's build must have / must not have;
//! - ```` ```yaml broken=<path> ```` followed by ```` ```text stderr ````: a
//!   file that, added to the example site, makes the build fail with
//!   exactly those lines among its messages;
//! - ```` ```sh ```` blocks: every `servicekb ...` command in them must use
//!   a real subcommand and real flags.
//!
//! The CI files under docs/deploy/ must parse (YAML, or the subset of TOML
//! netlify.toml uses), their shell must be valid, and the servicekb and
//! cargo commands they run must exist. Relative links between the docs must
//! lead to files and headings that exist.

use crate::common;

use common::{bin, Site};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// Every markdown page of the documentation, README included.
fn doc_pages() -> Vec<String> {
    let mut out = vec!["README.md".to_string()];
    for e in std::fs::read_dir(repo().join("docs")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            out.push(format!("docs/{name}"));
        }
    }
    out.sort();
    out
}

struct Block {
    info: String,
    body: String,
    /// 1-based line of the opening fence.
    line: usize,
}

impl Block {
    /// The value of `key=` in the info string.
    fn attr(&self, key: &str) -> Option<&str> {
        self.info
            .split_whitespace()
            .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
    }

    fn has_word(&self, word: &str) -> bool {
        self.info.split_whitespace().any(|w| w == word)
    }
}

/// The fenced code blocks (```) of a markdown text.
fn blocks(md: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in md.lines().enumerate() {
        let fence = line.trim_start().starts_with("```");
        match &mut open {
            None if fence => {
                open = Some(Block {
                    info: line.trim_start()[3..].trim().to_string(),
                    body: String::new(),
                    line: i + 1,
                })
            }
            Some(_) if fence && line.trim() == "```" => out.push(open.take().unwrap()),
            Some(b) => {
                b.body.push_str(line);
                b.body.push('\n');
            }
            None => {}
        }
    }
    assert!(open.is_none(), "a code block is not closed");
    out
}

/// The example site of docs/content-format.md, in a temp folder.
fn example_site(doc: &[Block]) -> Site {
    let site = Site::empty();
    let mut n = 0;
    for b in doc {
        if let Some(path) = b.attr("file") {
            site.write(path, &b.body);
            n += 1;
        }
    }
    assert!(n >= 8, "content-format.md has only {n} example files");
    site
}

fn public_path(url: &str) -> String {
    let rel = url.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        format!("public/{rel}index.html")
    } else {
        format!("public/{rel}")
    }
}

fn urls(doc: &[Block], word: &str) -> Vec<String> {
    doc.iter()
        .filter(|b| b.has_word(word))
        .flat_map(|b| b.body.lines().map(str::trim).filter(|l| !l.is_empty()))
        .map(str::to_string)
        .collect()
}

#[test]
fn content_format_example_site_builds_the_pages_it_lists() {
    let doc = blocks(&read("docs/content-format.md"));
    let site = example_site(&doc);
    let r = site.build();
    assert!(r.ok(), "the example site does not build:\n{}", r.stderr);
    assert!(r.stdout.starts_with("built "), "{}", r.stdout);
    // The translation's source_hash written in the doc is the current one.
    assert!(!r.stderr.contains("out of date"), "{}", r.stderr);
    assert!(!r.stderr.contains("error"), "{}", r.stderr);

    let pages = urls(&doc, "pages");
    let absent = urls(&doc, "no-pages");
    assert!(pages.len() >= 10 && absent.len() >= 3);
    for url in &pages {
        assert!(
            site.exists(&public_path(url)),
            "the doc lists {url}, but the build has no such page"
        );
    }
    for url in &absent {
        assert!(
            !site.exists(&public_path(url)),
            "the doc says there is no {url}, but the build has it"
        );
    }

    // What the doc says of empty link texts, fallbacks and slugs.
    let welcome = site.page("/en/articles/welcome/");
    assert!(
        welcome.contains(r#"<a href="/en/articles/calls/holding-a-call/#coming-back">"#),
        "{welcome}"
    );
    assert!(welcome.contains(r#"<a href="/en/checklists/call-basics/">Call basics</a>"#));
    let pl = site.page("/pl/articles/calls/zawieszanie-rozmowy/");
    assert!(pl.contains(r#"<a href="/pl/skills/active-listening/">Aktywne słuchanie</a>"#));
    let he_topic = site.page("/he/topics/calls/");
    assert!(he_topic.contains(r#"href="/en/articles/calls/holding-a-call/" hreflang="en""#));
    assert!(site.exists("public/robots.txt"));

    // Drafts come with --drafts; a base_url path goes before every link.
    let r = site.run(&["build", "--drafts", "--base-url", "https://example.org/kb"]);
    assert!(r.ok(), "{}", r.stderr);
    assert!(site.exists("public/en/articles/calls/first-words/index.html"));
    assert!(site.page("/en/").contains(r#"href="/kb/en/skills/""#));
}

#[test]
fn content_format_error_examples_give_the_messages_shown() {
    let doc = blocks(&read("docs/content-format.md"));
    let mut checked = 0;
    for (i, b) in doc.iter().enumerate() {
        let Some(path) = b.attr("broken") else {
            continue;
        };
        let expected = doc
            .get(i + 1)
            .filter(|n| n.has_word("stderr"))
            .unwrap_or_else(|| {
                panic!(
                    "line {}: a broken example needs a `text stderr` block after it",
                    b.line
                )
            });
        let site = example_site(&doc);
        site.write(path, &b.body);
        let r = site.build();
        assert!(
            !r.ok(),
            "line {}: {path} builds, but the doc says it fails",
            b.line
        );
        let got: BTreeSet<&str> = r.stderr.lines().collect();
        for want in expected.body.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                got.contains(want),
                "line {}: the doc shows\n  {want}\nbut the build said:\n{}",
                expected.line,
                r.stderr
            );
        }
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} error examples");
}

/// The keys of a table in `section` of a doc: the first backticked word of
/// each row's first cell, before any `.`.
fn table_keys(md: &str, section: &str) -> BTreeSet<String> {
    let start = md
        .find(&format!("\n{section}\n"))
        .unwrap_or_else(|| panic!("no {section}"));
    let rest = &md[start + section.len() + 2..];
    let mut keys = BTreeSet::new();
    let mut in_table = false;
    let mut in_code = false;
    for line in rest.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if in_code {
            continue;
        } else if line.starts_with("## ") {
            break;
        } else if line.starts_with("| key |") {
            in_table = true;
        } else if in_table && line.starts_with("| `") {
            let key = line[3..].split('`').next().unwrap();
            keys.insert(key.split('.').next().unwrap().to_string());
        } else if in_table && !line.starts_with('|') {
            break;
        }
    }
    keys
}

/// The keys servicekb accepts in a file, from its "unknown key" message.
fn allowed_keys(site: &Site, path: &str, text: &str) -> BTreeSet<String> {
    site.write(path, text);
    let r = site.build();
    let line = r
        .stderr
        .lines()
        .find(|l| l.contains("allowed keys: "))
        .unwrap_or_else(|| panic!("no list of keys for {path}:\n{}", r.stderr));
    line.split("allowed keys: ")
        .nth(1)
        .unwrap()
        .split(", ")
        .map(str::to_string)
        .collect()
}

#[test]
fn content_format_tables_list_every_key_the_code_accepts() {
    let md = read("docs/content-format.md");
    let doc = blocks(&md);
    let cases = [
        ("## site.yaml", "site.yaml", None),
        (
            "## Articles",
            "content/articles/calls/holding-a-call.en.md",
            Some("---\ntitle: x\nnot_a_key: 1\n---\n"),
        ),
        ("## Skills", "content/skills/calm-voice.yaml", None),
        ("## Checklists", "content/checklists/call-basics.yaml", None),
    ];
    for (section, path, text) in cases {
        let site = example_site(&doc);
        let text = match text {
            Some(t) => t.to_string(),
            None => format!("not_a_key: 1\n{}", site.read(path)),
        };
        let code = allowed_keys(&site, path, &text);
        let documented = table_keys(&md, section);
        assert_eq!(
            documented, code,
            "{section}: the table's keys and the keys servicekb accepts differ"
        );
    }
}

/// `servicekb <subcommand> --help`, cached.
fn help(sub: &str, cache: &mut BTreeMap<String, String>) -> String {
    cache
        .entry(sub.to_string())
        .or_insert_with(|| {
            let mut args: Vec<&str> = sub.split_whitespace().collect();
            args.push("--help");
            let o = Command::new(bin()).args(&args).output().unwrap();
            assert!(o.status.success(), "servicekb {sub} --help fails");
            String::from_utf8_lossy(&o.stdout).into_owned()
        })
        .clone()
}

/// The shell commands in `script` that run `program`, as words (quotes
/// dropped, `;`, `&&`, `||` and `|` split commands).
fn commands_of(script: &str, program: &str) -> Vec<Vec<String>> {
    let joined = script.replace("\\\n", " ");
    let mut out = Vec::new();
    for line in joined.lines() {
        let line = line.split(" #").next().unwrap();
        for part in line.split([';', '|', '&']) {
            let words: Vec<String> = part
                .split_whitespace()
                .map(|w| w.trim_matches(['"', '\'']).to_string())
                .collect();
            if words.first().map(String::as_str) == Some(program) {
                out.push(words);
            }
        }
    }
    out
}

/// Checks a `servicekb ...` command against the binary's own help.
fn check_servicekb_command(words: &[String], whence: &str, cache: &mut BTreeMap<String, String>) {
    let top = help("", cache);
    let sub = words
        .get(1)
        .unwrap_or_else(|| panic!("{whence}: servicekb without a command"));
    assert!(
        top.lines()
            .any(|l| l.trim_start().starts_with(&format!("{sub} "))),
        "{whence}: `servicekb {sub}` is not a servicekb command"
    );
    // `i18n export` and the like: a nested subcommand.
    let mut name = sub.clone();
    if let Some(next) = words.get(2).filter(|w| !w.starts_with('-')) {
        if help(&name, cache)
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("{next} ")))
        {
            name = format!("{sub} {next}");
        }
    }
    let h = help(&name, cache);
    for w in words.iter().filter(|w| w.starts_with("--")) {
        let flag = w.split('=').next().unwrap();
        assert!(
            h.contains(&format!("{flag} ")) || h.contains(&format!("{flag}\n")),
            "{whence}: `servicekb {name}` has no flag {flag}"
        );
    }
}

/// `bash -n`: the script parses.
fn assert_shell_parses(script: &str, whence: &str) {
    let o = Command::new("bash")
        .arg("-n")
        .arg("-c")
        .arg(script)
        .output();
    match o {
        Ok(o) => assert!(
            o.status.success(),
            "{whence}: the shell script does not parse:\n{script}\n{}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(_) => eprintln!("bash not found; the shell syntax of {whence} is not checked"),
    }
}

fn yaml_strings(v: &serde_yaml::Value, key: &str, out: &mut Vec<String>) {
    match v {
        serde_yaml::Value::Mapping(m) => {
            for (k, v) in m {
                if k.as_str() == Some(key) {
                    match v {
                        serde_yaml::Value::String(s) => out.push(s.clone()),
                        serde_yaml::Value::Sequence(items) => {
                            out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_string)))
                        }
                        _ => {}
                    }
                }
                yaml_strings(v, key, out);
            }
        }
        serde_yaml::Value::Sequence(items) => {
            for i in items {
                yaml_strings(i, key, out);
            }
        }
        _ => {}
    }
}

/// The subset of TOML netlify.toml uses: comments, `[tables]` and
/// `key = "basic string"` lines. Returns `table.key` → value.
fn parse_simple_toml(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut table = String::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        let at = n + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(t) = line.strip_prefix('[') {
            let t = t
                .strip_suffix(']')
                .unwrap_or_else(|| panic!("line {at}: unclosed table"));
            assert!(
                !t.is_empty()
                    && t.split('.').all(|p| !p.is_empty()
                        && p.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')),
                "line {at}: bad table name"
            );
            table = t.to_string();
            continue;
        }
        let (key, value) = line
            .split_once(" = ")
            .unwrap_or_else(|| panic!("line {at}: not `key = value`"));
        let key = key.trim();
        assert!(
            key.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
            "line {at}: bad key"
        );
        let body = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or_else(|| panic!("line {at}: the value is not one basic string"));
        let mut s = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('"') => s.push('"'),
                    Some('\\') => s.push('\\'),
                    Some('n') => s.push('\n'),
                    Some('t') => s.push('\t'),
                    other => panic!("line {at}: escape \\{other:?} is not handled here"),
                },
                '"' => panic!("line {at}: an unescaped quote inside a string"),
                c => s.push(c),
            }
        }
        let full = format!("{table}.{key}");
        assert!(
            out.insert(full.clone(), s).is_none(),
            "line {at}: {full} is set twice"
        );
    }
    out
}

/// Checks one CI script: its shell parses, servicekb is installed with a
/// locked `cargo install --git`, and it builds with `--base-url` into the
/// default output.
fn check_ci_scripts(file: &str, scripts: &[String], cache: &mut BTreeMap<String, String>) {
    assert!(!scripts.is_empty(), "{file}: no scripts found");
    let mut builds = 0;
    let mut installs = 0;
    for s in scripts {
        assert_shell_parses(s, file);
        for words in commands_of(s, "servicekb") {
            check_servicekb_command(&words, file, cache);
            if words[1] == "build" {
                builds += 1;
                assert!(
                    words.iter().any(|w| w == "--base-url"),
                    "{file}: build without --base-url"
                );
                assert!(
                    !words.iter().any(|w| w == "--output"),
                    "{file}: the publish folder is public/"
                );
            }
        }
        for words in commands_of(s, "cargo") {
            if words.get(1).map(String::as_str) == Some("install") {
                installs += 1;
                for w in ["--locked", "--git", "servicekb"] {
                    assert!(
                        words.iter().any(|x| x == w),
                        "{file}: cargo install without {w}"
                    );
                }
            }
        }
    }
    assert_eq!(
        (builds, installs),
        (1, 1),
        "{file}: one install and one build expected"
    );
}

#[test]
fn deploy_files_are_valid_and_run_real_commands() {
    let mut cache = BTreeMap::new();
    let dir = repo().join("docs/deploy");
    let deploy_md = read("docs/deploy.md");
    let mut seen = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            deploy_md.contains(&format!("deploy/{name}")),
            "docs/deploy.md does not mention {name}"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        if name.ends_with(".yml") {
            let v: serde_yaml::Value = serde_yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("{name} is not valid YAML: {e}"));
            let mut scripts = Vec::new();
            yaml_strings(&v, "run", &mut scripts);
            yaml_strings(&v, "script", &mut scripts);
            check_ci_scripts(&name, &scripts, &mut cache);
            let mut published = Vec::new();
            yaml_strings(&v, "path", &mut published);
            yaml_strings(&v, "paths", &mut published);
            if name == "s3.yml" {
                assert!(
                    scripts.iter().any(|s| s.contains("aws s3 sync public/")),
                    "{name}"
                );
            } else {
                assert_eq!(published, ["public"], "{name} must publish public/");
            }
            if name == "gitlab-ci.yml" {
                assert!(
                    v.get("pages").is_some(),
                    "GitLab publishes the job named `pages`"
                );
            } else {
                assert!(
                    v.get("jobs").is_some(),
                    "{name}: a GitHub workflow has jobs"
                );
            }
        } else if name.ends_with(".toml") {
            let t = parse_simple_toml(&text);
            assert_eq!(
                t.get("build.publish").map(String::as_str),
                Some("public"),
                "{name}"
            );
            let command = t
                .get("build.command")
                .unwrap_or_else(|| panic!("{name}: no build.command"));
            check_ci_scripts(&name, std::slice::from_ref(command), &mut cache);
        } else {
            panic!("unexpected file docs/deploy/{name}");
        }
        seen += 1;
    }
    assert_eq!(seen, 4, "GitHub Pages, GitLab Pages, Netlify and a bucket");
}

#[test]
fn servicekb_commands_in_the_docs_are_real() {
    let mut cache = BTreeMap::new();
    let mut checked = 0;
    for page in doc_pages() {
        for b in blocks(&read(&page)) {
            if !matches!(b.info.split_whitespace().next(), Some("sh" | "console")) {
                continue;
            }
            for words in commands_of(&b.body, "servicekb") {
                let whence = format!("{page}:{}", b.line);
                // `<DIR>`-style placeholders stand for values, not flags.
                check_servicekb_command(&words, &whence, &mut cache);
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "only {checked} commands found");
}

/// GitHub's anchor for a heading: lower case, letters, digits, `-` and `_`
/// kept, spaces turned into `-`, the rest dropped.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors_of(md: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut in_code = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            out.insert(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

#[test]
fn links_between_docs_lead_somewhere() {
    let mut checked = 0;
    for page in doc_pages() {
        let md = read(&page);
        let dir = Path::new(&page).parent().unwrap().to_path_buf();
        let mut in_code = false;
        for (n, line) in md.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            }
            if in_code {
                continue;
            }
            // Inline code (`[text](skill:x)`) is not a link.
            let prose: String = line.split('`').step_by(2).collect();
            for (i, _) in prose.match_indices("](") {
                let target = prose[i + 2..].split(')').next().unwrap();
                if target.contains("://") || target.starts_with("mailto:") || target.is_empty() {
                    continue;
                }
                let (file, frag) = match target.split_once('#') {
                    Some((f, a)) => (f, Some(a)),
                    None => (target, None),
                };
                let whence = format!("{page}:{}", n + 1);
                let path = if file.is_empty() {
                    PathBuf::from(&page)
                } else {
                    dir.join(file)
                };
                let full = repo().join(&path);
                assert!(full.exists(), "{whence}: {target} leads nowhere");
                if let Some(a) = frag {
                    let text = std::fs::read_to_string(&full).unwrap();
                    assert!(
                        anchors_of(&text).contains(a),
                        "{whence}: {} has no heading #{a}",
                        path.display()
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} links found");
}

/// The crate names of the dependency tables of Cargo.toml (`[dependencies]`,
/// `[dev-dependencies]`, target-specific ones).
fn cargo_dependencies() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut in_deps = false;
    for line in read("Cargo.toml").lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line.ends_with("dependencies]");
        } else if in_deps && !line.is_empty() && !line.starts_with('#') {
            out.insert(line.split([' ', '=']).next().unwrap().to_string());
        }
    }
    out
}

#[test]
fn architecture_says_why_each_dependency_is_there() {
    let md = read("docs/architecture.md");
    let section = &md[md
        .find("\n## Dependencies\n")
        .expect("a Dependencies section")..];
    let listed: BTreeSet<String> = section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .flat_map(|l| {
            let first = l[1..].split(" |").next().unwrap();
            first
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    let deps = cargo_dependencies();
    assert!(deps.len() > 20, "{deps:?}");
    let missing: Vec<_> = deps.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "docs/architecture.md does not say why these are dependencies: {missing:?}"
    );
    let gone: Vec<_> = listed.difference(&deps).collect();
    assert!(
        gone.is_empty(),
        "docs/architecture.md lists crates Cargo.toml does not have: {gone:?}"
    );
}

#[test]
fn templates_doc_names_every_template_of_the_theme() {
    let md = read("docs/templates.md");
    for e in std::fs::read_dir(repo().join("themes/default/templates")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            md.contains(&format!("| `{name}` |")),
            "docs/templates.md has no row for {name}"
        );
    }
}
