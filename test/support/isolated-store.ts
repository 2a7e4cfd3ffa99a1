import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Child processes the tests start (bin/mfa-ready.js) inherit this: a test never writes to the user's
// real history database, and test files running side by side never share one.
// Under the run's temporary folder (test/support/temp-root.ts), removed when the run ends.
process.env.MFA_READY_DB = join(
  process.env.MFA_READY_TEST_TMP ?? tmpdir(),
  `store-${process.pid}-${Math.random().toString(36).slice(2)}.db`,
);
