//! Generates a multilingual knowledge base in servicekb's format, for
//! benchmarks: N articles × the languages, ~920 words each, with skills,
//! checklists, links and headings; deterministic from a seed.
//!
//!     cargo run --release --example gen_corpus -- OUT_DIR [ARTICLES] [SEED] [--realistic]
//!
//! ARTICLES is per language (default 2500: 10,000 pages in en/he/lt/pl).
//! The plain corpus draws on about fifty words per language with little
//! markup; `--realistic` writes text closer to real writing: 12,000 word
//! forms per language drawn by Zipf's law, diacritics at the rates of real
//! text, tables in 30 % of articles, footnotes in 25 %, task and numbered
//! lists, quotes, emphasis, strikethrough, inline code, 3–8 article links
//! and 1–2 skill links per article, and 10 % of translations out of date.

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
    let mut args: Vec<String> = std::env::args().collect();
    let realistic = args.iter().any(|a| a == "--realistic");
    args.retain(|a| a != "--realistic");
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

    if realistic {
        realistic_articles(out, n, &mut r);
        println!(
            "generated {} articles × {} languages (realistic text) in {}",
            n,
            LANGS.len(),
            out.display()
        );
        return;
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

// The realistic corpus: a Zipf-distributed vocabulary of 12,000 word forms
// per language (function words first, then forms built from each
// language's syllables, with its diacritics at the rates of real text) and
// the markup of real articles: tables, footnotes, task and numbered lists,
// quotes, emphasis, strikethrough, inline code, links.

const FORMS: usize = 12_000;

struct Lang {
    function: &'static [&'static str],
    onsets: &'static [&'static str],
    nuclei: &'static [&'static str],
    endings: &'static [&'static str],
}

const EN_L: Lang = Lang {
    function: &[
        "the", "a", "to", "and", "of", "in", "is", "that", "it", "for", "you", "with", "on", "as",
        "be", "at", "this", "they", "not", "or", "by", "from", "what", "when", "can", "their",
        "an", "if", "but", "so", "one", "about", "more", "who", "agent", "customer", "call",
        "team",
    ],
    onsets: &[
        "", "b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "w", "st", "pr", "tr",
        "cl", "gr", "sh", "ch", "th", "br",
    ],
    nuclei: &["a", "e", "i", "o", "u", "ea", "ou", "ai", "ee", "oo"],
    endings: &[
        "", "s", "ed", "ing", "er", "ly", "tion", "ment", "ness", "able", "ive", "ful",
    ],
};
const HE_L: Lang = Lang {
    function: &[
        "של", "את", "על", "לא", "זה", "עם", "כל", "הוא", "היא", "גם", "אם", "מה", "או", "כי", "יש",
        "אבל", "רק", "כך", "אחד", "הם", "לכם", "שלא", "אחרי", "לפני", "נציג", "לקוח", "שיחה",
        "צוות",
    ],
    onsets: &[
        "ב", "ג", "ד", "ה", "ו", "ז", "ח", "ט", "י", "כ", "ל", "מ", "נ", "ס", "ע", "פ", "צ", "ק",
        "ר", "ש", "ת", "א",
    ],
    nuclei: &["", "ו", "י", ""],
    endings: &[
        "", "ים", "ות", "ה", "ת", "ך", "ם", "ן", "ף", "ץ", "נו", "כם",
    ],
};
const LT_L: Lang = Lang {
    function: &[
        "ir",
        "į",
        "kad",
        "su",
        "ne",
        "tai",
        "yra",
        "bet",
        "kaip",
        "jei",
        "ar",
        "iš",
        "o",
        "po",
        "per",
        "kai",
        "jis",
        "ji",
        "jų",
        "tik",
        "dar",
        "taip",
        "kuris",
        "prie",
        "konsultantas",
        "klientas",
        "pokalbis",
        "komanda",
    ],
    onsets: &[
        "", "b", "č", "d", "dž", "g", "j", "k", "l", "m", "n", "p", "r", "s", "š", "t", "v", "ž",
        "kr", "pr", "st", "tr", "gr", "sk", "šv", "žm",
    ],
    nuclei: &[
        "a", "e", "i", "o", "u", "y", "ą", "ę", "ė", "į", "ų", "ū", "ie", "uo", "ai", "ei",
    ],
    endings: &[
        "as", "is", "ys", "ius", "ė", "ai", "ams", "ų", "uose", "ėje", "imas", "umas", "ystė",
        "iškas", "ąją", "ųjų", "ėti", "yti", "auti", "šis", "čių", "žį",
    ],
};
const PL_L: Lang = Lang {
    function: &[
        "w",
        "i",
        "na",
        "z",
        "się",
        "nie",
        "do",
        "to",
        "że",
        "jest",
        "o",
        "jak",
        "ale",
        "po",
        "co",
        "tak",
        "za",
        "od",
        "czy",
        "by",
        "ten",
        "który",
        "przez",
        "już",
        "konsultant",
        "klient",
        "rozmowa",
        "zespół",
    ],
    onsets: &[
        "", "b", "c", "ch", "cz", "d", "dz", "f", "g", "h", "j", "k", "l", "ł", "m", "n", "p", "r",
        "rz", "s", "sz", "ś", "t", "w", "z", "ż", "ź", "st", "pr", "tr", "kr", "gł", "pł", "zw",
        "sp", "ść",
    ],
    nuclei: &[
        "a", "e", "i", "o", "u", "y", "ą", "ę", "ó", "ie", "ia", "io",
    ],
    endings: &[
        "", "ość", "anie", "enie", "ami", "ach", "owi", "ego", "emu", "ą", "ę", "ych", "ym", "ów",
        "ski", "cja", "ać", "ić", "łem", "ła", "ń",
    ],
};

/// 12,000 distinct forms, most frequent first, and the cumulative Zipf
/// weights to draw them by.
struct Vocab {
    forms: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocab {
    fn new(l: &Lang, r: &mut Rng) -> Vocab {
        let mut seen = std::collections::HashSet::new();
        let mut forms: Vec<String> = Vec::with_capacity(FORMS);
        for f in l.function {
            if seen.insert(f.to_string()) {
                forms.push(f.to_string());
            }
        }
        while forms.len() < FORMS {
            let mut w = String::new();
            for _ in 0..1 + r.below(3) {
                w.push_str(r.pick(l.onsets));
                w.push_str(r.pick(l.nuclei));
            }
            w.push_str(r.pick(l.endings));
            if w.chars().count() >= 2 && seen.insert(w.clone()) {
                forms.push(w);
            }
        }
        let mut total = 0.0;
        let cumulative = (0..forms.len())
            .map(|rank| {
                total += 1.0 / (rank as f64 + 2.7);
                total
            })
            .collect();
        Vocab { forms, cumulative }
    }

    fn word(&self, r: &mut Rng) -> &str {
        let total = *self.cumulative.last().unwrap();
        let x = (r.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let i = self.cumulative.partition_point(|&c| c < x);
        &self.forms[i.min(self.forms.len() - 1)]
    }

    /// `lo` to `lo + spread - 1` words.
    fn some_words(&self, r: &mut Rng, lo: usize, spread: usize) -> String {
        let n = lo + r.below(spread);
        self.words(r, n)
    }

    fn words(&self, r: &mut Rng, n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.word(r));
        }
        s
    }

    /// A sentence with some inline markup, now and then a link.
    fn sentence(&self, r: &mut Rng, links: &mut Vec<String>) -> String {
        let n = 6 + r.below(14);
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            let w = self.word(r);
            match r.below(60) {
                0 => {
                    let _ = write!(s, "*{w}*");
                }
                1 => {
                    let _ = write!(s, "**{w}**");
                }
                2 => {
                    let _ = write!(s, "~~{w}~~");
                }
                3 => {
                    let _ = write!(s, "`{w}_{}`", r.below(100));
                }
                4 if !links.is_empty() => {
                    let target = links.pop().unwrap();
                    let _ = write!(s, "[{w} {}]({target})", self.word(r));
                }
                _ => s.push_str(w),
            }
        }
        let mut c = s.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str() + ".",
            None => s,
        }
    }
}

/// One article body of about 900 words: six sections with headings that
/// carry ids, paragraphs, and (drawn per article, the same in every
/// language) lists, a quote, a table, footnotes and links.
fn realistic_body(v: &Vocab, r: &mut Rng, shape: &Shape, links: &[String]) -> String {
    let mut links: Vec<String> = links.to_vec();
    let mut b = String::new();
    for sec in 0..6 {
        let _ = writeln!(b, "## {} {{#section-{sec}}}\n", v.some_words(r, 2, 3));
        for p in 0..2 {
            for _ in 0..4 + r.below(3) {
                b.push_str(&v.sentence(r, &mut links));
                b.push(' ');
            }
            if shape.footnotes && sec == 1 && p == 0 {
                b.push_str("[^1]");
            }
            b.push_str("\n\n");
        }
        match (sec, shape.list) {
            (2, 0) => {
                for _ in 0..4 {
                    let _ = writeln!(b, "- {}", v.sentence(r, &mut links));
                }
            }
            (2, 1) => {
                for i in 1..=4 {
                    let _ = writeln!(b, "{i}. {}", v.sentence(r, &mut links));
                }
            }
            (2, _) => {
                for i in 0..4 {
                    let mark = if i % 2 == 0 { "x" } else { " " };
                    let _ = writeln!(b, "- [{mark}] {}", v.words(r, 5));
                }
            }
            _ => {}
        }
        if sec == 2 {
            b.push('\n');
        }
        if sec == 3 && shape.quote {
            let _ = writeln!(b, "> {}\n", v.sentence(r, &mut links));
        }
        if sec == 4 && shape.table {
            let cols = 3 + r.below(2);
            let head: Vec<String> = (0..cols).map(|_| v.words(r, 2)).collect();
            let _ = writeln!(b, "| {} |", head.join(" | "));
            let _ = writeln!(b, "|{}", " --- |".repeat(cols));
            for _ in 0..4 + r.below(5) {
                let row: Vec<String> = (0..cols).map(|_| v.some_words(r, 1, 4)).collect();
                let _ = writeln!(b, "| {} |", row.join(" | "));
            }
            b.push('\n');
        }
    }
    for l in links {
        let _ = writeln!(b, "{}: [{}]({l})", v.word(r), v.word(r));
    }
    if shape.footnotes {
        let _ = writeln!(b, "\n[^1]: {}", v.sentence(r, &mut Vec::new()));
    }
    b
}

/// What an article holds beyond paragraphs: the same in every language.
struct Shape {
    table: bool,
    footnotes: bool,
    quote: bool,
    list: usize,
}

fn realistic_articles(out: &Path, n: usize, r: &mut Rng) {
    let vocabs: Vec<Vocab> = [&EN_L, &HE_L, &LT_L, &PL_L]
        .iter()
        .map(|l| Vocab::new(l, r))
        .collect();
    for a in 0..n {
        let topic = TOPICS[a % TOPICS.len()];
        let skills: Vec<String> = (0..3)
            .map(|_| format!("skill-{}", r.below(SKILLS)))
            .collect();
        let shape = Shape {
            table: r.below(100) < 30,
            footnotes: r.below(100) < 25,
            quote: r.below(100) < 40,
            list: r.below(3),
        };
        let mut links: Vec<String> = (0..3 + r.below(6))
            .map(|k| {
                let t = r.below(n);
                let anchor = if k % 2 == 0 { "#section-1" } else { "" };
                format!(
                    "@/articles/{}/article-{t}.md{anchor}",
                    TOPICS[t % TOPICS.len()]
                )
            })
            .collect();
        for _ in 0..1 + r.below(2) {
            links.push(format!("skill:skill-{}", r.below(SKILLS)));
        }
        let stale = r.below(100) < 10;
        let mut en_hash = String::new();
        for (li, ((code, _, _), v)) in LANGS.iter().zip(&vocabs).enumerate() {
            let body = realistic_body(v, r, &shape, &links);
            let mut fm = format!(
                "---\ntitle: \"{} {a}\"\ndescription: \"{}\"\ndate: 2026-{:02}-{:02}\nskills: [{}]\n",
                v.some_words(r, 3, 4),
                v.some_words(r, 12, 10),
                1 + a % 12,
                1 + a % 28,
                skills.join(", ")
            );
            if li == 0 {
                en_hash = servicekb::hash::source_hash(&body);
            } else {
                let hash = if stale { "0badc0de" } else { en_hash.as_str() };
                let _ = writeln!(fm, "translation:\n  source: en\n  source_hash: \"{hash}\"");
            }
            fm.push_str("---\n\n");
            write(
                &out.join(format!("content/articles/{topic}/article-{a}.{code}.md")),
                &(fm + &body),
            );
        }
    }
}
