/* servicekb search: runs in the browser over /<lang>/search-index.json (the
   only request it makes). Words are folded exactly as the build folds them
   (src/render/search_index.rs), every query word matches by prefix, and all
   of them must match. Index text only ever goes in as textContent. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var hint = document.getElementById("search-hint");
  var dataEl = document.getElementById("search-data");
  if (!form || !input || !results || !status) return;
  var D = {};
  try { D = JSON.parse(dataEl.textContent) || {}; } catch (e) { D = {}; }

  var MAX_SHOWN = 50;
  var DEBOUNCE_MS = 120;
  var SNIPPET = 220;
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

  /* ---------- the index ---------- */
  var pages = null; // [{t, u, d, k, s, h}]
  var vocab = []; // folded words, sorted by UTF-16 code units
  var postingText = []; // per word, the digits of its pages
  var fieldCache = [];

  function load(json) {
    pages = json.pages || [];
    vocab = [];
    postingText = [];
    var m;
    ENTRY.lastIndex = 0;
    while ((m = ENTRY.exec(json.words || "")) !== null) {
      vocab.push(m[1]);
      postingText.push(m[2]);
    }
  }
  function postings(i) {
    var out = [], n = 0, mult = 1, last = -1, s = postingText[i] || "";
    for (var k = 0; k < s.length; k++) {
      var c = s.charAt(k), d = LAST.indexOf(c);
      if (d >= 0) { last += n + d * mult + 1; out.push(last); n = 0; mult = 1; }
      else { n += MORE.indexOf(c) * mult; mult *= 14; }
    }
    return out;
  }
  // First index whose word is not below q.
  function lowerBound(q) {
    var lo = 0, hi = vocab.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (vocab[mid] < q) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
  // The pages holding a word that starts with q, as a flag per page.
  function pagesWithPrefix(q) {
    var flags = new Uint8Array(pages.length);
    for (var i = lowerBound(q); i < vocab.length && vocab[i].startsWith(q); i++) {
      postings(i).forEach(function (p) { flags[p] = 1; });
    }
    return flags;
  }
  function fields(i) {
    var f = fieldCache[i];
    if (!f) {
      var p = pages[i];
      f = fieldCache[i] = {
        t: foldedWords(p.t),
        s: foldedWords((p.s || []).join(" ")),
        h: foldedWords((p.h || []).join(" ")),
        d: foldedWords(p.d)
      };
    }
    return f;
  }
  // 2 when a word of ws is q, 1 when one starts with it, else 0.
  function hit(ws, q) {
    var best = 0;
    for (var k = 0; k < ws.length && best < 2; k++) {
      if (ws[k] === q) best = 2; else if (ws[k].startsWith(q)) best = 1;
    }
    return best;
  }
  function score(i, qs) {
    var f = fields(i), total = 0;
    qs.forEach(function (q) {
      var h, s = W_BODY;
      if ((h = hit(f.t, q))) s = W_TITLE + h;
      else if ((h = hit(f.s, q))) s = W_SKILL + h;
      else if ((h = hit(f.h, q))) s = W_HEADING + h;
      else if ((h = hit(f.d, q))) s = W_DESC + h;
      total += s;
    });
    return total;
  }
  function search(query) {
    var qs = [];
    foldedWords(query).forEach(function (q) { if (qs.indexOf(q) < 0) qs.push(q); });
    if (!qs.length) return null;
    var found = null;
    qs.forEach(function (q) {
      var flags = pagesWithPrefix(q);
      if (found === null) {
        found = [];
        for (var i = 0; i < flags.length; i++) if (flags[i]) found.push(i);
      } else {
        found = found.filter(function (i) { return flags[i]; });
      }
    });
    var collator = new Intl.Collator(D.language || undefined);
    var ranked = found.map(function (i) { return { i: i, score: score(i, qs) }; });
    ranked.sort(function (a, b) {
      return b.score - a.score ||
        (KIND_ORDER[pages[a.i].k] || 0) - (KIND_ORDER[pages[b.i].k] || 0) ||
        collator.compare(pages[a.i].t, pages[b.i].t);
    });
    return { qs: qs, ranked: ranked };
  }

  /* ---------- results ---------- */
  function matches(word, qs) {
    var f = fold(word);
    return qs.some(function (q) { return f.startsWith(q); });
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
  // The description (cut around its first hit), or the headings that hit.
  function snippetText(p, qs) {
    var d = p.d || "";
    var at = firstHit(d, qs);
    if (at < 0) {
      var hs = (p.h || []).filter(function (h) { return firstHit(h, qs) >= 0; });
      if (hs.length) return hs.slice(0, 3).join(" · ");
      if (!d) return (p.h || []).slice(0, 3).join(" · ");
      at = 0;
    }
    if (d.length <= SNIPPET) return d;
    var start = at < SNIPPET / 3 ? 0 : d.lastIndexOf(" ", at - SNIPPET / 4) + 1;
    var end = d.indexOf(" ", start + SNIPPET);
    if (end < 0) end = d.length;
    return (start > 0 ? "…" : "") + d.slice(start, end) + (end < d.length ? "…" : "");
  }
  function render(query, r) {
    results.textContent = "";
    results.setAttribute("data-query", query);
    if (!r) { status.textContent = ""; return; }
    var n = r.ranked.length;
    if (!n) { status.textContent = t("search_none", { query: query.trim() }); return; }
    status.textContent = n > MAX_SHOWN
      ? t("search_count_more", { count: n, shown: MAX_SHOWN })
      : t("search_count", { count: n });
    var ol = el("ol", "search-list");
    ol.setAttribute("aria-label", t("search_results_label"));
    r.ranked.slice(0, MAX_SHOWN).forEach(function (x) {
      var p = pages[x.i];
      var li = el("li", "search-hit");
      var a = el("a", "search-hit-title");
      a.href = p.u;
      highlighted(a, p.t, r.qs);
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "search-kind", t("search_kind_" + p.k)));
      var sn = snippetText(p, r.qs);
      if (sn) li.appendChild(highlighted(el("p", "search-snippet"), sn, r.qs));
      ol.appendChild(li);
    });
    results.appendChild(ol);
  }

  /* ---------- input, URL and keys ---------- */
  var timer = null;
  var lastRun = null;
  function keepInUrl(q) {
    var url = new URL(window.location.href);
    if (q.trim()) url.searchParams.set("q", q); else url.searchParams.delete("q");
    if (url.href !== window.location.href) history.replaceState(history.state, "", url.href);
  }
  function run() {
    clearTimeout(timer);
    var q = input.value;
    keepInUrl(q);
    if (!pages || q === lastRun) return;
    lastRun = q;
    render(q, search(q));
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  }
  input.addEventListener("input", later);
  input.addEventListener("search", run);
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });

  function links() { return Array.prototype.slice.call(results.querySelectorAll("a")); }
  input.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown") return;
    var ls = links();
    if (ls.length) { e.preventDefault(); ls[0].focus(); }
  });
  results.addEventListener("keydown", function (e) {
    var ls = links(), i = ls.indexOf(document.activeElement);
    if (i < 0) return;
    if (e.key === "ArrowDown") { e.preventDefault(); if (i + 1 < ls.length) ls[i + 1].focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? ls[i - 1] : input).focus(); }
    else if (e.key === "Escape") { e.preventDefault(); input.focus(); }
  });

  if (hint) {
    hint.hidden = false;
    input.setAttribute("aria-describedby", "search-hint");
  }
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) input.value = initial;
  status.textContent = t("search_loading");
  fetch(form.getAttribute("data-index"))
    .then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    })
    .then(function (json) {
      load(json);
      status.textContent = "";
      run();
    })
    .catch(function () { status.textContent = t("search_error"); });
})();
