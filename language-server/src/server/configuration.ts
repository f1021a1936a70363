/**
 * Where the server's settings come from. A client that can answer `workspace/configuration` (VS Code) is
 * asked for the `archlens` section after `initialized` and again on every `workspace/didChangeConfiguration`
 * (the server registers for it dynamically, scoped to the section); the client pushes nothing. A client
 * that cannot answer may pass the section as `initializationOptions` and push it in
 * `didChangeConfiguration` `{ settings: { archlens: … } }` (the CLI-style test clients do).
 */
import { DidChangeConfigurationNotification, type ClientCapabilities, type Connection } from 'vscode-languageserver/node';
import { SECTION } from '../settings/schema';
import { readSettingsReport, type ArchSettings } from './features/settings';

export class SettingsSource {
  private pull = false;
  private dynamic = false;
  /** The problems last shown, so a settings change that fixes nothing does not repeat the warning. */
  private shown = '';
  /** Settles once the latest pull is answered (at once for clients that do not pull); requests wait for it. */
  ready: Promise<void> = Promise.resolve();

  constructor(private readonly connection: Connection, private readonly apply: (s: ArchSettings) => void) {}

  /** From `initialize`: the client's capabilities and its initializationOptions (used only by non-pull clients). */
  initialize(capabilities: ClientCapabilities, initializationOptions: unknown): void {
    this.pull = capabilities.workspace?.configuration === true;
    this.dynamic = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    if (!this.pull) this.take(initializationOptions);
  }

  /** From `initialized`: register for changes and pull the first values; `changed` runs once they are in. */
  initialized(changed: () => void): void {
    if (this.dynamic) void this.connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION }).catch(() => undefined);
    if (this.pull) this.ready = this.refresh().then(changed);
  }

  /** From `workspace/didChangeConfiguration`: pull again, or take the pushed section. */
  async changed(settings: unknown): Promise<void> {
    if (this.pull) return (this.ready = this.refresh()); // requests wait for the new values
    const pushed = (settings as { [SECTION]?: unknown } | null | undefined)?.[SECTION];
    if (pushed !== undefined) this.take(pushed);
  }

  private async refresh(): Promise<void> {
    try {
      this.take(await this.connection.workspace.getConfiguration(SECTION));
    } catch (e) {
      this.connection.console.warn(`archlens: workspace/configuration failed, keeping the current settings: ${(e as Error).message}`);
    }
  }

  /** Applies the section's values and warns (once per distinct set of problems) about what was ignored. */
  private take(raw: unknown): void {
    const { settings, problems } = readSettingsReport(raw);
    this.apply(settings);
    const text = problems.join('\n');
    if (text === this.shown) return;
    this.shown = text;
    if (!problems.length) return;
    for (const p of problems) this.connection.console.warn(`archlens: ${p}`);
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more in the Archlens output)` : '';
    void Promise.resolve(this.connection.window.showWarningMessage(`Archlens settings: ${problems[0]}${more}`)).catch(() => undefined);
  }
}
