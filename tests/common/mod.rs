//! Helpers for integration tests: real sites in temp folders, the real binary.
#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_servicekb"))
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    pub fn ok(&self) -> bool {
        self.code == 0
    }

    pub fn assert_no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked"),
            "panicked: {}",
            self.stderr
        );
    }
}

pub fn run(args: &[&str], cwd: &Path) -> Run {
    let o = Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run servicekb");
    Run::from(o)
}

pub struct Site {
    pub dir: tempfile::TempDir,
}

pub const SITE_YAML: &str = "title:\n  en: Test KB\n  he: מאגר בדיקה\nbase_url: https://kb.example.org\ndefault_language: en\nlanguages:\n  - { code: en, name: English }\n  - { code: he, name: עברית, direction: rtl }\ntopics:\n  skills: { en: Agent skills, he: מיומנויות }\n";

pub const EMPATHY: &str = "category: interpersonal\nname: { en: Empathy, he: אמפתיה }\nsummary: { en: Feeling with the caller., he: להרגיש עם הפונה. }\nwhy:\n  en: Callers calm down.\nindicators:\n  - id: names-feelings\n    text: { en: Names the feeling., he: נותן שם לרגש. }\n  - id: avoids-blame\n    text: { en: Avoids blame., he: לא מאשים. }\ninterview_questions:\n  - text: { en: Tell us about an upset caller., he: ספרו על פונה כועס. }\ndevelopment:\n  en: Listen to **recorded** calls.\n  he: הקשיבו לשיחות **מוקלטות**.\nrelated: [patience]\n";

pub const PATIENCE: &str = "category: self-management\nname: { en: Patience, he: סבלנות }\nsummary: { en: Staying calm., he: להישאר רגועים. }\nindicators:\n  - id: keeps-pace\n    text: { en: Keeps an even pace., he: שומר על קצב אחיד. }\nrelated: [empathy]\n";

pub const CHECKLIST: &str = "title: { en: Self check, he: בדיקה עצמית }\naudience: agent\nintro: { en: Rate yourself., he: דרגו את עצמכם. }\nscale:\n  min: 1\n  max: 3\n  labels:\n    en: [Rarely, Sometimes, Often]\n    he: [לעיתים רחוקות, לפעמים, לעיתים קרובות]\nskills: [empathy, patience]\nextra_items:\n  - id: thanks-caller\n    skill: empathy\n    text: { en: Thanks the caller., he: מודה לפונה. }\n";

pub const ARTICLE_EN: &str = "---\ntitle: Empathy on the phone\ndescription: Hearing the feeling.\ndate: 2026-03-01\nskills: [empathy]\n---\n\nRead [](skill:patience) and the [check](checklist:self-check).\n\n## Name the feeling {#name-the-feeling}\n\nSay it. See [waiting](@/articles/skills/waiting.md#on-hold).\n";

pub const WAITING_EN: &str = "---\ntitle: Waiting on hold\ndate: 2026-02-01\nskills: [patience]\n---\n\nBack to [empathy](@/articles/skills/empathy.md#name-the-feeling).\n\n## On hold {#on-hold}\n\nExplain the wait.\n";

impl Site {
    pub fn empty() -> Site {
        Site {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// Two languages, two skills, a checklist, two English articles and one Hebrew translation.
    pub fn sample() -> Site {
        let s = Site::empty();
        s.write("site.yaml", SITE_YAML);
        s.write("content/skills/empathy.yaml", EMPATHY);
        s.write("content/skills/patience.yaml", PATIENCE);
        s.write("content/checklists/self-check.yaml", CHECKLIST);
        s.write("content/articles/skills/empathy.en.md", ARTICLE_EN);
        s.write("content/articles/skills/waiting.en.md", WAITING_EN);
        let body = ARTICLE_EN.splitn(3, "---\n").nth(2).unwrap();
        let hash = servicekb::hash::source_hash(body);
        s.write(
            "content/articles/skills/empathy.he.md",
            &format!("---\ntitle: אמפתיה בטלפון\ndate: 2026-03-01\nskills: [empathy]\ntranslation:\n  source: en\n  source_hash: \"{hash}\"\n---\n\nקראו על [](skill:patience) ועל [המתנה](@/articles/skills/waiting.md).\n\n## לתת שם לרגש {{#name-the-feeling}}\n\nאמרו זאת.\n"),
        );
        s
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn replace(&self, rel: &str, from: &str, to: &str) {
        let t = self.read(rel);
        assert!(t.contains(from), "{rel} has no {from:?}");
        self.write(rel, &t.replacen(from, to, 1));
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel))
            .unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.dir.path().join(rel).exists()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let mut a: Vec<&str> = args.to_vec();
        let root = self.dir.path().to_str().unwrap().to_string();
        a.push("--root");
        a.push(&root);
        let r = run(&a, self.dir.path());
        r.assert_no_panic();
        r
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn check(&self) -> Run {
        self.run(&["check"])
    }

    pub fn page(&self, url: &str) -> String {
        let rel = format!(
            "public{}{}",
            url,
            if url.ends_with('/') { "index.html" } else { "" }
        );
        self.read(&rel)
    }

    /// Every file under public/, with its bytes.
    pub fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let root = self.dir.path().join("public");
        let mut out = Vec::new();
        if root.exists() {
            for e in walkdir::WalkDir::new(&root).sort_by_file_name() {
                let e = e.unwrap();
                if e.file_type().is_file() {
                    out.push((
                        e.path()
                            .strip_prefix(&root)
                            .unwrap()
                            .to_string_lossy()
                            .into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    ));
                }
            }
        }
        out
    }
}
