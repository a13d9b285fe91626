//! Every page's site path: the one place that knows the URL scheme (see
//! docs/content-format.md, "URLs"). Paths are as the site writes them,
//! before the base path and percent-encoding are added.

/// A page (or file) of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    Home,
    Skills,
    Skill(&'a str),
    Checklists,
    Checklist(&'a str),
    Topic(&'a str),
    /// An article: the folders under `content/articles/` and its slug.
    Article(&'a [String], &'a str),
    Search,
    TranslationStatus,
    SearchIndex,
    Feed,
}

impl Route<'_> {
    /// What follows `/<lang>/`: `skills/empathy/`, or `` for the home page.
    pub fn suffix(&self) -> String {
        match self {
            Route::Home => String::new(),
            Route::Skills => "skills/".into(),
            Route::Skill(id) => format!("skills/{id}/"),
            Route::Checklists => "checklists/".into(),
            Route::Checklist(id) => format!("checklists/{id}/"),
            Route::Topic(id) => format!("topics/{id}/"),
            Route::Article(dirs, slug) => {
                let mut s = String::from("articles/");
                for d in dirs.iter() {
                    s.push_str(d);
                    s.push('/');
                }
                s.push_str(slug);
                s.push('/');
                s
            }
            Route::Search => "search/".into(),
            Route::TranslationStatus => "translation-status/".into(),
            Route::SearchIndex => "search-index.json".into(),
            Route::Feed => "atom.xml".into(),
        }
    }

    /// The site path in `lang`: `/en/skills/empathy/`.
    pub fn path(&self, lang: &str) -> String {
        format!("/{lang}/{}", self.suffix())
    }

    /// The output file's path in `lang`, relative to the output folder.
    pub fn file(&self, lang: &str) -> String {
        out_path(&self.path(lang))
    }
}

/// Where a site path is written: `/en/` → `en/index.html`.
pub fn out_path(url: &str) -> String {
    let p = url.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

/// The site's root page, which sends a reader to their language.
pub const ROOT: &str = "/";

/// The page for addresses the site does not have.
pub const NOT_FOUND: &str = "/404.html";

/// The theme's static files.
pub fn static_dir(base_path: &str) -> String {
    format!("{base_path}/static/")
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn paths_follow_the_url_scheme() {
        let dirs = ["hiring".to_string()];
        let cases = [
            (Route::Home, "/he/", "he/index.html"),
            (Route::Skills, "/he/skills/", "he/skills/index.html"),
            (
                Route::Skill("empathy"),
                "/he/skills/empathy/",
                "he/skills/empathy/index.html",
            ),
            (
                Route::Checklists,
                "/he/checklists/",
                "he/checklists/index.html",
            ),
            (
                Route::Checklist("agent"),
                "/he/checklists/agent/",
                "he/checklists/agent/index.html",
            ),
            (
                Route::Topic("hiring"),
                "/he/topics/hiring/",
                "he/topics/hiring/index.html",
            ),
            (
                Route::Article(&dirs, "ten-traits"),
                "/he/articles/hiring/ten-traits/",
                "he/articles/hiring/ten-traits/index.html",
            ),
            (
                Route::Article(&[], "x"),
                "/he/articles/x/",
                "he/articles/x/index.html",
            ),
            (Route::Search, "/he/search/", "he/search/index.html"),
            (
                Route::TranslationStatus,
                "/he/translation-status/",
                "he/translation-status/index.html",
            ),
            (
                Route::SearchIndex,
                "/he/search-index.json",
                "he/search-index.json",
            ),
            (Route::Feed, "/he/atom.xml", "he/atom.xml"),
        ];
        for (route, path, file) in cases {
            assert_eq!(route.path("he"), path);
            assert_eq!(route.file("he"), file);
        }
    }
}
