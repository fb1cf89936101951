/* 百模志 reading aids: toggles, sentence alignment highlight, dictionary pop-up.
   No network, no dependencies; everything the page needs is inside it. */
(function () {
  "use strict";
  var KEY = "bm-options";
  var DEFAULTS = { lang: "both", layout: "side", script: "hans", pinyin: "off" };
  var root = document.documentElement;

  function load() {
    var opts = Object.assign({}, DEFAULTS);
    try { Object.assign(opts, JSON.parse(localStorage.getItem(KEY) || "{}")); } catch (e) { /* private mode */ }
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

  function applyScript() {
    var hant = opts.script === "hant";
    document.querySelectorAll(".w[data-t]").forEach(function (w) {
      if (hant) {
        if (!w.hasAttribute("data-s")) { w.setAttribute("data-s", w.textContent); }
        w.textContent = w.getAttribute("data-t");
      } else if (w.hasAttribute("data-s")) {
        w.textContent = w.getAttribute("data-s");
      }
    });
    document.querySelectorAll('.bm-article [lang^="zh"]').forEach(function (el) {
      el.setAttribute("lang", hant ? "zh-Hant" : "zh-Hans");
    });
  }

  function syncButtons() {
    document.querySelectorAll(".bm-toolbar button[data-opt]").forEach(function (b) {
      var on = opts[b.getAttribute("data-opt")] === b.getAttribute("data-val");
      if (b.getAttribute("data-opt") === "pinyin") { on = opts.pinyin === "on"; }
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function set(opt, val) {
    if (opt === "pinyin") { val = opts.pinyin === "on" ? "off" : "on"; }
    opts[opt] = val;
    save(opts);
    applyAttrs();
    if (opt === "script") { applyScript(); }
    syncButtons();
  }

  /* ---------- dictionary pop-up ---------- */
  var dict = null;
  function dictionary() {
    if (dict === null) {
      var el = document.getElementById("bm-dict");
      try { dict = el ? JSON.parse(el.textContent) : {}; } catch (e) { dict = {}; }
    }
    return dict;
  }
  var pop = null, popFor = null;
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
  function showWord(w) {
    var key = w.getAttribute("data-s") || w.textContent;
    var entries = dictionary()[key];
    if (!entries) { return; }
    var html = "";
    entries.forEach(function (e) {
      html += '<div class="bm-pop-entry"><span class="bm-pop-hz" lang="zh-Hans">' + esc(e[0]) +
        (e[1] && e[1] !== e[0] ? ' <span lang="zh-Hant">' + esc(e[1]) + "</span>" : "") +
        '</span> <span class="bm-pop-py">' + esc(e[2]) + '</span><div class="bm-pop-def" lang="en">' +
        esc(e[3]) + "</div></div>";
    });
    html += '<div class="bm-pop-src">CC-CEDICT</div>';
    var p = popup();
    p.innerHTML = html;
    p.hidden = false;
    var r = w.getBoundingClientRect();
    var below = r.bottom + 6 + p.offsetHeight <= document.documentElement.clientHeight;
    var top = window.scrollY + (below || r.top < p.offsetHeight + 6 ? r.bottom + 6 : r.top - p.offsetHeight - 6);
    var left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - p.offsetWidth - 8));
    p.style.top = top + "px";
    p.style.left = left + "px";
    popFor = w;
    w.setAttribute("aria-describedby", "bm-pop");
    announce(p, key, entries[0][2], entries[0][3], w);
  }
  /* Tell the study aids (bm-study.js) which word a pop-up shows, and the sentence it sits in. */
  function announce(p, word, pinyin, english, w) {
    var s = w.closest(".s"), seg = w.closest("[data-seg]"), en = null;
    if (s && seg) { en = seg.querySelector('.en .s[data-s="' + s.getAttribute("data-s") + '"]'); }
    document.dispatchEvent(new CustomEvent("bm:pop", { detail: {
      pop: p, word: word, pinyin: pinyin, english: english, sentence: s ? s.textContent : "",
      translation: en ? en.textContent : "", segment: seg ? seg.getAttribute("data-seg") : ""
    } }));
  }
  function hide() {
    if (pop) { pop.hidden = true; }
    if (popFor) { popFor.removeAttribute("aria-describedby"); }
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
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/g;
  function wordTable() {
    var el = document.getElementById("bm-words");
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  }
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
    var table = wordTable(), links = new Map();
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
          var word = text.slice(ws, we), info = table[word] || ["", ""];
          var span = document.createElement("span");
          span.className = "w";
          span.textContent = word;
          var py = info[0];
          var link = node.parentNode.closest("a.gl[data-py]");
          if (link) {   /* a glossary entry's own pinyin overrides the word's */
            if (!links.has(link)) { links.set(link, { syl: link.getAttribute("data-py").split(" "), i: 0 }); }
            var st = links.get(link), n = (word.match(HAN) || []).length;
            py = st.syl.slice(st.i, st.i + n).join(" ") || py;
            st.i += n;
          }
          if (py) { span.setAttribute("data-p", py); }
          if (info[1]) { span.setAttribute("data-t", info[1]); }
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

  var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;

  function init() {
    buildWords();
    applyScript();
    syncButtons();
    document.querySelectorAll(".bm-toolbar button[data-opt]").forEach(function (b) {
      b.addEventListener("click", function () { set(b.getAttribute("data-opt"), b.getAttribute("data-val")); });
    });
    var article = document.querySelector(".bm-article");
    if (!article) { return; }
    /* pointer events, so a tap (which also fires mouse events) is handled once, by "click" */
    article.addEventListener("pointerover", function (ev) {
      if (ev.pointerType !== "mouse") { return; }
      var s = ev.target.closest(".s");
      if (s) { highlight(s, true); }
      var w = ev.target.closest(".w");
      if (w && !w.closest("a")) { showWord(w); }
    });
    article.addEventListener("pointerout", function (ev) {
      if (ev.pointerType !== "mouse") { return; }
      var s = ev.target.closest(".s");
      if (s && !(ev.relatedTarget && s.contains(ev.relatedTarget))) { highlight(s, false); }
      var w = ev.target.closest(".w");
      if (w && w === popFor && !(ev.relatedTarget && (w.contains(ev.relatedTarget) || (pop && pop.contains(ev.relatedTarget))))) { hide(); }
    });
    article.addEventListener("focusin", function (ev) {
      var s = ev.target.closest(".s");
      if (s) { highlight(s, true); }
    });
    article.addEventListener("focusout", function (ev) {
      var s = ev.target.closest(".s");
      if (s) { highlight(s, false); }
    });
    article.addEventListener("click", function (ev) {
      var link = ev.target.closest("a.gl");
      if (link && coarse && !link.classList.contains("bm-armed")) {
        /* first tap on a touch screen shows the term's tooltip; a second tap follows the link */
        ev.preventDefault();
        document.querySelectorAll("a.gl.bm-armed").forEach(function (x) { x.classList.remove("bm-armed"); });
        link.classList.add("bm-armed");
        link.focus();
        return;
      }
      var w = ev.target.closest(".w");
      if (w && !w.closest("a")) {
        if (popFor === w) { hide(); } else { showWord(w); }
        var s = w.closest(".s");
        if (s) {
          article.querySelectorAll(".bm-hl").forEach(function (x) { x.classList.remove("bm-hl"); });
          highlight(s, true);
        }
        return;
      }
      hide();
    });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { hide(); } });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
