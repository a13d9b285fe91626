//! Heading ids.

use std::collections::HashMap;

/// A heading id from its text: lower case, letters and digits of any script,
/// other runs turned into `-`.
pub fn slugify(text: &str) -> String {
    let text = crate::urls::nfc(text);
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else if !is_mark(c) {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// Combining marks (Hebrew niqqud among them) stay inside words.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0591..=0x05C7 | 0x200C | 0x200D)
}

/// Gives every heading an id: its `{#id}`, or one made from its text, unique
/// within the page (and apart from the theme's own ids).
#[derive(Default)]
pub(super) struct IdAllocator {
    used: HashMap<String, usize>,
    /// The next suffix to try per base, so many equal headings stay linear.
    next: HashMap<String, usize>,
}

impl IdAllocator {
    fn taken(&self, id: &str) -> bool {
        crate::sanitize::THEME_IDS.contains(&id) || self.used.contains_key(id)
    }

    /// Whether `id` was free.
    pub(super) fn explicit(&mut self, id: &str) -> bool {
        let free = !self.taken(id);
        *self.used.entry(id.to_string()).or_insert(0) += 1;
        free
    }

    pub(super) fn auto(&mut self, text: &str) -> String {
        let base = slugify(text);
        let mut id = base.clone();
        let mut n = self.next.get(&base).copied().unwrap_or(0);
        while self.taken(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        if n > 0 {
            self.next.insert(base, n);
        }
        self.used.insert(id.clone(), 1);
        id
    }
}
