// A dependency-free SVG line chart on log-log axes: throughput (evaluations/s) against n, one
// line per series. Used by bench/columns.bench.js to draw bench/throughput.svg from its results.
const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { left: 78, right: 210, top: 36, bottom: 54 };
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#7f7f7f"];

const log10 = Math.log10;
const escape = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** Powers of ten covering [min, max]. */
function decades(min, max) {
  const out = [];
  for (let p = Math.floor(log10(min)); p <= Math.ceil(log10(max)); p++) out.push(10 ** p);
  return out;
}

function label(value) {
  const units = [[1e9, "G"], [1e6, "M"], [1e3, "k"]];
  for (const [size, unit] of units) if (value >= size) return `${value / size}${unit}`;
  return String(value);
}

/**
 * series: [{ name, points: [[n, perSecond], ...] }]. Returns the SVG text.
 */
export function throughputChart(title, series) {
  const all = series.flatMap((s) => s.points);
  const xs = decades(Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0])));
  const ys = decades(Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1])));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (n) => MARGIN.left + ((log10(n) - log10(xs[0])) / (log10(xs.at(-1)) - log10(xs[0]))) * plotW;
  const y = (v) => MARGIN.top + plotH - ((log10(v) - log10(ys[0])) / (log10(ys.at(-1)) - log10(ys[0]))) * plotH;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
  ];
  for (const v of xs) {
    parts.push(`<line x1="${x(v)}" y1="${MARGIN.top}" x2="${x(v)}" y2="${MARGIN.top + plotH}" stroke="#ddd"/>`);
    parts.push(`<text x="${x(v)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${label(v)}</text>`);
  }
  for (const v of ys) {
    parts.push(`<line x1="${MARGIN.left}" y1="${y(v)}" x2="${MARGIN.left + plotW}" y2="${y(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y(v) + 4}" text-anchor="end">${label(v)}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">evaluations per call (n)</text>`);
  parts.push(`<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">evaluations per second</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const path = s.points.map(([n, v], j) => `${j === 0 ? "M" : "L"}${x(n).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ""}/>`);
    for (const [n, v] of s.points) parts.push(`<circle cx="${x(n).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${color}"/>`);
    const ly = MARGIN.top + 10 + i * 20;
    parts.push(`<line x1="${WIDTH - MARGIN.right + 16}" y1="${ly}" x2="${WIDTH - MARGIN.right + 40}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ""}/>`);
    parts.push(`<text x="${WIDTH - MARGIN.right + 46}" y="${ly + 4}">${escape(s.name)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}
