//! What each template receives: one type per template context, the
//! contract with theme authors. docs/templates.md is generated from these
//! types (their doc comments are its text), and a test checks that every
//! variable a template uses is one of them.
//!
//! Field order is the order the values are written in (the pages' script
//! data is serialized from some of these), and `Option` fields that a
//! template tests with `{% if %}` are left out when empty only where they
//! always were.

use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

/// A text in the page's language, or in the language it falls back to.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Loc {
    /// The text.
    pub text: String,
    /// The language of the text, when it is not the page's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// That language's direction (`ltr` or `rtl`), when it is not the page's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dir: Option<&'static str>,
}

/// A Markdown text of a skill or checklist, rendered.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LocMd {
    #[serde(flatten)]
    pub loc: Loc,
    /// The text as HTML (print with `| safe`).
    pub html: String,
}

/// An article as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ArticleItem {
    pub title: String,
    pub url: String,
    pub description: Option<String>,
    /// `YYYY-MM-DD` (or the date as written).
    pub date: Option<String>,
    /// The article's language.
    pub lang: String,
    /// The article's language, when it is not the page's (a fallback).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hreflang: Option<String>,
    /// Its direction, when it is not the page's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dir: Option<&'static str>,
    /// Its language's name, when it is not the page's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang_name: Option<String>,
}

/// A skill as lists show it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SkillItem {
    pub id: String,
    pub name: String,
    /// Left out for a skill that failed to load.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Option<Loc>>,
    pub url: String,
}

/// A checklist as lists show it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChecklistItem {
    pub id: String,
    pub title: String,
    /// Who fills it in, in the page's language.
    pub audience: String,
    /// How many items it asks about.
    pub items: usize,
    pub url: String,
}

/// A topic (a folder of articles).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TopicItem {
    pub id: String,
    pub name: String,
    pub url: String,
    /// Its articles in the page's language (the home page only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

/// A group of skills on the skills index and the home page.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub skills: Vec<SkillItem>,
}

/// A language, as the language switcher and the 404 list them.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LanguageLink {
    pub code: String,
    pub name: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    pub url: String,
    /// Whether it is the page's language (the switcher only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<bool>,
}

/// The page's language.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Lang {
    pub code: String,
    pub name: Option<String>,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
}

/// What every page of a language receives.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Shared {
    pub lang: Lang,
    /// The site's title in this language.
    pub site_title: String,
    /// The UI strings of this language (theme's, then the site's `i18n/`).
    pub t: BTreeMap<String, String>,
    /// The base URL's path (`/kb`), or empty.
    pub base_path: String,
    /// Where the theme's and the site's static files are (`/static/`).
    pub static_url: String,
    pub home_url: String,
    pub skills_url: String,
    pub checklists_url: String,
    pub search_url: String,
    /// Only when `translation_status: true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation_status_url: Option<String>,
    pub search_index_url: String,
    /// The search script's data, JSON safe inside `<script>` (print with `| safe`).
    pub search_data: String,
    /// The language's Atom feed.
    pub feed_url: String,
    /// The topics, for the navigation.
    pub topics_nav: Vec<TopicItem>,
    /// Every language's home page.
    pub homes: Vec<LanguageLink>,
}

/// An alternate version of the page (`<link rel="alternate" hreflang>`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Alternate {
    /// A language code, or `x-default`.
    pub lang: String,
    /// The absolute URL.
    pub href: String,
}

/// Parts of the default layout every page of a language shares, written
/// out from the values above (a theme that wants them otherwise writes its
/// own markup from those values).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SharedHtml {
    /// The skip link, the site title, the header's search form and the
    /// theme button (print with `| safe`).
    pub header_html: String,
    /// The site navigation, no entry marked current (print with `| safe`).
    pub nav_html: String,
    /// The footer and the scripts every page loads (print with `| safe`).
    pub footer_html: String,
}

/// What every page receives about itself, besides its own context.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Frame {
    /// The page's absolute URL.
    pub canonical: String,
    /// The page's path with the base path.
    pub url: String,
    pub alternates: Vec<Alternate>,
    /// The page's versions in other languages, for the language switcher
    /// (an article page gives its own: only the languages it exists in).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<LanguageLink>>,
    /// `alternates` as `<link rel="alternate" hreflang>` lines (print with
    /// `| safe`).
    pub alternates_html: String,
    /// The language switcher, written out from `languages` (print with `| safe`).
    pub languages_html: String,
    /// The navigation with this page marked current, for the pages that
    /// are in it (the language's `nav_html` otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nav_html: Option<String>,
    pub page_title: String,
    pub description: Option<String>,
    /// `home`, `topic`, `article`, `skills`, `skill`, `checklists`,
    /// `checklist`, `search`, `translation-status`, `404` or `root`.
    pub kind: &'static str,
    /// Whether search engines should leave the page out (pages left out of
    /// the sitemap: the 404 and the translation status).
    pub noindex: bool,
    /// The topic the page is, for the navigation's current item.
    pub current_topic: Option<String>,
}

/// `root.html`: the site's `/`, which sends readers to their language.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct RootPage {}

/// `search.html`: the search page (its script reads `search_data`).
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct SearchPage {}

/// `404.html`: one file for every language.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NotFoundPage {
    /// Every language's message and links; the page's script shows the
    /// reader's.
    pub not_found: Vec<NotFoundLanguage>,
}

/// One language's part of the 404 page.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NotFoundLanguage {
    pub code: String,
    pub name: String,
    pub dir: &'static str,
    pub site_title: String,
    pub home_url: String,
    pub search_url: String,
    /// Its UI strings.
    pub t: NotFoundStrings,
}

/// The UI strings of one language's part of the 404 page.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NotFoundStrings {
    pub not_found_title: String,
    pub not_found_text: String,
    pub not_found_home: String,
    pub search: String,
    pub search_label: String,
    pub not_found_others: String,
}

/// `home.html`: a language's home page.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HomePage {
    pub topics: Vec<TopicItem>,
    /// The six newest articles.
    pub latest: Vec<ArticleItem>,
    pub checklists: Vec<ChecklistItem>,
    pub categories: Vec<Category>,
    pub skill_count: usize,
}

/// `topic.html`: a topic's articles.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TopicPage {
    pub topic: TopicHead,
    /// Its articles in the page's language, in order.
    pub articles: Vec<ArticleItem>,
    /// Its default-language articles not yet translated.
    pub untranslated: Vec<ArticleItem>,
}

/// The topic a topic page is about.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TopicHead {
    pub id: String,
    pub name: String,
}

/// `article.html`: an article.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ArticlePage {
    pub article: ArticleData,
    /// The languages the article exists in.
    pub languages: Vec<LanguageLink>,
}

/// An article, whole.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ArticleData {
    /// Its language-neutral key (`hiring/ten-traits`).
    pub key: String,
    pub title: String,
    pub description: Option<String>,
    pub date: Option<String>,
    /// `updated:`, else the file's last git commit when later than `date`.
    pub updated: Option<String>,
    /// "Edit this page", from site.yaml's `repository.edit_url`.
    pub edit_url: Option<String>,
    /// "Translate this page" links, for each language it lacks.
    pub translate: Vec<TranslateLink>,
    pub authors: Vec<String>,
    /// The body as HTML (print with `| safe`).
    pub content: String,
    /// Its level 2 and 3 headings, for "On this page".
    pub toc: Vec<TocEntry>,
    pub topic: Option<TopicItem>,
    /// The skills it is about.
    pub skills: Vec<SkillItem>,
    /// Articles sharing its skills.
    pub also_read: Vec<ArticleItem>,
    /// Articles linking to it.
    pub backlinks: Vec<ArticleItem>,
    /// The previous article in its topic.
    pub previous: Option<ArticleItem>,
    pub next: Option<ArticleItem>,
    /// Set on a translation whose source changed since it was made.
    pub outdated: Option<Outdated>,
    pub draft: bool,
    /// schema.org data, JSON safe inside `<script>` (print with `| safe`).
    pub json_ld: String,
}

/// A link to create a missing translation.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TranslateLink {
    pub lang: String,
    pub name: String,
    pub url: String,
}

/// A heading in "On this page".
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TocEntry {
    pub id: String,
    pub text: String,
    /// 2 or 3.
    pub level: u8,
}

/// The source of an outdated translation.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Outdated {
    pub url: String,
    pub lang: String,
    pub dir: &'static str,
    pub lang_name: Option<String>,
    /// The source's current `source_hash`.
    pub hash: String,
}

/// `skills.html`: the skills index.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SkillsPage {
    pub categories: Vec<Category>,
}

/// `skill.html`: a skill.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SkillPage {
    pub skill: SkillData,
}

/// A skill, whole.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SkillData {
    pub id: String,
    pub name: String,
    /// Its category's name.
    pub category: String,
    pub summary: Option<Loc>,
    pub why: Option<LocMd>,
    pub development: Option<LocMd>,
    pub indicators: Vec<Option<Loc>>,
    pub interview_questions: Vec<Option<Loc>>,
    pub related: Vec<SkillItem>,
    /// Checklists that ask about it.
    pub checklists: Vec<ChecklistItem>,
    /// Articles about it in the page's language.
    pub articles: Vec<ArticleItem>,
    /// Default-language articles about it not yet translated.
    pub untranslated: Vec<ArticleItem>,
}

/// `checklists.html`: the checklists index.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChecklistsPage {
    pub checklists: Vec<ChecklistItem>,
}

/// `checklist.html`: a checklist and its form.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChecklistPage {
    pub checklist: ChecklistData,
}

/// A checklist, whole.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChecklistData {
    pub id: String,
    pub title: String,
    pub audience: String,
    pub intro: Option<LocMd>,
    pub item_count: usize,
    /// The checklist script's data, JSON safe inside `<script>` (print
    /// with `| safe`). Each skill's articles in it go only as far as the
    /// script may suggest them; `checklist.skills` has them all.
    pub data: String,
    pub scale: Scale,
    pub skills: Vec<ChecklistSkill>,
}

/// A checklist's rating scale.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Scale {
    pub min: i64,
    pub max: i64,
    /// The labels' language, when they fall back to the default language.
    pub labels_lang: Option<String>,
    pub points: Vec<ScalePoint>,
}

/// One point of the scale.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScalePoint {
    pub value: i64,
    pub label: String,
}

/// A skill of a checklist, with its items.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChecklistSkill {
    #[serde(flatten)]
    pub skill: SkillItem,
    pub items: Vec<ChecklistEntry>,
    /// Its articles, the page's language first, then untranslated ones.
    pub articles: Vec<ArticleItem>,
}

/// One item of a checklist.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ChecklistEntry {
    /// The item's text (left out when it has none in any language).
    #[serde(flatten)]
    pub text: Option<Loc>,
    pub id: String,
    /// The form field's name: `<skill>/<item>`.
    pub name: String,
}

/// `translation-status.html`: what a language lacks.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TranslationStatusPage {
    pub status: Status,
}

/// A language's translation status (every field left out for a language
/// the report does not know).
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Status {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Vec<CoverageRow>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_articles: Option<Vec<MissingArticle>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outdated: Option<Vec<OutdatedArticle>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_fields: Option<Vec<MissingField>>,
    /// Keys of UI strings the language lacks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_ui: Option<Vec<String>>,
}

/// One row of the coverage table.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CoverageRow {
    pub label: Option<String>,
    pub c: Coverage,
}

/// How much of something a language has.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub struct Coverage {
    pub present: usize,
    pub total: usize,
    pub percent: f64,
}

/// An article the language lacks.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MissingArticle {
    pub title: String,
    /// Its source file.
    pub source: String,
    pub url: Option<String>,
}

/// A translation whose source changed.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OutdatedArticle {
    pub title: String,
    pub file: String,
    pub url: Option<String>,
    pub source_file: String,
    pub source_url: Option<String>,
    pub recorded_hash: String,
    pub current_hash: String,
}

/// A skill or checklist text the language lacks.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MissingField {
    /// `skill` or `checklist`.
    pub kind: String,
    pub id: String,
    pub file: String,
    pub field: String,
}

/// A page context: the template it is for.
pub trait Context: Serialize + JsonSchema {
    const TEMPLATE: &'static str;
}

macro_rules! templates {
    ($($t:ty => $name:literal,)*) => {
        $(impl Context for $t {
            const TEMPLATE: &'static str = $name;
        })*

        /// Every page template with the type of its own context.
        pub fn contracts() -> Vec<(&'static str, schemars::Schema)> {
            vec![$(($name, schemars::schema_for!($t)),)*]
        }
    };
}

templates! {
    RootPage => "root.html",
    NotFoundPage => "404.html",
    HomePage => "home.html",
    TopicPage => "topic.html",
    ArticlePage => "article.html",
    SkillsPage => "skills.html",
    SkillPage => "skill.html",
    ChecklistsPage => "checklists.html",
    ChecklistPage => "checklist.html",
    SearchPage => "search.html",
    TranslationStatusPage => "translation-status.html",
}

/// What every page receives beside its own context: the language's shared
/// values and the page's frame.
pub fn common_contracts() -> Vec<(&'static str, schemars::Schema)> {
    vec![
        (
            "every page (shared by a language)",
            schemars::schema_for!(Shared),
        ),
        (
            "every page (written-out parts)",
            schemars::schema_for!(SharedHtml),
        ),
        (
            "every page (about the page itself)",
            schemars::schema_for!(Frame),
        ),
    ]
}
