//! The files made from many pages (feeds, search indexes, the sitemap):
//! a rebuild notes which it touched, and they are made after its pages.

use super::{same_bytes, State};
use crate::render::{atom_file, search_index_file, sitemap_file};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The files made from many pages that a rebuild has left to make.
#[derive(Debug, Default)]
pub(super) struct Derived {
    pub(super) langs: BTreeSet<String>,
    pub(super) sitemap: bool,
}

impl State {
    /// Makes the feeds, search indexes and sitemap that the changes applied
    /// since left to make (in parallel); the output paths that changed.
    pub fn finish_derived(&mut self) -> Vec<String> {
        let t = crate::timing::Timer::new();
        let todo = std::mem::take(&mut self.derived);
        let mut jobs: Vec<Option<&str>> = todo
            .langs
            .iter()
            .filter(|l| self.site.config.has_language(l))
            .map(|l| Some(l.as_str()))
            .collect();
        if todo.sitemap {
            jobs.push(None);
        }
        if jobs.is_empty() {
            return Vec::new();
        }
        let (site, out) = (&self.site, &self.out);
        let aux: Vec<_> = jobs
            .par_iter()
            .flat_map_iter(|job| match job {
                Some(l) => vec![
                    atom_file(site, l),
                    search_index_file(site, l, &out.article_search),
                ],
                None => vec![sitemap_file(site, &out.metas)],
            })
            .collect();
        t.lap("rebuild: feeds, search indexes, sitemap");
        let mut files = Vec::new();
        for f in aux {
            if !same_bytes(self.out.files.get(&f.path), &f.bytes) {
                files.push(f.path.clone());
                self.out.files.insert(f.path, Arc::new(f.bytes));
            }
        }
        files
    }
}
