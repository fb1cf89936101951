/* 百模志 study aids: My words, study mode, reading progress and "Cite this".
   Nothing leaves the page: saved words and progress live in this browser's localStorage, citations
   come from the site's own JSON files, exports are made in the browser. Every string from storage
   or data reaches the page through textContent, never as markup. */
(function () {
  "use strict";
  var WORDS = "bm-mywords", PROGRESS = "bm-progress", STUDY = "bm-study", MAX_WORDS = 2000;
  var root = document.documentElement;

  function read(key, dflt) {
    try { var v = JSON.parse(localStorage.getItem(key)); return v === null || v === undefined ? dflt : v; } catch (e) { return dflt; }
  }
  function write(key, v) { try { localStorage.setItem(key, JSON.stringify(v)); } catch (e) { /* private mode */ } }
  function el(tag, attrs, text) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text !== undefined) { n.textContent = text; }
    return n;
  }
  function str(v, max) { return typeof v === "string" ? v.slice(0, max) : ""; }
  /* The site's root, from this script's own address (assets/bm-study.js). */
  var script = document.currentScript;
  var siteRoot = script ? new URL("..", script.src) : new URL("/", location.href);

  /* ---------- My words ---------- */
  function clean(x) {
    return x && typeof x === "object" && typeof x.w === "string" && x.w ? {
      w: str(x.w, 40), py: str(x.py, 120), en: str(x.en, 400), zh: str(x.zh, 600), tr: str(x.tr, 1200),
      page: str(x.page, 300), title: str(x.title, 300)
    } : null;
  }
  function myWords() {
    var list = read(WORDS, []);
    return Array.isArray(list) ? list.map(clean).filter(Boolean).slice(0, MAX_WORDS) : [];
  }
  function isSaved(w) { return myWords().some(function (x) { return x.w === w; }); }
  function toggle(item) {
    var list = myWords(), i = list.findIndex(function (x) { return x.w === item.w; });
    if (i >= 0) { list.splice(i, 1); } else { list.push(clean(item)); }
    write(WORDS, list.slice(-MAX_WORDS));
    return i < 0;
  }
  function starButton(item) {
    var b = el("button", { type: "button", "class": "bm-star" });
    function sync() {
      var on = isSaved(item.w);
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.textContent = on ? "★ Saved to My words" : "☆ Save to My words";
    }
    b.addEventListener("click", function (ev) { ev.stopPropagation(); toggle(item); sync(); });
    sync();
    return b;
  }
  /* bm.js announces every pop-up it opens (dictionary, glossary, numbers) with the word and its sentence. */
  document.addEventListener("bm:pop", function (ev) {
    var d = ev.detail || {};
    if (!d.pop || !d.word) { return; }
    var title = document.querySelector("h1");
    d.pop.appendChild(starButton({
      w: d.word, py: d.pinyin || "", en: d.english || "", zh: d.sentence || "", tr: d.translation || "",
      page: location.pathname + (d.segment ? "#" + d.segment : ""), title: title ? title.textContent.trim() : ""
    }));
  });

  /* Exports, in the same formats as the site's per-article vocabulary files. */
  function cell(v) { return /^[=+\-@\t\r]/.test(v) ? "'" + v : v; }
  function csvRow(cells) {
    return cells.map(function (c) { c = cell(c); return /[",\n\r]/.test(c) ? '"' + c.replace(/"/g, '""') + '"' : c; }).join(",");
  }
  function escHtml(s) {
    return s.replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }
  function flat(s) { return s.replace(/[\t\r\n]+/g, " "); }
  function asCsv(list) {
    return ["word,pinyin,english,sentence_zh,sentence_en,page"].concat(list.map(function (x) {
      return csvRow([x.w, x.py, x.en, x.zh, x.tr, x.page]);
    })).join("\n") + "\n";
  }
  function asAnki(list) {
    return ["#separator:tab", "#html:true", "#tags column:4"].concat(list.map(function (x) {
      var example = x.zh ? "<br><br>" + escHtml(x.zh) + (x.tr ? "<br><i>" + escHtml(x.tr) + "</i>" : "") : "";
      return [escHtml(x.w), escHtml(x.py) + "<br>" + escHtml(x.en) + example, escHtml(x.w), "baimozhi my-words"].map(flat).join("\t");
    })).join("\n") + "\n";
  }
  function download(name, text, type) {
    var a = el("a", { download: name });
    a.href = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }

  function renderMyWords(box) {
    var list = myWords();
    box.textContent = "";
    box.appendChild(el("p", { "class": "bm-mywords-count" },
      list.length ? list.length + (list.length === 1 ? " word" : " words") + " saved in this browser." :
        "No words yet. Point at (or tap) a word in an article and choose “Save to My words”."));
    if (!list.length) { return; }
    var bar = el("p", { "class": "bm-mywords-actions" });
    [["Anki deck (TSV)", "my-words-anki.tsv", asAnki, "text/tab-separated-values"],
     ["CSV", "my-words.csv", asCsv, "text/csv"]].forEach(function (x) {
      var b = el("button", { type: "button", "class": "md-button" }, "Download " + x[0]);
      b.addEventListener("click", function () { download(x[1], x[2](myWords()), x[3]); });
      bar.appendChild(b);
      bar.appendChild(document.createTextNode(" "));
    });
    box.appendChild(bar);
    var table = el("table", { "class": "bm-mywords-table" });
    var head = el("tr");
    ["Word", "Pinyin", "English", "Met in", ""].forEach(function (t) { head.appendChild(el("th", { scope: "col" }, t)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    list.forEach(function (x) {
      var tr = el("tr");
      tr.appendChild(el("td", { lang: "zh-Hans" }, x.w));
      tr.appendChild(el("td", { "class": "bm-py" }, x.py));
      tr.appendChild(el("td", { lang: "en" }, x.en));
      var met = el("td");
      if (x.zh) { met.appendChild(el("span", { lang: "zh-Hans" }, x.zh)); }
      if (x.page.charAt(0) === "/" && x.page.charAt(1) !== "/") {   /* a path on this site only */
        met.appendChild(document.createTextNode(" "));
        met.appendChild(el("a", { href: x.page }, x.title || "source"));
      }
      tr.appendChild(met);
      var rm = el("td"), b = el("button", { type: "button", "aria-label": "Remove " + x.w }, "Remove");
      b.addEventListener("click", function () { toggle(x); renderMyWords(box); });
      rm.appendChild(b);
      tr.appendChild(rm);
      body.appendChild(tr);
    });
    box.appendChild(table);
  }

  /* ---------- study mode and reading progress ---------- */
  function studyOn() { return read(STUDY, "off") === "on"; }
  function applyStudy(on) {
    root.setAttribute("data-bm-study", on ? "on" : "off");
    document.querySelectorAll(".bm-article .seg.bm-shown").forEach(function (s) { s.classList.remove("bm-shown"); });
  }
  function reveal(seg) { if (seg && studyOn()) { seg.classList.add("bm-shown"); } }

  function progressKey(article) { return article.getAttribute("data-article") || location.pathname; }
  function trackProgress(article) {
    if (!("IntersectionObserver" in window)) { return; }
    var key = progressKey(article), timer = null, current = null;
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { if (e.isIntersecting) { current = e.target.id; } });
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (!current) { return; }
        var all = read(PROGRESS, {});
        if (typeof all !== "object" || Array.isArray(all)) { all = {}; }
        all[key] = current;
        write(PROGRESS, all);
      }, 400);
    }, { rootMargin: "-30% 0px -60% 0px" });
    article.querySelectorAll(".seg[id]").forEach(function (s) { io.observe(s); });
  }
  function resumeButton(article) {
    var all = read(PROGRESS, {}), id = all && typeof all === "object" ? all[progressKey(article)] : null;
    var target = typeof id === "string" && /^[A-Za-z0-9_-]{1,40}$/.test(id) ? document.getElementById(id) : null;
    var first = article.querySelector(".seg[id]");
    if (!target || target === first || location.hash) { return null; }
    var segs = Array.prototype.slice.call(article.querySelectorAll(".seg[id]"));
    var b = el("button", { type: "button", "class": "bm-resume" }, "Resume at ¶" + (segs.indexOf(target) + 1));
    b.addEventListener("click", function () { target.scrollIntoView({ block: "start" }); target.focus && target.focus(); b.remove(); });
    return b;
  }

  /* ---------- Cite this ---------- */
  var citeData = null;
  function citations(slug) {
    if (!citeData) {
      citeData = fetch(new URL("data/cite/" + encodeURIComponent(slug) + ".json", siteRoot)).then(function (r) {
        if (!r.ok) { throw new Error(r.status); }
        return r.json();
      });
    }
    return citeData;
  }
  function copyButton(getText, label) {
    var b = el("button", { type: "button", "class": "bm-copy" }, label || "Copy");
    b.addEventListener("click", function () {
      var done = function () { b.textContent = "Copied"; setTimeout(function () { b.textContent = label || "Copy"; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(getText()).then(done, function () {}); }
      else {
        var t = el("textarea", { "aria-hidden": "true" }); t.value = getText(); document.body.appendChild(t);
        t.select(); try { document.execCommand("copy"); done(); } catch (e) { /* nothing to do */ } t.remove();
      }
    });
    return b;
  }
  var dialog = null;
  function openCite(slug, segId) {
    if (!dialog) {
      dialog = el("dialog", { "class": "bm-cite-dialog", "aria-labelledby": "bm-cite-title" });
      document.body.appendChild(dialog);
      dialog.addEventListener("click", function (ev) { if (ev.target === dialog) { dialog.close(); } });
    }
    dialog.textContent = "";
    var heading = el("h2", { id: "bm-cite-title" }, "Cite this " + (segId ? "paragraph" : "article"));
    dialog.appendChild(heading);
    var body = el("div", { "class": "bm-cite-body" }, "Loading…");
    dialog.appendChild(body);
    var close = el("button", { type: "button", "class": "bm-cite-close" }, "Close");
    close.addEventListener("click", function () { dialog.close(); });
    dialog.appendChild(close);
    if (typeof dialog.showModal === "function") { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
    citations(slug).then(function (data) {
      var c = segId ? (data.paragraphs || {})[segId] : data.article;
      if (!c) { throw new Error("no citation"); }
      if (segId) { heading.textContent = "Cite ¶" + c.n; }
      body.textContent = "";
      [["Chicago (author-date)", c.chicago + (c.intext ? "\nIn the text: " + c.intext : "")],
       ["BibTeX", c.bibtex], ["CSL-JSON (Zotero, Mendeley, Pandoc)", c.csl]].forEach(function (f, i) {
        var sec = el("section", { "class": "bm-cite-format" });
        sec.appendChild(el("h3", {}, f[0]));
        var pre = sec.appendChild(el("pre", { tabindex: "0" }, f[1]));
        sec.appendChild(copyButton(function () { return pre.textContent; }, "Copy " + ["Chicago", "BibTeX", "CSL-JSON"][i]));
        body.appendChild(sec);
      });
      var first = body.querySelector(".bm-copy");
      if (first) { first.focus(); }
    }).catch(function () { body.textContent = "The citation could not be loaded. The “Cite this article” box under the title has it too."; });
  }

  function init() {
    var mine = document.getElementById("bm-mywords");
    if (mine) { renderMyWords(mine); }
    var article = document.querySelector(".bm-article");
    if (!article) { return; }
    var slug = article.getAttribute("data-article") || "";
    applyStudy(studyOn());
    var bar = document.querySelector(".bm-toolbar");
    if (bar) {
      var group = el("span", { "class": "bm-group", role: "group", "aria-label": "Study" });
      var b = el("button", { type: "button", "data-study": "", "aria-pressed": studyOn() ? "true" : "false",
        title: "Hide the English until you tap or focus a paragraph" }, "Study");
      b.addEventListener("click", function () {
        var on = !studyOn();
        write(STUDY, on ? "on" : "off");
        applyStudy(on);
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
      group.appendChild(b);
      var resume = resumeButton(article);
      if (resume) { group.appendChild(resume); }
      bar.appendChild(group);
    }
    article.querySelectorAll(".seg[data-seg]").forEach(function (seg) {
      if (seg.classList.contains("seg-heading")) { return; }
      var btn = el("button", { type: "button", "class": "bm-cite-btn", "aria-label": "Cite this paragraph",
        title: "Cite this paragraph" }, "Cite");
      btn.addEventListener("click", function (ev) { ev.stopPropagation(); openCite(slug, seg.getAttribute("data-seg")); });
      seg.appendChild(btn);
      var show = el("button", { type: "button", "class": "bm-show-en" }, "Show the English");
      show.addEventListener("click", function (ev) { ev.stopPropagation(); reveal(seg); });
      var en = seg.querySelector(".en");
      if (en) { en.parentNode.insertBefore(show, en); }
    });
    article.addEventListener("click", function (ev) { reveal(ev.target.closest(".seg")); });
    article.addEventListener("focusin", function (ev) { if (!ev.target.classList.contains("bm-cite-btn")) { reveal(ev.target.closest(".seg")); } });
    var citeArticle = document.querySelector("[data-cite-article]");
    if (citeArticle) { citeArticle.addEventListener("click", function () { openCite(slug, null); }); }
    trackProgress(article);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
