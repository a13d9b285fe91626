//! The translation status page.

use super::*;

/// `/<lang>/translation-status/`: what `servicekb i18n` says about `lang`,
/// for translators (only when site.yaml asks for it).
pub fn translation_status(site: &Site, g: &Graph, lang: &str, t: &Strings) -> Page {
    let title = t
        .get("ts_title")
        .cloned()
        .unwrap_or_else(|| "Translation status".into());
    let report = crate::translations::report(site, g, Some(lang), false);
    let status = report
        .languages
        .get(lang)
        .map(|r| status_of(site, r, lang, t))
        .unwrap_or_default();
    let mut page = per_lang_page(
        site,
        lang,
        Route::TranslationStatus,
        title,
        &TranslationStatusPage { status },
    );
    page.in_sitemap = false;
    page
}

/// One language's report, as the status page shows it.
fn status_of(
    site: &Site,
    r: &crate::translations::LanguageReport,
    lang: &str,
    t: &Strings,
) -> Status {
    let url_of = |key: &str, lang: &str| site.version(key, lang).map(|a| a.href.clone());
    let row = |key: &str, c: crate::translations::Coverage| CoverageRow {
        label: t.get(key).cloned(),
        c: Coverage {
            present: c.present,
            total: c.total,
            percent: c.percent,
        },
    };
    Status {
        coverage: Some(vec![
            row("ts_articles", r.coverage.articles),
            row("ts_skill_fields", r.coverage.skill_fields),
            row("ts_checklist_strings", r.coverage.checklist_strings),
            row("ts_ui_strings", r.coverage.ui_strings),
        ]),
        missing_articles: Some(
            r.missing
                .articles
                .iter()
                .map(|m| MissingArticle {
                    title: m.title.clone(),
                    source: m.source.clone(),
                    url: site.best_version(&m.article, lang).map(|a| a.href.clone()),
                })
                .collect(),
        ),
        outdated: Some(
            r.outdated
                .iter()
                .map(|o| OutdatedArticle {
                    title: o.title.clone(),
                    file: o.file.clone(),
                    url: url_of(&o.article, lang),
                    source_file: o.source_file.clone(),
                    source_url: url_of(&o.article, &o.source_lang),
                    recorded_hash: o.recorded_hash.clone(),
                    current_hash: o.current_hash.clone(),
                })
                .collect(),
        ),
        missing_fields: Some(
            r.missing
                .fields
                .iter()
                .map(|f| MissingField {
                    kind: f.kind.to_string(),
                    id: f.id.clone(),
                    file: f.file.clone(),
                    field: f.field.clone(),
                })
                .collect(),
        ),
        missing_ui: Some(r.missing.ui_strings.clone()),
    }
}
