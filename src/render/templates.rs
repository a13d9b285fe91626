//! Tera: every template of the theme compiled once; syntax errors name
//! the template's file and line.

use crate::diagnostics::Diagnostic;
use crate::model::Theme;
use tera::Tera;

fn origin(theme: &Theme, name: &str) -> String {
    theme
        .templates
        .get(name)
        .and_then(|f| f.origin.clone())
        .unwrap_or_else(|| format!("themes/default/templates/{name}"))
}

/// The whole chain of a Tera error, in one line.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        parts.push(s.to_string());
        cur = s.source();
    }
    parts.join(": ")
}

/// `--> 3:18` in a pest error, as (line, col).
fn pest_pos(msg: &str) -> Option<(usize, usize)> {
    let rest = &msg[msg.find("--> ")? + 4..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(rest.len());
    let (l, c) = rest[..end].split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

/// Escapes what HTML needs escaped; unlike Tera's default, leaves `/` alone
/// so URLs stay readable.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn compile(theme: &Theme) -> Result<Tera, Vec<Diagnostic>> {
    let mut errs = Vec::new();
    let mut sources = Vec::new();
    for (name, f) in &theme.templates {
        if !name.ends_with(".html") && !name.ends_with(".xml") {
            continue;
        }
        match std::str::from_utf8(&f.bytes) {
            Ok(t) => sources.push((name.clone(), crate::source::normalize_text(t.to_string()))),
            Err(_) => errs.push(Diagnostic::error(
                origin(theme, name),
                "the template is not valid UTF-8 text",
            )),
        }
    }
    // Parse each alone first, so a syntax error names its own file.
    for (name, text) in &sources {
        let mut one = Tera::default();
        if let Err(e) = one.add_raw_template(name, text) {
            let chain = error_chain(&e);
            if chain.contains("Failed to parse") {
                let short = chain
                    .lines()
                    .map(str::trim)
                    .filter(|l| {
                        !l.is_empty()
                            && !l.starts_with("-->")
                            && !l.starts_with('|')
                            && !l.starts_with('=')
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                errs.push(
                    Diagnostic::error(
                        origin(theme, name),
                        format!("template syntax error: {short}"),
                    )
                    .at(pest_pos(&chain)),
                );
            }
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    if let Err(e) = tera.add_raw_templates(sources) {
        let chain = error_chain(&e);
        let file = theme
            .templates
            .keys()
            .find(|n| {
                chain.contains(&format!("'{n}'"))
                    || chain.contains(&format!("`{n}`"))
                    || chain.contains(&format!("\"{n}\""))
            })
            .map(|n| origin(theme, n))
            .unwrap_or_else(|| "themes/default/templates".into());
        return Err(vec![Diagnostic::error(
            file,
            format!("template error: {chain}"),
        )]);
    }
    Ok(tera)
}
