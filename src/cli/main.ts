import { run } from './run.js';
import { processIo } from './output.js';

// A reader that stops early (`mfa-ready audit | head`) is not an error: stop quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// The only place that ends the process: run() maps every outcome to an exit code.
process.exitCode = await run(process.argv.slice(2), processIo);
