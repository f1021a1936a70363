/**
 * The layers of ARCHITECTURE.md, enforced by dependency-cruiser in `npm test` (test/run.sh) and by
 * test/unit/layers.test.ts. Core = language-server/src minus its users (server/, cli/).
 */
const USERS = '^language-server/src/(server|cli)/';
const WORKER = '^extension/inference/(worker|probeJob|measureJob)\\.ts$';
const ANALYSIS = '^language-server/src/(syntax|semantic|kinds|cost|compile|host|import|measure|report|load|server|cli)/';

module.exports = {
  forbidden: [
    {
      name: 'no-module-cycles',
      comment: 'Data flows one way: text → syntax → semantic model → costs → views.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'Folders (rooms) depend on each other in one direction only.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-no-user',
      comment: 'The core imports no client, server, CLI, webview or test code, and no editor API.',
      severity: 'error',
      from: { path: '^language-server/src/', pathNot: USERS },
      to: { path: ['^(extension|webview|test)/', USERS, '^vscode$', 'node_modules/vscode-language(server|client)/'] },
    },
    {
      name: 'webview-imports-only-protocol',
      comment: 'Panels talk only through typed protocol messages (plus the pure number formatters and chart.js).',
      severity: 'error',
      from: { path: '^webview/' },
      to: { pathNot: ['^webview/', '^language-server/src/(protocol|format)/', 'node_modules/chart\\.js/', '\\.css$'] },
    },
    {
      name: 'thin-client',
      comment: 'The extension never analyses .arch itself: it asks the server, or the inference worker runs the core loading pipeline.',
      severity: 'error',
      from: { path: '^extension/', pathNot: ['^extension/dev/', WORKER] },
      to: { path: ANALYSIS, pathNot: '^language-server/src/cost/hardware\\.ts$' },
    },
    {
      name: 'worker-uses-the-loading-pipeline',
      comment: 'The inference worker analyses .arch only through load/ (fenced snapshot → loadModel → probe) and measures through measure/.',
      severity: 'error',
      from: { path: WORKER },
      to: { path: ANALYSIS, pathNot: '^language-server/src/(load|measure)/' },
    },
    {
      name: 'no-product-import-of-test-code',
      severity: 'error',
      from: { path: '^(language-server|extension|webview|models|bin)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|\\.e2e)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
