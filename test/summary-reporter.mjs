// node:test reporter that prints one plain line at the end: "N passed, N failed, N todo" (what CI counts).
// A test marked todo (a known problem tracked by an issue) is reported as todo whether it passes or fails.
export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  let todo = 0;
  for await (const event of source) {
    // Count tests, not the per-file wrappers node:test adds when a file fails to load.
    if (event.data?.details?.type === 'suite') continue;
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.todo !== undefined) todo++;
    else if (event.type === 'test:pass') passed++;
    else if (event.type === 'test:fail') failed++;
  }
  yield `\n${passed} passed, ${failed} failed, ${todo} todo\n`;
}
