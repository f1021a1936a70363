/**
 * Time from "Archlens: Visualize Gates" (with text selected in the editor) to the rendered α_t heatmap,
 * in a real VS Code workbench (code-server + Chromium): command palette → panel → tokenizer → inference
 * in the child process (CPU here) → webview render. The first run includes starting the inference
 * process and creating the ONNX session; later runs reuse them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, TMP, openFile, runCommand, sleep, startWorkbench, webview } from '../e2e/workbench';

const SENTENCE = 'The Congress of the United States and the American people.';

export async function heatmapTimes(runs = 3): Promise<number[]> {
  fs.mkdirSync(TMP, { recursive: true });
  const ws = fs.mkdtempSync(path.join(TMP, 'hm'));
  fs.writeFileSync(path.join(ws, 'text.arch'), `# ${SENTENCE}\n`);
  const wb = await startWorkbench({ extensionDir: ROOT, workspaceDir: ws });
  const times: number[] = [];
  try {
    await openFile(wb.page, 'text.arch');
    for (let i = 0; i < runs; i++) {
      await wb.page.locator('.monaco-editor .view-line').first().click();
      await wb.page.keyboard.press('Control+A');
      const t0 = Date.now();
      await runCommand(wb.page, 'Archlens: Visualize Gates');
      const frame = webview(wb.page);
      for (;;) {
        const n = await frame.locator('#alpha-strip [data-alpha]').count().catch(() => 0);
        const ms = await frame.locator('#run-time').innerText().catch(() => '');
        if (n > 10 && ms && i === times.length) break;
        if (Date.now() - t0 > 60_000) throw new Error('the heatmap did not render within 60 s');
        await sleep(20);
      }
      times.push(Date.now() - t0);
      await openFile(wb.page, 'text.arch');
    }
  } finally {
    await wb.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
  return times;
}

if (require.main === module) void heatmapTimes().then((t) => console.log(JSON.stringify(t)));

/** Contract of test/bench/run.ts: the render times, and what they include. */
export async function benchHeatmap(): Promise<{ ms: number[]; note?: string }> {
  const ms = await heatmapTimes(3);
  return { ms, note: 'command → rendered α heatmap in a real workbench, CPU; the first run starts the inference process and the ONNX session' };
}
