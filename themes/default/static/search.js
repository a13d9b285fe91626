/* servicekb search: runs in the browser over /<lang>/search-index.json (the
   only request it makes). Words are folded exactly as the build folds them
   (src/render/search_index.rs), every query word matches by prefix, and all
   of them should match (pages that lack one come after); a Hebrew word also
   matches without its one-letter prefixes (the index's `bare` words) and
   an inflected word by its stem, both ranked below the whole word. Index
   text only ever goes in as textContent. Two places use it: the search page
   (all results) and the field in every page's header (the first few, as
   you type; `/` or Ctrl+K goes to it). */
(function () {
  "use strict";
  var dataEl = document.getElementById("search-data");
  var D = {};
  try { D = JSON.parse(dataEl.textContent) || {}; } catch (e) { D = {}; }

  var DEBOUNCE_MS = 120;
  // Field weights: title and skill names above headings above description above body.
  var W_TITLE = 10, W_SKILL = 8, W_HEADING = 4, W_DESC = 2, W_BODY = 1;
  var KIND_ORDER = { article: 0, skill: 1, checklist: 2 };
  var WORD = /[\p{Alphabetic}\p{N}\p{M}]+/gu;
  var MARKS = /\p{M}+/gu;
  var MAPPED = /[łßøđıæœךםןףץ]/g;
  var MAP = {
    "ł": "l", "ß": "ss", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe",
    "ך": "כ", "ם": "מ", "ן": "נ", "ף": "פ", "ץ": "צ"
  };
  // A page gap's base-14 digits: the last from LAST, the others from MORE.
  var LAST = "!#$%&'()*+,-./", MORE = ":;<=>?@[]^`{|}";
  // A word (no digit character can occur in one), then its pages' digits.
  var ENTRY = /([^!#-\/:-@[\]^`{|}]+)([!#-\/:-@[\]^`{|}]+)/g;

  function t(key, vars) {
    var s = (D.t && D.t[key]) || key;
    if (vars) Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
    return s;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* ---------- folding, as the build does it ---------- */
  function fold(s) {
    // Σ first: the build lowercases letter by letter, with no final-sigma rule.
    return s.normalize("NFD").replace(MARKS, "").replace(/Σ/g, "σ").toLowerCase()
      .replace(MAPPED, function (c) { return MAP[c]; });
  }
  // Folding keeps letters letters, so folding before splitting splits alike.
  function foldedWords(text) {
    return fold(text || "").match(WORD) || [];
  }
  // A folded Hebrew word without its prefixes, as hebrew_bare_forms in the build.
  function bareForms(w) {
    var out = [];
    if ("והבלמשכ".indexOf(w.charAt(0)) < 0) return out;
    function cuts(s, ps) {
      var c = [0];
      ps.forEach(function (p) { if (s.startsWith(p)) c.push(p.length); });
      return c;
    }
    cuts(w, ["ו"]).forEach(function (a) {
      cuts(w.slice(a), ["ש", "כש", "מ"]).forEach(function (b) {
        cuts(w.slice(a + b), ["ה", "ב", "ל", "כ", "מ"]).forEach(function (c) {
          var at = a + b + c, rest = w.slice(at);
          if (at > 0 && Array.from(rest).length >= 3 && out.indexOf(rest) < 0) out.push(rest);
        });
      });
    });
    return out;
  }

  /* ---------- the index ---------- */
  function Index(json) {
    this.pages = json.pages || [];
    this.words = parseWords(json.words);
    this.bare = parseWords(json.bare);
    this.fieldCache = [];
  }
  function parseWords(text) {
    var vocab = [], postingText = [], m;
    ENTRY.lastIndex = 0;
    while ((m = ENTRY.exec(text || "")) !== null) {
      vocab.push(m[1]);
      postingText.push(m[2]);
    }
    return { vocab: vocab, postingText: postingText };
  }
  function postings(s) {
    var out = [], n = 0, mult = 1, last = -1;
    for (var k = 0; k < s.length; k++) {
      var c = s.charAt(k), d = LAST.indexOf(c);
      if (d >= 0) { last += n + d * mult + 1; out.push(last); n = 0; mult = 1; }
      else { n += MORE.indexOf(c) * mult; mult *= 14; }
    }
    return out;
  }
  // First index whose word is not below q.
  function lowerBound(vocab, q) {
    var lo = 0, hi = vocab.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (vocab[mid] < q) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
  // Sets flags[p] = 1 for the pages holding a word of `words` that starts with q.
  function markPrefix(words, q, flags) {
    var v = words.vocab;
    for (var i = lowerBound(v, q); i < v.length && v[i].startsWith(q); i++) {
      postings(words.postingText[i]).forEach(function (p) { flags[p] = 1; });
    }
  }
  Index.prototype.fields = function (i) {
    var f = this.fieldCache[i];
    if (!f) {
      var p = this.pages[i];
      f = this.fieldCache[i] = {
        t: foldedWords(p.t),
        s: foldedWords((p.s || []).join(" ")),
        h: foldedWords((p.h || []).join(" ")),
        d: foldedWords(p.d)
      };
    }
    return f;
  };
  // 2 when a word of ws is q, 1 when one starts with it, else 0; with
  // `bare`, the words' forms without prefixes count (ranked lower).
  function hit(ws, q, bare) {
    var best = 0;
    for (var k = 0; k < ws.length && best < 2; k++) {
      var forms = bare ? bareForms(ws[k]) : [ws[k]];
      for (var j = 0; j < forms.length; j++) {
        if (forms[j] === q) best = 2; else if (forms[j].startsWith(q)) best = Math.max(best, 1);
      }
    }
    return best;
  }
  function fieldScore(f, q, bare) {
    var h;
    if ((h = hit(f.t, q, bare))) return W_TITLE + h;
    if ((h = hit(f.s, q, bare))) return W_SKILL + h;
    if ((h = hit(f.h, q, bare))) return W_HEADING + h;
    if ((h = hit(f.d, q, bare))) return W_DESC + h;
    return W_BODY;
  }
  // Per query word it has: the field the word hits; a page that has the
  // word only with a prefix (Hebrew) or only shortened scores half of that.
  // A page with every word gets FULL more, so it ranks above one that
  // lacks a word unless that one hits in a better field.
  var FULL = 3;
  Index.prototype.score = function (i, terms) {
    var f = this.fields(i), total = 0, all = true;
    terms.forEach(function (x) {
      if (x.exact[i]) total += fieldScore(f, x.q, false);
      else if (x.any[i]) total += fieldScore(f, x.q, true) / 2;
      else all = false;
    });
    return total + (all ? FULL : 0);
  };
  // The pages that have a word starting with q: whole (`exact`), or also
  // without a Hebrew prefix (`any`); none, then q shortened by up to three
  // letters (an inflected form: `atrankoje` finds `atranka`) to at least four.
  Index.prototype.term = function (q) {
    var n = this.pages.length, letters = Array.from(q);
    for (var cut = 0; cut <= 3 && (cut === 0 || letters.length - cut >= 4); cut++) {
      var p = letters.slice(0, letters.length - cut).join("");
      var exact = new Uint8Array(n), any = new Uint8Array(n), count = 0;
      markPrefix(this.words, p, exact);
      markPrefix(this.bare, p, any);
      for (var i = 0; i < n; i++) {
        if (cut) { any[i] |= exact[i]; exact[i] = 0; } else any[i] |= exact[i];
        count += any[i];
      }
      if (count) return { q: p, exact: exact, any: any };
    }
    return null;
  };
  // Pages with every query word, then (for two words or more) those that
  // lack one; a word no page has gives no results (most likely a typo).
  Index.prototype.search = function (query) {
    var self = this, qs = [];
    foldedWords(query).forEach(function (q) { if (qs.indexOf(q) < 0) qs.push(q); });
    if (!qs.length) return null;
    var terms = [];
    for (var k = 0; k < qs.length; k++) {
      var x = this.term(qs[k]);
      if (!x) return { qs: qs, ranked: [] };
      terms.push(x);
    }
    var need = terms.length >= 2 ? terms.length - 1 : 1, found = [];
    for (var i = 0; i < this.pages.length; i++) {
      var has = 0;
      terms.forEach(function (x) { has += x.any[i]; });
      if (has >= need) found.push(i);
    }
    var collator = new Intl.Collator(D.language || undefined);
    var ranked = found.map(function (i) { return { i: i, score: self.score(i, terms) }; });
    ranked.sort(function (a, b) {
      return b.score - a.score ||
        (KIND_ORDER[self.pages[a.i].k] || 0) - (KIND_ORDER[self.pages[b.i].k] || 0) ||
        collator.compare(self.pages[a.i].t, self.pages[b.i].t);
    });
    // Highlighting marks what was matched: the shortened words.
    return { qs: terms.map(function (x) { return x.q; }), ranked: ranked };
  };

  var loading = {};
  // The index at url, fetched once per page.
  function loadIndex(url) {
    if (!loading[url]) {
      loading[url] = fetch(url)
        .then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        })
        .then(function (json) { return new Index(json); });
    }
    return loading[url];
  }

  /* ---------- results ---------- */
  function matches(word, qs) {
    var f = fold(word), forms = [f].concat(bareForms(f));
    return qs.some(function (q) {
      return forms.some(function (x) { return x.startsWith(q); });
    });
  }
  // Appends text to parent, the words that match a query word in <mark>.
  function highlighted(parent, text, qs) {
    var last = 0, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      if (!matches(m[0], qs)) continue;
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      parent.appendChild(el("mark", null, m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }
  function firstHit(text, qs) {
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) if (matches(m[0], qs)) return m.index;
    return -1;
  }
  // Up to `size` characters of text around index `at`, cut between words:
  // the hit starts a little way in, so the words before it give context.
  function around(text, at, size) {
    if (text.length <= size) return text;
    var start = 0;
    if (at > size / 4) {
      start = text.lastIndexOf(" ", at - Math.floor(size / 4));
      start = start < 0 ? 0 : start + 1;
    }
    var end = text.indexOf(" ", Math.min(text.length, start + size));
    if (end < 0 || end - start > size + 30) end = Math.min(text.length, start + size);
    return (start > 0 ? "…" : "") + text.slice(start, end).trim() + (end < text.length ? "…" : "");
  }
  // Around the first word that matches: in the description, else the
  // headings that match; without a match there, the description's start.
  function snippetText(p, qs, size) {
    var d = p.d || "";
    var at = firstHit(d, qs);
    if (at >= 0) return around(d, at, size);
    var hs = (p.h || []).filter(function (h) { return firstHit(h, qs) >= 0; });
    if (hs.length) return around(hs.slice(0, 3).join(" · "), 0, size);
    if (!d) return around((p.h || []).slice(0, 3).join(" · "), 0, size);
    return around(d, 0, size);
  }
  function resultList(index, r, max, size) {
    var ol = el("ol", "search-list");
    ol.setAttribute("aria-label", t("search_results_label"));
    r.ranked.slice(0, max).forEach(function (x) {
      var p = index.pages[x.i];
      var li = el("li", "search-hit");
      var a = el("a", "search-hit-title");
      a.href = p.u;
      highlighted(a, p.t, r.qs);
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "search-kind", t("search_kind_" + p.k)));
      var sn = snippetText(p, r.qs, size);
      if (sn) li.appendChild(highlighted(el("p", "search-snippet"), sn, r.qs));
      ol.appendChild(li);
    });
    return ol;
  }

  // Arrow keys move from the field through the result links and back;
  // Escape comes back to the field (or, from it, calls onEscape).
  function keys(input, results, onEscape) {
    function links() { return Array.prototype.slice.call(results.querySelectorAll("a")); }
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        var ls = links();
        if (ls.length) { e.preventDefault(); ls[0].focus(); }
      } else if (e.key === "Escape" && onEscape) {
        onEscape(e);
      }
    });
    results.addEventListener("keydown", function (e) {
      var ls = links(), i = ls.indexOf(document.activeElement);
      if (i < 0) return;
      if (e.key === "ArrowDown") { e.preventDefault(); if (i + 1 < ls.length) ls[i + 1].focus(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? ls[i - 1] : input).focus(); }
      else if (e.key === "Escape") { e.preventDefault(); input.focus(); }
    });
  }

  /* ---------- the search page ---------- */
  function searchPage() {
    var form = document.getElementById("search-form");
    var input = document.getElementById("search-q");
    var results = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var hint = document.getElementById("search-hint");
    if (!form || !input || !results || !status) return;
    var MAX_SHOWN = 50, SNIPPET = 220;
    var index = null, timer = null, lastRun = null;

    function render(query, r) {
      results.textContent = "";
      results.setAttribute("data-query", query);
      if (!r) { status.textContent = ""; return; }
      var n = r.ranked.length;
      if (!n) { status.textContent = t("search_none", { query: query.trim() }); return; }
      status.textContent = n > MAX_SHOWN
        ? t("search_count_more", { count: n, shown: MAX_SHOWN })
        : t("search_count", { count: n });
      results.appendChild(resultList(index, r, MAX_SHOWN, SNIPPET));
    }
    function keepInUrl(q) {
      var url = new URL(window.location.href);
      if (q.trim()) url.searchParams.set("q", q); else url.searchParams.delete("q");
      if (url.href !== window.location.href) history.replaceState(history.state, "", url.href);
    }
    function run() {
      clearTimeout(timer);
      var q = input.value;
      keepInUrl(q);
      if (!index || q === lastRun) return;
      lastRun = q;
      render(q, index.search(q));
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE_MS);
    });
    input.addEventListener("search", run);
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    keys(input, results, null);

    if (hint) {
      hint.hidden = false;
      input.setAttribute("aria-describedby", "search-hint");
    }
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) input.value = initial;
    status.textContent = t("search_loading");
    loadIndex(form.getAttribute("data-index"))
      .then(function (ix) {
        index = ix;
        status.textContent = "";
        run();
      })
      .catch(function () { status.textContent = t("search_error"); });
  }

  /* ---------- the header field ---------- */
  function headerSearch() {
    var form = document.getElementById("header-search");
    var input = document.getElementById("header-q");
    var panel = document.getElementById("header-results");
    var status = document.getElementById("header-status");
    if (!form || !input || !panel || !status) return;
    var MAX_SHOWN = 8, SNIPPET = 110;
    var index = null, timer = null, lastRun = null;
    var list = el("div", "header-results-list");
    panel.appendChild(list);

    function open(on) {
      panel.hidden = !on;
      form.classList.toggle("is-open", on);
    }
    function render(query, r) {
      list.textContent = "";
      list.setAttribute("data-query", query);
      if (!r) { status.textContent = ""; open(false); return; }
      var n = r.ranked.length;
      status.textContent = n ? t("search_count", { count: n }) : t("search_none", { query: query.trim() });
      if (n) list.appendChild(resultList(index, r, MAX_SHOWN, SNIPPET));
      else list.appendChild(el("p", "header-none", status.textContent));
      var all = el("a", "header-results-all", t("search_all", { query: query.trim() }));
      all.href = form.action + "?q=" + encodeURIComponent(query.trim());
      list.appendChild(all);
      open(true);
    }
    function run() {
      clearTimeout(timer);
      var q = input.value;
      if (!index || q === lastRun) return;
      lastRun = q;
      render(q, index.search(q));
    }
    function start() {
      if (index) return;
      loadIndex(form.getAttribute("data-index"))
        .then(function (ix) { index = ix; run(); })
        .catch(function () {
          status.textContent = t("search_error");
          list.textContent = "";
          list.appendChild(el("p", "header-none", status.textContent));
          open(true);
        });
    }
    input.addEventListener("focus", start);
    input.addEventListener("input", function () {
      start();
      clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE_MS);
    });
    keys(input, panel, function (e) {
      if (!panel.hidden) { e.preventDefault(); open(false); }
      else if (input.value) { e.preventDefault(); input.value = ""; lastRun = null; }
    });
    // Leaving the field and its results closes them.
    form.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !form.contains(e.relatedTarget)) open(false);
    });
    input.addEventListener("focus", function () {
      if (input.value && list.firstChild) open(true);
    });
    document.addEventListener("click", function (e) {
      if (!form.contains(e.target)) open(false);
    });

    // `/` (outside text fields) and Ctrl+K or ⌘K go to the field.
    document.addEventListener("keydown", function (e) {
      var tgt = e.target, tag = tgt && tgt.tagName;
      var typing = tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (tgt && tgt.isContentEditable);
      // By the key's place too, for layouts (Hebrew) where it types another letter.
      var slash = !typing && !e.ctrlKey && !e.metaKey && !e.altKey &&
        (e.key === "/" || (e.code === "Slash" && !e.shiftKey));
      var ctrlK = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey &&
        (e.key === "k" || e.key === "K" || e.code === "KeyK");
      if (!slash && !ctrlK) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }

  searchPage();
  headerSearch();
})();
