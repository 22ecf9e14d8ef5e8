"""The HTML report's style sheet, inlined in the file (no external requests).

Screen: one readable column; on a narrow screen (a phone) a table scrolls inside its own box
instead of widening the page. Print (and "Save as PDF"): A4 with margins, every `##` section
(h2) starts a new page, table headers repeat on each page, rows, charts and headings are not
split across pages, and long words wrap so no table is wider than the page.
"""

CSS = """\
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #1f2328;
       font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.45rem; margin: 2.5rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.15rem; margin: 1.75rem 0 0.5rem; }
h1, h2, h3, li, td, th { overflow-wrap: anywhere; }
p, ul, ol { margin: 0.5rem 0 0.75rem; }
code { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: 0.9em;
       background: #f6f8fa; padding: 0.05em 0.3em; border-radius: 4px; }
.table-wrap { overflow-x: auto; margin: 0.75rem 0 1.25rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.5rem; vertical-align: top; text-align: left; }
th.short, td.short { white-space: nowrap; overflow-wrap: normal; }
thead th { background: #f6f8fa; }
tbody tr:nth-child(even) { background: #fbfcfd; }
figure { margin: 1rem 0 1.5rem; display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-start; }
svg.chart { max-width: 100%; height: auto; }
figure.charts > svg.chart { flex: 1 1 18rem; width: 18rem; max-width: 34rem; }
figure.heat svg.chart { width: 100%; }
figcaption { font-size: 0.85rem; color: #57606a; }
figure.gantt svg.chart { width: 100%; }
nav.contents h2 { border: 0; font-size: 1.1rem; margin: 1.5rem 0 0.25rem; }
nav.contents ol { columns: 2 16rem; margin: 0; }
nav.contents a { color: #0969da; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  main { padding: 0.5rem 0.75rem 2rem; }
  h1 { font-size: 1.5rem; }
  th, td { padding: 0.2rem 0.35rem; }
  table { font-size: 0.85rem; }
  .table-wrap table { min-width: 32rem; }
}
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav.contents { display: none; }
  h2 { break-before: page; border-bottom: 1px solid #888; margin-top: 0; }
  h1, h2, h3 { break-after: avoid; }
  .table-wrap { overflow: visible; }
  table { font-size: 8pt; }
  thead { display: table-header-group; }
  tr, figure, svg, li { break-inside: avoid; }
  th, td { padding: 0.15rem 0.3rem; }
  tbody tr:nth-child(even) { background: none; }
  a { color: inherit; text-decoration: none; }
}
"""
