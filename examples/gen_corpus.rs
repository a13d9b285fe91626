//! Generates a multilingual knowledge base in servicekb's format, for
//! benchmarks: N articles × the languages, ~920 words each, with skills,
//! checklists, links and headings; deterministic from a seed.
//!
//!     cargo run --release --example gen_corpus -- OUT_DIR [ARTICLES] [SEED]
//!
//! ARTICLES is per language (default 2500: 10,000 pages in en/he/lt/pl).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const EN: &[&str] = &[
    "the",
    "agent",
    "customer",
    "call",
    "listens",
    "patience",
    "empathy",
    "problem",
    "solution",
    "team",
    "manager",
    "explains",
    "carefully",
    "before",
    "after",
    "question",
    "answer",
    "service",
    "quality",
    "skill",
    "feeling",
    "calm",
    "voice",
    "clear",
    "promise",
    "follow",
    "trust",
    "time",
    "queue",
    "ticket",
    "coaching",
    "feedback",
    "every",
    "with",
    "without",
    "because",
    "when",
    "often",
    "rarely",
    "shows",
    "notes",
    "details",
    "asks",
    "open",
    "honest",
    "repeat",
    "summary",
    "next",
    "step",
];
const HE: &[&str] = &[
    "הנציג",
    "הלקוח",
    "שיחה",
    "מקשיב",
    "סבלנות",
    "אמפתיה",
    "בעיה",
    "פתרון",
    "צוות",
    "מנהל",
    "מסביר",
    "בזהירות",
    "לפני",
    "אחרי",
    "שאלה",
    "תשובה",
    "שירות",
    "איכות",
    "מיומנות",
    "תחושה",
    "רגוע",
    "קול",
    "ברור",
    "הבטחה",
    "אמון",
    "זמן",
    "תור",
    "פנייה",
    "אימון",
    "משוב",
    "כל",
    "עם",
    "בלי",
    "כי",
    "כאשר",
    "לעיתים",
    "מראה",
    "פרטים",
    "שואל",
    "פתוח",
    "כן",
    "סיכום",
    "הבא",
    "צעד",
    "מוקד",
    "לקוחות",
    "שיחות",
    "נציגים",
    "מתסכל",
];
const LT: &[&str] = &[
    "konsultantas",
    "klientas",
    "pokalbis",
    "klauso",
    "kantrybė",
    "empatija",
    "problema",
    "sprendimas",
    "komanda",
    "vadovas",
    "paaiškina",
    "atidžiai",
    "prieš",
    "po",
    "klausimas",
    "atsakymas",
    "aptarnavimas",
    "kokybė",
    "įgūdis",
    "jausmas",
    "ramus",
    "balsas",
    "aiškus",
    "pažadas",
    "pasitikėjimas",
    "laikas",
    "eilė",
    "užklausa",
    "ugdymas",
    "grįžtamasis",
    "ryšys",
    "kiekvienas",
    "su",
    "be",
    "nes",
    "kai",
    "dažnai",
    "retai",
    "rodo",
    "užrašo",
    "detales",
    "klausia",
    "atviras",
    "sąžiningas",
    "šviesa",
    "santrauka",
    "kitas",
    "žingsnis",
    "žmonės",
];
const PL: &[&str] = &[
    "konsultant",
    "klient",
    "rozmowa",
    "słucha",
    "cierpliwość",
    "empatia",
    "problem",
    "rozwiązanie",
    "zespół",
    "kierownik",
    "wyjaśnia",
    "uważnie",
    "przed",
    "po",
    "pytanie",
    "odpowiedź",
    "obsługa",
    "jakość",
    "umiejętność",
    "uczucie",
    "spokojny",
    "głos",
    "jasny",
    "obietnica",
    "zaufanie",
    "czas",
    "kolejka",
    "zgłoszenie",
    "szkolenie",
    "informacja",
    "zwrotna",
    "każdy",
    "z",
    "bez",
    "ponieważ",
    "kiedy",
    "często",
    "rzadko",
    "pokazuje",
    "notuje",
    "szczegóły",
    "pyta",
    "otwarte",
    "szczery",
    "źródła",
    "podsumowanie",
    "następny",
    "krok",
    "żółw",
];

const LANGS: &[(&str, &str, &[&str])] = &[
    ("en", "English", EN),
    ("he", "עברית", HE),
    ("lt", "Lietuvių", LT),
    ("pl", "Polski", PL),
];
const TOPICS: &[&str] = &["skills", "hiring", "retention", "wellbeing", "coaching"];
const SKILLS: usize = 30;

fn sentence(r: &mut Rng, words: &[&str], n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(r.pick(words));
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str() + ".",
        None => s,
    }
}

fn write(p: &Path, text: &str) {
    if let Some(d) = p.parent() {
        fs::create_dir_all(d).unwrap();
    }
    fs::write(p, text).unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = Path::new(args.get(1).map(String::as_str).unwrap_or("corpus"));
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2500);
    let seed: u64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(42);
    let mut r = Rng(seed | 1);
    let _ = fs::remove_dir_all(out);

    let mut site = String::from("title:\n  en: Generated Knowledge Base\n  he: מאגר ידע\n  lt: Žinių bazė\n  pl: Baza wiedzy\nbase_url: https://bench.example.org\ndefault_language: en\nlanguages:\n");
    for (code, name, _) in LANGS {
        let dir = if *code == "he" {
            ", direction: rtl"
        } else {
            ""
        };
        let _ = writeln!(site, "  - {{ code: {code}, name: {name}{dir} }}");
    }
    site.push_str("topics:\n");
    for t in TOPICS {
        let _ = writeln!(site, "  {t}: {{ en: {t}, he: {t}, lt: {t}, pl: {t} }}");
    }
    write(&out.join("site.yaml"), &site);

    for s in 0..SKILLS {
        let mut y = format!("category: cat-{}\nname:\n", s % 3);
        for (code, _, words) in LANGS {
            let _ = writeln!(y, "  {code}: {} {s}", r.pick(words));
        }
        for field in ["summary", "why", "development"] {
            let _ = writeln!(y, "{field}:");
            for (code, _, words) in LANGS {
                let _ = writeln!(y, "  {code}: {}", sentence(&mut r, words, 12));
            }
        }
        y.push_str("indicators:\n");
        for i in 0..4 {
            let _ = writeln!(y, "  - id: indicator-{i}\n    text:");
            for (code, _, words) in LANGS {
                let _ = writeln!(y, "      {code}: {}", sentence(&mut r, words, 8));
            }
        }
        y.push_str("interview_questions:\n  - text:\n");
        for (code, _, words) in LANGS {
            let _ = writeln!(y, "      {code}: {}", sentence(&mut r, words, 9));
        }
        let _ = writeln!(
            y,
            "related: [skill-{}, skill-{}]",
            (s + 1) % SKILLS,
            (s + 7) % SKILLS
        );
        write(&out.join(format!("content/skills/skill-{s}.yaml")), &y);
    }
    for c in 0..4 {
        let mut y = String::from("title:\n");
        for (code, _, words) in LANGS {
            let _ = writeln!(y, "  {code}: {} {c}", r.pick(words));
        }
        y.push_str("audience: manager\nscale:\n  min: 1\n  max: 5\n  labels:\n");
        for (code, _, words) in LANGS {
            let labels: Vec<&str> = (0..5).map(|_| r.pick(words)).collect();
            let _ = writeln!(y, "    {code}: [{}]", labels.join(", "));
        }
        let skills: Vec<String> = (0..6)
            .map(|k| format!("skill-{}", (c * 6 + k) % SKILLS))
            .collect();
        let _ = writeln!(y, "skills: [{}]", skills.join(", "));
        write(
            &out.join(format!("content/checklists/checklist-{c}.yaml")),
            &y,
        );
    }

    // Body hashes of the English sources, for the translations' front matter.
    for a in 0..n {
        let topic = TOPICS[a % TOPICS.len()];
        let skills: Vec<String> = (0..3)
            .map(|_| format!("skill-{}", r.below(SKILLS)))
            .collect();
        let links: Vec<usize> = (0..3).map(|_| r.below(n)).collect();
        let mut en_body = String::new();
        for (li, (code, _, words)) in LANGS.iter().enumerate() {
            let mut body = String::new();
            for sec in 0..6 {
                let _ = writeln!(
                    body,
                    "## {} {sec} {{#section-{sec}}}\n",
                    sentence(&mut r, words, 3).trim_end_matches('.')
                );
                for _ in 0..2 {
                    for _ in 0..6 {
                        body.push_str(&sentence(&mut r, words, 12));
                        body.push(' ');
                    }
                    body.push_str("\n\n");
                }
                if sec == 2 {
                    let t = links[sec % 3];
                    let _ = writeln!(
                        body,
                        "- [{}](@/articles/{}/article-{t}.md#section-1)\n- [](skill:{})\n- **{}** and *{}*\n",
                        r.pick(words),
                        TOPICS[t % TOPICS.len()],
                        skills[0],
                        r.pick(words),
                        r.pick(words)
                    );
                }
            }
            let mut fm = format!(
                "---\ntitle: {} {a}\ndescription: {}\ndate: 2026-{:02}-{:02}\nskills: [{}]\n",
                sentence(&mut r, words, 4).trim_end_matches('.'),
                sentence(&mut r, words, 14),
                1 + a % 12,
                1 + a % 28,
                skills.join(", ")
            );
            if li == 0 {
                en_body = body.clone();
            } else {
                let _ = writeln!(
                    fm,
                    "translation:\n  source: en\n  source_hash: \"{}\"",
                    servicekb::hash::source_hash(&en_body)
                );
            }
            fm.push_str("---\n\n");
            write(
                &out.join(format!("content/articles/{topic}/article-{a}.{code}.md")),
                &(fm + &body),
            );
        }
    }
    println!(
        "generated {} articles × {} languages in {}",
        n,
        LANGS.len(),
        out.display()
    );
}
