/** Heatmap export: any MatrixSpec as CSV (exact values) or PNG (a canvas drawn with the panel's colours). */
import { cellColour, type MatrixSpec } from './heatmap';

const csvCell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function matrixCsv(s: MatrixSpec): string {
  const lines = [['', ...s.cols].map(csvCell).join(',')];
  s.rows.forEach((r, i) => lines.push([csvCell(r), ...s.cols.map((_, j) => String(s.value(i, j)))].join(',')));
  return `${lines.join('\n')}\n`;
}

/** A PNG data URL: `cell` pixels per value, row labels left, column labels above (at most 2,000 × 2,000 cells). */
export function matrixPng(s: MatrixSpec, doc: Document = document, cell = 14): string {
  const rows = Math.min(s.rows.length, 2000), cols = Math.min(s.cols.length, 2000);
  const left = 90, top = 60;
  const canvas = doc.createElement('canvas');
  canvas.width = left + cols * cell;
  canvas.height = top + rows * cell;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  let min = Infinity, max = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) { const v = s.value(r, c); min = Math.min(min, v); max = Math.max(max, Math.abs(v)); }
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = '10px sans-serif';
  ctx.fillStyle = '#000';
  for (let r = 0; r < rows; r++) ctx.fillText(s.rows[r].slice(0, 14), 2, top + r * cell + cell - 3);
  for (let c = 0; c < cols; c++) {
    ctx.save();
    ctx.translate(left + c * cell + cell - 3, top - 4);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(s.cols[c].slice(0, 10), 0, 0);
    ctx.restore();
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      ctx.fillStyle = cellColour(s, s.value(r, c), min < 0, max);
      ctx.fillRect(left + c * cell, top + r * cell, cell, cell);
    }
  }
  return canvas.toDataURL('image/png');
}

/** A file-name stem from a heatmap's id. */
export const exportName = (s: MatrixSpec): string => s.id.replace(/[^a-z0-9_-]+/gi, '-');
