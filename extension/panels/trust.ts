/** Restricted Mode rules the panels share (no 'vscode' import: tests use it directly). */

/**
 * Why the dashboard may not measure in an untrusted workspace, or undefined. As in the gate panel, Restricted Mode
 * runs only probes Archlens compiles itself (a scaled, size-guarded copy of the model), never the full model.
 */
export function measureTrustProblem(probe: string, trusted: boolean): string | undefined {
  if (trusted || probe.trim()) return undefined;
  return 'Restricted Mode: only a probe of the model (e.g. layers=2,width=8) is measured until you trust this workspace, never the full model.';
}
