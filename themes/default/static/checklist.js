/* servicekb checklists: live scores, radar chart, saved assessments,
   JSON/CSV export, JSON import and the team view. Plain JavaScript, no
   network. Text from users or files only ever goes in as textContent. */
(function () {
  "use strict";
  var form = document.getElementById("checklist-form");
  var dataEl = document.getElementById("checklist-data");
  var results = document.getElementById("checklist-results");
  if (!form || !dataEl || !results) return;
  var D;
  try { D = JSON.parse(dataEl.textContent); } catch (e) { return; }

  var FORMAT = "servicekb-assessment";
  var VERSION = 1;
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
  var current = { id: null, name: "", date: today() };

  function report(msg) { status.textContent = msg; }
  function fail(msg) { alertBox.textContent = msg; alertBox.hidden = false; }
  function clearAlert() { alertBox.textContent = ""; alertBox.hidden = true; }

  function loadSaved() {
    try {
      var raw = window.localStorage.getItem(storeKey);
      if (!raw) return [];
      var parsed = JSON.parse(raw);
      return Array.isArray(parsed.items) ? parsed.items.filter(function (a) { return validAssessment(a) === null; }) : [];
    } catch (e) {
      storageOk = false;
      return [];
    }
  }
  var saved = loadSaved();
  function persist() {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify({ version: VERSION, items: saved }));
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
        id: current.id, name: nameInput.value, date: dateInput.value
      }));
    } catch (e) {
      if (storageOk) { storageOk = false; fail(t("cl_storage_error")); }
    }
  }

  /* ---------- tools panel (before the form) ---------- */
  var notesField = form.querySelector("textarea[name=notes]");
  var tools = el("section", { class: "cl-tools no-print", "aria-labelledby": "cl-tools-title" });
  tools.appendChild(el("h2", { id: "cl-tools-title" }, t("cl_saved_title")));
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
  var newBtn = el("button", { type: "button", id: "cl-new", class: "secondary" }, t("cl_new"));
  var jsonBtn = el("button", { type: "button", id: "cl-export-json", class: "secondary" }, t("cl_export_json"));
  var csvBtn = el("button", { type: "button", id: "cl-export-csv", class: "secondary" }, t("cl_export_csv"));
  var printBtn = el("button", { type: "button", id: "cl-print", class: "secondary" }, t("cl_print"));
  [saveBtn, newBtn, jsonBtn, csvBtn, printBtn].forEach(function (b) { actions.appendChild(b); });
  tools.appendChild(actions);
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

  /* ---------- results (after the form) ---------- */
  results.hidden = false;
  results.appendChild(el("h2", { id: "cl-results-title" }, t("cl_results_title")));
  var printHead = el("p", { class: "cl-print-head print-only" });
  results.appendChild(printHead);
  var chartBox = el("div", { class: "cl-chart-box" });
  results.appendChild(chartBox);
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
    printHead.textContent = [nameInput.value, dateInput.value].filter(Boolean).join(" · ");
    chartBox.textContent = "";
    chartBox.appendChild(chartFigure([{ name: t("cl_current"), scores: sc.skills, cls: "series-person" }], "cl-chart-current"));
    return sc;
  }

  /* ---------- radar chart ---------- */
  function chartFigure(series, idBase) {
    var fig = el("figure", { class: "cl-chart" });
    var n = D.skills.length;
    var R = 110;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "-230 -150 460 300");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-labelledby", idBase + "-title");
    svg.setAttribute("direction", "ltr");
    svg.setAttribute("class", "radar");
    var title = document.createElementNS(SVG, "title");
    title.setAttribute("id", idBase + "-title");
    title.textContent = t("cl_chart_title") + ": " + series.map(function (s) { return s.name; }).join(", ");
    svg.appendChild(title);
    function point(i, r) {
      var a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(n, 1);
      var x = r * Math.cos(a);
      return [rtl ? -x : x, r * Math.sin(a)];
    }
    function radius(v) { return v === null || v === undefined ? 0 : ((v - min) / Math.max(max - min, 1)) * R; }
    function line(cls, pts, closed) {
      var p = document.createElementNS(SVG, closed ? "polygon" : "polyline");
      p.setAttribute("points", pts.map(function (q) { return q[0].toFixed(1) + "," + q[1].toFixed(1); }).join(" "));
      p.setAttribute("class", cls);
      svg.appendChild(p);
    }
    for (var level = min; level <= max; level++) {
      var ring = [];
      for (var i = 0; i < n; i++) ring.push(point(i, radius(level)));
      if (n > 2) line("grid", ring, true);
    }
    D.skills.forEach(function (s, i) {
      line("axis", [[0, 0], point(i, R)], false);
      var lp = point(i, R + 12);
      var text = document.createElementNS(SVG, "text");
      text.setAttribute("x", lp[0].toFixed(1));
      text.setAttribute("y", (lp[1] + 4).toFixed(1));
      text.setAttribute("text-anchor", lp[0] > 5 ? "start" : lp[0] < -5 ? "end" : "middle");
      var nm = s.name.length > 24 ? s.name.slice(0, 23) + "…" : s.name;
      text.textContent = nm;
      svg.appendChild(text);
    });
    series.forEach(function (se) {
      var pts = D.skills.map(function (s, i) { return point(i, radius(se.scores[s.id])); });
      line("series " + se.cls, pts, true);
    });
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
        tr.appendChild(el("td", { "data-skill": s.id }, v === null || v === undefined ? "–" : fmt(v) + " / " + max));
      });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    fig.appendChild(table);
    if (series.length > 1) {
      var legend = el("ul", { class: "cl-legend" });
      series.forEach(function (se) { legend.appendChild(el("li", { class: se.cls }, se.name)); });
      fig.insertBefore(legend, table);
    }
    return fig;
  }

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
      open.addEventListener("click", function () { openAssessment(a.id); });
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
    nameInput.value = a.name;
    dateInput.value = a.date || "";
    writeForm(a.answers);
    if (notesField) notesField.value = a.notes || "";
    clearAlert();
    report(t("cl_opened", { name: a.name }));
    saveDraft();
    refresh();
  }
  function newId() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 8); }
  saveBtn.addEventListener("click", function () {
    clearAlert();
    var name = nameInput.value.trim().slice(0, MAX_NAME);
    if (!name) { fail(t("cl_name_needed")); nameInput.focus(); return; }
    var record = {
      id: current.id || newId(), name: name, date: dateInput.value || today(),
      answers: readForm(), notes: notesField ? notesField.value.slice(0, MAX_NOTES) : "",
      saved: new Date().toISOString()
    };
    var i = saved.map(function (x) { return x.id; }).indexOf(record.id);
    if (i >= 0) saved[i] = record; else saved.push(record);
    current.id = record.id;
    if (persist()) report(t("cl_saved_msg", { name: name }));
    saveDraft();
    refresh();
  });
  newBtn.addEventListener("click", function () {
    current.id = null;
    nameInput.value = "";
    dateInput.value = today();
    writeForm({});
    if (notesField) notesField.value = "";
    clearAlert();
    saveDraft();
    refresh();
    nameInput.focus();
  });
  printBtn.addEventListener("click", function () { window.print(); });

  /* ---------- export ---------- */
  function exportRecord() {
    var answers = readForm();
    var sc = scores(answers);
    return {
      format: FORMAT, version: VERSION, checklist: D.checklist, language: D.language,
      name: nameInput.value.trim(), date: dateInput.value,
      scale: { min: min, max: max, labels: D.scale.labels.slice() },
      answers: answers,
      scores: { skills: sc.skills, total: sc.total },
      notes: notesField ? notesField.value : "",
      exported: new Date().toISOString()
    };
  }
  function fileBase() {
    var n = (nameInput.value.trim() || D.checklist).replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "-");
    return D.checklist + "-" + n + "-" + (dateInput.value || today());
  }
  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = el("a", { href: url, download: name });
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 60000);
  }
  jsonBtn.addEventListener("click", function () {
    download(fileBase() + ".json", "application/json", JSON.stringify(exportRecord(), null, 2));
  });
  function csvCell(v) {
    var s = v === null || v === undefined ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s; // a spreadsheet must not run it as a formula
    return '"' + s.replace(/"/g, '""') + '"';
  }
  csvBtn.addEventListener("click", function () {
    var r = exportRecord();
    var rows = [[t("cl_skill"), t("cl_item"), t("cl_score"), t("cl_label"), "skill_id", "item_id"]];
    D.items.forEach(function (it) {
      var v = r.answers[it.key];
      var textEl = form.querySelector('[data-skill="' + cssEscape(it.skill) + '"] [data-item="' + cssEscape(it.id) + '"] > legend');
      rows.push([skillById[it.skill].name, textEl ? textEl.textContent.trim() : it.id, v === undefined ? "" : v, v === undefined ? "" : label(v), it.skill, it.id]);
    });
    D.skills.forEach(function (s) {
      var v = r.scores.skills[s.id];
      rows.push([s.name, t("cl_average"), v === null ? "" : v.toFixed(2), label(v), s.id, ""]);
    });
    rows.push([t("cl_total"), "", r.scores.total === null ? "" : r.scores.total.toFixed(2), label(r.scores.total), "", ""]);
    var head = [[t("cl_name_label"), r.name], [t("cl_date_label"), r.date], []];
    var text = head.concat(rows).map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
    download(fileBase() + ".csv", "text/csv;charset=utf-8", "\ufeff" + text);
  });

  /* ---------- import ---------- */
  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  // null when `a` is a valid stored or imported assessment, else why not.
  function validAssessment(a) {
    if (!isObj(a)) return t("cl_why_not_object");
    if (typeof a.name !== "string" || !a.name.trim()) return t("cl_why_name");
    if (a.name.length > MAX_NAME) return t("cl_why_name");
    if (a.date !== undefined && a.date !== "" && (typeof a.date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(a.date))) return t("cl_why_date");
    if (a.notes !== undefined && (typeof a.notes !== "string" || a.notes.length > MAX_NOTES)) return t("cl_why_notes");
    if (!isObj(a.answers)) return t("cl_why_answers");
    var keys = Object.keys(a.answers);
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i], v = a.answers[k];
      if (!Object.prototype.hasOwnProperty.call(itemKeys, k)) return t("cl_why_item", { item: k.slice(0, 60) });
      if (typeof v !== "number" || Math.floor(v) !== v || v < min || v > max) return t("cl_why_value", { item: k.slice(0, 60) });
    }
    return null;
  }
  function importText(fileName, text) {
    var data;
    try { data = JSON.parse(text); } catch (e) { return t("cl_import_invalid", { file: fileName, why: t("cl_why_json") }); }
    if (!isObj(data) || data.format !== FORMAT) return t("cl_import_invalid", { file: fileName, why: t("cl_why_format") });
    if (data.version !== VERSION) return t("cl_import_invalid", { file: fileName, why: t("cl_why_version") });
    if (data.checklist !== D.checklist) {
      return t("cl_import_wrong_checklist", { file: fileName, id: String(data.checklist).slice(0, 60) });
    }
    var why = validAssessment(data);
    if (why) return t("cl_import_invalid", { file: fileName, why: why });
    var answers = {};
    Object.keys(data.answers).forEach(function (k) { answers[k] = data.answers[k]; });
    saved.push({ id: newId(), name: data.name.trim(), date: data.date || "", answers: answers, notes: data.notes || "", saved: new Date().toISOString() });
    return null;
  }
  importInput.addEventListener("change", function () {
    clearAlert();
    var files = Array.prototype.slice.call(importInput.files || []);
    var errors = [], names = [];
    var pending = files.length;
    if (!pending) return;
    function finish() {
      if (--pending > 0) return;
      if (names.length && persist()) report(t("cl_imported", { names: names.join(", ") }));
      if (errors.length) fail(errors.join(" "));
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
        if (err) errors.push(err); else if (saved.length > before) names.push(saved[saved.length - 1].name);
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
  function renderTeam() {
    team.textContent = "";
    team.appendChild(el("h2", { id: "cl-team-title" }, t("cl_team_title")));
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
    var stats = teamStats(chosen).sort(function (a, b) {
      if (a.avg === null) return b.avg === null ? 0 : 1;
      if (b.avg === null) return -1;
      return a.avg - b.avg || b.sd - a.sd;
    });
    var wrap = el("div", { class: "table-wrap" });
    var table = el("table", { class: "cl-team-table", id: "cl-team-table" });
    table.appendChild(el("caption", null, t("cl_team_caption", { count: chosen.length })));
    var head = el("tr");
    [t("cl_skill"), t("cl_average"), t("cl_spread"), t("cl_people"), t("cl_articles")].forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var tbody = el("tbody");
    stats.forEach(function (st) {
      var tr = el("tr", { "data-skill": st.skill.id });
      var th = el("th", { scope: "row" });
      th.appendChild(el("a", { href: st.skill.url }, st.skill.name));
      tr.appendChild(th);
      tr.appendChild(el("td", { class: "cl-avg" }, st.avg === null ? "–" : fmt(st.avg) + " – " + label(st.avg)));
      tr.appendChild(el("td", { class: "cl-spread" }, st.n ? fmt(st.lo) + "–" + fmt(st.hi) + " (σ " + fmt(st.sd) + ")" : "–"));
      tr.appendChild(el("td", { class: "cl-n" }, String(st.n)));
      var td = el("td", { class: "cl-articles" });
      if (st.skill.articles.length) {
        var ul = el("ul");
        st.skill.articles.forEach(function (ar) {
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

    var avgScores = {};
    stats.forEach(function (st) { avgScores[st.skill.id] = st.avg; });
    var sel = el("select", { id: "cl-compare" });
    sel.appendChild(el("option", { value: "" }, t("cl_current")));
    chosen.forEach(function (a) {
      var o = el("option", { value: a.id }, a.name);
      if (a.id === compareWith) o.selected = true;
      sel.appendChild(o);
    });
    sel.addEventListener("change", function () { compareWith = sel.value; renderTeam(); document.getElementById("cl-compare").focus(); });
    var selBox = el("p", { class: "cl-compare no-print" });
    selBox.appendChild(el("label", { for: "cl-compare" }, t("cl_compare_with") + " "));
    selBox.appendChild(sel);
    team.appendChild(selBox);
    var other = saved.filter(function (a) { return a.id === compareWith; })[0];
    var person = other ? { name: other.name, scores: scores(other.answers).skills } : { name: t("cl_current"), scores: scores(readForm()).skills };
    team.appendChild(chartFigure([
      { name: t("cl_team_average"), scores: avgScores, cls: "series-team" },
      { name: person.name, scores: person.scores, cls: "series-person" }
    ], "cl-chart-team"));
  }

  function refresh() {
    renderScores();
    renderList();
    renderTeam();
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
    }
  } catch (e) {
    storageOk = false;
  }
  if (!storageOk) fail(t("cl_storage_error"));
  form.addEventListener("change", function () { saveDraft(); refresh(); });
  form.addEventListener("input", function (e) { if (e.target === notesField) saveDraft(); });
  nameInput.addEventListener("input", function () { saveDraft(); printHead.textContent = [nameInput.value, dateInput.value].filter(Boolean).join(" · "); });
  dateInput.addEventListener("change", saveDraft);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  document.documentElement.classList.add("cl-js");
  refresh();
})();
