//! The template contract: every variable the built-in theme's templates
//! use is in the typed context of the page they render (or in what every
//! page receives), and docs/templates.md's reference is the one generated
//! from those types (`SERVICEKB_UPDATE_DOCS=1 cargo test --test it
//! templates` writes it).

use crate::common;
use serde_json::Value;
use servicekb::render::context::{common_contracts, contracts};
use std::collections::{BTreeMap, HashMap};
use tera::ast::{Expr, ExprVal, Node};

/// A schema with its `$defs`, to follow references.
#[derive(Clone)]
struct Ty<'a> {
    node: &'a Value,
    defs: &'a Value,
}

impl<'a> Ty<'a> {
    fn of(schema: &'a Value) -> Ty<'a> {
        Ty {
            node: schema,
            defs: &schema["$defs"],
        }
        .resolved()
    }

    /// Past `$ref`s and `anyOf: [T, null]`.
    fn resolved(self) -> Ty<'a> {
        let mut t = self;
        loop {
            if let Some(r) = t.node.get("$ref").and_then(Value::as_str) {
                let name = r.trim_start_matches("#/$defs/");
                t = Ty {
                    node: &t.defs[name],
                    defs: t.defs,
                };
            } else if let Some(alts) = t.node.get("anyOf").and_then(Value::as_array) {
                match alts
                    .iter()
                    .find(|a| a.get("type") != Some(&Value::from("null")))
                {
                    Some(a) => {
                        t = Ty {
                            node: a,
                            defs: t.defs,
                        }
                    }
                    None => return t,
                }
            } else {
                return t;
            }
        }
    }

    fn field(&self, name: &str) -> Option<Ty<'a>> {
        if let Some(p) = self.node.get("properties").and_then(|p| p.get(name)) {
            return Some(
                Ty {
                    node: p,
                    defs: self.defs,
                }
                .resolved(),
            );
        }
        // A map (`t`): any key, values of one type.
        self.node
            .get("additionalProperties")
            .filter(|a| a.is_object())
            .map(|a| {
                Ty {
                    node: a,
                    defs: self.defs,
                }
                .resolved()
            })
    }

    fn items(&self) -> Option<Ty<'a>> {
        self.node.get("items").map(|i| {
            Ty {
                node: i,
                defs: self.defs,
            }
            .resolved()
        })
    }

    fn is_map(&self) -> bool {
        self.node
            .get("additionalProperties")
            .is_some_and(Value::is_object)
    }

    fn type_name(&self) -> String {
        if self.items().is_some() {
            return format!("list of {}", self.items().unwrap().type_name());
        }
        if self.is_map() {
            return "map of texts".into();
        }
        if self.node.get("properties").is_some() {
            return "object".into();
        }
        let nullable = |t: &str| t.to_string();
        match self.node.get("type") {
            Some(Value::String(t)) => nullable(t),
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect::<Vec<_>>()
                .join(" or "),
            _ => "any".into(),
        }
    }
}

/// Where a name comes from in the template being checked.
#[derive(Clone)]
enum Binding<'a> {
    Typed(Ty<'a>),
    /// A macro's argument, `loop`, or a value the check cannot type.
    Any,
}

struct Checker<'a> {
    roots: Vec<Ty<'a>>,
    scopes: Vec<HashMap<String, Binding<'a>>>,
    template: String,
    problems: Vec<String>,
}

impl<'a> Checker<'a> {
    fn lookup(&self, path: &str) -> Option<Binding<'a>> {
        // `a[0]`, `t[key]`: the dotted part before a bracket.
        let path = path.split('[').next().unwrap_or(path);
        let mut parts = path.split('.');
        let first = parts.next()?;
        let mut cur = self
            .scopes
            .iter()
            .rev()
            .find_map(|s| s.get(first).cloned())
            .or_else(|| {
                self.roots
                    .iter()
                    .find_map(|r| r.field(first))
                    .map(Binding::Typed)
            })?;
        for p in parts {
            cur = match cur {
                Binding::Any => return Some(Binding::Any),
                Binding::Typed(t) => Binding::Typed(t.field(p)?),
            };
        }
        Some(cur)
    }

    fn check_path(&mut self, path: &str) {
        if path == "__tera_context" {
            return;
        }
        if self.lookup(path).is_none() {
            self.problems
                .push(format!("{}: `{path}` is not in its context", self.template));
        }
    }

    fn expr(&mut self, e: &Expr) {
        self.val(&e.val);
        for f in &e.filters {
            for a in f.args.values() {
                self.expr(a);
            }
        }
    }

    fn val(&mut self, v: &ExprVal) {
        match v {
            ExprVal::Ident(p) => self.check_path(p),
            ExprVal::Math(m) => {
                self.expr(&m.lhs);
                self.expr(&m.rhs);
            }
            ExprVal::Logic(l) => {
                self.expr(&l.lhs);
                self.expr(&l.rhs);
            }
            ExprVal::Test(t) => {
                self.check_path(&t.ident);
                t.args.iter().for_each(|a| self.expr(a));
            }
            ExprVal::MacroCall(c) => c.args.values().for_each(|a| self.expr(a)),
            ExprVal::FunctionCall(c) => c.args.values().for_each(|a| self.expr(a)),
            ExprVal::Array(xs) => xs.iter().for_each(|a| self.expr(a)),
            ExprVal::StringConcat(c) => c.values.iter().for_each(|v| self.val(v)),
            ExprVal::In(i) => {
                self.expr(&i.lhs);
                self.expr(&i.rhs);
            }
            _ => {}
        }
    }

    /// The type a `for` or `set` binds, when its value is a plain path.
    fn binding_of(&self, e: &Expr, items: bool) -> Binding<'a> {
        match (&e.val, e.filters.is_empty()) {
            (ExprVal::Ident(p), true) => match self.lookup(p) {
                Some(Binding::Typed(t)) if items => t.items().map_or(Binding::Any, Binding::Typed),
                Some(b) if !items => b,
                _ => Binding::Any,
            },
            _ => Binding::Any,
        }
    }

    fn nodes(&mut self, nodes: &[Node]) {
        for n in nodes {
            self.node(n);
        }
    }

    fn node(&mut self, n: &Node) {
        match n {
            Node::VariableBlock(_, e) => self.expr(e),
            Node::Set(_, s) => {
                self.expr(&s.value);
                let b = self.binding_of(&s.value, false);
                if let Some(scope) = self.scopes.last_mut() {
                    scope.insert(s.key.clone(), b);
                }
            }
            Node::FilterSection(_, f, _) => {
                f.filter.args.values().for_each(|a| self.expr(a));
                self.nodes(&f.body);
            }
            Node::Block(_, b, _) => self.nodes(&b.body),
            Node::Forloop(_, f, _) => {
                self.expr(&f.container);
                let mut scope = HashMap::new();
                scope.insert("loop".to_string(), Binding::Any);
                match &f.key {
                    // `for k, v in map`
                    Some(k) => {
                        scope.insert(k.clone(), Binding::Any);
                        let b = match self.binding_of(&f.container, false) {
                            Binding::Typed(t) => t
                                .node
                                .get("additionalProperties")
                                .map(|a| {
                                    Binding::Typed(
                                        Ty {
                                            node: a,
                                            defs: t.defs,
                                        }
                                        .resolved(),
                                    )
                                })
                                .unwrap_or(Binding::Any),
                            Binding::Any => Binding::Any,
                        };
                        scope.insert(f.value.clone(), b);
                    }
                    None => {
                        let b = self.binding_of(&f.container, true);
                        scope.insert(f.value.clone(), b);
                    }
                }
                self.scopes.push(scope);
                self.nodes(&f.body);
                if let Some(e) = &f.empty_body {
                    self.nodes(e);
                }
                self.scopes.pop();
            }
            Node::If(i, _) => {
                for (_, cond, body) in &i.conditions {
                    self.expr(cond);
                    self.nodes(body);
                }
                if let Some((_, body)) = &i.otherwise {
                    self.nodes(body);
                }
            }
            _ => {}
        }
    }
}

fn templates() -> tera::Tera {
    let mut t = tera::Tera::default();
    let files: Vec<(String, String)> = servicekb::theme::builtin_files("templates")
        .into_iter()
        .map(|(n, b)| (n, String::from_utf8(b.to_vec()).unwrap()))
        .collect();
    t.add_raw_templates(files).unwrap();
    t
}

/// Schemas by what they describe.
type Schemas = Vec<(&'static str, Value)>;

fn schema_values() -> (Schemas, Schemas) {
    let to = |v: Vec<(&'static str, schemars::Schema)>| {
        v.into_iter()
            .map(|(n, s)| (n, s.to_value()))
            .collect::<Vec<_>>()
    };
    (to(common_contracts()), to(contracts()))
}

/// Problems of one template's own nodes (blocks, not its parent's).
fn check(tera: &tera::Tera, name: &str, roots: Vec<Ty<'_>>) -> Vec<String> {
    let tpl = &tera.templates[name];
    let mut c = Checker {
        roots,
        scopes: vec![HashMap::new()],
        template: name.to_string(),
        problems: Vec::new(),
    };
    c.nodes(&tpl.ast);
    // Macros: their arguments are untyped; what else they use must exist.
    for (mname, m) in &tpl.macros {
        let scope = m.args.keys().map(|a| (a.clone(), Binding::Any)).collect();
        c.scopes.push(scope);
        c.template = format!("{name} (macro {mname})");
        c.nodes(&m.body);
        c.scopes.pop();
    }
    c.problems
}

#[test]
fn every_variable_a_template_uses_is_in_its_typed_context() {
    let tera = templates();
    let (common, pages) = schema_values();
    let common_tys: Vec<Ty> = common.iter().map(|(_, v)| Ty::of(v)).collect();
    let mut problems = Vec::new();
    // The layout and the macros see only what every page receives.
    for name in ["base.html", "macros.html"] {
        problems.extend(check(&tera, name, common_tys.clone()));
    }
    let mut seen = Vec::new();
    for (name, schema) in &pages {
        let mut roots = vec![Ty::of(schema)];
        roots.extend(common_tys.iter().cloned());
        problems.extend(check(&tera, name, roots));
        seen.push(*name);
    }
    // Every page template has a context type.
    for name in tera.get_template_names() {
        if !["base.html", "macros.html"].contains(&name) {
            assert!(seen.contains(&name), "{name} has no context type");
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_finds_a_variable_missing_from_the_context() {
    let mut tera = templates();
    tera.add_raw_template(
        "article.html",
        "{% extends \"base.html\" %}{% block main %}{{ article.title }}{{ article.tilte }}{% for a in article.also_read %}{{ a.url }}{{ a.summary }}{% endfor %}{% endblock %}",
    )
    .unwrap();
    let (common, pages) = schema_values();
    let article = &pages.iter().find(|(n, _)| *n == "article.html").unwrap().1;
    let mut roots = vec![Ty::of(article)];
    roots.extend(common.iter().map(|(_, v)| Ty::of(v)));
    let problems = check(&tera, "article.html", roots);
    assert_eq!(
        problems,
        [
            "article.html: `article.tilte` is not in its context",
            "article.html: `a.summary` is not in its context"
        ]
    );
}

/// Rows `| variable | type | what |` of a type, nested fields dotted.
fn rows(t: &Ty, prefix: &str, out: &mut Vec<String>, depth: usize) {
    let Some(props) = t.node.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (k, p) in props {
        let f = Ty {
            node: p,
            defs: t.defs,
        };
        let desc = p
            .get("description")
            .or_else(|| f.clone().resolved().node.get("description"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .replace('\n', " ")
            .replace('|', "\\|");
        let f = f.resolved();
        let nullable = p.get("anyOf").is_some()
            || matches!(p.get("type"), Some(Value::Array(ts)) if ts.contains(&Value::from("null")));
        let optional = !t.node["required"]
            .as_array()
            .is_some_and(|r| r.contains(&Value::from(k.as_str())));
        let mut ty = f.type_name();
        if nullable || optional {
            ty.push_str(", may be empty");
        }
        let path = format!("{prefix}{k}");
        out.push(format!("| `{path}` | {ty} | {desc} |"));
        if depth < 4 {
            if let Some(items) = f.items() {
                rows(&items, &format!("{path}[]."), out, depth + 1);
            } else {
                rows(&f, &format!("{path}."), out, depth + 1);
            }
        }
    }
}

fn reference() -> String {
    let (common, pages) = schema_values();
    let mut out = String::new();
    for (title, schema) in common.iter().chain(pages.iter()) {
        let t = Ty::of(schema);
        let heading = if title.ends_with(".html") {
            format!("`{title}`")
        } else {
            title.to_string()
        };
        out.push_str(&format!("### {heading}\n\n"));
        if let Some(d) = schema.get("description").and_then(Value::as_str) {
            out.push_str(&format!("{}\n\n", d.replace('\n', " ")));
        }
        let mut r = Vec::new();
        rows(&t, "", &mut r, 0);
        if r.is_empty() {
            out.push_str("Nothing of its own.\n\n");
            continue;
        }
        out.push_str("| variable | type | what it is |\n| --- | --- | --- |\n");
        for row in r {
            out.push_str(&row);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

const BEGIN: &str = "<!-- reference: generated from src/render/context.rs -->\n";
const END: &str = "<!-- end of reference -->\n";

#[test]
fn docs_templates_md_has_the_generated_reference() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (a, b) = match (doc.find(BEGIN), doc.find(END)) {
        (Some(a), Some(b)) if a < b => (a + BEGIN.len(), b),
        _ => panic!("docs/templates.md has no generated reference between its markers"),
    };
    let want = format!("\n{}", reference());
    if std::env::var_os("SERVICEKB_UPDATE_DOCS").is_some() {
        let new = format!("{}{}{}", &doc[..a], want, &doc[b..]);
        std::fs::write(&path, new).unwrap();
        return;
    }
    assert!(
        doc[a..b] == want,
        "docs/templates.md is not what the context types say: run \
         `SERVICEKB_UPDATE_DOCS=1 cargo test --test it templates`"
    );
    // Every template is documented.
    let names: BTreeMap<&str, ()> = contracts().into_iter().map(|(n, _)| (n, ())).collect();
    for n in names.keys() {
        assert!(doc.contains(&format!("### `{n}`")), "{n}");
    }
}

/// Article pages are written without Tera while the theme's `article.html`
/// and `base.html` are the built-in ones; what they write must be what
/// Tera makes of those templates. A site whose theme has the same
/// templates with a comment added (so Tera renders them) gives the same
/// bytes, on articles that use every branch of the templates.
#[test]
fn built_in_article_pages_are_what_tera_makes_of_the_templates() {
    let s = common::Site::sample();
    s.write(
        "site.yaml",
        &format!(
            "{}repository:\n  edit_url: \"https://example.org/edit/{{path}}?a=1&b=2\"\n  translate_url: \"https://example.org/new?f={{path}}\"\n",
            common::SITE_YAML
        ),
    );
    let headings: String = (0..5)
        .map(|i| {
            format!("## Step {i} & <more> \"quoted\"\n\nText {i}.\n\n### Detail {i}\n\nMore.\n\n")
        })
        .collect();
    s.write(
        "content/articles/skills/steps.en.md",
        &format!("---\ntitle: \"Steps & <\\\"quotes\\\"> 'here'\"\ndescription: \"A <b>list</b> & more\"\ndate: 2026-01-02\nupdated: 2026-02-03\nauthors: [\"Ann & Bo\", \"O'Neil\"]\nskills: [empathy, patience]\n---\n\n{headings}See [empathy](@/articles/skills/empathy.md).\n"),
    );
    s.write(
        "content/articles/plain.en.md",
        "---\ntitle: Plain\n---\n\nNo topic, no date, [steps](@/articles/skills/steps.md).\n",
    );
    s.write(
        "content/articles/skills/waiting.he.md",
        "---\ntitle: המתנה\ndate: 2026-02-01\nskills: [patience]\ntranslation:\n  source: en\n  source_hash: \"0badc0de\"\n---\n\nחזרה ל[אמפתיה](@/articles/skills/empathy.md) ול[צעדים](@/articles/skills/steps.md).\n\n## בהמתנה {#on-hold}\n\nהסבירו.\n",
    );
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    let native = s.snapshot();
    let pages: Vec<&String> = native
        .iter()
        .map(|(p, _)| p)
        .filter(|p| p.contains("/articles/") && p.ends_with(".html"))
        .collect();
    assert_eq!(pages.len(), 6, "{pages:?}");
    let steps = s.page("/en/articles/skills/steps/");
    for part in [
        "toc-side",
        "Ann &amp; Bo, O&#39;Neil",
        "source-links",
        "pager-prev",
    ] {
        assert!(steps.contains(part), "{part} missing: {steps}");
    }
    assert!(s
        .page("/he/articles/skills/waiting/")
        .contains("notice-outdated"));
    assert!(
        native
            .iter()
            .any(|(_, b)| String::from_utf8_lossy(b).contains("<span class=\"badge\">")),
        "an article of another language listed"
    );

    for name in ["article.html", "base.html"] {
        let rel = format!("themes/default/templates/{name}");
        s.write(
            &rel,
            &format!("{}{{# rendered by Tera #}}", builtin_template(name)),
        );
        let r = s.build();
        assert!(r.ok(), "{}", r.stderr);
        let tera = s.snapshot();
        assert_eq!(native.len(), tera.len());
        for ((path, a), (_, b)) in native.iter().zip(&tera) {
            assert!(
                a == b,
                "{path} differs with {name} rendered by Tera:\n{}\n---\n{}",
                String::from_utf8_lossy(a),
                String::from_utf8_lossy(b)
            );
        }
        std::fs::remove_file(s.path().join(rel)).unwrap();
    }
}

/// The built-in checklist template shows no skill's articles, so they are
/// not gathered for it; a theme's own template still gets every article of
/// each skill, as the skill's page lists them (its language's, then the
/// untranslated ones).
#[test]
fn a_theme_checklist_template_gets_every_article_of_each_skill() {
    let s = common::Site::sample();
    assert!(s.build().ok());
    s.write(
        "themes/default/templates/checklist.html",
        "{% extends \"base.html\" %}{% block content %}{% for s in checklist.skills %}<p data-skill=\"{{ s.id }}\">{% for a in s.articles %}{{ a.url }} {% endfor %}</p>\n{% endfor %}{% endblock content %}",
    );
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    let mut seen = 0;
    for lang in ["en", "he"] {
        let page = s.page(&format!("/{lang}/checklists/self-check/"));
        for line in page.lines().filter(|l| l.starts_with("<p data-skill=")) {
            let id = line.split('"').nth(1).unwrap();
            let listed: Vec<&str> = line
                .trim_start_matches(|c| c != '>')
                .trim_start_matches('>')
                .trim_end_matches("</p>")
                .split_whitespace()
                .collect();
            let skill = s.page(&format!("/{lang}/skills/{id}/"));
            let section = skill
                .split("aria-labelledby=\"skill-articles\"")
                .nth(1)
                .map_or("", |r| r.split("</section>").next().unwrap());
            let on_skill_page: Vec<&str> = section
                .split("href=\"")
                .skip(1)
                .map(|h| h.split('"').next().unwrap())
                .collect();
            assert_eq!(listed, on_skill_page, "{lang} {id}");
            seen += listed.len();
        }
    }
    assert!(seen > 4, "the sample's checklist lists articles: {seen}");
}

/// A built-in template's text, as the program has it.
fn builtin_template(name: &str) -> String {
    let (_, bytes) = servicekb::theme::builtin_files("templates")
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no built-in {name}"));
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The number in "… N pages …" of a command's closing line.
fn pages_in(stderr: &str, words: &str) -> usize {
    let line = stderr
        .lines()
        .find(|l| l.contains(words))
        .unwrap_or_else(|| panic!("no {words:?} in {stderr}"));
    let before = &line[..line.find(words).unwrap()];
    let n = before.rsplit(['(', ' ']).find(|w| !w.is_empty()).unwrap();
    n.parse().unwrap_or_else(|_| panic!("{line}"))
}

/// `check` leaves out making the article pages that cannot fail (the
/// built-in ones); it still counts every page a build writes, and still
/// renders every other template, and a theme's own article page.
#[test]
fn check_counts_what_build_writes_and_renders_every_other_template() {
    let s = common::Site::sample();
    let built = s.build();
    assert!(built.ok(), "{}", built.stderr);
    let html = s
        .snapshot()
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .count();
    assert_eq!(
        pages_in(&format!("{}{}", built.stdout, built.stderr), " pages ("),
        html
    );
    let checked = s.check();
    assert!(checked.ok(), "{}", checked.stderr);
    assert_eq!(pages_in(&checked.stderr, " pages checked"), html);

    // The template with a value no page has in its content block.
    let broken = |name: &str| {
        s.write(
            &format!("themes/default/templates/{name}"),
            &builtin_template(name).replace(
                "{% block content %}",
                "{% block content %}{{ no_such_value.at_all }}",
            ),
        )
    };
    broken("skill.html");
    let r = s.check();
    assert!(!r.ok(), "a skill page's template error is found");
    assert!(r.stderr.contains("skill.html"), "{}", r.stderr);
    assert!(
        r.stderr.contains("cannot render /en/skills/"),
        "{}",
        r.stderr
    );
    std::fs::remove_file(s.path().join("themes/default/templates/skill.html")).unwrap();
    assert!(s.check().ok());

    broken("article.html");
    let r = s.check();
    assert!(!r.ok(), "a theme's article page is rendered by check");
    assert!(
        r.stderr.contains("cannot render /en/articles/"),
        "{}",
        r.stderr
    );
}
