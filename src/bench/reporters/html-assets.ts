/** The inline stylesheet and script of `report.html` (the report loads nothing from anywhere else). */

export const REPORT_CSS = `
:root { --fg: #1d232b; --muted: #5b6573; --line: #d9dee5; --bg: #ffffff; --panel: #f5f7fa; --accent: #2f5d9e; --bad: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 0 0 8px; }
.subtitle, .note { color: var(--muted); margin: 0 0 12px; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px; }
.facts section { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.facts dl { display: grid; grid-template-columns: fit-content(50%) minmax(0, 1fr); gap: 2px 12px; margin: 0; }
.facts dt { color: var(--muted); overflow-wrap: anywhere; }
.facts dt.mono { color: var(--fg); font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.facts dd.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th { background: var(--panel); font-weight: 600; }
th:first-child, td:first-child { text-align: left; }
td.method { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; white-space: normal; overflow-wrap: anywhere; max-width: 28em; }
td.best { font-weight: 700; }
tbody tr:hover { background: #f0f4fa; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; align-items: start; }
.charts figure { margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px; }
.charts figcaption { font-weight: 600; margin-bottom: 6px; }
svg.chart { display: block; max-width: 100%; height: auto; font: 11px system-ui, sans-serif; }
svg.chart .grid { stroke: #dfe3e8; }
svg.chart .grid.minor { stroke-dasharray: 2 3; }
svg.chart .axis { stroke: #7a8594; }
svg.chart .break { stroke: #fff; stroke-width: 3; }
svg.chart .plot-area { fill: none; stroke: #b8c0cb; }
svg.chart .tick, svg.chart .value.missing { fill: var(--muted); }
svg.chart .label, svg.chart .legend, svg.chart .value { fill: var(--fg); }
svg.chart .axis-label { fill: var(--muted); font-size: 12px; }
svg.chart .point { stroke: #fff; stroke-width: 1.5; }
.pair { margin: 0 0 20px; }
.pair-id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.strip { display: flex; flex-wrap: wrap; gap: 12px; }
.shot { margin: 0; width: 184px; }
button.thumb { display: block; padding: 0; border: 1px solid var(--line); border-radius: 4px; background: var(--panel); cursor: zoom-in; width: 100%; }
button.thumb:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.thumb-frame { position: relative; display: block; width: 100%; overflow: hidden; border-radius: 3px; }
.thumb-frame img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: fill; image-rendering: auto; }
.thumb-frame.missing { background: repeating-linear-gradient(45deg, #eee 0 6px, #f8f8f8 6px 12px); }
svg.boxes { position: absolute; inset: 0; width: 100%; height: 100%; overflow: visible; pointer-events: none; }
svg.boxes rect { fill: none; stroke-width: 2; }
svg.boxes text { font-family: system-ui, sans-serif; font-weight: 600; paint-order: stroke; stroke: rgba(255, 255, 255, 0.85); }
.shot figcaption { font-size: 12px; margin-top: 4px; display: flex; flex-direction: column; }
.shot .role { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.shot .scores, .shot .boxcount { color: var(--muted); font-variant-numeric: tabular-nums; }
.error { color: var(--bad); font-weight: 600; margin-left: 4px; }
.failures th, .failures td { text-align: left; white-space: normal; overflow-wrap: anywhere; }
.failures td.error-text { color: var(--bad); }
.lightbox { position: fixed; inset: 0; z-index: 10; display: flex; flex-direction: column; align-items: center; justify-content: center; background: rgba(10, 14, 20, 0.88); cursor: zoom-out; }
.lightbox[hidden] { display: none; }
.lightbox figure { margin: 0; }
.lightbox-frame { position: relative; background: #222; }
.lightbox-frame img { position: absolute; inset: 0; width: 100%; height: 100%; }
.lightbox-overlay, .lightbox-overlay svg { position: absolute; inset: 0; width: 100%; height: 100%; }
.lightbox figcaption { color: #e8ecf1; margin-top: 8px; text-align: center; overflow-wrap: anywhere; max-width: 92vw; }
.lightbox .hint { color: #9aa5b4; font-size: 12px; margin: 4px 0 0; }
footer { color: var(--muted); font-size: 12px; margin-top: 40px; }
`;

/** Opens the lightbox with the full-size image (and a copy of the box overlay); Esc or a click closes it. */
export const REPORT_JS = `
(function () {
  'use strict';
  var box = document.getElementById('lightbox');
  var frame = box.querySelector('.lightbox-frame');
  var img = frame.querySelector('img');
  var overlay = frame.querySelector('.lightbox-overlay');
  var caption = box.querySelector('figcaption');
  var opener = null;
  function fit(w, h) {
    var scale = Math.min(window.innerWidth * 0.92 / w, window.innerHeight * 0.82 / h);
    frame.style.width = Math.round(w * scale) + 'px';
    frame.style.height = Math.round(h * scale) + 'px';
    return w * scale;
  }
  function open(button) {
    opener = button;
    var w = Number(button.dataset.w) || 1;
    var h = Number(button.dataset.h) || 1;
    var shownWidth = fit(w, h);
    img.src = button.dataset.full;
    img.alt = button.dataset.caption;
    caption.textContent = button.dataset.caption;
    overlay.replaceChildren();
    var boxes = button.querySelector('svg.boxes');
    if (boxes) {
      // Keep box labels near their thumbnail size on screen instead of growing with the image.
      var copy = boxes.cloneNode(true);
      var ratio = Math.min(1, Math.max(0.15, 1.5 * button.getBoundingClientRect().width / shownWidth));
      copy.querySelectorAll('text').forEach(function (t) {
        t.setAttribute('font-size', String(Number(t.getAttribute('font-size')) * ratio));
        t.setAttribute('stroke-width', String(Number(t.getAttribute('stroke-width')) * ratio));
      });
      overlay.appendChild(copy);
    }
    box.hidden = false;
    box.focus();
  }
  function close() {
    box.hidden = true;
    img.removeAttribute('src');
    if (opener) opener.focus();
    opener = null;
  }
  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!box.hidden) { close(); return; }
    var button = target && target.closest('button.thumb');
    if (button) open(button);
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && !box.hidden) close();
  });
  document.querySelectorAll('.thumb-frame img').forEach(function (el) {
    el.addEventListener('error', function () { el.parentElement.classList.add('missing'); el.hidden = true; });
  });
})();
`;
