/* servicekb checklists: live scores, radar chart, saved assessments,
   JSON/CSV export, JSON import, the team view, progress over time, the
   comparison with related checklists (self vs team lead) and a one-page
   printed report. Plain JavaScript, no network. Text from users or files
   only ever goes in as textContent. */
(function () {
  "use strict";
  var form = document.getElementById("checklist-form");
  var dataEl = document.getElementById("checklist-data");
  var results = document.getElementById("checklist-results");
  if (!form || !dataEl || !results) return;
  var D;
  try { D = JSON.parse(dataEl.textContent); } catch (e) { return; }

  var FORMAT = "servicekb-assessment";
  var VERSION = 2; // of the export format; version 1 files still import
  var STORE_VERSION = 1;
  var ID_RE = /^[A-Za-z0-9_-]{4,64}$/;
  var MAX_FILE = 1024 * 1024;
  var MAX_NAME = 120;
  var MAX_NOTES = 20000;
  var SVG = "http://www.w3.org/2000/svg";
  var min = Number(D.scale.min), max = Number(D.scale.max);
  var rtl = document.documentElement.dir === "rtl";
  var storeKey = "servicekb.assessments." + D.checklist;
  var draftKey = "servicekb.draft." + D.checklist;
  var itemKeys = {};
  D.items.forEach(function (it) { itemKeys[it.key] = it; });
  var skillById = {};
  D.skills.forEach(function (s) { skillById[s.id] = s; });
  var numberFmt = new Intl.NumberFormat(D.language, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  // Spreadsheets in these languages expect a semicolon between cells and a decimal comma.
  var commaLang = /^(pl|lt)\b/.test(D.language);
  var csvSep = commaLang ? ";" : ",";
  function csvNum(v) { return v === null || v === undefined ? "" : commaLang ? v.toFixed(2).replace(".", ",") : v.toFixed(2); }
  function titleOf(id) { return (D.titles && D.titles[id]) || id; }
  var pctFmt = new Intl.NumberFormat(D.language, { style: "percent", maximumFractionDigits: 0 });
  var dateFmt = new Intl.DateTimeFormat(D.language, { dateStyle: "medium", timeZone: "UTC" });
  var shortDateFmt = new Intl.DateTimeFormat(D.language, { month: "short", year: "numeric", timeZone: "UTC" });
  function fmtDate(iso, short) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso || "")) return iso || "";
    var d = new Date(iso + "T00:00:00Z");
    return isNaN(d) ? iso : (short ? shortDateFmt : dateFmt).format(d);
  }
  // One person, however the name was typed: case, spacing and Unicode form aside.
  function norm(name) { return String(name || "").normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase(); }
  // Oldest first: by date, then by when it was saved.
  function byDate(a, b) {
    return (a.date || "").localeCompare(b.date || "") || String(a.saved || "").localeCompare(String(b.saved || ""));
  }
  // A signed change, "+0.5" or "−0.5", that reads left to right in any page.
  function fmtChange(d, digits) {
    if (d === null || d === undefined) return "–";
    var v = digits === 0 ? Math.round(d) : Math.round(d * 10) / 10;
    if (v === 0) return digits === 0 ? "0" : numberFmt.format(0);
    var n = digits === 0 ? String(Math.abs(v)) : numberFmt.format(Math.abs(v));
    return (v > 0 ? "+" : "\u2212") + n;
  }
  function changeCell(td, d, digits) {
    td.appendChild(el("span", { dir: "ltr", class: d > 0.049 ? "cl-up" : d < -0.049 ? "cl-down" : null }, fmtChange(d, digits)));
    return td;
  }

  function t(key, vars) {
    var s = (D.t && D.t[key]) || key;
    if (vars) Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
    return s;
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "class") e.className = attrs[k];
      else if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
    });
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function fmt(n) { return n === null ? "–" : numberFmt.format(n); }
  function label(score) {
    if (score === null) return "";
    var i = Math.round(score) - min;
    return D.scale.labels[i] || "";
  }
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  /* ---------- answers and scores ---------- */
  function readForm() {
    var answers = {};
    D.items.forEach(function (it) {
      var r = form.querySelector('input[type="radio"][name="' + cssEscape(it.key) + '"]:checked');
      if (r) answers[it.key] = Number(r.value);
    });
    return answers;
  }
  function cssEscape(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, "\\$&"); }
  function writeForm(answers) {
    form.querySelectorAll('input[type="radio"]').forEach(function (r) {
      r.checked = answers[r.name] === Number(r.value);
    });
  }
  function scores(answers) {
    var out = { skills: {}, answered: {}, total: null, count: 0 };
    var sum = 0;
    D.skills.forEach(function (s) {
      var n = 0, total = 0;
      D.items.forEach(function (it) {
        if (it.skill === s.id && typeof answers[it.key] === "number") { n++; total += answers[it.key]; }
      });
      out.skills[s.id] = n ? total / n : null;
      out.answered[s.id] = n;
      out.count += n;
      sum += total;
    });
    out.total = out.count ? sum / out.count : null;
    return out;
  }
  function itemsOf(skill) { return D.items.filter(function (it) { return it.skill === skill; }).length; }

  /* ---------- state ---------- */
  var status = el("p", { class: "cl-status", role: "status", "aria-live": "polite" });
  var alertBox = el("p", { class: "cl-alert", role: "alert" });
  var storageOk = true;
  // id: the saved record the form shows (null: not saved yet); draftId: the
  // id an unsaved assessment gets when it is exported or saved, so that a
  // file exported before saving is recognised when it comes back.
  var current = { id: null, draftId: null, name: "", date: today() };

  // One message at a time: a new one replaces the old.
  function report(msg) { clearAlert(); status.textContent = msg; }
  function fail(msg) { status.textContent = ""; alertBox.textContent = msg; alertBox.hidden = false; }
  function clearAlert() { alertBox.textContent = ""; alertBox.hidden = true; }
  function recordOf(id) { return id ? saved.filter(function (x) { return x.id === id; })[0] || null : null; }
  function sameAnswers(a, b) {
    var ka = Object.keys(a), kb = Object.keys(b || {});
    return ka.length === kb.length && ka.every(function (k) { return b[k] === a[k]; });
  }
  // Whether the form holds answers that no saved record has.
  function isDirty() {
    var answers = readForm(), notes = notesField ? notesField.value : "";
    var rec = recordOf(current.id);
    if (!rec) return Object.keys(answers).length > 0 || notes.trim() !== "";
    return !sameAnswers(answers, rec.answers) || notes !== (rec.notes || "") ||
      (dateInput.value || "") !== (rec.date || "") || nameInput.value.trim() !== rec.name;
  }

  function loadSaved(key, spec) {
    try {
      var raw = window.localStorage.getItem(key || storeKey);
      if (!raw) return [];
      var parsed = JSON.parse(raw);
      return Array.isArray(parsed.items) ? parsed.items.filter(function (a) { return validAssessment(a, spec) === null; }) : [];
    } catch (e) {
      storageOk = false;
      return [];
    }
  }
  var saved = loadSaved();
  // Checklists that share skills with this one (a self-assessment and the
  // team lead's, say): their assessments are kept in their own stores, so
  // that each page counts only its own, and are read here to compare.
  var related = {};
  (D.related || []).forEach(function (r) {
    var keys = {};
    (r.items || []).forEach(function (k) { keys[k] = true; });
    related[r.id] = { id: r.id, title: r.title || r.id, min: Number(r.min), max: Number(r.max), skills: r.skills || [], keys: keys, key: "servicekb.assessments." + r.id };
  });
  function relatedSaved(r) { return loadSaved(r.key, r); }
  function persist() {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify({ version: STORE_VERSION, items: saved }));
      return true;
    } catch (e) {
      fail(t("cl_storage_error"));
      return false;
    }
  }
  function saveDraft() {
    try {
      window.localStorage.setItem(draftKey, JSON.stringify({
        answers: readForm(), notes: notesField ? notesField.value : "",
        id: current.id, draftId: current.draftId, name: nameInput.value, date: dateInput.value
      }));
    } catch (e) {
      if (storageOk) { storageOk = false; fail(t("cl_storage_error")); }
    }
  }

  /* ---------- tools panel (before the form) ---------- */
  var notesField = form.querySelector("textarea[name=notes]");
  var tools = el("section", { class: "cl-tools no-print", "aria-labelledby": "cl-tools-title" });
  var toolsHead = el("div", { class: "cl-tools-head" });
  toolsHead.appendChild(el("h2", { id: "cl-tools-title" }, t("cl_saved_title")));
  var teamLink = el("a", { href: "#cl-team", id: "cl-team-link", class: "cl-team-link" });
  toolsHead.appendChild(teamLink);
  tools.appendChild(toolsHead);
  tools.appendChild(el("p", { class: "cl-privacy", id: "cl-privacy" }, t("cl_privacy")));
  var meta = el("div", { class: "cl-meta" });
  var nameLabel = el("label", { for: "cl-name" }, t("cl_name_label"));
  var nameInput = el("input", { id: "cl-name", type: "text", maxlength: String(MAX_NAME), autocomplete: "off" });
  var dateLabel = el("label", { for: "cl-date" }, t("cl_date_label"));
  var dateInput = el("input", { id: "cl-date", type: "date" });
  dateInput.value = current.date;
  [nameLabel, nameInput, dateLabel, dateInput].forEach(function (n) { meta.appendChild(n); });
  tools.appendChild(meta);
  var actions = el("div", { class: "cl-actions" });
  var saveBtn = el("button", { type: "button", id: "cl-save" }, t("cl_save"));
  var saveNewBtn = el("button", { type: "button", id: "cl-save-new", class: "secondary" }, t("cl_save_as_new"));
  var newBtn = el("button", { type: "button", id: "cl-new", class: "secondary" }, t("cl_new"));
  var jsonBtn = el("button", { type: "button", id: "cl-export-json", class: "secondary" }, t("cl_export_json"));
  var csvBtn = el("button", { type: "button", id: "cl-export-csv", class: "secondary" }, t("cl_export_csv"));
  var printBtn = el("button", { type: "button", id: "cl-print", class: "secondary" }, t("cl_print"));
  var reportBtn = el("button", { type: "button", id: "cl-print-report", class: "secondary" }, t("cl_print_report"));
  [saveBtn, saveNewBtn, newBtn, jsonBtn, csvBtn, printBtn, reportBtn].forEach(function (b) { actions.appendChild(b); });
  tools.appendChild(actions);
  // How a re-assessment is kept: said once, next to the buttons.
  tools.appendChild(el("p", { class: "cl-hint", id: "cl-save-hint" }, t("cl_save_hint")));
  saveNewBtn.setAttribute("aria-describedby", "cl-save-hint");
  // Questions before anything is overwritten or thrown away.
  var askBox = el("div", { class: "cl-ask", id: "cl-ask", role: "group", "aria-labelledby": "cl-ask-text" });
  askBox.hidden = true;
  tools.appendChild(askBox);
  var importLabel = el("label", { for: "cl-import", class: "cl-import-label" }, t("cl_import"));
  var importInput = el("input", { id: "cl-import", type: "file", accept: "application/json,.json", multiple: "" });
  var importBox = el("div", { class: "cl-import" });
  importBox.appendChild(importLabel);
  importBox.appendChild(importInput);
  tools.appendChild(importBox);
  alertBox.hidden = true;
  tools.appendChild(alertBox);
  tools.appendChild(status);
  var list = el("ul", { class: "cl-saved", id: "cl-saved" });
  tools.appendChild(list);
  form.parentNode.insertBefore(tools, form);

  /* ---------- progress bar (sticky, at the top of the form) ---------- */
  var bar = el("div", { class: "cl-bar no-print", id: "cl-bar" });
  var barCount = el("span", { class: "cl-bar-count", id: "cl-bar-count" });
  var barMeter = el("progress", { id: "cl-bar-meter", max: String(D.items.length), value: "0", "aria-labelledby": "cl-bar-count" });
  var barScore = el("span", { class: "cl-bar-score", id: "cl-bar-score" });
  var barSave = el("button", { type: "button", id: "cl-bar-save" }, t("cl_save"));
  [barCount, barMeter, barScore, barSave].forEach(function (n) { bar.appendChild(n); });
  form.insertBefore(bar, form.firstChild);

  function ask(msg, choices, focusIndex) {
    askBox.textContent = "";
    askBox.appendChild(el("p", { id: "cl-ask-text" }, msg));
    var row = el("div", { class: "cl-actions" });
    var buttons = choices.map(function (c) {
      var b = el("button", { type: "button", id: c.id, class: c.secondary ? "secondary" : null }, c.label);
      b.addEventListener("click", function () { closeAsk(); if (c.run) c.run(); });
      row.appendChild(b);
      return b;
    });
    askBox.appendChild(row);
    askBox.hidden = false;
    buttons[focusIndex || 0].focus();
  }
  function closeAsk() { askBox.hidden = true; askBox.textContent = ""; }
  // Runs `run` now if nothing unsaved would be lost, else after asking.
  function guard(run) {
    if (!isDirty()) { closeAsk(); run(); return; }
    ask(t("cl_ask_discard", { answered: Object.keys(readForm()).length, total: D.items.length }), [
      { id: "cl-ask-discard", label: t("cl_discard"), run: run },
      { id: "cl-ask-keep", label: t("cl_keep_editing"), secondary: true }
    ], 1);
  }

  /* ---------- results (after the form) ---------- */
  results.hidden = false;
  results.appendChild(el("h2", { id: "cl-results-title" }, t("cl_results_title")));
  var printHead = el("p", { class: "cl-print-head print-only" });
  results.appendChild(printHead);
  var chartBox = el("div", { class: "cl-chart-box" });
  results.appendChild(chartBox);
  var trendBox = el("section", { class: "cl-trend", id: "cl-trend", "aria-labelledby": "cl-trend-title" });
  results.appendChild(trendBox);
  var versusBox = el("div", { class: "cl-versus", id: "cl-versus" });
  results.appendChild(versusBox);
  // Printed alone by "Print report": one page per person.
  var report_ = el("section", { class: "cl-report print-only", id: "cl-report" });
  results.appendChild(report_);
  var personLine = form.querySelector(".person-line");
  var personLineBlank = personLine ? personLine.textContent : "";
  var team = el("section", { class: "cl-team", id: "cl-team", "aria-labelledby": "cl-team-title" });
  results.appendChild(team);

  function renderScores() {
    var answers = readForm();
    var sc = scores(answers);
    D.skills.forEach(function (s) {
      var out = form.querySelector('[data-score-for="' + cssEscape(s.id) + '"]');
      if (!out) return;
      var n = sc.answered[s.id];
      out.textContent = n
        ? t("cl_skill_score", { score: fmt(sc.skills[s.id]), max: max, label: label(sc.skills[s.id]), answered: n, total: itemsOf(s.id) })
        : t("cl_not_answered");
    });
    var tot = form.querySelector("[data-score-total]");
    if (tot) {
      tot.textContent = sc.count
        ? t("cl_total_score", { score: fmt(sc.total), max: max, label: label(sc.total), answered: sc.count, total: D.items.length })
        : t("cl_not_answered");
    }
    barCount.textContent = t("cl_progress", { answered: sc.count, total: D.items.length });
    barMeter.value = sc.count;
    barScore.textContent = sc.count ? t("cl_bar_score", { score: fmt(sc.total), max: max }) : "";
    printHead.textContent = [nameInput.value, dateInput.value].filter(Boolean).join(" · ");
    chartBox.textContent = "";
    chartBox.appendChild(chartFigure([{ name: t("cl_current"), scores: sc.skills, cls: "series-person" }], "cl-chart-current"));
    return sc;
  }

  /* ---------- radar chart ---------- */
  // Splits a label into lines of at most `width` characters, at spaces.
  function wrapLabel(text, width) {
    var lines = [], line = "";
    text.split(/\s+/).forEach(function (w) {
      if (line && (line + " " + w).length > width) { lines.push(line); line = w; }
      else line = line ? line + " " + w : w;
    });
    if (line) lines.push(line);
    return lines;
  }
  function chartFigure(series, idBase) {
    var fig = el("figure", { class: "cl-chart" });
    var n = D.skills.length;
    var FS = 20, LH = 23, CW = 0.6 * FS; // font size, line height, a character's width (estimated)
    // More skills, a wider circle: neighbouring labels need the room.
    var R = Math.max(100, Math.min(160, D.skills.length * 9));
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-labelledby", idBase + "-title");
    svg.setAttribute("direction", "ltr");
    svg.setAttribute("class", "radar");
    svg.setAttribute("font-size", String(FS));
    var title = document.createElementNS(SVG, "title");
    title.setAttribute("id", idBase + "-title");
    title.textContent = t("cl_chart_title") + ": " + series.map(function (s) { return s.name; }).join(", ");
    svg.appendChild(title);
    function point(i, r) {
      var a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(n, 1);
      var x = r * Math.cos(a);
      return [rtl ? -x : x, r * Math.sin(a)];
    }
    function radius(v) { return ((v - min) / Math.max(max - min, 1)) * R; }
    function answered(v) { return v !== null && v !== undefined; }
    function shape(tag, attrs) {
      var e = document.createElementNS(SVG, tag);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      svg.appendChild(e);
      return e;
    }
    function line(cls, pts, closed) {
      return shape(closed ? "polygon" : "polyline", {
        points: pts.map(function (q) { return q[0].toFixed(1) + "," + q[1].toFixed(1); }).join(" "),
        class: cls
      });
    }
    // The box the labels need, so that none is clipped.
    var box = { x0: -R - 10, x1: R + 10, y0: -R - 10, y1: R + 10 };
    var placed = [];
    for (var level = min; level <= max; level++) {
      var ring = [];
      for (var i = 0; i < n; i++) ring.push(point(i, radius(level)));
      if (n > 2) line("grid", ring, true);
    }
    D.skills.forEach(function (s, i) {
      line("axis", [[0, 0], point(i, R)], false);
      var lp = point(i, R + 14);
      var lines = wrapLabel(s.name, 12);
      var anchor = lp[0] > 5 ? "start" : lp[0] < -5 ? "end" : "middle";
      var h = lines.length * LH;
      // Labels above the chart grow upwards, below it downwards, beside it around the axis's end.
      var top = lp[1] < -R / 2 ? lp[1] - h + LH * 0.8 : lp[1] > R / 2 ? lp[1] + LH * 0.8 : lp[1] - h / 2 + LH * 0.8;
      var text = shape("text", { x: lp[0].toFixed(1), y: top.toFixed(1), "text-anchor": anchor, class: "label" });
      var w = 0;
      lines.forEach(function (ln, k) {
        var ts = document.createElementNS(SVG, "tspan");
        ts.setAttribute("x", lp[0].toFixed(1));
        if (k) ts.setAttribute("dy", String(LH));
        ts.textContent = ln;
        text.appendChild(ts);
        w = Math.max(w, ln.length * CW);
      });
      var x0 = anchor === "start" ? lp[0] : anchor === "end" ? lp[0] - w : lp[0] - w / 2;
      placed.push({ text: text, x0: x0, x1: x0 + w, y0: top - LH * 0.8, y1: top - LH * 0.8 + h, up: lp[1] < 0 });
    });
    // A label that still touches its neighbour moves away from it, the
    // shorter way (sideways or up/down); the top label stays.
    for (var pass = 0; pass < 3; pass++) {
      for (var k = 1; k < n; k++) {
        [placed[k - 1], placed[(k + 1) % n]].forEach(function (b) {
          var a = placed[k];
          if (!b || b === a) return;
          var overlapX = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
          var overlapY = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
          if (overlapX <= 0 || overlapY <= 0) return;
          if (overlapX < overlapY) {
            var dx = (a.x0 + a.x1 < b.x0 + b.x1 ? -1 : 1) * (overlapX + 4);
            a.x0 += dx; a.x1 += dx;
            [a.text].concat(Array.prototype.slice.call(a.text.childNodes)).forEach(function (e) {
              e.setAttribute("x", (Number(e.getAttribute("x")) + dx).toFixed(1));
            });
          } else {
            var dy = (a.y0 + a.y1 < b.y0 + b.y1 ? -1 : 1) * (overlapY + 2);
            a.y0 += dy; a.y1 += dy;
            a.text.setAttribute("y", (Number(a.text.getAttribute("y")) + dy).toFixed(1));
          }
        });
      }
    }
    placed.forEach(function (p) {
      box.x0 = Math.min(box.x0, p.x0); box.x1 = Math.max(box.x1, p.x1);
      box.y0 = Math.min(box.y0, p.y0 - 4); box.y1 = Math.max(box.y1, p.y1 + 4);
    });
    // The scale's values along the first axis.
    for (var v = min; v <= max; v++) {
      var rp = point(0, radius(v));
      shape("text", { x: (rp[0] + 4).toFixed(1), y: (rp[1] - 3).toFixed(1), class: "ring-value", "font-size": String(FS - 3) }).textContent = String(v);
    }
    // A skill without answers is a gap: no point, and no line through it.
    series.forEach(function (se) {
      var all = D.skills.every(function (s) { return answered(se.scores[s.id]); });
      var pts = D.skills.map(function (s, i) { return answered(se.scores[s.id]) ? point(i, radius(se.scores[s.id])) : null; });
      if (all && n > 2) line("series " + se.cls, pts, true);
      else {
        for (var i = 0; i < n; i++) {
          var j = (i + 1) % n;
          if (n > 1 && pts[i] && pts[j] && (n > 2 || i === 0)) line("series series-part " + se.cls, [pts[i], pts[j]], false);
        }
      }
      pts.forEach(function (p) { if (p) shape("circle", { cx: p[0].toFixed(1), cy: p[1].toFixed(1), r: "4", class: "dot " + se.cls }); });
    });
    svg.setAttribute("viewBox", [box.x0 - 6, box.y0 - 6, box.x1 - box.x0 + 12, box.y1 - box.y0 + 12].map(function (x) { return x.toFixed(0); }).join(" "));
    fig.appendChild(svg);
    // The text alternative: the same numbers as a table.
    var table = el("table", { class: "cl-score-table" });
    table.appendChild(el("caption", null, t("cl_chart_title")));
    var head = el("tr");
    head.appendChild(el("th", { scope: "col" }, t("cl_skill")));
    series.forEach(function (se) { head.appendChild(el("th", { scope: "col" }, se.name)); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var tbody = el("tbody");
    D.skills.forEach(function (s) {
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, s.name));
      series.forEach(function (se) {
        var v = se.scores[s.id];
        var td = el("td", { "data-skill": s.id, class: answered(v) ? null : "cl-na" });
        // "2.5 / 3" reads left to right on right-to-left pages too.
        if (answered(v)) td.appendChild(el("span", { dir: "ltr" }, fmt(v) + " / " + max));
        else td.textContent = t("cl_not_answered_short");
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    var tw = el("div", { class: "table-wrap" });
    tw.appendChild(table);
    fig.appendChild(tw);
    if (series.length > 1) {
      var legend = el("ul", { class: "cl-legend" });
      series.forEach(function (se) { legend.appendChild(el("li", { class: se.cls }, se.name)); });
      fig.insertBefore(legend, tw);
    }
    return fig;
  }

  /* ---------- line charts (progress over time) ---------- */
  // An SVG line chart of `series` ({name, cls, values}) over `labels` (dates,
  // oldest first). Time runs left to right, or right to left in RTL pages.
  function lineChart(series, labels, idBase, titleText) {
    var W = 320, H = 190, FS = 15, n = labels.length;
    var x0 = 40, x1 = W - 22, y0 = 14, y1 = H - 48;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-labelledby", idBase + "-title");
    svg.setAttribute("class", "cl-line");
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("font-size", String(FS));
    var title = document.createElementNS(SVG, "title");
    title.setAttribute("id", idBase + "-title");
    title.textContent = titleText;
    svg.appendChild(title);
    function X(i) { var x = n > 1 ? x0 + (i * (x1 - x0)) / (n - 1) : (x0 + x1) / 2; return rtl ? W - x : x; }
    function Y(v) { return y1 - ((v - min) / Math.max(max - min, 1)) * (y1 - y0); }
    function shape(tag, attrs, text) {
      var e = document.createElementNS(SVG, tag);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      if (text !== undefined) e.textContent = text;
      svg.appendChild(e);
      return e;
    }
    for (var v = min; v <= max; v++) {
      shape("line", { x1: rtl ? W - x0 : x0, x2: rtl ? W - x1 : x1, y1: Y(v).toFixed(1), y2: Y(v).toFixed(1), class: "grid" });
      shape("text", { x: rtl ? W - x0 + 8 : x0 - 8, y: (Y(v) + 5).toFixed(1), "text-anchor": rtl ? "start" : "end", class: "tick" }, String(v));
    }
    // A date under each point: month above year; only some if there are many.
    var every = Math.ceil(n / 6);
    labels.forEach(function (iso, i) {
      if (i % every && i !== n - 1) return;
      var d = new Date(iso + "T00:00:00Z");
      var parts = isNaN(d) ? [iso, ""] : [
        new Intl.DateTimeFormat(D.language, { month: "short", timeZone: "UTC" }).format(d),
        new Intl.DateTimeFormat(D.language, { year: "numeric", timeZone: "UTC" }).format(d)
      ];
      var text = shape("text", { x: X(i).toFixed(1), y: String(y1 + 20), "text-anchor": "middle", class: "tick" });
      parts.forEach(function (p, k) {
        var ts = document.createElementNS(SVG, "tspan");
        ts.setAttribute("x", X(i).toFixed(1));
        if (k) ts.setAttribute("dy", String(FS + 2));
        ts.textContent = p;
        text.appendChild(ts);
      });
    });
    series.forEach(function (se) {
      // No line through an assessment that left the skill unanswered.
      var run = [];
      function flush() {
        if (run.length > 1) shape("polyline", { points: run.join(" "), class: "series " + se.cls });
        run = [];
      }
      se.values.forEach(function (val, i) {
        if (val === null || val === undefined) { flush(); return; }
        run.push(X(i).toFixed(1) + "," + Y(val).toFixed(1));
      });
      flush();
      se.values.forEach(function (val, i) {
        if (val === null || val === undefined) return;
        shape("circle", { cx: X(i).toFixed(1), cy: Y(val).toFixed(1), r: "4.5", class: "dot " + se.cls });
      });
    });
    return svg;
  }
  // A small line for a table cell; the numbers are in the row's other cells.
  function sparkline(values) {
    var W = 96, H = 28, n = values.length;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("class", "cl-sparkline");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var pts = [];
    values.forEach(function (v, i) {
      if (v === null) return;
      var x = n > 1 ? 4 + (i * (W - 8)) / (n - 1) : W / 2;
      pts.push([rtl ? W - x : x, H - 4 - ((v - min) / Math.max(max - min, 1)) * (H - 8)]);
    });
    var line = document.createElementNS(SVG, "polyline");
    line.setAttribute("points", pts.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" "));
    svg.appendChild(line);
    if (pts.length) {
      var last = document.createElementNS(SVG, "circle");
      last.setAttribute("cx", pts[pts.length - 1][0].toFixed(1));
      last.setAttribute("cy", pts[pts.length - 1][1].toFixed(1));
      last.setAttribute("r", "3");
      svg.appendChild(last);
    }
    return svg;
  }
  // A table wrapper that scrolls on its own on a narrow screen, reachable by keyboard.
  function scrollWrap(table, labelText) {
    var w = el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": labelText });
    w.appendChild(table);
    return w;
  }
  function tableHead(table, heads) {
    var head = el("tr");
    heads.forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
  }
  function scoreSpan(v, hi) { return el("span", { dir: "ltr" }, fmt(v) + " / " + (hi === undefined ? max : hi)); }

  /* ---------- the open person's progress over time ---------- */
  function personName() {
    var rec = recordOf(current.id);
    return nameInput.value.trim() || (rec ? rec.name : "");
  }
  function renderTrend() {
    trendBox.textContent = "";
    var name = personName();
    var h = name ? historyOf(name) : [];
    trendBox.hidden = !h.length;
    if (!h.length) return;
    trendBox.appendChild(el("h2", { id: "cl-trend-title" }, t("cl_trend_title", { name: h[h.length - 1].name })));
    if (h.length === 1) {
      trendBox.appendChild(el("p", { class: "cl-hint" }, t("cl_trend_one", { name: h[0].name, date: fmtDate(h[0].date) })));
      return;
    }
    var sc = h.map(function (a) { return scores(a.answers); });
    var last = sc[sc.length - 1], prev = sc[sc.length - 2];
    trendBox.appendChild(el("p", { class: "cl-trend-summary" }, t("cl_trend_summary", {
      count: h.length, score: fmt(last.total), max: max, date: fmtDate(h[h.length - 1].date),
      change: fmtChange(last.total !== null && prev.total !== null ? last.total - prev.total : null),
      previous: fmtDate(h[h.length - 2].date)
    })));
    var fig = el("figure", { class: "cl-trend-figure" });
    fig.appendChild(lineChart([{ name: t("cl_total"), cls: "series-person", values: sc.map(function (x) { return x.total; }) }],
      h.map(function (a) { return a.date; }), "cl-trend-chart", t("cl_trend_chart", { name: h[0].name })));
    fig.appendChild(el("figcaption", null, t("cl_trend_chart", { name: h[0].name })));
    trendBox.appendChild(fig);
    // The same numbers as a table, with every skill and the change since the previous assessment.
    var table = el("table", { class: "cl-score-table cl-trend-table", id: "cl-trend-table" });
    table.appendChild(el("caption", null, t("cl_trend_caption", { name: h[0].name })));
    tableHead(table, [t("cl_skill")].concat(h.map(function (a) { return fmtDate(a.date); }), [t("cl_change")]));
    var tbody = el("tbody");
    function row(id, label, get) {
      var tr = el("tr", { "data-skill": id });
      tr.appendChild(el("th", { scope: "row" }, label));
      sc.forEach(function (x) {
        var v = get(x), td = el("td", { class: v === null ? "cl-na" : null });
        if (v === null) td.textContent = t("cl_not_answered_short"); else td.appendChild(scoreSpan(v));
        tr.appendChild(td);
      });
      var a = get(prev), b = get(last);
      tr.appendChild(changeCell(el("td", { class: "cl-change" }), a !== null && b !== null ? b - a : null));
      tbody.appendChild(tr);
    }
    row("", t("cl_total"), function (x) { return x.total; });
    D.skills.forEach(function (s) { row(s.id, s.name, function (x) { return x.skills[s.id]; }); });
    table.appendChild(tbody);
    trendBox.appendChild(scrollWrap(table, t("cl_trend_caption", { name: h[0].name })));
  }

  /* ---------- compared with a related checklist (self vs team lead) ---------- */
  function share(v, lo, hi) { return v === null || v === undefined ? null : (v - lo) / Math.max(hi - lo, 1); }
  function relatedScore(r, answers, skill) {
    var n = 0, sum = 0;
    Object.keys(answers).forEach(function (k) {
      if (k.split("/")[0] === skill && r.keys[k]) { n++; sum += answers[k]; }
    });
    return n ? sum / n : null;
  }
  // A row's two shares on one track: this checklist's a filled dot, the other's a ring.
  function dumbbell(a, b) {
    var W = 120, H = 20;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("class", "cl-dumbbell");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    function X(p) { var x = 8 + p * (W - 16); return rtl ? W - x : x; }
    function add(tag, attrs) {
      var e = document.createElementNS(SVG, tag);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      svg.appendChild(e);
    }
    add("line", { x1: X(0), x2: X(1), y1: H / 2, y2: H / 2, class: "track" });
    if (a !== null && b !== null) add("line", { x1: X(a).toFixed(1), x2: X(b).toFixed(1), y1: H / 2, y2: H / 2, class: "gap" });
    if (b !== null) add("circle", { cx: X(b).toFixed(1), cy: H / 2, r: 5, class: "other" });
    if (a !== null) add("circle", { cx: X(a).toFixed(1), cy: H / 2, r: 5, class: "this" });
    return svg;
  }
  function versusTable(id, caption, rows, r) {
    var heads = [rows.kind, D.title, r.title, t("cl_difference"), t("cl_side_by_side")];
    var table = el("table", { class: "cl-team-table cl-versus-table", id: id });
    table.appendChild(el("caption", null, caption));
    tableHead(table, heads);
    var tbody = el("tbody");
    rows.list.sort(function (x, y) {
      if (x.d === null) return y.d === null ? 0 : 1;
      if (y.d === null) return -1;
      return Math.abs(y.d) - Math.abs(x.d);
    }).forEach(function (x) {
      var tr = el("tr", { "data-key": x.key });
      var th = el("th", { scope: "row" });
      if (x.url) th.appendChild(el("a", { href: x.url }, x.label)); else th.textContent = x.label;
      tr.appendChild(th);
      [[x.a, x.va, max], [x.b, x.vb, r.max]].forEach(function (p, k) {
        var td = el("td", { class: k ? "cl-other" : "cl-this", "data-label": heads[1 + k] });
        if (p[0] === null) { td.textContent = t("cl_not_answered_short"); td.className += " cl-na"; }
        else td.appendChild(el("span", { dir: "ltr" }, pctFmt.format(p[0]) + " (" + fmt(p[1]) + " / " + p[2] + ")"));
        tr.appendChild(td);
      });
      tr.appendChild(changeCell(el("td", { class: "cl-diff", "data-label": heads[3] }), x.d === null ? null : x.d * 100, 0));
      var bar = el("td", { class: "cl-bars", "data-label": heads[4] });
      bar.appendChild(dumbbell(x.a, x.b));
      tr.appendChild(bar);
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    var w = el("div", { class: "table-wrap cl-team-wrap" });
    w.appendChild(table);
    return w;
  }
  function renderVersus() {
    versusBox.textContent = "";
    var name = personName();
    var ids = Object.keys(related);
    versusBox.hidden = !name || !ids.length;
    if (versusBox.hidden) return;
    var answers = readForm(), own = scores(answers), missing = [];
    ids.forEach(function (rid) {
      var r = related[rid];
      var h = historyOf(name, relatedSaved(r));
      if (!h.length) { missing.push("“" + r.title + "”"); return; }
      var other = h[h.length - 1];
      var hid = "cl-versus-" + rid;
      var sec = el("section", { class: "cl-versus-one", "data-checklist": rid, "aria-labelledby": hid });
      sec.appendChild(el("h2", { id: hid }, t("cl_versus_title", { title: r.title })));
      sec.appendChild(el("p", null, t("cl_versus_intro", { name: other.name, title: r.title, date: fmtDate(other.date), count: h.length })));
      var key = el("ul", { class: "cl-legend cl-versus-key" });
      key.appendChild(el("li", { class: "cl-key-this" }, D.title));
      key.appendChild(el("li", { class: "cl-key-other" }, r.title));
      sec.appendChild(key);
      var skillRows = D.skills.filter(function (s) { return r.skills.indexOf(s.id) >= 0; }).map(function (s) {
        var va = own.skills[s.id], vb = relatedScore(r, other.answers, s.id);
        var a = share(va, min, max), b = share(vb, r.min, r.max);
        return { key: s.id, label: s.name, url: s.url, a: a, b: b, va: va, vb: vb, d: a !== null && b !== null ? a - b : null };
      });
      sec.appendChild(versusTable("cl-versus-skills-" + rid, t("cl_versus_skills", { count: skillRows.length }), { kind: t("cl_skill"), list: skillRows }, r));
      var itemRows = D.items.filter(function (it) { return r.keys[it.key]; }).map(function (it) {
        var va = typeof answers[it.key] === "number" ? answers[it.key] : null;
        var vb = typeof other.answers[it.key] === "number" ? other.answers[it.key] : null;
        var a = share(va, min, max), b = share(vb, r.min, r.max);
        var textEl = form.querySelector('[data-skill="' + cssEscape(it.skill) + '"] [data-item="' + cssEscape(it.id) + '"] > legend');
        return { key: it.key, label: textEl ? textEl.textContent.trim() : it.id, a: a, b: b, va: va, vb: vb, d: a !== null && b !== null ? a - b : null };
      });
      if (itemRows.length) sec.appendChild(versusTable("cl-versus-items-" + rid, t("cl_versus_items", { count: itemRows.length }), { kind: t("cl_item"), list: itemRows }, r));
      versusBox.appendChild(sec);
    });
    if (missing.length) versusBox.appendChild(el("p", { class: "cl-hint cl-versus-none no-print" }, t("cl_versus_none", { name: name, titles: missing.join(", ") })));
  }

  /* ---------- the one-page printed report ---------- */
  // Built when printing only (the button, or the browser's own Print).
  function renderReport() {
    report_.textContent = "";
    var answers = readForm(), sc = scores(answers);
    var name = nameInput.value.trim(), date = dateInput.value || today();
    report_.appendChild(el("h2", null, t("cl_report_title") + ": " + (name || "–")));
    report_.appendChild(el("p", { class: "cl-report-sub" }, D.title));
    var dl = el("dl", { class: "cl-report-facts" });
    [[t("cl_name_label"), name || "–"], [t("cl_date_label"), fmtDate(date)],
      [t("cl_total"), sc.count ? t("cl_total_score", { score: fmt(sc.total), max: max, label: label(sc.total), answered: sc.count, total: D.items.length }).replace(/^[^:]*:\s*/, "") : t("cl_not_answered")]
    ].forEach(function (p) { dl.appendChild(el("dt", null, p[0])); dl.appendChild(el("dd", null, p[1])); });
    report_.appendChild(dl);
    // This person's assessments from before this one's date, then this one.
    var earlier = name ? historyOf(name).filter(function (a) { return a.id !== current.id && (a.date || "") < date; }) : [];
    var prev = earlier.length ? scores(earlier[earlier.length - 1].answers) : null;
    var grid = el("div", { class: "cl-report-grid" });
    var radarFig = chartFigure([{ name: name || t("cl_current"), scores: sc.skills, cls: "series-person" }], "cl-chart-report");
    var tw = radarFig.querySelector(".table-wrap");
    if (tw) tw.remove(); // the table beside it has the numbers
    grid.appendChild(radarFig);
    var table = el("table", { class: "cl-score-table cl-report-table" });
    tableHead(table, [t("cl_skill"), t("cl_score"), t("cl_change")]);
    var tbody = el("tbody");
    D.skills.forEach(function (s) {
      var v = sc.skills[s.id], p = prev ? prev.skills[s.id] : null;
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, s.name));
      var td = el("td");
      if (v === null) td.textContent = t("cl_not_answered_short"); else td.appendChild(scoreSpan(v));
      tr.appendChild(td);
      tr.appendChild(changeCell(el("td"), v !== null && p !== null ? v - p : null));
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    grid.appendChild(table);
    report_.appendChild(grid);
    var lower = el("div", { class: "cl-report-grid" });
    var weakBox = el("div");
    if (earlier.length) {
      var fig = el("figure", { class: "cl-trend-figure" });
      var totals = earlier.map(function (a) { return scores(a.answers).total; }).concat([sc.total]);
      fig.appendChild(lineChart([{ name: t("cl_total"), cls: "series-person", values: totals }],
        earlier.map(function (a) { return a.date; }).concat([date]), "cl-report-trend", t("cl_trend_chart", { name: name })));
      fig.appendChild(el("figcaption", null, t("cl_trend_chart", { name: name }) + ": " + totals.map(function (v, i) {
        return fmtDate(i < earlier.length ? earlier[i].date : date) + " " + fmt(v);
      }).join(" · ")));
      lower.appendChild(fig);
    }
    lower.appendChild(weakBox);
    report_.appendChild(lower);
    var weak = D.skills.filter(function (s) { return sc.skills[s.id] !== null; })
      .sort(function (a, b) { return sc.skills[a.id] - sc.skills[b.id]; }).slice(0, 3);
    if (weak.length) {
      weakBox.appendChild(el("h3", null, t("cl_report_weakest")));
      var reading = readingLists(weak.map(function (s) { return { skill: s }; }));
      var ol = el("ol", { class: "cl-report-weak" });
      weak.forEach(function (s) {
        var li = el("li");
        li.appendChild(el("strong", null, s.name));
        li.appendChild(document.createTextNode(" – " + fmt(sc.skills[s.id]) + " / " + max + " " + label(sc.skills[s.id])));
        var arts = reading[s.id];
        if (arts.length) {
          li.appendChild(document.createTextNode(". " + t("cl_report_read") + " "));
          arts.forEach(function (ar, i) {
            if (i) li.appendChild(document.createTextNode("; "));
            li.appendChild(el("a", { href: ar.url, hreflang: ar.hreflang || null, lang: ar.hreflang || null }, ar.title));
          });
        }
        ol.appendChild(li);
      });
      weakBox.appendChild(ol);
    }
  }
  // The paper form's "Person assessed" line, filled in.
  function fillPersonLine() {
    if (!personLine) return;
    var name = nameInput.value.trim();
    personLine.textContent = name ? t("cl_name_label") + ": " + name + " \u00a0 " + t("cl_date_label") + ": " + fmtDate(dateInput.value || today()) : personLineBlank;
  }
  reportBtn.addEventListener("click", function () {
    renderReport();
    var root = document.documentElement;
    root.classList.add("cl-print-report");
    try { window.print(); } finally {
      // print() returns once the dialog closes; afterprint covers browsers where it does not wait.
      setTimeout(function () { root.classList.remove("cl-print-report"); }, 0);
    }
  });
  window.addEventListener("beforeprint", renderReport);

  /* ---------- saved assessments ---------- */
  function renderList() {
    list.textContent = "";
    if (!saved.length) {
      list.appendChild(el("li", { class: "cl-empty" }, t("cl_none_saved")));
    }
    saved.forEach(function (a) {
      var li = el("li", { "data-assessment": a.id });
      if (a.id === current.id) li.setAttribute("aria-current", "true");
      var label = el("span", { class: "cl-saved-name" }, a.name);
      var date = el("span", { class: "cl-saved-date" }, a.date || "");
      var open = el("button", { type: "button", class: "secondary cl-open", "aria-label": t("cl_open") + ": " + a.name }, t("cl_open"));
      var ren = el("button", { type: "button", class: "secondary cl-rename", "aria-label": t("cl_rename") + ": " + a.name }, t("cl_rename"));
      var del = el("button", { type: "button", class: "secondary cl-delete", "aria-label": t("cl_delete") + ": " + a.name }, t("cl_delete"));
      open.addEventListener("click", function () { guard(function () { openAssessment(a.id); }); });
      ren.addEventListener("click", function () { startRename(li, a); });
      del.addEventListener("click", function () {
        if (del.getAttribute("data-confirm") !== "1") {
          del.setAttribute("data-confirm", "1");
          del.textContent = t("cl_delete_confirm");
          del.setAttribute("aria-label", t("cl_delete_confirm") + ": " + a.name);
          return;
        }
        saved = saved.filter(function (x) { return x.id !== a.id; });
        if (current.id === a.id) current.id = null;
        if (persist()) report(t("cl_deleted", { name: a.name }));
        refresh();
      });
      [label, date, open, ren, del].forEach(function (n) { li.appendChild(n); });
      list.appendChild(li);
    });
  }
  function startRename(li, a) {
    li.textContent = "";
    var input = el("input", { type: "text", class: "cl-rename-input", maxlength: String(MAX_NAME), "aria-label": t("cl_rename") + ": " + a.name });
    input.value = a.name;
    var ok = el("button", { type: "button", class: "cl-rename-ok" }, t("cl_rename_ok"));
    var cancel = el("button", { type: "button", class: "secondary" }, t("cl_cancel"));
    function done() {
      var name = input.value.trim().slice(0, MAX_NAME);
      if (name) {
        a.name = name;
        if (current.id === a.id) nameInput.value = name;
        if (persist()) report(t("cl_renamed", { name: name }));
      }
      refresh();
    }
    ok.addEventListener("click", done);
    cancel.addEventListener("click", refresh);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); done(); }
      if (e.key === "Escape") { e.preventDefault(); refresh(); }
    });
    [input, ok, cancel].forEach(function (n) { li.appendChild(n); });
    input.focus();
  }
  function openAssessment(id) {
    var a = saved.filter(function (x) { return x.id === id; })[0];
    if (!a) return;
    current.id = a.id;
    current.draftId = null;
    nameInput.value = a.name;
    dateInput.value = a.date || "";
    writeForm(a.answers);
    if (notesField) notesField.value = a.notes || "";
    clearAlert();
    report(t("cl_opened", { name: a.name }));
    saveDraft();
    refresh();
  }
  // Everything saved here about one person, oldest first.
  function historyOf(name, from) {
    var k = norm(name);
    return (from || saved).filter(function (a) { return norm(a.name) === k; }).sort(byDate);
  }
  function newId() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 8); }
  function answeredCount(answers) { return Object.keys(answers).length; }
  // Saves the form into the open record; `asNew` makes a new record instead,
  // `rename` allows the open record's name to change, `redate` its date.
  function doSave(asNew, rename, redate) {
    closeAsk();
    clearAlert();
    var name = nameInput.value.trim().slice(0, MAX_NAME);
    if (!name) { fail(t("cl_name_needed")); nameInput.focus(); return; }
    var answers = readForm();
    var count = answeredCount(answers);
    if (!count) { fail(t("cl_empty_refused")); return; }
    var rec = asNew ? null : recordOf(current.id);
    if (rec && rec.name !== name && !rename) {
      // Another name in the field: a new person, or the same one renamed? Ask.
      ask(t("cl_ask_name_changed", { old: rec.name, name: name }), [
        { id: "cl-ask-save-new", label: t("cl_save_as_new_for", { name: name }), run: function () { doSave(true); } },
        { id: "cl-ask-rename", label: t("cl_rename_to", { old: rec.name, name: name }), secondary: true, run: function () { doSave(false, true); } },
        { id: "cl-ask-cancel", label: t("cl_cancel"), secondary: true, run: function () { nameInput.focus(); } }
      ]);
      return;
    }
    var date = dateInput.value || today();
    if (rec && (rec.date || "") !== date && !redate) {
      // Another date over an open record: most likely the next quarter's
      // assessment, which must not overwrite the last one. Ask.
      ask(t("cl_ask_date_changed", { name: rec.name, old: fmtDate(rec.date), date: fmtDate(date) }), [
        { id: "cl-ask-save-new", label: t("cl_save_new_keep", { old: fmtDate(rec.date) }), run: function () { doSave(true); } },
        { id: "cl-ask-redate", label: t("cl_update_old", { old: fmtDate(rec.date) }), secondary: true, run: function () { doSave(false, rename, true); } },
        { id: "cl-ask-cancel", label: t("cl_cancel"), secondary: true, run: function () { dateInput.focus(); } }
      ]);
      return;
    }
    var record = {
      id: rec ? rec.id : (!asNew && current.draftId && !recordOf(current.draftId) ? current.draftId : newId()),
      name: name, date: date,
      answers: answers, notes: notesField ? notesField.value.slice(0, MAX_NOTES) : "",
      saved: new Date().toISOString()
    };
    var i = saved.map(function (x) { return x.id; }).indexOf(record.id);
    if (i >= 0) saved[i] = record; else saved.push(record);
    current.id = record.id;
    current.draftId = null;
    if (persist()) {
      var n = historyOf(name).length;
      report((count < D.items.length
        ? t("cl_saved_partial", { name: name, answered: count, total: D.items.length })
        : t("cl_saved_msg", { name: name })) + (n > 1 ? " " + t("cl_saved_history", { name: name, count: n }) : ""));
    }
    saveDraft();
    refresh();
  }
  saveBtn.addEventListener("click", function () { doSave(false); });
  barSave.addEventListener("click", function () { doSave(false); });
  saveNewBtn.addEventListener("click", function () { doSave(true); });
  newBtn.addEventListener("click", function () {
    guard(function () {
      current.id = null;
      current.draftId = null;
      nameInput.value = "";
      dateInput.value = today();
      writeForm({});
      if (notesField) notesField.value = "";
      report(t("cl_new_started"));
      saveDraft();
      refresh();
      nameInput.focus();
    });
  });
  printBtn.addEventListener("click", function () { window.print(); });

  /* ---------- export ---------- */
  function exportRecord() {
    var answers = readForm();
    var sc = scores(answers);
    if (!current.id && !current.draftId) current.draftId = newId();
    return {
      format: FORMAT, version: VERSION, id: current.id || current.draftId,
      checklist: D.checklist, checklist_title: D.title, language: D.language,
      name: nameInput.value.trim(), date: dateInput.value,
      scale: { min: min, max: max, labels: D.scale.labels.slice() },
      answers: answers,
      scores: { skills: sc.skills, total: sc.total },
      notes: notesField ? notesField.value : "",
      exported: new Date().toISOString()
    };
  }
  function fileBase() {
    var n = nameInput.value.trim().replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "-");
    return [D.checklist, n, dateInput.value || today()].filter(Boolean).join("-");
  }
  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = el("a", { href: url, download: name });
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 60000);
  }
  // Refuses an empty assessment; says how much of a partial one is answered.
  function exportChecked(run) {
    closeAsk();
    var count = answeredCount(readForm());
    if (!count) { fail(t("cl_empty_refused_export")); return; }
    var file = run();
    report(count < D.items.length
      ? t("cl_exported_partial", { file: file, answered: count, total: D.items.length })
      : t("cl_exported", { file: file }));
    saveDraft();
  }
  jsonBtn.addEventListener("click", function () {
    exportChecked(function () {
      var name = fileBase() + ".json";
      download(name, "application/json", JSON.stringify(exportRecord(), null, 2));
      return name;
    });
  });
  function csvCell(v) {
    var s = v === null || v === undefined ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s; // a spreadsheet must not run it as a formula
    return '"' + s.replace(/"/g, '""') + '"';
  }
  function csvText(rows) { return "\ufeff" + rows.map(function (row) { return row.map(csvCell).join(csvSep); }).join("\r\n") + "\r\n"; }
  csvBtn.addEventListener("click", function () { exportChecked(exportCsv); });
  function exportCsv() {
    var r = exportRecord();
    var rows = [[t("cl_skill"), t("cl_item"), t("cl_score"), t("cl_label"), "skill_id", "item_id"]];
    D.items.forEach(function (it) {
      var v = r.answers[it.key];
      var textEl = form.querySelector('[data-skill="' + cssEscape(it.skill) + '"] [data-item="' + cssEscape(it.id) + '"] > legend');
      rows.push([skillById[it.skill].name, textEl ? textEl.textContent.trim() : it.id, v === undefined ? "" : v, v === undefined ? "" : label(v), it.skill, it.id]);
    });
    D.skills.forEach(function (s) {
      var v = r.scores.skills[s.id];
      rows.push([s.name, t("cl_average"), csvNum(v), label(v), s.id, ""]);
    });
    rows.push([t("cl_total"), "", csvNum(r.scores.total), label(r.scores.total), "", ""]);
    var head = [[t("cl_name_label"), r.name], [t("cl_date_label"), r.date], []];
    var name = fileBase() + ".csv";
    download(name, "text/csv;charset=utf-8", csvText(head.concat(rows)));
    return name;
  }

  /* ---------- import ---------- */
  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  // null when `a` is a valid stored or imported assessment (of this
  // checklist, or of the related one `spec`), else why not.
  function validAssessment(a, spec) {
    var keysOk = spec ? spec.keys : itemKeys, lo = spec ? spec.min : min, hi = spec ? spec.max : max;
    if (!isObj(a)) return t("cl_why_not_object");
    if (typeof a.name !== "string" || !a.name.trim()) return t("cl_why_name");
    if (a.name.length > MAX_NAME) return t("cl_why_name");
    if (a.date !== undefined && a.date !== "" && (typeof a.date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(a.date))) return t("cl_why_date");
    if (a.notes !== undefined && (typeof a.notes !== "string" || a.notes.length > MAX_NOTES)) return t("cl_why_notes");
    if (!isObj(a.answers)) return t("cl_why_answers");
    var keys = Object.keys(a.answers);
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i], v = a.answers[k];
      if (!Object.prototype.hasOwnProperty.call(keysOk, k)) return t("cl_why_item", { item: k.slice(0, 60) });
      if (typeof v !== "number" || Math.floor(v) !== v || v < lo || v > hi) return t("cl_why_value", { item: k.slice(0, 60) });
    }
    return null;
  }
  function importText(fileName, text) {
    var data;
    try { data = JSON.parse(text); } catch (e) { return t("cl_import_invalid", { file: fileName, why: t("cl_why_json") }); }
    if (!isObj(data) || data.format !== FORMAT) return t("cl_import_invalid", { file: fileName, why: t("cl_why_format") });
    if (data.version !== 1 && data.version !== VERSION) return t("cl_import_invalid", { file: fileName, why: t("cl_why_version") });
    var rel = data.checklist !== D.checklist && typeof data.checklist === "string" &&
      Object.prototype.hasOwnProperty.call(related, data.checklist) ? related[data.checklist] : null;
    if (data.checklist !== D.checklist && !rel) {
      // Named by its title where this site has it, else by the file's title and id.
      var otherId = String(data.checklist);
      var fileTitle = typeof data.checklist_title === "string" ? data.checklist_title.trim() : "";
      var other = (D.titles && Object.prototype.hasOwnProperty.call(D.titles, otherId) && D.titles[otherId]) ||
        (fileTitle && fileTitle !== D.title ? fileTitle + " (" + otherId + ")" : otherId);
      return t("cl_import_wrong_checklist", { file: fileName, title: other.slice(0, 80) });
    }
    var why = validAssessment(data, rel);
    if (why) return t("cl_import_invalid", { file: fileName, why: rel ? why + " (" + rel.title + ")" : why });
    var answers = {};
    Object.keys(data.answers).forEach(function (k) { answers[k] = data.answers[k]; });
    var rec = {
      id: typeof data.id === "string" && ID_RE.test(data.id) ? data.id : newId(),
      name: data.name.trim(), date: data.date || "", answers: answers, notes: data.notes || "",
      saved: new Date().toISOString()
    };
    // A record already kept (the same id, or the same person on the same date
    // with the same answers) is not added twice: it would count twice. The
    // same person on another date is history, kept.
    var store = rel ? relatedSaved(rel) : saved;
    var dup = store.filter(function (x) {
      return x.id === rec.id || (norm(x.name) === norm(rec.name) && (x.date || "") === rec.date && sameAnswers(rec.answers, x.answers));
    })[0];
    if (dup) return { known: dup.name + (dup.date ? " (" + fmtDate(dup.date) + ")" : "") };
    if (!rel) { saved.push(rec); return null; }
    store.push(rec);
    if (!persistTo(rel.key, store)) return t("cl_import_invalid", { file: fileName, why: t("cl_why_store") });
    return { into: rel.title, name: rec.name };
  }
  function persistTo(key, items) {
    try {
      window.localStorage.setItem(key, JSON.stringify({ version: STORE_VERSION, items: items }));
      return true;
    } catch (e) {
      return false;
    }
  }
  importInput.addEventListener("change", function () {
    clearAlert();
    var files = Array.prototype.slice.call(importInput.files || []);
    var errors = [], names = [], known = [], into = {};
    var pending = files.length;
    if (!pending) return;
    function finish() {
      if (--pending > 0) return;
      var msgs = [];
      if (names.length && persist()) msgs.push(t("cl_imported", { names: names.join(", ") }));
      Object.keys(into).forEach(function (title) { msgs.push(t("cl_imported_into", { title: title, names: into[title].join(", ") })); });
      if (known.length) msgs.push(t("cl_import_known", { names: known.join(", ") }));
      if (msgs.length) report(msgs.join(" "));
      if (errors.length) { alertBox.textContent = errors.join(" "); alertBox.hidden = false; }
      importInput.value = "";
      refresh();
    }
    files.forEach(function (f) {
      var fname = String(f.name).slice(0, 80);
      if (f.size > MAX_FILE) { errors.push(t("cl_import_too_big", { file: fname })); finish(); return; }
      var reader = new FileReader();
      reader.onload = function () {
        var before = saved.length;
        var err = importText(fname, String(reader.result));
        if (err && err.known) known.push(err.known);
        else if (err && err.into) (into[err.into] = into[err.into] || []).push(err.name);
        else if (err) errors.push(err);
        else if (saved.length > before) names.push(saved[saved.length - 1].name);
        finish();
      };
      reader.onerror = function () { errors.push(t("cl_import_invalid", { file: fname, why: t("cl_why_read") })); finish(); };
      reader.readAsText(f);
    });
  });

  /* ---------- team view ---------- */
  var excluded = {};
  var compareWith = "";
  function teamStats(chosen) {
    var per = chosen.map(function (a) { return scores(a.answers).skills; });
    return D.skills.map(function (s) {
      var vals = per.map(function (p) { return p[s.id]; }).filter(function (v) { return v !== null; });
      var n = vals.length;
      var avg = n ? vals.reduce(function (x, y) { return x + y; }, 0) / n : null;
      var sd = n ? Math.sqrt(vals.reduce(function (x, v) { return x + (v - avg) * (v - avg); }, 0) / n) : null;
      return { skill: s, n: n, avg: avg, sd: sd, lo: n ? Math.min.apply(null, vals) : null, hi: n ? Math.max.apply(null, vals) : null };
    });
  }
  // What to read for each row: at most two articles a skill, none shown twice.
  // Articles about one skill only go to it first; shared ones then go to the
  // rows with fewest links, weakest skill first. The page sends each skill's
  // first articles only, each with the other skills that list it ("also",
  // by their place in D.skills).
  function readingLists(stats) {
    var lists = {}, used = {}, owners = {}, given = {};
    stats.forEach(function (st) { given[st.skill.id] = true; });
    stats.forEach(function (st) {
      lists[st.skill.id] = [];
      st.skill.articles.forEach(function (ar) {
        owners[ar.url] = 1 + (ar.also || []).filter(function (k) { return given[D.skills[k].id]; }).length;
      });
    });
    function take(st, onlyOwn) {
      st.skill.articles.forEach(function (ar) {
        var l = lists[st.skill.id];
        if (l.length >= 2 || used[ar.url] || (onlyOwn && owners[ar.url] > 1)) return;
        used[ar.url] = true;
        l.push(ar);
      });
    }
    stats.forEach(function (st) { take(st, true); });
    for (var round = 0; round < 2; round++) {
      stats.filter(function (st) { return lists[st.skill.id].length === round; }).forEach(function (st) { take(st, false); });
    }
    return lists;
  }
  // Records grouped by person, each group oldest first, groups in the order first saved.
  function groupPeople(records) {
    var order = [], by = {};
    records.forEach(function (a) {
      var k = norm(a.name);
      if (!by[k]) { by[k] = []; order.push(k); }
      by[k].push(a);
    });
    return order.map(function (k) { return by[k].sort(byDate); });
  }
  // Per skill: the mean change from each person's previous to latest
  // assessment, over the people rated in both.
  function skillChanges(people) {
    var out = {};
    D.skills.forEach(function (s) { out[s.id] = { n: 0, sum: 0, avg: null }; });
    people.forEach(function (h) {
      if (h.length < 2) return;
      var a = scores(h[h.length - 2].answers).skills, b = scores(h[h.length - 1].answers).skills;
      D.skills.forEach(function (s) {
        if (a[s.id] !== null && b[s.id] !== null) { out[s.id].n++; out[s.id].sum += b[s.id] - a[s.id]; }
      });
    });
    D.skills.forEach(function (s) { var o = out[s.id]; o.avg = o.n ? o.sum / o.n : null; });
    return out;
  }
  // The team's people: how many assessments, the latest overall score, the
  // change since the previous one and a small line of all of them.
  function peopleTable(people) {
    var heads = [t("cl_person"), t("cl_assessments"), t("cl_latest"), t("cl_change"), t("cl_trend")];
    var wrap = el("div", { class: "table-wrap cl-team-wrap" });
    var table = el("table", { class: "cl-team-table cl-people-table", id: "cl-people-table" });
    table.appendChild(el("caption", null, t("cl_people_caption", { count: people.length })));
    var head = el("tr");
    heads.forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var tbody = el("tbody");
    people.forEach(function (h) {
      var last = h[h.length - 1];
      var totals = h.map(function (a) { return scores(a.answers).total; });
      var tr = el("tr", { "data-person": norm(last.name) });
      tr.appendChild(el("th", { scope: "row" }, last.name));
      tr.appendChild(el("td", { class: "cl-dates", "data-label": heads[1] }, h.map(function (a) { return fmtDate(a.date); }).join(", ")));
      var lt = totals[totals.length - 1];
      var latestTd = el("td", { class: "cl-latest", "data-label": heads[2] });
      if (lt === null) latestTd.textContent = t("cl_not_answered_short");
      else latestTd.appendChild(el("span", { dir: "ltr" }, fmt(lt) + " / " + max));
      tr.appendChild(latestTd);
      var chTd = el("td", { class: "cl-change", "data-label": heads[3] });
      var prev = totals.length > 1 ? totals[totals.length - 2] : null;
      if (prev !== null && lt !== null) changeCell(chTd, lt - prev); else chTd.textContent = "–";
      tr.appendChild(chTd);
      var spark = el("td", { class: "cl-spark", "data-label": heads[4] });
      if (h.length > 1) spark.appendChild(sparkline(totals));
      else spark.textContent = "–";
      tr.appendChild(spark);
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    wrap.appendChild(table);
    return wrap;
  }
  function renderTeam() {
    team.textContent = "";
    teamLink.textContent = t("cl_team_link", { count: saved.length });
    team.appendChild(el("h2", { id: "cl-team-title", tabindex: "-1" }, t("cl_team_title")));
    if (!saved.length) { team.appendChild(el("p", null, t("cl_team_none"))); return; }
    team.appendChild(el("p", null, t("cl_team_intro")));
    var pick = el("fieldset", { class: "cl-team-pick no-print" });
    pick.appendChild(el("legend", null, t("cl_team_select")));
    saved.forEach(function (a) {
      var id = "cl-team-" + a.id;
      var box = el("input", { type: "checkbox", id: id, "data-assessment": a.id });
      box.checked = !excluded[a.id];
      box.addEventListener("change", function () {
        excluded[a.id] = !box.checked;
        renderTeam();
        var again = document.getElementById(id);
        if (again) again.focus();
      });
      var lab = el("label", { for: id, class: "cl-check" });
      lab.appendChild(box);
      lab.appendChild(document.createTextNode(" " + a.name + (a.date ? " (" + a.date + ")" : "")));
      pick.appendChild(lab);
    });
    team.appendChild(pick);
    var chosen = saved.filter(function (a) { return !excluded[a.id]; });
    if (!chosen.length) { team.appendChild(el("p", null, t("cl_team_none"))); return; }
    // Each person counts once, with their latest chosen assessment; the
    // earlier ones give the change since then.
    var people = groupPeople(chosen);
    var latest = people.map(function (h) { return h[h.length - 1]; });
    var changes = skillChanges(people);
    var stats = teamStats(latest).sort(function (a, b) {
      if (a.avg === null) return b.avg === null ? 0 : 1;
      if (b.avg === null) return -1;
      return a.avg - b.avg || b.sd - a.sd;
    });
    var reading = readingLists(stats);
    var heads = [t("cl_skill"), t("cl_average"), t("cl_spread"), t("cl_people"), t("cl_change"), t("cl_articles")];
    var wrap = el("div", { class: "table-wrap cl-team-wrap" });
    var table = el("table", { class: "cl-team-table", id: "cl-team-table" });
    table.appendChild(el("caption", null, t("cl_team_caption", { count: latest.length })));
    var head = el("tr");
    heads.forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var tbody = el("tbody");
    stats.forEach(function (st) {
      // data-label: on a phone each row is a card, its cells labelled by their column.
      var tr = el("tr", { "data-skill": st.skill.id });
      var th = el("th", { scope: "row" });
      th.appendChild(el("a", { href: st.skill.url }, st.skill.name));
      tr.appendChild(th);
      tr.appendChild(el("td", { class: "cl-avg", "data-label": heads[1] }, st.avg === null ? t("cl_not_answered_short") : fmt(st.avg) + " – " + label(st.avg)));
      // The range reads lowest to highest in right-to-left pages too.
      var spread = el("td", { class: "cl-spread", "data-label": heads[2] });
      if (st.n) spread.appendChild(el("span", { dir: "ltr" }, fmt(st.lo) + "–" + fmt(st.hi) + " (σ " + fmt(st.sd) + ")"));
      else spread.textContent = "–";
      tr.appendChild(spread);
      tr.appendChild(el("td", { class: "cl-n", "data-label": heads[3] }, String(st.n)));
      var ch = changes[st.skill.id];
      var chTd = el("td", { class: "cl-change", "data-label": heads[4] });
      if (ch.n) {
        changeCell(chTd, ch.avg);
        chTd.appendChild(document.createTextNode(" " + t("cl_change_people", { count: ch.n })));
      } else chTd.textContent = "–";
      tr.appendChild(chTd);
      var td = el("td", { class: "cl-articles", "data-label": heads[5] });
      var mine = reading[st.skill.id];
      if (mine.length) {
        var ul = el("ul");
        mine.forEach(function (ar) {
          var li = el("li");
          li.appendChild(el("a", { href: ar.url, hreflang: ar.hreflang || null, lang: ar.hreflang || null }, ar.title));
          ul.appendChild(li);
        });
        td.appendChild(ul);
      } else td.textContent = "–";
      tr.appendChild(td);
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    wrap.appendChild(table);
    team.appendChild(wrap);
    team.appendChild(peopleTable(people));
    var teamCsv = el("button", { type: "button", id: "cl-export-team-csv", class: "secondary no-print" }, t("cl_export_team_csv"));
    teamCsv.addEventListener("click", function () { exportTeamCsv(chosen); });
    var csvRow = el("p", { class: "cl-actions" });
    csvRow.appendChild(teamCsv);
    team.appendChild(csvRow);

    var avgScores = {};
    stats.forEach(function (st) { avgScores[st.skill.id] = st.avg; });
    // The comparison shows a real person: the open record, else the first one chosen.
    if (!chosen.some(function (a) { return a.id === compareWith; })) {
      compareWith = chosen.some(function (a) { return a.id === current.id; }) ? current.id : chosen[0].id;
    }
    var sel = el("select", { id: "cl-compare" });
    chosen.forEach(function (a) {
      var o = el("option", { value: a.id }, a.name + (a.date ? " (" + a.date + ")" : ""));
      if (a.id === compareWith) o.selected = true;
      sel.appendChild(o);
    });
    sel.addEventListener("change", function () { compareWith = sel.value; renderTeam(); document.getElementById("cl-compare").focus(); });
    var selBox = el("p", { class: "cl-compare no-print" });
    selBox.appendChild(el("label", { for: "cl-compare" }, t("cl_compare_with") + " "));
    selBox.appendChild(sel);
    team.appendChild(selBox);
    var other = recordOf(compareWith) || chosen[0];
    team.appendChild(chartFigure([
      { name: t("cl_team_average"), scores: avgScores, cls: "series-team" },
      { name: other.name, scores: scores(other.answers).skills, cls: "series-person" }
    ], "cl-chart-team"));
  }
  // Each assessment a row, person by person, oldest first; the last column
  // is the overall change since that person's previous row.
  function exportTeamCsv(chosen) {
    var rows = [[t("cl_name_label"), t("cl_date_label")].concat(D.skills.map(function (s) { return s.name; }), [t("cl_total"), t("cl_answered_col"), t("cl_change")])];
    groupPeople(chosen).forEach(function (h) {
      var prev = null;
      h.forEach(function (a) {
        var sc = scores(a.answers);
        var change = prev !== null && sc.total !== null ? sc.total - prev : null;
        rows.push([a.name, a.date || ""].concat(D.skills.map(function (s) { return csvNum(sc.skills[s.id]); }), [csvNum(sc.total), sc.count + "/" + D.items.length, csvNum(change)]));
        if (sc.total !== null) prev = sc.total;
      });
    });
    var name = [D.checklist, t("cl_team_file"), today()].join("-") + ".csv";
    download(name, "text/csv;charset=utf-8", csvText(rows));
    report(t("cl_exported", { file: name }));
  }

  function refresh() {
    renderScores();
    renderList();
    renderTrend();
    renderVersus();
    renderTeam();
    fillPersonLine();
  }

  /* ---------- start ---------- */
  try {
    var draft = JSON.parse(window.localStorage.getItem(draftKey) || "null");
    if (isObj(draft)) {
      if (isObj(draft.answers)) {
        var clean = {};
        Object.keys(draft.answers).forEach(function (k) {
          var v = draft.answers[k];
          if (itemKeys[k] && typeof v === "number" && v >= min && v <= max) clean[k] = v;
        });
        writeForm(clean);
      }
      if (typeof draft.notes === "string" && notesField) notesField.value = draft.notes;
      if (typeof draft.name === "string") nameInput.value = draft.name.slice(0, MAX_NAME);
      if (typeof draft.date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(draft.date)) dateInput.value = draft.date;
      if (typeof draft.id === "string" && saved.some(function (a) { return a.id === draft.id; })) current.id = draft.id;
      if (typeof draft.draftId === "string" && ID_RE.test(draft.draftId)) current.draftId = draft.draftId;
    }
  } catch (e) {
    storageOk = false;
  }
  if (!storageOk) fail(t("cl_storage_error"));
  form.addEventListener("change", function () { saveDraft(); refresh(); });
  form.addEventListener("input", function (e) { if (e.target === notesField) saveDraft(); });
  // The name decides whose progress and comparison are shown: redrawn once typing pauses.
  var nameTimer = null;
  nameInput.addEventListener("input", function () {
    saveDraft();
    printHead.textContent = [nameInput.value, dateInput.value].filter(Boolean).join(" · ");
    clearTimeout(nameTimer);
    nameTimer = setTimeout(function () { renderTrend(); renderVersus(); fillPersonLine(); }, 250);
  });
  dateInput.addEventListener("change", function () { saveDraft(); fillPersonLine(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  document.documentElement.classList.add("cl-js");
  refresh();
})();
