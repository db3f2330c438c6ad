/* blueprint-cli report: diagram views, finding filters and pages, highlighting. No network, no eval. */
(function () {
  "use strict";
  var doc = document;
  var data = JSON.parse(doc.getElementById("report-data").textContent);
  var figure = doc.getElementById("diagram-figure");
  var groupsRoot = doc.getElementById("finding-groups");
  var items = groupsRoot ? Array.prototype.slice.call(groupsRoot.querySelectorAll(".finding-item")) : [];
  var groups = groupsRoot ? Array.prototype.slice.call(groupsRoot.querySelectorAll(".stage-group")) : [];
  var pageSize = groupsRoot ? parseInt(groupsRoot.getAttribute("data-page-size"), 10) || 100 : 100;
  var page = 0;
  var visible = items;

  function byId(id) { return id ? doc.getElementById(id) : null; }
  function text(tag, value, cls) {
    var el = doc.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }

  /* ---- the diagram: views and highlighting ---- */
  function fillClones() {
    doc.querySelectorAll("[data-clone-of]").forEach(function (box) {
      if (box.firstChild) { return; }
      var source = byId(box.getAttribute("data-clone-of"));
      var svg = source ? source.querySelector("svg") : null;
      if (!svg) { return; }
      var copy = svg.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      copy.querySelectorAll(".bp-highlight").forEach(function (el) { el.classList.remove("bp-highlight"); });
      copy.setAttribute("aria-hidden", "true");
      box.appendChild(copy);
    });
  }
  function setView(view) {
    if (!figure) { return; }
    if (view === "side") { fillClones(); setScale(scale); }
    figure.setAttribute("data-view", view);
    var side = byId("diagram-side");
    var overlay = byId("diagram-overlay");
    if (side) { side.hidden = view !== "side"; }
    if (overlay) { overlay.hidden = view === "side"; }
  }
  doc.querySelectorAll('input[name="diagram-view"]').forEach(function (input) {
    input.addEventListener("change", function () { if (input.checked) { setView(input.value); } });
  });

  /* ---- zoom: fit the whole service first, zoom in to read ---- */
  var overlayBox = byId("diagram-overlay");
  var overlaySvg = overlayBox ? overlayBox.querySelector("svg") : null;
  var sideImages = doc.querySelectorAll(".diagram-side img");
  var baseWidth = overlaySvg && overlaySvg.viewBox && overlaySvg.viewBox.baseVal ? overlaySvg.viewBox.baseVal.width * 4 / 3 : 0;
  var scale = 1;
  function setScale(next) {
    if (!overlaySvg || !baseWidth) { return; }
    scale = Math.min(2, Math.max(0.05, next));
    overlaySvg.style.width = Math.round(baseWidth * scale) + "px";
    overlaySvg.style.height = "auto";
    sideImages.forEach(function (img) {
      var w = parseFloat(img.getAttribute("width")) * 4 / 3;
      if (w) { img.style.width = Math.round(w * scale) + "px"; img.style.height = "auto"; }
    });
    doc.querySelectorAll("[data-clone-of] svg").forEach(function (copy) {
      copy.style.width = overlaySvg.style.width;
      copy.style.height = "auto";
    });
    byId("zoom-level").textContent = Math.round(scale * 100) + "%";
  }
  function fitScale() {
    return overlayBox && baseWidth ? Math.max(0.15, Math.min(1, (overlayBox.clientWidth - 2) / baseWidth)) : 1;
  }
  if (overlaySvg && baseWidth && byId("zoom")) {
    byId("zoom").hidden = false;
    byId("zoom").addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-zoom]") : null;
      if (!button) { return; }
      var how = button.getAttribute("data-zoom");
      setScale(how === "in" ? scale * 1.25 : how === "out" ? scale / 1.25 : how === "fit" ? fitScale() : 1);
    });
    openReadable();
  }
  /* A service too wide to read when fitted (a 30-step blueprint fits at ~20 %) opens at a
     readable zoom, scrolled to the first finding's element in journey order; "Fit" shows it all. */
  function openReadable() {
    var fit = fitScale();
    if (fit >= 0.6) { setScale(fit); return; }
    setScale(0.8);
    var findings = doc.querySelectorAll("details.finding[data-target]");
    for (var i = 0; i < findings.length; i++) {
      var target = findings[i].getAttribute("data-target");
      var el = target ? byId(target) : null;
      if (el && overlayBox.contains(el)) {
        var r = el.getBoundingClientRect(), b = overlayBox.getBoundingClientRect();
        overlayBox.scrollLeft += (r.left + r.width / 2) - (b.left + b.width / 2);
        overlayBox.scrollTop += (r.top + r.height / 2) - (b.top + b.height / 2);
        return;
      }
    }
  }

  function clearHighlight() {
    doc.querySelectorAll(".bp-highlight").forEach(function (el) { el.classList.remove("bp-highlight"); });
  }
  function highlight(targetId, scrollPage) {
    var el = byId(targetId);
    if (!el || !figure || !figure.contains(el)) { return null; }
    var view = figure.getAttribute("data-view");
    if (view === "side" || (view !== "both" && getComputedStyle(el).display === "none")) {
      var both = doc.querySelector('input[name="diagram-view"][value="both"]');
      if (both) { both.checked = true; }
      setView("both");
    }
    clearHighlight();
    el.classList.add("bp-highlight");
    if (scale < 0.6 && baseWidth) { setScale(0.8); }
    if (scrollPage) {
      el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
    } else if (overlayBox) {
      var r = el.getBoundingClientRect(), b = overlayBox.getBoundingClientRect();
      overlayBox.scrollLeft += (r.left + r.width / 2) - (b.left + b.width / 2);
      overlayBox.scrollTop += (r.top + r.height / 2) - (b.top + b.height / 2);
    }
    return el;
  }

  /* ---- clicking an element of the diagram shows its changes ---- */
  var panel = byId("element-panel");
  function showPanel(targetId) {
    var info = data.elements[targetId];
    if (!panel || !info) { return; }
    var body = byId("element-panel-body");
    byId("element-panel-title").textContent = info.label;
    body.textContent = "";
    if (info.status) { body.appendChild(text("p", info.status, "panel-status")); }
    var list = doc.createElement("ul");
    info.findings.forEach(function (anchor) {
      var finding = byId(anchor);
      if (!finding) { return; }
      var li = doc.createElement("li");
      var msg = finding.querySelector(".finding-message");
      var link = text("a", msg ? msg.textContent : anchor);
      link.href = "#" + anchor;
      li.appendChild(link);
      var values = finding.querySelector(".change-values");
      if (values) { li.appendChild(values.cloneNode(true)); }
      list.appendChild(li);
    });
    if (!info.findings.length) { body.appendChild(text("p", "Nothing changed here.", "muted")); }
    body.appendChild(list);
    panel.hidden = false;
    highlight(targetId, false);
  }
  if (panel) {
    byId("element-panel-close").addEventListener("click", function () { panel.hidden = true; clearHighlight(); });
  }
  if (figure) {
    Object.keys(data.elements).forEach(function (targetId) {
      var el = byId(targetId);
      if (!el || !figure.contains(el)) { return; }
      el.setAttribute("data-findings", String(data.elements[targetId].findings.length));
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", data.elements[targetId].label + ": " + (data.elements[targetId].status || "show details"));
    });
    figure.addEventListener("click", function (event) {
      var el = event.target.closest ? event.target.closest("[data-findings]") : null;
      if (el) { showPanel(el.id); }
    });
    figure.addEventListener("keydown", function (event) {
      if ((event.key === "Enter" || event.key === " ") && event.target.hasAttribute && event.target.hasAttribute("data-findings")) {
        event.preventDefault();
        showPanel(event.target.id);
      }
    });
  }

  /* ---- findings: filters and pages ---- */
  var form = byId("filters");
  function selected() {
    var f = { severity: [], kind: "", lane: "", org: "" };
    if (!form) { return f; }
    form.querySelectorAll('input[name="severity"]').forEach(function (box) { if (box.checked) { f.severity.push(box.value); } });
    ["kind", "lane", "org"].forEach(function (name) { var s = form.elements[name]; f[name] = s ? s.value : ""; });
    return f;
  }
  function matches(item, f) {
    return f.severity.indexOf(item.getAttribute("data-severity")) >= 0 &&
      (!f.kind || item.getAttribute("data-kind") === f.kind) &&
      (!f.lane || item.getAttribute("data-lane") === f.lane) &&
      (!f.org || item.getAttribute("data-org") === f.org);
  }
  function showPage() {
    var pages = Math.max(1, Math.ceil(visible.length / pageSize));
    page = Math.min(Math.max(page, 0), pages - 1);
    var start = page * pageSize, end = start + pageSize;
    var shown = new Set(visible.slice(start, end));
    items.forEach(function (item) { item.hidden = !shown.has(item); });
    groups.forEach(function (group) { group.hidden = !group.querySelector(".finding-item:not([hidden])"); });
    var status = byId("findings-status");
    if (status) {
      var n = visible.length;
      status.textContent = n === items.length ? n + (n === 1 ? " finding" : " findings") : "Showing " + n + " of " + items.length + (items.length === 1 ? " finding" : " findings");
    }
    var empty = byId("findings-empty");
    if (empty) { empty.hidden = visible.length > 0; }
    var pager = byId("pager");
    if (pager) {
      pager.hidden = pages < 2;
      byId("pager-label").textContent = "Page " + (page + 1) + " of " + pages + " (" + (start + 1) + "–" + Math.min(end, visible.length) + ")";
      byId("pager-prev").disabled = page === 0;
      byId("pager-next").disabled = page >= pages - 1;
    }
  }
  function applyFilters() {
    var f = selected();
    visible = items.filter(function (item) { return matches(item, f); });
    page = 0;
    showPage();
  }
  if (form) {
    form.addEventListener("change", applyFilters);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(applyFilters, 0); });
    byId("pager-prev").addEventListener("click", function () { page -= 1; showPage(); groupsRoot.scrollIntoView({ behavior: "instant" }); });
    byId("pager-next").addEventListener("click", function () { page += 1; showPage(); groupsRoot.scrollIntoView({ behavior: "instant" }); });
    byId("expand-all").addEventListener("click", function () { groupsRoot.querySelectorAll("details").forEach(function (d) { d.open = true; }); });
    byId("collapse-all").addEventListener("click", function () { groupsRoot.querySelectorAll(".finding").forEach(function (d) { d.open = false; }); });
  }

  /* the summary's kinds open the findings filtered to that kind */
  doc.querySelectorAll("[data-filter-kind]").forEach(function (link) {
    link.addEventListener("click", function () {
      var select = byId("filter-kind");
      if (!form || !select) { return; }
      form.reset();
      select.value = link.getAttribute("data-filter-kind");
      setTimeout(applyFilters, 0);
    });
  });

  /* ---- a finding highlights its element ---- */
  if (groupsRoot) {
    groupsRoot.addEventListener("toggle", function (event) {
      var finding = event.target;
      if (finding.classList && finding.classList.contains("finding") && finding.open) {
        highlight(finding.getAttribute("data-target"), false);
      }
    }, true);
  }
  doc.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".show-in-diagram") : null;
    if (button) { highlight(button.getAttribute("data-target"), true); }
  });

  /* ---- report.html#change-... opens and highlights that finding ---- */
  function openAnchor() {
    var id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (malformed) { return; }  /* "#%E0%A4%A": not one of ours */
    var finding = byId(id);
    if (!finding || !finding.classList.contains("finding")) { return; }
    var item = finding.closest(".finding-item");
    if (visible.indexOf(item) < 0) {
      if (form) { form.reset(); }
      visible = items;
    }
    page = Math.floor(visible.indexOf(item) / pageSize);
    showPage();
    doc.querySelectorAll(".finding.is-target").forEach(function (el) { el.classList.remove("is-target"); });
    finding.classList.add("is-target");
    finding.closest(".stage-group").open = true;
    finding.open = true;
    highlight(finding.getAttribute("data-target"), false);
    finding.scrollIntoView({ block: "center", behavior: "instant" });
    var summary = finding.querySelector("summary");
    if (summary) { summary.focus({ preventScroll: true }); }
  }
  window.addEventListener("hashchange", openAnchor);

  /* ---- print everything ---- */
  window.addEventListener("beforeprint", function () {
    doc.querySelectorAll(".finding-groups details").forEach(function (d) { d.open = true; });
  });

  showPage();
  openAnchor();
  doc.documentElement.setAttribute("data-ready", "true");
}());
