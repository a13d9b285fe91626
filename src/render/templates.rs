//! Tera: every template of the theme compiled once; syntax errors name
//! the template's file and line.

use crate::diagnostics::Diagnostic;
use crate::model::Theme;
use crate::text::escape_html;
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

/// Which of a UI string's plural forms (`one|few|many`, split on `|`) goes
/// with `n` in `lang`, by the CLDR rules for integers.
pub fn plural_form(lang: &str, n: u64) -> usize {
    let (m10, m100) = (n % 10, n % 100);
    match lang {
        // one, few, many
        "pl" => match () {
            _ if n == 1 => 0,
            _ if (2..=4).contains(&m10) && !(12..=14).contains(&m100) => 1,
            _ => 2,
        },
        // one, few, other
        "lt" => match () {
            _ if m10 == 1 && !(11..=19).contains(&m100) => 0,
            _ if (2..=9).contains(&m10) && !(11..=19).contains(&m100) => 1,
            _ => 2,
        },
        "ru" | "uk" | "be" | "hr" | "sr" | "bs" => match () {
            _ if m10 == 1 && m100 != 11 => 0,
            _ if (2..=4).contains(&m10) && !(12..=14).contains(&m100) => 1,
            _ => 2,
        },
        "cs" | "sk" => match n {
            1 => 0,
            2..=4 => 1,
            _ => 2,
        },
        "ja" | "zh" | "ko" | "vi" | "th" | "id" => 0,
        "fr" | "pt" => usize::from(n > 1),
        _ => usize::from(n != 1),
    }
}

/// `{{ t.articles_count | plural(n=3, lang="pl") }}`: the form for `n`, with
/// `{n}` replaced; a string with no `{n}` at all gets the number before it.
fn plural(
    value: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let forms: Vec<&str> = value.as_str().unwrap_or("").split('|').collect();
    let n = args.get("n").and_then(|v| v.as_u64()).unwrap_or(0);
    let lang = args.get("lang").and_then(|v| v.as_str()).unwrap_or("en");
    let i = plural_form(lang, n).min(forms.len().saturating_sub(1));
    let form = forms.get(i).copied().unwrap_or("").trim();
    // A language may spell a form out ("one article") where others use {n}.
    Ok(tera::Value::String(
        if forms.iter().any(|f| f.contains("{n}")) {
            form.replace("{n}", &n.to_string())
        } else {
            format!("{n} {form}")
        },
    ))
}

/// `{{ t.ts_intro | code_spans | safe }}`: the text escaped, with each
/// `backticked` part as `<code>`; an unpaired backtick stays as written.
fn code_spans(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value.as_str().unwrap_or("");
    let parts: Vec<&str> = text.split('`').collect();
    let mut out = String::with_capacity(text.len() + 32);
    let paired = parts.len() - (parts.len() + 1) % 2;
    for (i, part) in parts.iter().enumerate() {
        if i >= paired {
            out.push('`');
            out.push_str(&escape_html(part));
        } else if i % 2 == 1 {
            out.push_str("<code>");
            out.push_str(&escape_html(part));
            out.push_str("</code>");
        } else {
            out.push_str(&escape_html(part));
        }
    }
    Ok(tera::Value::String(out))
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
    // Each is parsed alone only when they fail together, so that a syntax
    // error names its own file.
    let mut together = None;
    if errs.is_empty() {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        tera.register_filter("plural", plural);
        tera.register_filter("code_spans", code_spans);
        match tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
            Ok(()) => return Ok(tera),
            Err(e) => together = Some(e),
        }
    }
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
    let Some(e) = together.filter(|_| errs.is_empty()) else {
        return Err(errs);
    };
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
    Err(vec![Diagnostic::error(
        file,
        format!("template error: {chain}"),
    )])
}

#[cfg(test)]
mod tests {
    use super::plural_form;

    #[test]
    fn code_spans_become_code() {
        let f = |s: &str| {
            super::code_spans(&tera::Value::from(s), &Default::default())
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(f("as `a <b>` says"), "as <code>a &lt;b&gt;</code> says");
        assert_eq!(f("no code"), "no code");
        assert_eq!(f("`x` and ` alone"), "<code>x</code> and ` alone");
    }

    #[test]
    fn plural_forms_follow_cldr() {
        let forms = |lang: &str| [1, 2, 5, 11, 12, 21, 22, 25, 101].map(|n| plural_form(lang, n));
        assert_eq!(forms("en"), [0, 1, 1, 1, 1, 1, 1, 1, 1]);
        assert_eq!(forms("pl"), [0, 1, 2, 2, 2, 2, 1, 2, 2]);
        assert_eq!(forms("lt"), [0, 1, 1, 2, 2, 0, 1, 1, 0]);
        assert_eq!(forms("he"), [0, 1, 1, 1, 1, 1, 1, 1, 1]);
    }
}
