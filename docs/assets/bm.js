/* 百模志 reading aids: toggles (languages, layout, 简 / 繁 Taiwan / 繁 Hong Kong, pinyin as ruby),
   sentence alignment highlight, one pop-up for every annotation (figure > repair > glossary/name >
   dictionary), keyboard reading (arrow keys word by word, Enter looks up, Escape closes), ¶
   permalinks with a copy button, and old paragraph links redirected to their paragraph's new id.
   No network, no dependencies: everything the page needs is inside it (the JSON tables the build
   writes: #bm-words, #bm-dict, #bm-terms, #bm-hant, #bm-moved). */
(function () {
  "use strict";
  var KEY = "bm-options";
  var DEFAULTS = { lang: "both", layout: "side", script: "hans", pinyin: "off" };
  var CHOICES = { lang: ["zh", "both", "en"], layout: ["side", "stack"], script: ["hans", "hant", "hk"], pinyin: ["on", "off"] };
  var LANG_TAG = { hans: "zh-Hans", hant: "zh-Hant-TW", hk: "zh-Hant-HK" };
  var root = document.documentElement;

  function load() {
    var opts = Object.assign({}, DEFAULTS), stored = {};
    try { stored = JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { /* private mode */ }
    Object.keys(DEFAULTS).forEach(function (k) { if (CHOICES[k].indexOf(stored[k]) >= 0) { opts[k] = stored[k]; } });
    return opts;
  }
  function save(opts) {
    try { localStorage.setItem(KEY, JSON.stringify(opts)); } catch (e) { /* private mode */ }
  }

  var opts = load();
  function applyAttrs() {
    Object.keys(DEFAULTS).forEach(function (k) { root.setAttribute("data-bm-" + k, opts[k]); });
  }
  applyAttrs();  /* before first paint where possible: this script loads at the end of body */

  /* ---------- the page's tables ---------- */
  var tables = {};
  function table(name) {
    if (!(name in tables)) {
      var el = document.getElementById("bm-" + name);
      try { tables[name] = el ? JSON.parse(el.textContent) : {}; } catch (e) { tables[name] = {}; }
    }
    return tables[name];
  }
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/, HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  function isHan(ch) { return HAN.test(ch); }
  function has(obj, k) { return Object.prototype.hasOwnProperty.call(obj, k); }

  /* ---------- 简 / 繁: [tw] or [tw, hk] after a word's pinyin, "" meaning unchanged ---------- */
  function pick(forms, s) {
    if (opts.script === "hans" || !forms || !forms.length) { return s; }
    var tw = forms[0] || s;
    return opts.script === "hk" && forms.length > 1 ? forms[1] || s : tw;
  }
  /* the pages that are not articles (and every page's header and navigation) share one table,
     data/hant.json beside this script's folder, fetched from the site only once 繁 is chosen */
  var SHARED_URL = ((document.currentScript && document.currentScript.src) || "").replace(/assets\/bm\.js(?:[?#].*)?$/, "data/hant.json");
  var shared = null, sharing = false;
  function loadShared() {
    if (shared || sharing || !/data\/hant\.json$/.test(SHARED_URL) || typeof fetch !== "function") { return; }
    sharing = true;
    fetch(SHARED_URL).then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (d) { shared = d || {}; }, function () { shared = {}; })
      .then(function () { root.setAttribute("data-bm-shared", "loaded"); if (opts.script !== "hans") { applyScript(); } });
  }
  function row(name, key) { var t = table(name); return has(t, key) ? t[key] : null; }
  function wordForm(s) { var e = row("words", s); return e ? pick(e.slice(1, 3), s) : s; }
  function known(run) {   /* a run in the chosen script, or null when no table holds it */
    var runs = table("hant"), words = table("words");
    if (has(runs, run)) { return pick(runs[run], run); }
    if (has(words, run)) { return pick(words[run].slice(1, 3), run); }
    return shared && has(shared, run) ? pick(shared[run], run) : null;
  }
  /* the longest pieces the tables know, first to last (the shared table holds every character) */
  function cut(run, look) {
    var out = "", i = 0;
    while (i < run.length) {
      for (var n = Math.min(8, run.length - i); n > 0; n--) {
        var f = look(run.substr(i, n));
        if (f !== null || n === 1) { out += f === null ? run.charAt(i) : f; i += n; break; }
      }
    }
    return out;
  }
  /* the build's tables hold every run of the page that changes, so a run they lack stays as it is;
     text made in the browser (`made`: search results, My words) may hold runs no table has seen */
  function convert(text, made) {
    if (opts.script === "hans" || !text) { return text; }
    return text.replace(HAN_RUN, function (run) { var f = known(run); return f !== null ? f : made ? cut(run, known) : run; });
  }
  /* a search typed in Traditional: the engine's index is Simplified, so the query it is sent (never
     the box's text) is read back through the shared table once 繁 has loaded it */
  var back = null;
  function simplified(q) {
    if (!shared || !HAN.test(q)) { return q; }
    if (!back) {
      back = {};
      Object.keys(shared).forEach(function (k) {
        var f = shared[k], tw = f[0] || k;
        [tw, f[1] || tw].forEach(function (t) { if (t !== k && t.length === k.length && !has(back, t)) { back[t] = k; } });
      });
    }
    return q.replace(HAN_RUN, function (run) { return cut(run, function (x) { return has(back, x) ? back[x] : null; }); });
  }
  if (typeof Worker === "function") {
    /* Material's and Zensical's search workers both take {type: 2, data: query or {input: query}} */
    var post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (m) {
      var args = Array.prototype.slice.call(arguments);
      if (m && m.type === 2 && shared) {
        if (typeof m.data === "string") { args[0] = { type: 2, data: simplified(m.data) }; }
        else if (m.data && typeof m.data.input === "string") { args[0] = { type: 2, data: Object.assign({}, m.data, { input: simplified(m.data.input) }) }; }
      }
      return post.apply(this, args);
    };
  }

  /* ---------- a word: its characters in the chosen script, with pinyin as ruby when on ---------- */
  function renderWord(w) {
    var s = w.getAttribute("data-z"), text = wordForm(s), e = row("words", s);
    /* Taiwan's own word (人工智能 -> 人工智慧) has its own reading, the fourth item of the row */
    var py = opts.pinyin === "on" && (opts.script === "hant" && e && e.length > 3 ? e[3] : w.getAttribute("data-p"));
    if (!py) {
      if (w.childNodes.length !== 1 || w.firstChild.nodeType !== 3 || w.textContent !== text) { w.textContent = text; }
      return;
    }
    var chars = Array.from(text), syl = py.split(" "), han = chars.filter(isHan).length, k = 0;
    w.textContent = "";
    function pair(base, reading, cell) {
      var box = cell ? w.appendChild(document.createElement("span")) : w, ruby = box.appendChild(document.createElement("ruby"));
      if (cell) { box.className = "bm-c"; }
      ruby.appendChild(document.createTextNode(base));
      ruby.appendChild(document.createElement("rt")).textContent = reading;
    }
    if (han === syl.length && chars.length === Array.from(s).length) {
      /* one cell per character, all as wide as the widest reading (pinyinCells): even spacing */
      chars.forEach(function (ch) {
        if (isHan(ch)) { pair(ch, syl[k++], true); } else { w.appendChild(document.createTextNode(ch)); }
      });
    } else {
      pair(text, py);
    }
  }
  /* the cell width: the widest reading in text of the same size (paragraphs, headings), so no
     reading overflows its character's cell */
  function pinyinCells() {
    var article = document.querySelector(".bm-article");
    if (!article || opts.pinyin !== "on") { return; }
    var g = document.createRange(), widest = {}, blocks = [];
    article.querySelectorAll(".zh").forEach(function (b) {
      var rts = b.querySelectorAll(".bm-c rt");
      if (!rts.length || !b.getClientRects().length) { return; }   /* hidden (English only): measured when shown */
      var size = getComputedStyle(rts[0]).fontSize, w = widest[size] || 0;
      rts.forEach(function (rt) { g.selectNodeContents(rt); w = Math.max(w, g.getBoundingClientRect().width); });
      widest[size] = w;
      blocks.push([b, size]);
    });
    blocks.forEach(function (x) { if (widest[x[1]]) { x[0].style.setProperty("--bm-cell", Math.ceil(widest[x[1]] + 2) + "px"); } });
  }
  if (document.fonts && document.fonts.ready) { document.fonts.ready.then(function () { pinyinCells(); }); }

  var original = new WeakMap();   /* text node -> [its Simplified text, what it shows] */
  var SKIP = "script, style, code, pre, textarea, input, .w, .bm-pop, .bm-toolbar";
  var title = document.title;
  var MADE = ".md-search-result, #bm-mywords";
  function convertTree(top) {
    var shadow = top.nodeType === 11;
    var walker = document.createTreeWalker(top, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        var p = n.parentNode;
        return (original.has(n) || HAN.test(n.nodeValue)) && !(p.closest && p.closest(SKIP)) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    nodes.forEach(function (n) {
      var was = original.get(n), s = was && was[1] === n.nodeValue ? was[0] : n.nodeValue;
      var t = convert(s, shadow || !!n.parentNode.closest(MADE));
      if (t !== s) { original.set(n, [s, t]); } else { original.delete(n); }
      if (n.nodeValue !== t) { n.nodeValue = t; }
    });
  }
  /* text made after the page loaded: search results (Material's list, Zensical's dialog in a shadow
     root) and My words (bm-study.js, from this browser's storage) convert as they appear */
  var live = [];
  function watch(top) {
    if (!top || live.indexOf(top) >= 0) { return; }
    live.push(top);
    var mo = new MutationObserver(function () {
      if (opts.script !== "hans") { convertTree(top); setLangs(top); mo.takeRecords(); }
    });
    mo.observe(top, { childList: true, subtree: true, characterData: true });
  }
  function watchLive() {
    document.querySelectorAll(MADE).forEach(watch);
    var hosts = function () {
      Array.prototype.forEach.call(document.body.children, function (el) { if (el.shadowRoot) { watch(el.shadowRoot); } });
    };
    hosts();
    new MutationObserver(hosts).observe(document.body, { childList: true });
  }
  /* the figures' drawings in the chosen script: the build writes each beside itself in
     assets/figures/tw/ and hk/ (the picture, its phone source and the full-size link) */
  var FIG = /(assets\/figures\/)(?:(?:tw|hk)\/)?/;
  function swapFigures() {
    var dir = opts.script === "hans" ? "" : opts.script === "hk" ? "hk/" : "tw/";
    document.querySelectorAll('img[src*="assets/figures/"], source[srcset*="assets/figures/"], a[href*="assets/figures/"]').forEach(function (el) {
      var attr = el.tagName === "IMG" ? "src" : el.tagName === "SOURCE" ? "srcset" : "href", v = el.getAttribute(attr), w = v.replace(FIG, "$1" + dir);
      if (w !== v) { el.setAttribute(attr, w); }
    });
  }
  function applyScript() {
    document.querySelectorAll(".bm-article .w[data-z]").forEach(renderWord);
    swapFigures();
    if (opts.script !== "hans") { loadShared(); }
    document.title = convert(title);
    convertTree(document.body);
    live.forEach(function (top) { if (top !== document.body && !document.body.contains(top)) { convertTree(top); } });
    setLangs(document);
  }
  function setLangs(top) {
    top.querySelectorAll('.md-main [lang^="zh"], .bm-article [lang^="zh"], #bm-mywords [lang^="zh"]').forEach(function (el) {
      if (!el.closest(".bm-toolbar")) { el.setAttribute("lang", LANG_TAG[opts.script]); }
    });
  }

  function syncButtons() {
    document.querySelectorAll(".bm-toolbar button[data-opt]").forEach(function (b) {
      var on = opts[b.getAttribute("data-opt")] === b.getAttribute("data-val");
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function set(opt, val) {
    if (opt === "pinyin") { val = opts.pinyin === "on" ? "off" : "on"; }
    opts[opt] = val;
    save(opts);
    applyAttrs();
    if (opt === "script") { applyScript(); }
    if (opt === "pinyin") { document.querySelectorAll(".bm-article .w[data-z]").forEach(renderWord); }
    pinyinCells();
    syncButtons();
    hide();
  }

  /* ---------- one pop-up ---------- */
  var pop = null, popFor = null, twins = [];
  function popup() {
    if (!pop) {
      pop = document.createElement("div");
      pop.className = "bm-pop";
      pop.setAttribute("role", "tooltip");
      pop.id = "bm-pop";
      /* the pointer may move onto the pop-up (to save the word) without closing it */
      pop.addEventListener("pointerleave", function (ev) {
        if (ev.pointerType === "mouse" && popFor && !(ev.relatedTarget && popFor.contains(ev.relatedTarget))) { hide(); }
      });
      document.body.appendChild(pop);
    }
    return pop;
  }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function hz(s) { return '<span class="bm-pop-hz" lang="' + LANG_TAG[opts.script] + '">' + esc(convert(s)) + "</span>"; }
  function py(s) { return s ? ' <span class="bm-pop-py">' + esc(s) + "</span>" : ""; }
  function line(cls, html) { return '<div class="' + cls + '">' + html + "</div>"; }

  /* nearest meaning wins: a figure, then a repair, then a glossary term or name, then the word */
  function annotationOf(el) {
    return el.closest(".bm-article .num, .bm-article .repair") || el.closest(".bm-article a.gl") || el.closest(".bm-article .w");
  }

  function dictionaryHtml(key) {
    var entries = row("dict", key);
    if (!entries) { return null; }
    var html = "";
    entries.forEach(function (e) {
      html += '<div class="bm-pop-entry"><span class="bm-pop-hz" lang="zh-Hans">' + esc(e[0]) +
        (e[1] && e[1] !== e[0] ? ' <span lang="zh-Hant">' + esc(e[1]) + "</span>" : "") + "</span>" + py(e[2]) +
        line("bm-pop-def", esc(e[3])) + "</div>";
    });
    return { html: html + line("bm-pop-src", "CC-CEDICT"), word: key, pinyin: entries[0][2], english: entries[0][3] };
  }
  function termHtml(a) {
    var id = a.getAttribute("data-term"), t = row("terms", id);
    if (!t) { return null; }
    var surface = a.getAttribute("data-z") || t[0], onZh = !!a.closest(".zh"), w = row("words", surface);
    var own = w ? w[0] : surface === t[0] ? t[1] : "", html = "";
    var where = a.classList.contains("ent") ? "Who’s who" : "Glossary";
    if (onZh) {
      html += line("bm-pop-entry", hz(surface) + py(own));
      if (surface !== t[0]) {
        var d = row("dict", surface);
        if (d) { html += line("bm-pop-def", esc(d[0][3])); }
        html += line("bm-pop-entry", "→ " + hz(t[0]) + py(t[1]) + " · " + esc(t[2]));
      } else {
        html += line("bm-pop-def bm-pop-en", esc(t[2]));
      }
    } else {
      html += line("bm-pop-entry", hz(t[0]) + py(t[1]) + " · " + esc(t[2]));
    }
    html += line("bm-pop-def", esc(t[3])) + line("bm-pop-src", where + (a.getAttribute("href") ? " · follow the link for the entry" : ""));
    return { html: html, word: onZh ? surface : t[0], pinyin: onZh ? own : t[1], english: t[2] };
  }
  function numberHtml(n) {
    var zh = n.getAttribute("data-zh") || "", en = n.getAttribute("data-en") || "";
    return { html: line("bm-pop-entry", hz(zh) + ' <span class="bm-pop-num">= ' + esc(en) + "</span>") +
      line("bm-pop-src", "Figure, as the number reader reads the Chinese"), word: zh, pinyin: "", english: en };
  }
  function repairHtml(r) {
    return { html: line("bm-pop-def", "Repaired: the scrape has “<code>" + esc(r.getAttribute("data-garbled") || "") + "</code>” here.") +
      line("bm-pop-def", esc(r.getAttribute("data-note") || "")) + line("bm-pop-src", "Mojibake repair"), word: "", pinyin: "", english: "" };
  }

  function show(ann) {
    if (!ann) { return; }
    var kind = ann.classList.contains("num") ? "number" : ann.classList.contains("repair") ? "repair" :
      ann.classList.contains("gl") ? "glossary" : "dictionary";
    var c = kind === "number" ? numberHtml(ann) : kind === "repair" ? repairHtml(ann) :
      kind === "glossary" ? termHtml(ann) : dictionaryHtml(ann.getAttribute("data-z") || ann.textContent);
    if (!c) { hide(); return; }
    hide();
    var p = popup();
    p.innerHTML = c.html;
    p.setAttribute("data-kind", kind);
    p.hidden = false;
    var r = ann.getClientRects()[0] || ann.getBoundingClientRect();
    var top = window.scrollY + r.bottom + 6;   /* below: above, it could cover the next word the pointer goes to */
    var left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - p.offsetWidth - 8));
    p.style.top = top + "px";
    p.style.left = left + "px";
    popFor = ann;
    describe(ann, true);
    twins = twinsOf(ann, kind);
    twins.forEach(function (x) { x.classList.add("bm-twin"); });
    announce(p, kind, c, ann);
  }
  function describe(el, on) {
    var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (x) { return x && x !== "bm-pop"; });
    if (on) { ids.push("bm-pop"); }
    if (ids.length) { el.setAttribute("aria-describedby", ids.join(" ")); } else { el.removeAttribute("aria-describedby"); }
  }
  /* the same figure or term on the other side of the segment */
  function twinsOf(ann, kind) {
    var seg = ann.closest("[data-seg]"), side = ann.closest(".zh, .en");
    if (!seg || !side || (kind !== "number" && kind !== "glossary")) { return []; }
    var sel = kind === "number" ? '.num[data-x="' + ann.getAttribute("data-x") + '"]' : 'a.gl[data-term="' + ann.getAttribute("data-term") + '"]';
    return Array.prototype.filter.call(seg.querySelectorAll(sel), function (x) { return !side.contains(x); });
  }
  /* Tell the study aids (bm-study.js) what a pop-up shows, and the sentence pair it sits in. */
  function announce(p, kind, c, el) {
    var s = el.closest(".s"), seg = el.closest("[data-seg]"), n = s && s.getAttribute("data-s"), zh = null, en = null;
    if (s && seg) {
      zh = seg.querySelector('.zh .s[data-s="' + n + '"]');
      en = seg.querySelector('.en .s[data-s="' + n + '"]');
    }
    document.dispatchEvent(new CustomEvent("bm:pop", { detail: {
      pop: p, kind: kind, word: c.word, pinyin: c.pinyin, english: c.english, sentence: zh ? zh.textContent : "",
      translation: en ? en.textContent : "", segment: seg ? seg.getAttribute("data-seg") : ""
    } }));
  }
  function hide() {
    if (pop) { pop.hidden = true; }
    if (popFor) { describe(popFor, false); }
    twins.forEach(function (x) { x.classList.remove("bm-twin"); });
    twins = [];
    popFor = null;
  }

  /* ---------- sentence alignment ---------- */
  function highlight(s, on) {
    var seg = s.closest("[data-seg]");
    if (!seg) { return; }
    seg.querySelectorAll('.s[data-s="' + s.getAttribute("data-s") + '"]').forEach(function (x) {
      x.classList.toggle("bm-hl", on);
    });
  }

  /* ---------- words: built from each sentence's data-w offsets and the page's word table ---------- */
  function spans(spec) {
    /* "2,1:3" -> [[0,2],[3,3]]: a word's length, after "gap:" when other text comes first */
    var out = [], pos = 0;
    spec.split(",").forEach(function (tok) {
      var parts = tok.split(":"), len = +parts[parts.length - 1];
      pos += parts.length > 1 ? +parts[0] : 0;
      out.push([pos, len]);
      pos += len;
    });
    return out;
  }
  function buildWords() {
    var links = new Map();
    document.querySelectorAll(".bm-article a.gl").forEach(function (a) { a.setAttribute("data-z", a.textContent); });
    document.querySelectorAll(".bm-article .zh .num").forEach(function (n) { n.setAttribute("data-zh", n.textContent); });
    document.querySelectorAll(".bm-article .zh .s[data-w]").forEach(function (s) {
      var spec = s.getAttribute("data-w");
      if (!spec) { return; }
      var list = spans(spec), k = 0, offset = 0, nodes = [];
      var walker = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) { nodes.push(walker.currentNode); }
      nodes.forEach(function (node) {
        var text = node.nodeValue, start = offset, frag = null, cursor = 0;
        offset += text.length;
        while (k < list.length && list[k][0] < offset) {
          var ws = list[k][0] - start, we = ws + list[k][1];
          k++;
          if (ws < cursor || we > text.length) { continue; }
          var word = text.slice(ws, we), py = (row("words", word) || [""])[0];
          var span = document.createElement("span");
          span.className = "w";
          span.textContent = word;
          span.setAttribute("data-z", word);
          var link = node.parentNode.closest("a.gl");
          if (link) {   /* the syllables of the linked form, cut word by word */
            if (!links.has(link)) {
              var surface = link.getAttribute("data-z"), t = row("terms", link.getAttribute("data-term")) || ["", ""];
              var syl = (surface === t[0] ? t[1] : (row("words", surface) || [""])[0]).split(" ");
              links.set(link, { syl: Array.from(surface).filter(isHan).length === syl.length ? syl : null, i: 0 });
            }
            var st = links.get(link), n = Array.from(word).filter(isHan).length;
            if (st.syl) { py = st.syl.slice(st.i, st.i + n).join(" ") || py; }
            st.i += n;
          }
          if (py) { span.setAttribute("data-p", py); }
          frag = frag || document.createDocumentFragment();
          if (ws > cursor) { frag.appendChild(document.createTextNode(text.slice(cursor, ws))); }
          frag.appendChild(span);
          cursor = we;
        }
        if (frag) {
          if (cursor < text.length) { frag.appendChild(document.createTextNode(text.slice(cursor))); }
          node.parentNode.replaceChild(frag, node);
        }
      });
    });
  }

  /* ---------- keyboard: one Tab stop per language per paragraph (roving focus); arrow keys move
     word by word in the Chinese and link by link, figure by figure in the English; Enter looks up */
  var STOP = { zh: ".w, a.gl, .num, .repair", en: "a.gl, .num" };
  /* a block's stops: a link, figure or repair counts once, however many words it holds */
  function stops(block) {
    var out = [], last = null;
    block.querySelectorAll(STOP[block.classList.contains("zh") ? "zh" : "en"]).forEach(function (el) {
      var box = el.closest("a.gl, .num, .repair"), key = box && block.contains(box) ? box : el;
      if (key !== last) { out.push(key); }
      last = key;
    });
    return out;
  }
  function blocks() {
    return Array.prototype.filter.call(document.querySelectorAll(".bm-article [data-seg] > .zh, .bm-article [data-seg] > .en"),
      function (b) { return b.getClientRects().length > 0; });
  }
  function hold(item, on) {   /* the block's one Tab stop */
    if (on) {
      item.setAttribute("tabindex", "0");
      var ids = (item.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (ids.indexOf("bm-kbd") < 0) { item.setAttribute("aria-describedby", ids.concat("bm-kbd").join(" ")); }
    } else {
      if (item.tagName === "A") { item.setAttribute("tabindex", "-1"); } else { item.removeAttribute("tabindex"); }
      var rest = (item.getAttribute("aria-describedby") || "").split(" ").filter(function (x) { return x && x !== "bm-kbd"; });
      if (rest.length) { item.setAttribute("aria-describedby", rest.join(" ")); } else { item.removeAttribute("aria-describedby"); }
    }
  }
  function cursorTo(block, item) {
    block.querySelectorAll('[tabindex="0"]').forEach(function (x) { if (x !== item) { hold(x, false); } });
    hold(item, true);
    item.focus();
  }
  function initCursors() {
    if (!document.getElementById("bm-kbd")) {
      var hint = document.createElement("span");
      hint.id = "bm-kbd";
      hint.hidden = true;
      hint.textContent = "Left and right arrow keys: previous and next word; Enter: look it up; Escape: close.";
      document.body.appendChild(hint);
    }
    document.querySelectorAll(".bm-article [data-seg] a.gl").forEach(function (a) { a.setAttribute("tabindex", "-1"); });
    document.querySelectorAll(".bm-article [data-seg] > .zh, .bm-article [data-seg] > .en").forEach(function (block) {
      var first = stops(block)[0];
      if (first) { hold(first, true); }
    });
  }
  function step(ev) {
    var item = ev.target, block = item.closest(".bm-article [data-seg] > .zh, .bm-article [data-seg] > .en");
    if (!block || !item.matches(STOP.zh)) { return false; }
    if (ev.key === "Enter" || ev.key === " ") {
      if (item.tagName === "A") { return false; }
      if (popFor === annotationOf(item)) { hide(); } else { show(annotationOf(item)); }
      return true;
    }
    var list = stops(block), i = list.indexOf(item), all = blocks(), b = all.indexOf(block), target = null;
    if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
      var d = ev.key === "ArrowRight" ? 1 : -1;
      target = list[i + d];
      for (var j = b + d; !target && j >= 0 && j < all.length; j += d) {   /* on into the next block */
        var next = stops(all[j]);
        if (next.length) { block = all[j]; target = d > 0 ? next[0] : next[next.length - 1]; }
      }
    } else if (ev.key === "Home" || ev.key === "End") {
      target = ev.key === "Home" ? list[0] : list[list.length - 1];
    } else {
      return false;
    }
    if (target) {
      var open = !!popFor;
      cursorTo(block, target);
      if (open || target.tagName === "A") { show(annotationOf(target)); }
    }
    return true;
  }

  /* ---------- ¶ permalinks: copy button, a toolbar per paragraph, old ids redirected ---------- */
  function copy(text, button) {
    var done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy link"; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done, function () {}); return; }
    var t = document.createElement("textarea");
    t.value = text;
    document.body.appendChild(t);
    t.select();
    try { document.execCommand("copy"); done(); } catch (e) { /* nothing to do */ }
    t.remove();
  }
  function paragraphBars() {
    document.querySelectorAll(".bm-article .bm-para").forEach(function (bar) {
      var link = bar.querySelector(".bm-pn");
      if (!link) { return; }
      bar.setAttribute("role", "toolbar");
      bar.setAttribute("aria-label", link.textContent);
      var b = document.createElement("button");
      b.type = "button";
      b.className = "bm-copylink";
      b.textContent = "Copy link";
      b.setAttribute("tabindex", "-1");
      b.addEventListener("click", function (ev) {
        ev.stopPropagation();
        copy(location.href.split("#")[0] + link.getAttribute("href"), b);
      });
      bar.appendChild(b);
    });
    /* after every DOMContentLoaded handler: the study aids' Cite button joins its paragraph's bar */
    setTimeout(function () {
      document.querySelectorAll(".bm-article .seg > .bm-cite-btn").forEach(function (c) {
        var bar = c.parentNode.querySelector(".bm-para");
        if (bar) { c.setAttribute("tabindex", "-1"); bar.appendChild(c); }
      });
    }, 0);
  }
  function barKeys(ev) {
    var bar = ev.target.closest(".bm-para");
    if (!bar || (ev.key !== "ArrowRight" && ev.key !== "ArrowLeft")) { return false; }
    var items = Array.prototype.slice.call(bar.querySelectorAll("a, button"));
    var next = items[(items.indexOf(ev.target) + (ev.key === "ArrowRight" ? 1 : items.length - 1)) % items.length];
    items.forEach(function (x) { x.setAttribute("tabindex", x === next ? "0" : "-1"); });
    next.focus();
    return true;
  }
  function flash(el) {
    el.classList.remove("bm-target");
    void el.offsetWidth;
    el.classList.add("bm-target");
    setTimeout(function () { el.classList.remove("bm-target"); }, 2500);
  }
  function redirect() {
    var id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var moved = table("moved");
    if (!id || document.getElementById(id) || !has(moved, id)) { return; }
    var el = document.getElementById(moved[id]);
    if (!el) { return; }
    history.replaceState(null, "", "#" + moved[id]);
    el.scrollIntoView({ block: "start" });
    flash(el);
  }

  /* ---------- a list of many links (an article's terms, the A–Z indexes): one Tab stop; arrow keys,
     Home and End move within it (roving tabindex), Enter follows the link ---------- */
  var LISTS = "ul.bm-terms, dl.bm-az-list";
  function listLinks(list) {
    return Array.prototype.filter.call(list.querySelectorAll("a[href]"), function (a) { return a.getClientRects().length > 0; });
  }
  function rove(list, item) {
    list.querySelectorAll("a[href]").forEach(function (a) {
      a.setAttribute("tabindex", a === item ? "0" : "-1");
      if (a === item) { a.setAttribute("aria-describedby", "bm-kbd-list"); } else { a.removeAttribute("aria-describedby"); }
    });
  }
  function initLists() {
    var lists = document.querySelectorAll(LISTS);
    if (!lists.length) { return; }
    var hint = document.createElement("span");
    hint.id = "bm-kbd-list";
    hint.hidden = true;
    hint.textContent = "One of a list: arrow keys move to the next or previous link, Home and End to the first and last.";
    document.body.appendChild(hint);
    lists.forEach(function (list) {
      var first = list.querySelector("a[href]");
      if (!first) { return; }
      rove(list, first);
      list.addEventListener("keydown", function (ev) {
        var links = listLinks(list), i = links.indexOf(ev.target), k = ev.key, to = null;
        if (i < 0 || ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
        if (k === "ArrowDown" || k === "ArrowRight") { to = links[Math.min(i + 1, links.length - 1)]; }
        else if (k === "ArrowUp" || k === "ArrowLeft") { to = links[Math.max(i - 1, 0)]; }
        else if (k === "Home") { to = links[0]; }
        else if (k === "End") { to = links[links.length - 1]; }
        if (!to) { return; }
        ev.preventDefault();
        rove(list, to);
        to.focus();
      });
      /* a click or a return by Tab keeps the stop where the reader was */
      list.addEventListener("focusin", function (ev) { if (ev.target.matches("a[href]")) { rove(list, ev.target); } });
    });
  }

  var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;

  function init() {
    buildWords();
    watchLive();
    initLists();
    if (opts.script !== "hans" || opts.pinyin === "on") { applyScript(); pinyinCells(); }
    syncButtons();
    document.querySelectorAll(".bm-toolbar button[data-opt]").forEach(function (b) {
      b.addEventListener("click", function () { set(b.getAttribute("data-opt"), b.getAttribute("data-val")); });
    });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { hide(); } });
    var article = document.querySelector(".bm-article");
    if (!article) { return; }
    initCursors();
    paragraphBars();
    redirect();
    window.addEventListener("hashchange", redirect);
    /* pointer events, so a tap (which also fires mouse events) is handled once, by "click" */
    article.addEventListener("pointerover", function (ev) {
      if (ev.pointerType !== "mouse") { return; }
      var s = ev.target.closest(".s");
      if (s) { highlight(s, true); }
      var ann = annotationOf(ev.target);
      if (ann && ann !== popFor) { show(ann); }
    });
    article.addEventListener("pointerout", function (ev) {
      if (ev.pointerType !== "mouse") { return; }
      var s = ev.target.closest(".s");
      if (s && !(ev.relatedTarget && s.contains(ev.relatedTarget))) { highlight(s, false); }
      if (popFor && popFor.contains(ev.target) && !(ev.relatedTarget && (popFor.contains(ev.relatedTarget) || (pop && pop.contains(ev.relatedTarget))))) { hide(); }
    });
    article.addEventListener("focusin", function (ev) {
      var s = ev.target.closest(".s");
      if (s) { highlight(s, true); }
      if (ev.target.matches("a.gl") && ev.target !== popFor) { show(ev.target); }
    });
    article.addEventListener("focusout", function (ev) {
      var s = ev.target.closest(".s");
      if (s) { highlight(s, false); }
      if (ev.target === popFor && !(ev.relatedTarget && pop && pop.contains(ev.relatedTarget))) { hide(); }
    });
    article.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
      if (step(ev) || barKeys(ev)) { ev.preventDefault(); }
    });
    article.addEventListener("click", function (ev) {
      var back = ev.target.closest(".fn-back");
      if (back && opts.lang === "zh") {   /* only the Chinese side's note mark shows */
        var zh = document.getElementById(back.getAttribute("href").slice(1) + "-zh");
        if (zh) { ev.preventDefault(); history.pushState(null, "", "#" + zh.id); zh.scrollIntoView({ block: "start" }); flash(zh); }
        return;
      }
      var link = ev.target.closest("a.gl");
      if (link && coarse && !link.classList.contains("bm-armed")) {
        /* first tap on a touch screen shows the term's pop-up; a second tap follows the link */
        ev.preventDefault();
        document.querySelectorAll("a.gl.bm-armed").forEach(function (x) { x.classList.remove("bm-armed"); });
        link.classList.add("bm-armed");
        show(link);
        return;
      }
      if (link) { return; }
      var ann = annotationOf(ev.target);
      if (ann) {
        if (popFor === ann) { hide(); } else { show(ann); }
        var s = ann.closest(".s");
        if (s) {
          article.querySelectorAll(".bm-hl").forEach(function (x) { x.classList.remove("bm-hl"); });
          highlight(s, true);
        }
        return;
      }
      hide();
    });
    document.addEventListener("click", function (ev) {
      if (popFor && !article.contains(ev.target) && !(pop && pop.contains(ev.target))) { hide(); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
