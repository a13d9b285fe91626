//! `servicekb init <DIR>`: a small working site whose comments teach the format.

use crate::hash::source_hash;
use std::fs;
use std::path::Path;

const SITE: &str = r#"# site.yaml: the settings of this knowledge base. Unknown keys are errors,
# so a typo never passes silently.

# The site title, per language (a plain string means "all languages").
title:
  en: Our Service Knowledge Base
  he: מאגר הידע שלנו לשירות
# Absolute URL the site is published at; used in the sitemap, feeds and canonical links.
base_url: https://kb.example.org
# The language every page falls back to when a translation is missing.
default_language: en
languages:
  - { code: en, name: English }
  - { code: he, name: עברית, direction: rtl }   # direction defaults to ltr
theme: default
# Localized names of the folders under content/articles/ (the topics).
topics:
  skills: { en: Agent skills, he: מיומנויות נציגים }
# Localized names of the skill categories (the `category:` of each skill).
categories:
  interpersonal: { en: Working with people, he: עבודה עם אנשים }
"#;

const SKILL: &str = r#"# content/skills/<id>.yaml: one skill, every language in one file.
# The id is the file name (lower-case letters, digits and -).
category: interpersonal
name: { en: Empathy, he: אמפתיה }
summary:
  en: Understanding how the customer feels and showing it.
  he: להבין מה הלקוח מרגיש ולהראות זאת.
# Why it matters (Markdown).
why:
  en: |
    A caller who feels understood calms down sooner and trusts the solution.
  he: |
    פונה שמרגיש שמבינים אותו נרגע מהר יותר וסומך על הפתרון.
# Observable behaviours: they become the items of checklists that list this skill.
indicators:
  - id: names-feelings          # stable and unique within the skill
    text:
      en: Names the customer's feeling before moving on to the facts.
      he: נותן שם לתחושה של הלקוח לפני שהוא עובר לעובדות.
  - id: avoids-blame
    text:
      en: Does not blame the customer or colleagues.
      he: אינו מאשים את הלקוח או עמיתים.
interview_questions:
  - text:
      en: Tell us about a customer whose frustration you understood before they said it.
      he: ספרו על לקוח שהבנתם את התסכול שלו עוד לפני שאמר אותו.
# How to develop it (Markdown). A missing language falls back to the default one.
development:
  en: |
    Listen to recorded calls together and note the moments the customer's tone changed.
  he: |
    האזינו יחד לשיחות מוקלטות וסמנו את הרגעים שבהם הטון של הלקוח השתנה.
related: []                      # ids of other skills
"#;

const CHECKLIST: &str = r#"# content/checklists/<id>.yaml: a self-assessment form.
title: { en: Quick self-assessment, he: הערכה עצמית קצרה }
audience: agent                  # agent | manager | hiring | team
intro:
  en: Rate how often each statement describes your calls this week.
  he: דרגו באיזו תדירות כל משפט מתאר את השיחות שלכם השבוע.
scale:
  min: 1
  max: 3
  labels:                        # max - min + 1 labels per language
    en: [Rarely, Sometimes, Often]
    he: [לעיתים רחוקות, לפעמים, לעיתים קרובות]
# Items are the indicators of these skills, in order, plus extra_items.
skills: [empathy]
extra_items:
  - id: thanks-the-customer
    skill: empathy               # must be one of the skills above
    text:
      en: Thanks the customer for their patience.
      he: מודה ללקוח על הסבלנות.
"#;

const ARTICLE_EN_BODY: &str = "An empathetic agent hears the feeling behind the words. Start with the\n[](skill:empathy) page, then try the [quick self-assessment](checklist:quick-self-assessment).\n\n## Name the feeling {#name-the-feeling}\n\nSay what you hear: \"That sounds frustrating.\" Then move on to the facts.\n";

const ARTICLE_HE_BODY: &str = "נציג אמפתי שומע את התחושה שמאחורי המילים. התחילו בדף\n[](skill:empathy), ואחר כך נסו את [ההערכה העצמית הקצרה](checklist:quick-self-assessment).\n\n## לתת שם לתחושה {#name-the-feeling}\n\nאמרו מה אתם שומעים: \"זה נשמע מתסכל.\" ואז עברו לעובדות.\n";

fn write(dir: &Path, rel: &str, text: &str) -> std::io::Result<()> {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        crate::fsguard::create_dirs_no_links(dir, parent)?;
    }
    crate::fsguard::create_new_file(&p, text.as_bytes())
}

pub fn init(dir: &Path) -> u8 {
    if dir.join("site.yaml").exists() {
        eprintln!(
            "error: {}: there is already a site here (site.yaml exists); choose an empty folder",
            dir.display()
        );
        return 1;
    }
    if dir.is_file() {
        eprintln!("error: {}: this is a file, not a folder", dir.display());
        return 1;
    }
    let en = format!(
        "---\n# Front matter: title is required; see the README for every key.\ntitle: Empathy on the phone\ndescription: How to show a caller you understand how they feel.\ndate: 2026-01-15\nskills: [empathy]\n---\n\n{ARTICLE_EN_BODY}"
    );
    let he = format!(
        "---\ntitle: אמפתיה בטלפון\ndescription: איך להראות לפונה שאתם מבינים מה הוא מרגיש.\ndate: 2026-01-15\nskills: [empathy]\n# This file is a translation of the English one; servicekb i18n tells when it is out of date.\ntranslation:\n  source: en\n  source_hash: \"{}\"\n---\n\n{ARTICLE_HE_BODY}",
        source_hash(ARTICLE_EN_BODY)
    );
    let files = [
        ("site.yaml", SITE.to_string()),
        ("content/skills/empathy.yaml", SKILL.to_string()),
        (
            "content/checklists/quick-self-assessment.yaml",
            CHECKLIST.to_string(),
        ),
        ("content/articles/skills/empathy-on-the-phone.en.md", en),
        ("content/articles/skills/empathy-on-the-phone.he.md", he),
        (".gitignore", "/public\n".to_string()),
    ];
    // Nothing is written unless every file can be: init never overwrites.
    let taken: Vec<&str> = files
        .iter()
        .map(|(rel, _)| *rel)
        .filter(|rel| fs::symlink_metadata(dir.join(rel)).is_ok())
        .collect();
    if !taken.is_empty() {
        eprintln!(
            "error: {}: {} already there; init writes a new site only where none of its files exist (choose an empty folder)",
            dir.display(),
            taken.join(", ") + if taken.len() == 1 { " is" } else { " are" }
        );
        return 1;
    }
    if let Err(e) = fs::create_dir_all(dir) {
        eprintln!(
            "error: {}: cannot create the folder: {}",
            dir.display(),
            crate::diagnostics::plain_io(&e)
        );
        return 1;
    }
    for (rel, text) in &files {
        if let Err(e) = write(dir, rel, text) {
            eprintln!(
                "error: {}: cannot write: {}",
                dir.join(rel).display(),
                crate::diagnostics::plain_io(&e)
            );
            return 1;
        }
    }
    println!("created a new site in {}", dir.display());
    println!("next: servicekb serve --root {}", dir.display());
    0
}
