/**
 * chart.js setup for the webviews: tree-shaken registration, colours read from VS Code's CSS variables
 * (canvas cannot use var(--…) directly), and a canvas factory with role="img" + aria-label.
 * chart.js 4 touches canvas.style only through CSSOM, which a nonce-only CSP allows.
 */
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement,
  LogarithmicScale, PointElement, ScatterController, Title, Tooltip, type ChartConfiguration, type Plugin,
} from 'chart.js';
import { el } from './dom';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, LineController, LineElement, PointElement, ScatterController, Legend, Title, Tooltip);

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export interface Theme { fg: string; grid: string; font: string; palette: string[]; highContrast: boolean }

/** Colours of the current VS Code theme (`--vscode-charts-*` first, then fixed distinct hues). */
export function theme(): Theme {
  const named = ['blue', 'red', 'green', 'orange', 'purple', 'yellow'].map((c, i) => cssVar(`--vscode-charts-${c}`, ['#3794ff', '#f14c4c', '#89d185', '#d18616', '#b180d7', '#cca700'][i]));
  const extra = Array.from({ length: 10 }, (_, i) => `hsl(${(i * 67 + 20) % 360}, 55%, 55%)`);
  return {
    fg: cssVar('--vscode-editor-foreground', '#333333'),
    grid: cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    font: cssVar('--vscode-font-family', 'sans-serif'),
    palette: [...named, ...extra],
    highContrast: document.body.classList.contains('vscode-high-contrast'),
  };
}

export function applyDefaults(t: Theme): void {
  Chart.defaults.color = t.fg;
  Chart.defaults.borderColor = t.grid;
  Chart.defaults.font.family = t.font;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.elements.line.borderWidth = t.highContrast ? 3 : 2;
}

/** Draws a fixed note in the chart area (e.g. what the chart cannot show). */
export const notePlugin: Plugin = {
  id: 'archlensNote',
  afterDraw(chart, _args, opts: { text?: string }) {
    if (!opts?.text) return;
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.font = `italic 12px ${Chart.defaults.font.family}`;
    ctx.fillStyle = String(Chart.defaults.color);
    ctx.textAlign = 'center';
    ctx.fillText(opts.text, (chartArea.left + chartArea.right) / 2, chartArea.top + 14, chartArea.right - chartArea.left - 8);
    ctx.restore();
  },
};

Chart.register(notePlugin);

const live: Chart[] = [];

/** Creates a chart in a fresh canvas inside a sized wrapper; `label` is the accessible description. */
export function makeChart(id: string, label: string, config: ChartConfiguration): HTMLElement {
  const canvas = el('canvas', { attrs: { id, role: 'img', 'aria-label': label } });
  const wrap = el('div', { class: 'chart', data: { chart: id } }, [canvas]);
  queueMicrotask(() => { if (canvas.isConnected) live.push(new Chart(canvas, config)); });
  return wrap;
}

export function destroyCharts(): void {
  while (live.length) live.pop()?.destroy();
}

/** For tests and diagnostics: the live charts, their type and data sizes. */
export function chartSummary(): { id: string; type: string; datasets: number; points: number }[] {
  return live.map((c) => ({
    id: c.canvas.id,
    type: String((c.config as { type?: string }).type),
    datasets: c.data.datasets.length,
    points: c.data.datasets.reduce((s, d) => s + d.data.length, 0),
  }));
}

/** Logarithmic axis with readable tick labels (only at `ticksAt` when given, e.g. the sweep's lengths). */
export function logAxis(title: string, fmt: (v: number) => string, position: 'left' | 'right' | 'bottom' = 'left', ticksAt?: readonly number[]) {
  return {
    type: 'logarithmic' as const, position, title: { display: true, text: title },
    ticks: { callback: (v: number | string) => fmt(Number(v)), maxTicksLimit: ticksAt ? ticksAt.length : 8, autoSkip: !ticksAt },
    afterBuildTicks: ticksAt ? (scale: { ticks: { value: number }[] }) => { scale.ticks = ticksAt.map((value) => ({ value })); } : undefined,
  };
}

/** Zero and non-finite values cannot sit on a log axis: chart.js skips nulls. */
export const positive = (x: number): number | null => (Number.isFinite(x) && x > 0 ? x : null);
