#!/usr/bin/env node
// Runs the bundled CLI; before the first build, runs the TypeScript sources through tsx.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
const path = require('path');
const fs = require('fs');
const bundled = path.join(__dirname, '..', 'dist', 'cli.js');
let cli;
if (fs.existsSync(bundled)) cli = require(bundled);
else {
  require('tsx/cjs');
  cli = require(path.join(__dirname, '..', 'language-server', 'src', 'cli', 'main.ts'));
}
Promise.resolve(cli.main(process.argv.slice(2))).then((code) => { process.exitCode = code; });
