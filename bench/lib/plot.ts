import type { Series } from './measure.ts';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];
const W = 760;
const H = 360;
const M = { left: 70, right: 170, top: 30, bottom: 40 };

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A plain SVG line chart of several series over time (no dependency, diff-friendly). */
export function lineChart(title: string, yLabel: string, series: Record<string, Series>): string {
  const entries = Object.entries(series).filter(([, points]) => points.length > 0);
  const maxX = Math.max(1, ...entries.flatMap(([, p]) => p.map(([x]) => x)));
  const maxY = Math.max(1, ...entries.flatMap(([, p]) => p.map(([, y]) => y))) * 1.05;
  const sx = (x: number) => M.left + (x / maxX) * (W - M.left - M.right);
  const sy = (y: number) => H - M.bottom - (y / maxY) * (H - M.top - M.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${esc(title)}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const y = (maxY / 5) * i;
    out.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${sy(y)}" y2="${sy(y)}" stroke="#ddd"/>`,
      `<text x="${M.left - 6}" y="${sy(y) + 4}" text-anchor="end">${Math.round(y).toLocaleString('en')}</text>`,
    );
    const x = (maxX / 5) * i;
    out.push(
      `<text x="${sx(x)}" y="${H - M.bottom + 16}" text-anchor="middle">${x.toFixed(1)}</text>`,
    );
  }
  out.push(
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle">seconds since the phase began</text>`,
    `<text transform="translate(14 ${H / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
  );
  entries.forEach(([name, points], i) => {
    const color = COLORS[i % COLORS.length];
    const d = points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    out.push(
      `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${d}"/>`,
      `<rect x="${W - M.right + 12}" y="${M.top + i * 18}" width="12" height="3" fill="${color}"/>`,
      `<text x="${W - M.right + 30}" y="${M.top + i * 18 + 5}">${esc(name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
