import { run } from './run.js';
import { processIo } from './output.js';

// The only place that ends the process: run() maps every outcome to an exit code.
process.exitCode = await run(process.argv.slice(2), processIo);
