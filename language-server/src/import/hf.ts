/** Placeholder replaced by the Hugging Face importer. */
export class ImportError extends Error {}
export function convertHfConfig(_config: unknown, _name: string): string {
  throw new ImportError('not implemented yet');
}
