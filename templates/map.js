// blueprint map: filters by organisation and journey; links to a step open its blueprint.
// No network, no eval, no inline handlers: the page's Content-Security-Policy allows this script only.
(function () {
  "use strict";
  var orgSelect = document.getElementById("filter-org");
  var journeySelect = document.getElementById("filter-journey");
  var status = document.getElementById("filter-status");

  function has(element, attribute, token) {
    var value = element.getAttribute(attribute);
    if (value === null || value === "") return true; // not about any org (or journey): always shown
    return (" " + value + " ").indexOf(" " + token + " ") >= 0;
  }

  function applyFilters() {
    var org = orgSelect ? orgSelect.value : "";
    var journey = journeySelect ? journeySelect.value : "";
    var shown = 0;
    var items = document.querySelectorAll("main [data-journeys], main [data-orgs]");
    for (var i = 0; i < items.length; i++) {
      var el = items[i];
      var visible = true;
      if (journey && el.hasAttribute("data-journeys") && !has(el, "data-journeys", journey)) visible = false;
      if (org && el.hasAttribute("data-orgs") && !has(el, "data-orgs", org)) visible = false;
      el.hidden = !visible;
      if (visible && el.classList.contains("journey")) shown++;
    }
    if (status) {
      status.textContent = org || journey ? "Showing " + shown + " journey" + (shown === 1 ? "" : "s") + "." : "";
    }
  }

  // Open every <details> around the element an address points to, then bring it into view.
  function reveal(id) {
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    var marked = document.querySelectorAll(".is-target");
    for (var i = 0; i < marked.length; i++) marked[i].classList.remove("is-target");
    for (var node = target.parentNode; node; node = node.parentNode) {
      if (node.tagName && node.tagName.toLowerCase() === "details") node.open = true;
      if (node.hidden) node.hidden = false;
    }
    target.classList.add("is-target");
    var inDrawing = target.tagName.toLowerCase() === "g";
    if (target.scrollIntoView) target.scrollIntoView(inDrawing ? { block: "center", inline: "center" } : { block: "start" });
    if (typeof target.focus === "function" && target.getAttribute("tabindex") === null && !inDrawing) {
      target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
    }
  }

  function fromHash() {
    var id = decodeURIComponent(window.location.hash.replace(/^#/, ""));
    reveal(id);
  }

  if (orgSelect) orgSelect.addEventListener("change", applyFilters);
  if (journeySelect) journeySelect.addEventListener("change", applyFilters);
  window.addEventListener("hashchange", fromHash);
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (!link) return;
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    if (("#" + id) === window.location.hash) reveal(id); // the same address again: no hashchange
  });
  fromHash();
  document.documentElement.setAttribute("data-ready", "");
})();
