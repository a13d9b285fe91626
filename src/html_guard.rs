//! What the HTML sanitizer's parser (html5ever, as ammonia runs it) would do
//! with a text's HTML, measured as the HTML is written: the parser's work
//! per tag grows with how deep elements nest, with how many attributes a tag
//! has, and (in ammonia's tree) with how many siblings an element has when
//! it is moved. Text that would make it slow is refused here, at load, with
//! its place, instead of taking minutes to build.
//!
//! The measure is html5ever's own tree builder, run over a tree that keeps
//! only what the measures need, so nesting is counted as the sanitizer will
//! see it: a closing tag that closes nothing closes nothing here either.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{
    ElementFlags, NodeOrText, QuirksMode, Tracer, TreeBuilder, TreeBuilderOpts, TreeSink,
};
use html5ever::{local_name, ns, Attribute, QualName};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// A tag with more attributes than this is refused: html5ever compares each
/// attribute's name with every earlier one of the tag.
pub const MAX_TAG_ATTRIBUTES: usize = 256;

/// What one text may cost the sanitizer's tree in moves (each move of an
/// element costs as many steps as its parent has children), per byte of
/// HTML and in all.
const MOVE_COST_PER_BYTE: u64 = 16;
const MOVE_COST_FREE: u64 = 1 << 20;

/// Why a text's HTML is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Elements nest (or formatting elements stay open) deeper than the limit.
    TooDeep,
    /// A tag with more than [`MAX_TAG_ATTRIBUTES`] attributes (counted as
    /// words: a quoted value's words count too).
    TooManyAttributes,
    /// Elements moved too often (content in a table outside its cells, or
    /// formatting tags closed out of order).
    TooManyMoves,
}

impl Refusal {
    pub fn message(&self, max_depth: usize) -> String {
        match self {
            Refusal::TooDeep => format!(
                "lists, quotes or HTML elements nest more than {max_depth} levels deep here; flatten the text"
            ),
            Refusal::TooManyAttributes => format!(
                "this HTML tag has more than {MAX_TAG_ATTRIBUTES} attributes (or words in its quoted values); shorten it"
            ),
            Refusal::TooManyMoves => "the HTML from here on moves elements too often (text or tags inside a <table> but outside its cells, or formatting tags closed out of order); fix the HTML".to_string(),
        }
    }
}

/// A node of the measuring tree: its name, and enough of its place to know
/// what ammonia's tree pays for moving it.
struct Node {
    name: Option<QualName>,
    template: Option<Handle>,
    mathml_integration: bool,
    /// The parent, with the number of times the parent's children had been
    /// moved away when this node joined it (see [`Node::moves`]).
    parent: RefCell<Option<(Handle, usize)>>,
    children: Cell<u64>,
    /// Where this node's children went each time they were all moved to
    /// another node, with that node's count of such moves then: children
    /// that joined before a move follow it.
    moves: RefCell<Vec<(Handle, usize)>>,
    /// The last count (see [`Depth`]) that counted this node.
    seen: Cell<u32>,
}

type Handle = Rc<Node>;

impl Node {
    fn new(name: Option<QualName>) -> Handle {
        Rc::new(Node {
            name,
            template: None,
            mathml_integration: false,
            parent: RefCell::new(None),
            children: Cell::new(0),
            moves: RefCell::new(Vec::new()),
            seen: Cell::new(0),
        })
    }
}

impl Drop for Node {
    // Parents are held by their children: dropping a long chain one by one
    // keeps the stack flat.
    fn drop(&mut self) {
        let mut next = self.parent.get_mut().take();
        while let Some((p, _)) = next {
            match Rc::try_unwrap(p) {
                Ok(mut n) => next = n.parent.get_mut().take(),
                Err(_) => break,
            }
        }
    }
}

/// The tree html5ever builds into.
struct Sink {
    doc: Handle,
    /// Steps ammonia's tree would take to move nodes so far.
    move_cost: Cell<u64>,
    /// Nodes made so far (texts joined to the one before them counted too).
    nodes: Cell<u64>,
    /// Nodes whose children were moved away (their `moves` hold other
    /// nodes, which may hold them: cleared at the end).
    moved_from: RefCell<Vec<Handle>>,
}

impl Sink {
    /// The parent `n` has now, following moves of its siblings.
    fn parent_of(&self, n: &Handle) -> Option<Handle> {
        let (mut p, mut gen) = n.parent.borrow().clone()?;
        loop {
            let next = p.moves.borrow().get(gen).cloned();
            match next {
                Some((q, g)) => {
                    p = q;
                    gen = g;
                }
                None => break,
            }
        }
        *n.parent.borrow_mut() = Some((p.clone(), gen));
        Some(p)
    }

    fn attach(&self, parent: &Handle, child: NodeOrText<Handle>) {
        parent.children.set(parent.children.get() + 1);
        if let NodeOrText::AppendText(_) = child {
            self.nodes.set(self.nodes.get() + 1);
        }
        if let NodeOrText::AppendNode(c) = child {
            let gen = parent.moves.borrow().len();
            *c.parent.borrow_mut() = Some((parent.clone(), gen));
        }
    }

    fn cost(&self, steps: u64) {
        self.move_cost
            .set(self.move_cost.get().saturating_add(steps));
    }
}

impl TreeSink for Sink {
    type Handle = Handle;
    type Output = ();
    type ElemName<'a> = &'a QualName;

    fn finish(self) {}

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        self.doc.clone()
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> &'a QualName {
        target.name.as_ref().expect("not an element")
    }

    fn create_element(&self, name: QualName, _: Vec<Attribute>, flags: ElementFlags) -> Handle {
        self.nodes.set(self.nodes.get() + 1);
        Rc::new(Node {
            name: Some(name),
            template: flags.template.then(|| Node::new(None)),
            mathml_integration: flags.mathml_annotation_xml_integration_point,
            parent: RefCell::new(None),
            children: Cell::new(0),
            moves: RefCell::new(Vec::new()),
            seen: Cell::new(0),
        })
    }

    fn create_comment(&self, _: StrTendril) -> Handle {
        self.nodes.set(self.nodes.get() + 1);
        Node::new(None)
    }

    fn create_pi(&self, _: StrTendril, _: StrTendril) -> Handle {
        Node::new(None)
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.attach(parent, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        if element.parent.borrow().is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Handle) -> Handle {
        target.template.clone().expect("a template")
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        Rc::ptr_eq(x, y)
    }

    fn set_quirks_mode(&self, _: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, child: NodeOrText<Handle>) {
        // ammonia's tree finds the sibling among its parent's children one
        // by one, and shifts the ones after it.
        if let Some(parent) = self.parent_of(sibling) {
            self.cost(parent.children.get());
            self.attach(&parent, child);
        }
    }

    fn add_attrs_if_missing(&self, _: &Handle, _: Vec<Attribute>) {}

    fn remove_from_parent(&self, target: &Handle) {
        if let Some(parent) = self.parent_of(target) {
            self.cost(parent.children.get());
            parent.children.set(parent.children.get().saturating_sub(1));
            *target.parent.borrow_mut() = None;
        }
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let n = node.children.replace(0);
        self.cost(n);
        new_parent.children.set(new_parent.children.get() + n);
        let gen = new_parent.moves.borrow().len();
        node.moves.borrow_mut().push((new_parent.clone(), gen));
        self.moved_from.borrow_mut().push(node.clone());
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        handle.mathml_integration
    }
}

/// The tree builder, as the tokenizer's sink, noting what the tokenizer
/// emitted since it was last asked.
struct Watch {
    builder: TreeBuilder<Handle, Sink>,
    /// A tag, comment or doctype ended (at a `>`).
    ended: Cell<bool>,
    /// Characters were emitted.
    chars: Cell<bool>,
}

impl TokenSink for Watch {
    type Handle = Handle;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<Handle> {
        match &token {
            Token::TagToken(_) | Token::CommentToken(_) | Token::DoctypeToken(_) => {
                self.ended.set(true)
            }
            Token::CharacterTokens(_) | Token::NullCharacterToken => self.chars.set(true),
            Token::EOFToken | Token::ParseError(_) => {}
        }
        self.builder.process_token(token, line)
    }

    fn end(&self) {
        self.builder.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// Counts the distinct nodes html5ever holds: its open elements and its
/// list of formatting elements to reopen.
struct Depth {
    epoch: u32,
    n: Cell<usize>,
}

impl Tracer for Depth {
    type Handle = Handle;

    fn trace_handle(&self, node: &Handle) {
        if node.seen.replace(self.epoch) != self.epoch {
            self.n.set(self.n.get() + 1);
        }
    }
}

/// Where the current stretch of HTML stands with respect to tags (see
/// [`HtmlGuard::feed`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stretch {
    /// Since the last reset the parser cannot have entered a tag.
    Outside,
    /// It may be in a tag that began at `start`; `words` bounds its
    /// attributes.
    MaybeTag { start: usize, words: usize },
    /// In a comment, doctype or the like: no attributes.
    Declaration,
}

/// Measures HTML as it is written: [`HtmlGuard::feed`] each piece, with the
/// source position of its bytes.
pub struct HtmlGuard {
    tokenizer: Tokenizer<Watch>,
    queue: BufferQueue,
    max_depth: usize,
    /// Handles html5ever always holds (document, context, root).
    base: usize,
    epoch: u32,
    stretch: Stretch,
    /// Bytes fed so far.
    fed: u64,
    refused: Option<(usize, Refusal)>,
    /// HTML the renderer made itself, waiting to be measured in one go,
    /// and the source offset of its first byte.
    markup: String,
    markup_at: usize,
    stopped: bool,
}

impl HtmlGuard {
    pub fn new(max_depth: usize) -> HtmlGuard {
        let sink = Sink {
            doc: Node::new(None),
            move_cost: Cell::new(0),
            nodes: Cell::new(0),
            moved_from: RefCell::new(Vec::new()),
        };
        // As ammonia parses: a fragment inside a <div>, without scripting.
        let context = html5ever::tree_builder::create_element(
            &sink,
            QualName::new(None, ns!(html), local_name!("div")),
            Vec::new(),
        );
        let builder =
            TreeBuilder::new_for_fragment(sink, context, None, TreeBuilderOpts::default());
        let state = builder.tokenizer_state_for_context_elem(false);
        let watch = Watch {
            builder,
            ended: Cell::new(false),
            chars: Cell::new(false),
        };
        let tokenizer = Tokenizer::new(
            watch,
            TokenizerOpts {
                initial_state: Some(state),
                ..TokenizerOpts::default()
            },
        );
        let mut g = HtmlGuard {
            tokenizer,
            queue: BufferQueue::default(),
            max_depth,
            base: 0,
            epoch: 0,
            stretch: Stretch::Outside,
            fed: 0,
            refused: None,
            markup: String::new(),
            markup_at: 0,
            stopped: false,
        };
        g.base = g.depth();
        g
    }

    /// Measures no more: what was fed is enough to refuse the text.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    /// Whether the parser is back where it began (no element open but the
    /// root, none to reopen, no tag or comment begun): what follows parses
    /// the same on its own.
    pub fn clean(&mut self) -> bool {
        self.flush();
        self.refused.is_none() && self.stretch == Stretch::Outside && self.depth() == self.base
    }

    /// Elements, texts and comments made so far.
    pub fn nodes(&self) -> u64 {
        self.tokenizer.sink.builder.sink.nodes.get()
    }

    /// The first refusal, with the source offset it was found at, once
    /// all the HTML was fed.
    pub fn finish(&mut self) -> Option<(usize, Refusal)> {
        self.flush();
        self.refused.clone()
    }

    fn depth(&mut self) -> usize {
        self.epoch = self.epoch.wrapping_add(1).max(1);
        let d = Depth {
            epoch: self.epoch,
            n: Cell::new(0),
        };
        self.tokenizer.sink.builder.trace_handles(&d);
        d.n.get()
    }

    /// Measures the next piece of HTML; `at(i)` is the source offset of its
    /// byte `i`. Does nothing once something was refused.
    pub fn feed(&mut self, html: &str, at: &dyn Fn(usize) -> usize) {
        if self.stopped {
            return;
        }
        self.flush();
        // The HTML goes to the parser in pieces that each hold at most one
        // `<` (first) and one `>` (last). A tag, comment or doctype ends
        // only at a `>`, so the tokens each piece makes tell where a tag
        // may still be open, and the attributes of a tag are bounded by the
        // words counted since (see `attribute_starts`) before the parser
        // reads them.
        let bytes = html.as_bytes();
        let mut start = 0;
        while start < bytes.len() && self.refused.is_none() {
            let mut end = start + 1;
            while end < bytes.len() && bytes[end] != b'<' && bytes[end - 1] != b'>' {
                end += 1;
            }
            self.piece(&html[start..end], at(start));
            start = end;
        }
    }

    /// Measures HTML the renderer wrote itself (from the text at source
    /// offset `at`): whole tags, quoted and escaped attribute values and
    /// escaped text, whose tags have few attributes. Where no tag is open it
    /// cannot leave one open, so it goes to the parser in large pieces.
    pub fn feed_markup(&mut self, html: &str, at: usize) {
        if self.refused.is_some() || self.stopped {
            return;
        }
        if let Stretch::MaybeTag { .. } = self.stretch {
            return self.feed(html, &|_| at);
        }
        if self.markup.is_empty() {
            self.markup_at = at;
        }
        self.markup.push_str(html);
        if self.markup.len() >= 4096 {
            self.flush();
        }
    }

    fn piece(&mut self, piece: &str, at: usize) {
        let lt = piece.starts_with('<');
        // `<!` or `<?` where no tag can be open: a comment, doctype or the
        // like (or, in a <style> and such, text), never a tag, until a token
        // ends it at a `>`.
        let declaration = self.stretch == Stretch::Outside
            && lt
            && matches!(piece.as_bytes().get(1), Some(b'!' | b'?'));
        if !declaration {
            if self.stretch == Stretch::Outside && lt {
                self.stretch = Stretch::MaybeTag {
                    start: at,
                    words: 0,
                };
            }
            if let Stretch::MaybeTag { start, words } = self.stretch {
                let words = words + attribute_starts(piece);
                if words > MAX_TAG_ATTRIBUTES {
                    self.refused = Some((start, Refusal::TooManyAttributes));
                    return;
                }
                self.stretch = Stretch::MaybeTag { start, words };
            }
        }
        let (ended, chars) = self.parse(piece, at);
        // A token that ends at a `>` ended at this piece's last byte; text
        // in a piece without `<`, or after `<!` that began none, means no
        // tag is open.
        if ended || (chars && (!lt || declaration)) {
            self.stretch = Stretch::Outside;
        } else if declaration {
            self.stretch = Stretch::Declaration;
        }
    }

    fn flush(&mut self) {
        if self.markup.is_empty() || self.refused.is_some() {
            return;
        }
        let markup = std::mem::take(&mut self.markup);
        // Whole tags leave the stretch as it was.
        self.parse(&markup, self.markup_at);
        self.markup = markup;
        self.markup.clear();
    }

    /// Gives `html` to the parser; whether a tag, comment or doctype ended
    /// in it, and whether text did.
    fn parse(&mut self, html: &str, at: usize) -> (bool, bool) {
        let watch = &self.tokenizer.sink;
        watch.ended.set(false);
        watch.chars.set(false);
        self.queue.push_back(StrTendril::from_slice(html));
        while let html5ever::TokenizerResult::Script(_) = self.tokenizer.feed(&self.queue) {}
        self.fed += html.len() as u64;
        let watch = &self.tokenizer.sink;
        let (ended, chars) = (watch.ended.get(), watch.chars.get());
        let cost = watch.builder.sink.move_cost.get();
        if cost > MOVE_COST_FREE + MOVE_COST_PER_BYTE * self.fed {
            self.refused = Some((at, Refusal::TooManyMoves));
        } else if (ended || chars) && self.depth() - self.base > self.max_depth {
            self.refused = Some((at, Refusal::TooDeep));
        }
        (ended, chars)
    }
}

impl Drop for HtmlGuard {
    fn drop(&mut self) {
        for n in self.tokenizer.sink.builder.sink.moved_from.take() {
            n.moves.borrow_mut().clear();
        }
    }
}

/// An upper bound of the attributes that begin in `s`: an attribute's name
/// begins after a space, `/` or quote, with any byte but those and `>`.
fn attribute_starts(s: &str) -> usize {
    let b = s.as_bytes();
    b.windows(2)
        .filter(|w| {
            matches!(
                w[0],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'/' | b'"' | b'\''
            ) && !matches!(w[1], b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'/' | b'>')
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(html: &str) -> Option<(usize, Refusal)> {
        let mut g = HtmlGuard::new(100);
        g.feed(html, &|i| i);
        g.finish()
    }

    #[test]
    fn stray_closing_tags_close_nothing() {
        assert_eq!(refusal(&"<div></div>".repeat(1000)), None);
        let (at, r) = refusal(&"<div></i>".repeat(1000)).unwrap();
        assert_eq!(r, Refusal::TooDeep);
        // The 101st <div>.
        assert_eq!(at, 100 * 9);
        assert_eq!(
            refusal(&"<span><div></span>".repeat(200)).unwrap().1,
            Refusal::TooDeep
        );
    }

    #[test]
    fn formatting_left_open_counts() {
        let html: String = (0..200)
            .map(|i| format!("<div><b id=b{i}></div>"))
            .collect();
        assert_eq!(refusal(&(html + "x")).unwrap().1, Refusal::TooDeep);
    }

    #[test]
    fn implied_ends_close() {
        assert_eq!(refusal(&"<ul><li><div>x</li></ul>".repeat(500)), None);
        assert_eq!(refusal(&"<p>x".repeat(5000)), None);
    }

    #[test]
    fn attributes_are_bounded_before_the_parser_reads_them() {
        let many: String = (0..300).map(|i| format!(" a{i}")).collect();
        let html = format!("<p>ok</p><div{many}>x</div>");
        assert_eq!(refusal(&html), Some((9, Refusal::TooManyAttributes)));
        // Quoted `>` do not end the tag.
        let quoted: String = (0..300).map(|i| format!(" a{i}=\">\"")).collect();
        assert_eq!(
            refusal(&format!("<div{quoted}>")).unwrap().1,
            Refusal::TooManyAttributes
        );
        // Nor does a quote opened in a comment.
        let after_comment = format!("<!-- <x a=\" --><div{many}>");
        assert_eq!(
            refusal(&after_comment).unwrap().1,
            Refusal::TooManyAttributes
        );
        let few: String = (0..200).map(|i| format!(" a{i}")).collect();
        assert_eq!(refusal(&format!("<div{few}>x</div>").repeat(20)), None);
    }

    #[test]
    fn long_text_and_comments_have_no_attributes() {
        let words = "word ".repeat(10_000);
        assert_eq!(refusal(&format!("<p>{words}</p>")), None);
        assert_eq!(refusal(&format!("<!-- {words} -->")), None);
        assert_eq!(refusal(&format!("<style>{words}</style>")), None);
        assert_eq!(refusal(&format!("a > b {words}")), None);
    }

    #[test]
    fn clean_where_nothing_is_open() {
        let mut g = HtmlGuard::new(100);
        assert!(g.clean());
        g.feed("<div><p>x</p>", &|i| i);
        assert!(!g.clean());
        g.feed("</div>\n", &|i| i);
        assert!(g.clean());
        g.feed("<b>x", &|i| i);
        g.feed("</p>", &|i| i);
        assert!(!g.clean(), "<b> is open");
        g.feed("</b><!-- open", &|i| i);
        assert!(!g.clean());
        g.feed(" -->", &|i| i);
        assert!(g.clean());
        g.feed_markup("<p>x</p>\n", 0);
        assert!(g.clean());
        assert!(g.nodes() >= 5);
    }

    #[test]
    fn elements_moved_out_of_tables_are_counted() {
        let html = format!("<table>{}</table>", "<div></div>".repeat(20_000));
        assert_eq!(refusal(&html).unwrap().1, Refusal::TooManyMoves);
        let html = format!("<table>{}</table>", "<div></div>".repeat(100));
        assert_eq!(refusal(&html), None);
    }
}
