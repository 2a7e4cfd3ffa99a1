import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Child processes the tests start (bin/mfa-ready.js) inherit this: a test never writes to the user's
// real history database, and test files running side by side never share one.
process.env.MFA_READY_DB = join(
  tmpdir(),
  `mfa-ready-test-${process.pid}-${Math.random().toString(36).slice(2)}.db`,
);
