/**
 * Where the server's settings come from. A client that can answer `workspace/configuration` (VS Code) is
 * asked for the `archlens` section after `initialized` and again on every `workspace/didChangeConfiguration`
 * (the server registers for it dynamically, scoped to the section); the client pushes nothing. A client
 * that cannot answer may pass the section as `initializationOptions` and push it in
 * `didChangeConfiguration` `{ settings: { archlens: … } }` (the CLI-style test clients do).
 */
import { DidChangeConfigurationNotification, type ClientCapabilities, type Connection } from 'vscode-languageserver/node';
import { SECTION } from '../settings/schema';
import { readSettings, type ArchSettings } from './features/settings';

export class SettingsSource {
  private pull = false;
  private dynamic = false;
  /** Settles once the latest pull is answered (at once for clients that do not pull); requests wait for it. */
  ready: Promise<void> = Promise.resolve();

  constructor(private readonly connection: Connection, private readonly apply: (s: ArchSettings) => void) {}

  /** From `initialize`: the client's capabilities and its initializationOptions (used only by non-pull clients). */
  initialize(capabilities: ClientCapabilities, initializationOptions: unknown): void {
    this.pull = capabilities.workspace?.configuration === true;
    this.dynamic = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    if (!this.pull) this.apply(readSettings(initializationOptions));
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
    if (pushed !== undefined) this.apply(readSettings(pushed));
  }

  private async refresh(): Promise<void> {
    try {
      this.apply(readSettings(await this.connection.workspace.getConfiguration(SECTION)));
    } catch (e) {
      this.connection.console.warn(`archlens: workspace/configuration failed, keeping the current settings: ${(e as Error).message}`);
    }
  }
}
