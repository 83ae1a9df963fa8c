// The page's stylesheet.
export const pageStyle = `
:root { --ok: #3f9f5f; --fail: #e8962e; --info: #8e6fd1; --invalid: #c81e1e; --unknown: #b7791f; --valid: #2f855a;
  --text: #1f2937; --muted: #6b7280; --line: #e5e7eb; --panel: #f9fafb; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--text); background: #fff; font-size: 14px; line-height: 1.45; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
a { color: #1d4ed8; }
.muted { color: var(--muted); }
.run-header { display: flex; gap: 28px; align-items: flex-start; padding: 20px 28px; border-bottom: 1px solid var(--line); border-left: 10px solid var(--unknown); }
.run-header.verdict-valid { border-left-color: var(--valid); }
.run-header.verdict-invalid { border-left-color: var(--invalid); }
.verdict-block { min-width: 190px; }
.verdict { font-size: 44px; font-weight: 800; letter-spacing: 0.02em; line-height: 1; color: var(--unknown); }
.verdict-valid .verdict { color: var(--valid); }
.verdict-invalid .verdict { color: var(--invalid); }
.expected { color: var(--muted); margin-top: 6px; }
.run-title h1 { margin: 0 0 8px; font-size: 22px; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0 0 10px; }
.facts div { display: flex; gap: 6px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; font-weight: 500; }
.command { display: flex; align-items: center; gap: 8px; margin: 4px 0; max-width: 100%; }
.command code { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 3px 8px; white-space: nowrap; overflow-x: auto; min-width: 0; flex: 0 1 auto; }
.command .muted { white-space: nowrap; }
.run-title { min-width: 0; flex: 1; }
.label { display: inline-block; min-width: 54px; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
button { font: inherit; font-size: 12.5px; padding: 3px 10px; border: 1px solid #cbd5e1; background: #fff; border-radius: 4px; cursor: pointer; }
button:hover:not(:disabled) { background: #f1f5f9; }
button:disabled { color: var(--muted); cursor: default; }
button.primary:not(:disabled) { border-color: var(--invalid); color: var(--invalid); font-weight: 600; }
.run-error { color: var(--invalid); font-weight: 600; }
nav { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid var(--line); padding: 6px 28px; display: flex; gap: 18px; }
nav a { text-decoration: none; }
main { padding: 0 28px 40px; }
section { margin-top: 22px; }
h2 { font-size: 17px; margin: 0 0 10px; }
h4 { margin: 10px 0 6px; font-size: 14px; }
h5 { margin: 10px 0 4px; font-size: 13px; color: var(--muted); font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 14px; }
.card { border: 1px solid var(--line); border-top: 4px solid var(--unknown); border-radius: 6px; padding: 10px 14px; background: #fff; min-width: 0; }
.card.verdict-valid { border-top-color: var(--valid); }
.card.verdict-invalid { border-top-color: var(--invalid); grid-column: 1 / -1; }
.card header { display: flex; justify-content: space-between; align-items: center; }
.card h3 { margin: 0; font-size: 15px; }
.summary { margin: 6px 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; background: var(--unknown); }
.badge.valid { background: var(--valid); }
.badge.invalid { background: var(--invalid); }
.counterexample { background: #fef2f2; border: 1px solid #fecaca; border-radius: 6px; padding: 4px 12px 10px; margin: 8px 0; }
.op-desc { font-weight: 700; color: var(--invalid); }
.evidence, .nested { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
.evidence dt, .nested dt { color: var(--muted); }
.evidence dd, .nested dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 12.5px; margin: 4px 0; }
th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
details > summary { cursor: pointer; color: #374151; margin: 4px 0; }
.timeline-controls { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; margin-bottom: 8px; }
.legend { display: flex; gap: 12px; margin-left: 8px; align-items: center; }
.swatch { display: inline-block; width: 18px; height: 10px; border-radius: 2px; vertical-align: middle; margin-right: 4px; }
.swatch.ok { background: var(--ok); } .swatch.fail { background: var(--fail); }
.swatch.info { background: repeating-linear-gradient(135deg, var(--info) 0 2px, #ece5fb 2px 5px); border: 1px solid var(--info); }
.swatch.leader { border-left: 2px dashed #1d4ed8; width: 2px; border-radius: 0; }
.swatch.anomaly { border: 2px solid var(--invalid); background: transparent; }
.fault-chips { display: flex; gap: 6px; flex-wrap: wrap; margin-bottom: 6px; }
.chip { border-radius: 12px; padding: 1px 10px; font-size: 12px; border: 1px solid; }
.timeline-box { position: relative; border: 1px solid var(--line); border-radius: 4px; }
.timeline-box canvas { display: block; cursor: grab; }
.overview-box { margin-top: 4px; border: 1px solid var(--line); border-radius: 4px; overflow: hidden; }
.overview-box canvas { display: block; cursor: crosshair; }
.tooltip { position: absolute; z-index: 4; pointer-events: none; max-width: 420px; background: rgba(17, 24, 39, 0.94); color: #f9fafb; padding: 6px 9px; border-radius: 4px; font-size: 12px; overflow-wrap: anywhere; }
.tooltip strong { display: block; margin-bottom: 2px; }
.anomaly-flag { position: absolute; z-index: 3; pointer-events: none; background: var(--invalid); color: #fff; font-size: 11px; font-weight: 700; padding: 1px 6px; border-radius: 3px; white-space: nowrap; }
.op-details { margin-top: 8px; padding: 8px 12px; background: var(--panel); border: 1px solid var(--line); border-radius: 4px; min-height: 40px; font-size: 13px; overflow-wrap: anywhere; }
.outcome-ok { color: var(--ok); } .outcome-fail { color: var(--fail); } .outcome-info { color: var(--info); }
.tooltip .outcome-ok { color: #86efac; } .tooltip .outcome-fail { color: #fcd34d; } .tooltip .outcome-info { color: #c4b5fd; }
.chart { margin-top: 6px; }
.files { padding-left: 18px; }
.u-legend { font-size: 12px; }
`;
