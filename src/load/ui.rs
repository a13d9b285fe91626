//! UI strings: `themes/<theme>/i18n/<lang>.yaml` (built in, then the site's
//! theme folder) and the site's own `i18n/<lang>.yaml` on top.

use crate::diagnostics::Diagnostic;
use crate::model::{SiteConfig, UiStrings};
use crate::source::SourceFile;
use crate::theme::{builtin_files, site_files};
use crate::yaml::YamlDoc;
use std::collections::BTreeMap;
use std::path::Path;

type Strings = BTreeMap<String, String>;

fn parse(file: &SourceFile) -> Result<Strings, Diagnostic> {
    if file.text.trim().is_empty() {
        return Ok(Strings::new());
    }
    let doc = YamlDoc::whole(file);
    let v: serde_yaml::Value = doc.parse()?;
    let mut out = Strings::new();
    match v {
        serde_yaml::Value::Null => {}
        serde_yaml::Value::Mapping(m) => {
            for (k, v) in m {
                let key = k.as_str().map(str::to_string).unwrap_or_default();
                match v {
                    serde_yaml::Value::String(s) => {
                        out.insert(key, s);
                    }
                    serde_yaml::Value::Number(n) => {
                        out.insert(key, n.to_string());
                    }
                    _ => {
                        return Err(doc.error_at(
                            &[&key],
                            None,
                            format!("UI string `{key}` must be text"),
                        ));
                    }
                }
            }
        }
        _ => return Err(doc.error_at(&[], None, "UI strings must be a mapping of `key: text`")),
    }
    Ok(out)
}

fn lang_of(name: &str) -> Option<&str> {
    name.strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
}

pub fn load_ui(root: &Path, config: &SiteConfig) -> (UiStrings, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let theme = theme_strings(root, config, &mut diags);
    let default = config.default_language.as_str();
    let reference: Strings = theme
        .get(default)
        .or_else(|| theme.get("en"))
        .cloned()
        .unwrap_or_default();
    // What a language without strings shows: the default language's when
    // the theme has them, else the theme's own English.
    let shown_in = if theme.contains_key(default) {
        format!("the default language (`{default}`)")
    } else {
        "English, the theme's own".to_string()
    };
    let site = site_strings(root, config, &reference, &mut diags);
    let mut ui = UiStrings {
        total: reference.len(),
        ..UiStrings::default()
    };
    for lang in &config.languages {
        let code = lang.code.as_str();
        let theme_own = theme.get(code);
        if theme_own.is_none() && !site.contains_key(code) {
            diags.push(Diagnostic::warning(
                "site.yaml",
                format!(
                    "the theme has no UI strings for `{code}`: menus and labels are shown in {shown_in} (add i18n/{code}.yaml)"
                ),
            ));
        }
        let (merged, missing) = merge(
            config,
            code,
            (&reference, &shown_in),
            theme_own,
            &site,
            &mut diags,
        );
        ui.missing.insert(
            code.to_string(),
            missing.iter().map(|k| k.to_string()).collect(),
        );
        ui.by_lang.insert(code.to_string(), merged);
    }
    (ui, diags)
}

/// The theme's strings per language: the built-in files, then the site's
/// theme folder on top.
fn theme_strings(
    root: &Path,
    config: &SiteConfig,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Strings> {
    let mut theme: BTreeMap<String, Strings> = BTreeMap::new();
    for (name, bytes) in builtin_files("i18n") {
        let Some(lang) = lang_of(&name) else { continue };
        let rel = format!("themes/default/i18n/{name}");
        match SourceFile::from_bytes(&rel, bytes.to_vec()).and_then(|f| parse(&f)) {
            Ok(s) => {
                theme.insert(lang.to_string(), s);
            }
            Err(d) => diags.push(d),
        }
    }
    let mut site_layers: Vec<(String, String)> = Vec::new();
    match site_files(root, &config.theme, "i18n") {
        Ok(files) => site_layers.extend(files),
        Err(d) => diags.push(d),
    }
    for (name, rel) in site_layers {
        let Some(lang) = lang_of(&name) else { continue };
        match SourceFile::read(root, &rel).and_then(|f| parse(&f)) {
            Ok(s) => theme.entry(lang.to_string()).or_default().extend(s),
            Err(d) => diags.push(d),
        }
    }
    theme
}

/// The site's own overrides (`i18n/<lang>.yaml`), warning about keys the
/// theme (its `reference` strings) does not use.
fn site_strings(
    root: &Path,
    config: &SiteConfig,
    reference: &Strings,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Strings> {
    let dir = root.join("i18n");
    let mut site: BTreeMap<String, Strings> = BTreeMap::new();
    if !dir.is_dir() {
        return site;
    }
    for lang in &config.languages {
        let rel = format!("i18n/{}.yaml", lang.code);
        if !root.join(&rel).exists() {
            continue;
        }
        match SourceFile::read(root, &rel) {
            Ok(f) => match parse(&f) {
                Ok(s) => {
                    let doc = YamlDoc::whole(&f);
                    for k in s.keys().filter(|k| !reference.contains_key(*k)) {
                        diags.push(doc.warning_at(
                            &[k],
                            None,
                            format!("unknown UI string `{k}`: the theme does not use it"),
                        ));
                    }
                    site.insert(lang.code.clone(), s);
                }
                Err(d) => diags.push(d),
            },
            Err(d) => diags.push(d),
        }
    }
    site
}

/// One language's strings: the site's, else the theme's (`own`), else the
/// `reference` ones; and the keys it lacks, with warnings about them.
fn merge<'r>(
    config: &SiteConfig,
    code: &str,
    (reference, shown_in): (&'r Strings, &str),
    own: Option<&Strings>,
    site: &BTreeMap<String, Strings>,
    diags: &mut Vec<Diagnostic>,
) -> (Strings, Vec<&'r str>) {
    let mut merged = reference.clone();
    let mut missing = Vec::new();
    for k in reference.keys() {
        let v = site
            .get(code)
            .and_then(|s| s.get(k))
            .or_else(|| own.and_then(|o| o.get(k)));
        match v {
            Some(v) => {
                merged.insert(k.clone(), v.clone());
            }
            None => missing.push(k.as_str()),
        }
    }
    if own.is_some() && !missing.is_empty() {
        let file = if site.contains_key(code) {
            format!("i18n/{code}.yaml")
        } else {
            format!("themes/{}/i18n/{code}.yaml", config.theme)
        };
        diags.push(Diagnostic::warning(
            file,
            format!(
                "{} UI string(s) missing in `{code}` (those of {shown_in} are used): {}",
                missing.len(),
                missing.join(", ")
            ),
        ));
    }
    (merged, missing)
}
