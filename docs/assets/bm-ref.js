/* 百模志 glossary and who's who: the filter box shows only the entries whose Chinese, English,
   variants or pinyin (with or without tones) contain what is typed. */
(function () {
  "use strict";
  var box = document.getElementById("bm-filter");
  if (!box) { return; }
  var entries = Array.prototype.slice.call(document.querySelectorAll(".bm-entry[data-filter]"));
  var count = document.getElementById("bm-filter-count");
  function strip(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
  function apply() {
    var q = strip(box.value.trim().toLowerCase()), shown = 0;
    entries.forEach(function (e) {
      var hit = !q || strip(e.getAttribute("data-filter")).indexOf(q) >= 0;
      e.hidden = !hit;
      if (hit) { shown++; }
    });
    document.querySelectorAll(".md-content h2[id^='cat-']").forEach(function (h2) {
      var next = h2.nextElementSibling, any = false;
      while (next && next.tagName !== "H2") { if (next.matches(".bm-entry") && !next.hidden) { any = true; } next = next.nextElementSibling; }
      h2.hidden = !any;
    });
    count.textContent = q ? shown + " of " + entries.length + " entries" : "";
  }
  box.addEventListener("input", apply);
})();
