// Small helpers for writing HTML as strings: escaping, and the few formats every section shares.
const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (char) => entities[char]!);
}

/** Run-clock nanoseconds as seconds with millisecond precision. */
export function secondsText(ns: number): string {
  return `${(ns / 1e9).toFixed(3)} s`;
}

export function bytesText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A link that the page's script turns into a jump to operation `op` on the timeline. */
export function operationLink(op: number | undefined, label = "show on timeline"): string {
  return op === undefined ? "" : `<a class="op-link" href="#timeline" data-op="${op}">${escapeHtml(label)}</a>`;
}
