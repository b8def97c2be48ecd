/**
 * A small SVG line chart for the console: one line per series (one per node), time on x, a
 * y axis from 0 to the largest value. Hand-written instead of a charting library so that nothing
 * is fetched at run time and nothing is added to the build.
 * @module line-chart
 */
const SVG = 'http://www.w3.org/2000/svg';
export const SERIES_COLORS = ['#58a6ff', '#3fb950', '#d29922', '#f778ba', '#a371f7', '#79c0ff', '#ff7b72', '#56d4dd'];
const W = 600;
const H = 140;
const PAD = { left: 44, right: 8, top: 8, bottom: 18 };

function el(name, attributes = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  return node;
}

/** Short numbers for axes: 1.2k, 3.4M. */
export function compact(value) {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(1)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  if (abs >= 10 || value === 0) return `${Math.round(value)}`;
  return value.toFixed(1);
}

/**
 * Draws the chart into `svg` (replacing what was there).
 * @param {SVGSVGElement} svg
 * @param {{name: string, points: {t: number, v: number}[]}[]} series
 * @param {{from: number, to: number, unit?: string}} window epoch ms
 */
export function drawLineChart(svg, series, { from, to, unit = '' }) {
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.replaceChildren();
  let max = 0;
  for (const s of series) for (const p of s.points) if (p.t >= from && p.v > max) max = p.v;
  max = max > 0 ? max * 1.1 : 1;
  const x = (t) => PAD.left + ((t - from) / Math.max(1, to - from)) * (W - PAD.left - PAD.right);
  const y = (v) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  svg.append(el('line', { class: 'axis', x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom }));
  svg.append(el('line', { class: 'axis', x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom }));
  for (const fraction of [0, 0.5, 1]) {
    const label = el('text', { x: PAD.left - 4, y: y(max * fraction) + 3, 'text-anchor': 'end' });
    label.textContent = `${compact(max * fraction)}${unit}`;
    svg.append(label);
  }
  const seconds = Math.round((to - from) / 1000);
  const start = el('text', { x: PAD.left, y: H - 4 });
  start.textContent = seconds >= 120 ? `-${Math.round(seconds / 60)} min` : `-${seconds} s`;
  const end = el('text', { x: W - PAD.right, y: H - 4, 'text-anchor': 'end' });
  end.textContent = 'now';
  svg.append(start, end);
  series.forEach((s, i) => {
    const visible = s.points.filter((p) => p.t >= from);
    if (visible.length === 0) return;
    const d = visible.map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join('');
    svg.append(el('path', {
      d, fill: 'none', stroke: SERIES_COLORS[i % SERIES_COLORS.length], 'stroke-width': 1.5,
      'vector-effect': 'non-scaling-stroke', 'data-series': s.name,
    }));
  });
}
