/**
 * Extension activation time in a real VS Code workbench (code-server + Chromium, installed by
 * test/e2e/setup.sh): the extension logs "activated in X ms" and "language server ready Y ms after
 * activation" to its output channel; this opens an example several times (a fresh workbench each) and
 * reports the figures.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, TMP, openFile, sleep, startWorkbench } from '../e2e/workbench';

export interface ActivationFigures { activation: number[]; serverReady: number[] }

async function once(): Promise<{ activation: number; serverReady: number }> {
  fs.mkdirSync(TMP, { recursive: true });
  const ws = fs.mkdtempSync(path.join(TMP, 'act'));
  fs.copyFileSync(path.join(ROOT, 'examples', 'gemma2_local_global.arch'), path.join(ws, 'model.arch'));
  const wb = await startWorkbench({ extensionDir: ROOT, workspaceDir: ws });
  try {
    await openFile(wb.page, 'model.arch');
    for (let i = 0; i < 120; i++) {
      const logs = wb.logs();
      const a = /activated in ([\d.]+) ms/.exec(logs);
      const r = /language server ready ([\d.]+) ms after activation/.exec(logs);
      if (a && r) return { activation: Number(a[1]), serverReady: Number(r[1]) };
      await sleep(250);
    }
    throw new Error('the extension did not log its activation time');
  } finally {
    await wb.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

export async function activationTimes(runs = 3): Promise<ActivationFigures> {
  const out: ActivationFigures = { activation: [], serverReady: [] };
  for (let i = 0; i < runs; i++) {
    const r = await once();
    out.activation.push(r.activation);
    out.serverReady.push(r.serverReady);
  }
  return out;
}

if (require.main === module) {
  void activationTimes().then((f) => console.log(JSON.stringify(f)));
}
