//! The theme's reading aids in a real headless Chromium, on a phone (390 px)
//! and a laptop (1280 px), left to right and right to left: the menu button,
//! the light/dark switch, the contents beside an article, the links on its
//! headings, the search field in the header, the 404 in the reader's
//! language; no page kind scrolls sideways at 320 px, and axe-core finds
//! nothing on any page kind, in any language, light or dark.

use crate::support as browser;
use browser::Browser;
use serde_json::{json, Value};
use std::path::Path;

fn demo() -> Browser {
    Browser::on_site(Path::new(env!("CARGO_MANIFEST_DIR")))
}

const ARTICLE: &str = "articles/skills/ten-agent-qualities/";

/// Sets the viewport's width (the window is a little wider than it).
fn width(b: &Browser, w: u32) {
    let c = &b.c;
    b.rt.block_on(async {
        c.set_window_size(w, 900).await.unwrap();
        let inner = c
            .execute("return window.innerWidth;", vec![])
            .await
            .unwrap()
            .as_u64()
            .unwrap() as u32;
        if inner < w {
            c.set_window_size(2 * w - inner, 900).await.unwrap();
        }
    });
}

fn visible(b: &Browser, sel: &str) -> bool {
    b.js(
        "const e = document.querySelector(arguments[0]);
         if (!e) return false;
         const r = e.getBoundingClientRect();
         return getComputedStyle(e).visibility !== 'hidden' && r.width > 0 && r.height > 0;",
        vec![json!(sel)],
    ) == json!(true)
}

fn no_sideways_scroll(b: &Browser) -> Value {
    b.js(
        "const d = document.documentElement;
         return d.scrollWidth <= d.clientWidth ? true : d.scrollWidth + ' > ' + d.clientWidth;",
        vec![],
    )
}

#[test]
fn menu_button_opens_the_navigation_on_a_phone_only() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    for lang in ["en", "he"] {
        width(&b, 390);
        b.goto(&format!("/{lang}/"));
        assert!(visible(&b, "#menu-toggle"), "{lang}: the menu button shows");
        assert!(!visible(&b, "#site-nav"), "{lang}: the menu starts closed");
        assert_eq!(
            b.js(
                "return document.querySelector('#menu-toggle').getAttribute('aria-expanded');",
                vec![]
            ),
            json!("false")
        );
        // By keyboard: focus the button, press Enter.
        b.js("document.querySelector('#menu-toggle').focus();", vec![]);
        let c = &b.c;
        b.rt.block_on(async {
            c.active_element()
                .await
                .unwrap()
                .send_keys("\u{E007}")
                .await
                .unwrap();
        });
        assert!(visible(&b, "#site-nav"), "{lang}: Enter opens the menu");
        assert_eq!(
            b.js(
                "return document.querySelector('#menu-toggle').getAttribute('aria-expanded');",
                vec![]
            ),
            json!("true")
        );
        let n = b.js(
            "return [...document.querySelectorAll('#site-nav a')].filter(a => a.getBoundingClientRect().height > 0).length;",
            vec![],
        );
        assert!(
            n.as_u64().unwrap() >= 8,
            "{lang}: every section is in the menu: {n}"
        );
        let v = b.axe();
        assert!(v.is_empty(), "{lang}: menu open: {v:#?}");
        b.click("#menu-toggle");
        assert!(
            !visible(&b, "#site-nav"),
            "{lang}: a second press closes it"
        );

        width(&b, 1280);
        b.goto(&format!("/{lang}/"));
        assert!(
            !visible(&b, "#menu-toggle"),
            "{lang}: no menu button on a laptop"
        );
        assert!(visible(&b, "#site-nav"), "{lang}: the navigation shows");
    }
    assert!(b.console_errors().is_empty());
}

#[test]
fn navigation_lines_up_with_the_content_in_one_row() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    for w in [1280, 1920] {
        width(&b, w);
        for lang in ["en", "he", "lt", "pl"] {
            b.goto(&format!("/{lang}/topics/hiring/"));
            let r = b.js(
                "const rtl = document.dir === 'rtl';
                 const edge = e => { const r = e.getBoundingClientRect(); return rtl ? r.right : r.left; };
                 const links = [...document.querySelectorAll('#site-nav a')].filter(a => a.getBoundingClientRect().width > 0);
                 const nav = document.querySelector('#site-nav');
                 const tops = new Set(links.map(a => Math.round(a.getBoundingClientRect().top)));
                 const text = document.createRange();
                 text.selectNodeContents(links[0]);
                 return { nav: edge(text), h1: edge(document.querySelector('main h1')), rows: tops.size, fits: nav.scrollWidth <= nav.clientWidth, sw: nav.scrollWidth, cw: nav.clientWidth };",
                vec![],
            );
            let nav = r["nav"].as_f64().unwrap();
            let h1 = r["h1"].as_f64().unwrap();
            assert!(
                (nav - h1).abs() <= 2.0,
                "{lang} at {w}: the first item's text starts where the content does: {r}"
            );
            assert_eq!(r["rows"], json!(1), "{lang} at {w}: one row: {r}");
            assert_eq!(
                r["fits"],
                json!(true),
                "{lang} at {w}: every item in view: {r}"
            );
        }
    }
}

#[test]
fn the_current_item_does_not_move_the_others() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    width(&b, 1280);
    let lefts = |path: &str| {
        b.goto(path);
        b.js(
            "return [...document.querySelectorAll('#site-nav a')].map(a => Math.round(a.getBoundingClientRect().left));",
            vec![],
        )
    };
    assert_eq!(lefts("/en/"), lefts("/en/skills/"));
}

#[test]
fn dark_mode_follows_the_switch_and_is_remembered() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    for lang in ["en", "he"] {
        for w in [390, 1280] {
            width(&b, w);
            b.goto(&format!("/{lang}/{ARTICLE}"));
            b.js("localStorage.clear();", vec![]);
            b.reload();
            assert!(visible(&b, "#theme-toggle"), "{lang} {w}: the switch shows");
            let bg = || {
                b.js(
                    "return getComputedStyle(document.body).backgroundColor || getComputedStyle(document.documentElement).backgroundColor;",
                    vec![],
                )
            };
            let scheme = || {
                b.js(
                    "return getComputedStyle(document.documentElement).colorScheme;",
                    vec![],
                )
            };
            let pressed = b.js(
                "return document.querySelector('#theme-toggle').getAttribute('aria-pressed');",
                vec![],
            );
            // Headless Chromium prefers light.
            assert_eq!(pressed, json!("false"), "{lang} {w}");
            b.click("#theme-toggle");
            assert_eq!(
                b.js("return document.documentElement.dataset.theme;", vec![]),
                json!("dark")
            );
            assert_eq!(scheme(), json!("dark"), "{lang} {w}");
            let dark_bg = bg();
            let v = b.axe();
            assert!(v.is_empty(), "{lang} {w} dark: {v:#?}");
            b.reload();
            assert_eq!(
                b.js(
                    "return document.querySelector('#theme-toggle').getAttribute('aria-pressed');",
                    vec![]
                ),
                json!("true"),
                "{lang} {w}: remembered"
            );
            assert_eq!(bg(), dark_bg);
            b.goto(&format!("/{lang}/checklists/"));
            assert_eq!(
                b.js("return document.documentElement.dataset.theme;", vec![]),
                json!("dark"),
                "{lang} {w}: on every page"
            );
            let v = b.axe();
            assert!(v.is_empty(), "{lang} {w} dark checklists: {v:#?}");
            b.click("#theme-toggle");
            assert_eq!(
                b.js("return localStorage.getItem('skb-theme');", vec![]),
                json!("light")
            );
            b.js("localStorage.clear();", vec![]);
        }
    }
    assert!(b.console_errors().is_empty());
}

#[test]
fn article_contents_sit_beside_the_text_on_wide_screens() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    for lang in ["en", "he"] {
        width(&b, 1280);
        b.goto(&format!("/{lang}/{ARTICLE}"));
        assert!(visible(&b, ".toc-side"), "{lang}: the sidebar shows");
        assert!(
            !visible(&b, ".toc-inline"),
            "{lang}: the inline box does not"
        );
        let r = b.js(
            "const side = document.querySelector('.toc-side').getBoundingClientRect();
             const prose = document.querySelector('.prose').getBoundingClientRect();
             window.scrollTo(0, document.body.scrollHeight / 2);
             const after = document.querySelector('.toc-side').getBoundingClientRect();
             return { beside: document.dir === 'rtl' ? side.right <= prose.left : side.left >= prose.right,
                      sticky: after.top >= 0 && after.top < 100 };",
            vec![],
        );
        assert_eq!(r, json!({"beside": true, "sticky": true}), "{lang}");

        width(&b, 390);
        b.goto(&format!("/{lang}/{ARTICLE}"));
        assert!(!visible(&b, ".toc-side"), "{lang}: no sidebar on a phone");
        assert!(
            visible(&b, ".toc-inline summary"),
            "{lang}: a collapsible box"
        );
        let open = || {
            b.js(
                "return document.querySelector('.toc-inline details').open;",
                vec![],
            )
        };
        assert_eq!(open(), json!(false), "{lang}: closed at first");
        b.click(".toc-inline summary");
        assert_eq!(open(), json!(true), "{lang}: opens");
        assert!(visible(&b, ".toc-inline ol a"), "{lang}: its links show");
        let v = b.axe();
        assert!(v.is_empty(), "{lang}: {v:#?}");
    }
}

#[test]
fn headings_link_to_themselves_and_articles_to_their_neighbours() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    for lang in ["en", "he"] {
        for w in [390, 1280] {
            width(&b, w);
            b.goto(&format!("/{lang}/{ARTICLE}"));
            let r = b.js(
                "const hs = [...document.querySelectorAll('.prose h2[id], .prose h3[id]')];
                 return { n: hs.length, ok: hs.every(h => { const a = h.querySelector('a.heading-link');
                   return a && a.getAttribute('href') === '#' + h.id && a.getAttribute('aria-label').length > 3; }) };",
                vec![],
            );
            assert!(r["n"].as_u64().unwrap() > 2, "{lang} {w}: {r}");
            assert_eq!(r["ok"], json!(true), "{lang} {w}: {r}");
            b.js(
                "document.querySelector('.prose h2 a.heading-link').focus();",
                vec![],
            );
            let c = &b.c;
            b.rt.block_on(async {
                c.active_element()
                    .await
                    .unwrap()
                    .send_keys("\u{E007}")
                    .await
                    .unwrap();
            });
            let hash = b.js("return location.hash;", vec![]);
            let id = b.js(
                "return '#' + document.querySelector('.prose h2').id;",
                vec![],
            );
            assert_eq!(hash, id, "{lang} {w}");
            let pager = b.js(
                "return [...document.querySelectorAll('.pager a')].map(a => a.rel);",
                vec![],
            );
            assert!(!pager.as_array().unwrap().is_empty(), "{lang} {w}: {pager}");
        }
    }
}

#[test]
fn no_page_kind_scrolls_sideways_at_320_px() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    width(&b, 320);
    let mut failures = Vec::new();
    for lang in ["en", "he", "lt", "pl"] {
        for p in [
            format!("{lang}/"),
            format!("{lang}/{ARTICLE}"),
            format!("{lang}/articles/about/translating-this-knowledge-base/"),
            format!("{lang}/topics/hiring/"),
            format!("{lang}/skills/"),
            format!("{lang}/skills/empathy/"),
            format!("{lang}/checklists/"),
            format!("{lang}/checklists/manager-agent-assessment/"),
            format!("{lang}/search/"),
            format!("{lang}/translation-status/"),
            format!("{lang}/no-such-page/"),
        ] {
            b.goto(&format!("/{p}"));
            let r = no_sideways_scroll(&b);
            if r != json!(true) {
                let wide = b.js(
                    "const w = document.documentElement.clientWidth;
                     return [...document.querySelectorAll('body *')].filter(e => { const r = e.getBoundingClientRect(); return r.right > w || r.left < 0; })
                       .slice(0, 4).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40));",
                    vec![],
                );
                failures.push(format!("/{p}: {r} {wide}"));
            }
        }
    }
    b.goto("/");
    if no_sideways_scroll(&b) != json!(true) {
        failures.push("/".into());
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Every kind of page of a language (the 404 through a missing URL).
fn page_kinds(lang: &str) -> Vec<String> {
    vec![
        format!("/{lang}/"),
        format!("/{lang}/{ARTICLE}"),
        format!("/{lang}/topics/hiring/"),
        format!("/{lang}/skills/"),
        format!("/{lang}/skills/empathy/"),
        format!("/{lang}/checklists/"),
        format!("/{lang}/checklists/manager-agent-assessment/"),
        format!("/{lang}/search/?q=empat"),
        format!("/{lang}/translation-status/"),
        format!("/{lang}/no-such-page/"),
    ]
}

/// Sends keys to the focused element (WebDriver key codes; Control stays
/// down until the end of the string).
fn keys(b: &Browser, k: &str) {
    b.rt.block_on(async {
        b.c.active_element()
            .await
            .unwrap()
            .send_keys(k)
            .await
            .unwrap();
    });
}

fn focused_id(b: &Browser) -> Value {
    b.js(
        "return document.activeElement && document.activeElement.id;",
        vec![],
    )
}

#[test]
fn header_search_shows_results_as_you_type_and_takes_slash_and_ctrl_k() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    b.console_errors();
    for (lang, query, expected) in [
        (
            "en",
            "burnout",
            "/en/articles/wellbeing/service-perception-and-burnout/",
        ),
        (
            "he",
            "שחיקה",
            "/he/articles/wellbeing/service-perception-and-burnout/",
        ),
    ] {
        for w in [390, 1280] {
            width(&b, w);
            b.goto(&format!("/{lang}/{ARTICLE}"));
            assert!(visible(&b, "#header-q"), "{lang} {w}: the field shows");
            let top = || {
                b.js("return Math.round(document.querySelector('main').getBoundingClientRect().top + scrollY);", vec![])
            };
            let before = top();
            // `/` from the page, not from a field, goes to the search field.
            b.js(
                "document.activeElement.blur(); document.body.focus();",
                vec![],
            );
            keys(&b, "/");
            assert_eq!(
                focused_id(&b),
                json!("header-q"),
                "{lang} {w}: / focuses the field"
            );
            assert_eq!(
                b.js("return document.querySelector('#header-q').value;", vec![]),
                json!(""),
                "{lang} {w}: the / is not typed"
            );
            keys(&b, query);
            b.wait_for(
                &format!(
                    "return document.querySelector('.header-results-list') && document.querySelector('.header-results-list').dataset.query === {};",
                    json!(query)
                ),
                "the header results",
            );
            assert!(visible(&b, "#header-results"), "{lang} {w}: results show");
            let got = b.js(
                "return [...document.querySelectorAll('#header-results li a')].map(a => decodeURI(new URL(a.href).pathname));",
                vec![],
            );
            assert_eq!(got[0], json!(expected), "{lang} {w}: {got}");
            assert_eq!(top(), before, "{lang} {w}: the results move nothing");
            assert_eq!(no_sideways_scroll(&b), json!(true), "{lang} {w}");
            let all = b.js(
                "return new URL(document.querySelector('.header-results-all').href).search;",
                vec![],
            );
            assert!(all.as_str().unwrap().starts_with("?q="), "{all}");
            let v = b.axe_all();
            assert!(v.is_empty(), "{lang} {w} results open: {v:#?}");
            // Down into the results, Escape back, Escape closes.
            keys(&b, "\u{E015}");
            assert_eq!(
                b.js(
                    "return decodeURI(new URL(document.activeElement.href).pathname);",
                    vec![]
                ),
                json!(expected)
            );
            keys(&b, "\u{E00C}");
            assert_eq!(focused_id(&b), json!("header-q"));
            keys(&b, "\u{E00C}");
            assert!(!visible(&b, "#header-results"), "{lang} {w}: Escape closes");
            // Ctrl+K from anywhere, a link for one.
            b.js("document.querySelector('main a').focus();", vec![]);
            keys(&b, "\u{E009}k\u{E000}");
            assert_eq!(
                focused_id(&b),
                json!("header-q"),
                "{lang} {w}: Ctrl+K focuses the field"
            );
        }
    }
    // Without the script the field is a form to the search page.
    let form = b.js(
        "const f = document.querySelector('#header-search'); return [f.method, new URL(f.action).pathname, f.querySelector('input').name];",
        vec![],
    );
    assert_eq!(form, json!(["get", "/he/search/", "q"]));
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

#[test]
fn the_404_speaks_the_language_of_the_url() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    b.console_errors();
    for w in [390, 1280] {
        width(&b, w);
        for (path, lang, dir, h1) in [
            ("/he/no-such-page/", "he", "rtl", "הדף לא נמצא"),
            ("/lt/articles/gone/", "lt", "ltr", "Puslapis nerastas"),
            ("/en/nothing", "en", "ltr", "Page not found"),
            // No language in the URL: the browser's (headless Chromium: English).
            ("/nowhere", "en", "ltr", "Page not found"),
        ] {
            b.goto(path);
            let r = b.js(
                "return [document.documentElement.lang, document.documentElement.dir, document.querySelector('main h1').textContent,
                         new URL(document.querySelector('.not-found .button-link').href).pathname,
                         new URL(document.querySelector('.not-found form').action).pathname,
                         document.querySelector('#site-header').lang || document.documentElement.lang];",
                vec![],
            );
            assert_eq!(r[0], json!(lang), "{path} {w}: {r}");
            assert_eq!(r[1], json!(dir), "{path} {w}: {r}");
            assert_eq!(r[2], json!(h1), "{path} {w}: {r}");
            assert_eq!(r[3], json!(format!("/{lang}/")), "{path} {w}: a link home");
            assert_eq!(
                r[4],
                json!(format!("/{lang}/search/")),
                "{path} {w}: search"
            );
            assert_eq!(
                r[5],
                json!("en"),
                "{path} {w}: the header is marked as English"
            );
            assert!(b
                .js("return document.title;", vec![])
                .as_str()
                .unwrap()
                .starts_with(h1));
            assert_eq!(no_sideways_scroll(&b), json!(true), "{path} {w}");
            let v = b.axe_all();
            assert!(v.is_empty(), "{path} {w}: {v:#?}");
        }
    }
    // The pages themselves come with status 404; nothing else may fail.
    let errors: Vec<String> = b
        .console_errors()
        .into_iter()
        .filter(|e| !e.contains("status of 404"))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
}

#[test]
fn axe_finds_nothing_on_any_page_kind_in_any_language_light_or_dark() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    let mut failures = Vec::new();
    for w in [390, 1280] {
        width(&b, w);
        for lang in ["en", "he", "lt", "pl"] {
            for p in page_kinds(lang) {
                for theme in ["light", "dark"] {
                    b.goto(&p);
                    b.js(
                        "document.documentElement.dataset.theme = arguments[0];",
                        vec![json!(theme)],
                    );
                    for v in b.axe_all() {
                        failures.push(format!("{p} {w} {theme}: {v}"));
                    }
                }
            }
        }
    }
    b.goto("/");
    failures.extend(b.axe_all().into_iter().map(|v| format!("/: {v}")));
    assert!(failures.is_empty(), "{failures:#?}");
}
