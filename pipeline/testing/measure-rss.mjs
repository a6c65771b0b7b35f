/* global process */
// Test helper: runs bin/csp.js in this process and writes the process's peak RSS (KiB, worker
// threads included) to $CSP_TEST_RSS_FILE on exit, so tests can bound memory without /usr/bin/time.
import { writeFileSync } from 'node:fs';

const file = process.env.CSP_TEST_RSS_FILE;
process.on('exit', () => {
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
await import('../../bin/csp.js');
