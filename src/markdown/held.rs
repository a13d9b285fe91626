//! An article's HTML while it waits for its page. Up to a budget it is held
//! as written; past it, LZ4-packed (to about two thirds), so that a very
//! large site does not need memory for all its HTML at once, while a site of
//! ordinary size pays nothing for it.

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes held by HTML as written (its strings' capacity), by every [`Held`]
/// alive in the process.
static PLAIN: AtomicUsize = AtomicUsize::new(0);

/// How much HTML is held as written before the rest is packed: a site of
/// 10,000 realistic pages holds about 80 MB of it, one of 100,000 about
/// 830 MB.
const PLAIN_BUDGET: usize = 384 << 20;

thread_local! {
    static PACK_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

#[derive(Debug, Default)]
pub struct Held(Form);

#[derive(Debug, Default)]
enum Form {
    #[default]
    Empty,
    Plain(String),
    /// The packed bytes, and the length of the HTML.
    Packed(Box<[u8]>, usize),
}

impl Held {
    pub fn new(html: String) -> Held {
        Held::with_budget(html, PLAIN_BUDGET)
    }

    fn with_budget(html: String, budget: usize) -> Held {
        let (len, size) = (html.len(), html.capacity());
        let fits = PLAIN
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |held| {
                (held + size <= budget).then_some(held + size)
            })
            .is_ok();
        if fits {
            return Held(Form::Plain(html));
        }
        // Packed into a buffer the thread keeps, then copied out at its
        // size: a block shrunk in place would keep its memory.
        let packed = PACK_BUFFER.with_borrow_mut(|buf| {
            buf.resize(lz4_flex::block::get_maximum_output_size(len), 0);
            let n = lz4_flex::block::compress_into(html.as_bytes(), buf).ok();
            let packed = n.map(|n| Box::<[u8]>::from(&buf[..n]));
            // One huge article does not keep its buffer's size for good.
            if buf.capacity() > 4 << 20 {
                *buf = Vec::new();
            }
            packed
        });
        match packed {
            Some(bytes) => Held(Form::Packed(bytes, len)),
            // The buffer has the room LZ4 asks for, so this does not happen;
            // if it did, the HTML would stay as written.
            None => {
                PLAIN.fetch_add(size, Ordering::Relaxed);
                Held(Form::Plain(html))
            }
        }
    }

    /// The HTML, unpacked when it was packed.
    pub fn html(&self) -> Cow<'_, str> {
        match &self.0 {
            Form::Empty => Cow::Borrowed(""),
            Form::Plain(s) => Cow::Borrowed(s),
            Form::Packed(bytes, len) => {
                // Packed here from a String, so both steps succeed; were they
                // to fail, the page would lose its body, not the process.
                // The standard library's check of the text cost more than
                // the unpacking on Hebrew and Lithuanian HTML; the SIMD
                // check is several times faster.
                let unpacked = lz4_flex::block::decompress(bytes, *len).unwrap_or_default();
                if simdutf8::basic::from_utf8(&unpacked).is_err() {
                    return Cow::Borrowed("");
                }
                // SAFETY: the bytes were validated as UTF-8 just above.
                Cow::Owned(unsafe { String::from_utf8_unchecked(unpacked) })
            }
        }
    }
}

#[cfg(test)]
impl Held {
    /// The same HTML, packed whatever the budget.
    pub fn packed(&self) -> Held {
        Held::with_budget(self.html().into_owned(), 0)
    }
}

impl Clone for Held {
    fn clone(&self) -> Held {
        match &self.0 {
            Form::Empty => Held::default(),
            Form::Plain(s) => Held::new(s.clone()),
            Form::Packed(bytes, len) => Held(Form::Packed(bytes.clone(), *len)),
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Form::Plain(s) = &self.0 {
            PLAIN.fetch_sub(s.capacity(), Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_past_the_budget_is_packed_and_comes_back_whole() {
        let text = "<p>Żółć, שלום, ąčęėįšųūž: a paragraph of text.</p>\n".repeat(200);
        let held = Held::with_budget(text.clone(), 0);
        assert!(matches!(held.0, Form::Packed(ref b, _) if b.len() < text.len() / 2));
        assert_eq!(held.html(), text);
        assert_eq!(held.clone().html(), text);
        let plain = Held::with_budget(text.clone(), usize::MAX);
        assert!(matches!(plain.0, Form::Plain(_)));
        assert_eq!(plain.html(), text);
    }
}
