/**
 * Regenerates the bundled demo tenant: `node --import tsx scripts/generate-demo.ts` (npm run demo:generate).
 * Writes demo/tenant/ (the export folder `mfa-ready audit --demo` reads) and demo/expected-verdicts.json
 * (the persona of every user and the verdict the spec implies: an answer key for engine tests).
 * test/demo/bundled-demo.test.ts fails if the committed folder drifts from what this writes.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import {
  DEMO_EXPECTED_PATH,
  DEMO_TENANT_PATH,
  generateDemoTenant,
  renderExpectedVerdicts,
} from '../src/demo/demo-tenant.js';
import { writeExportFolder } from '../src/demo/write-export-folder.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tenant = generateDemoTenant();
const result = await writeExportFolder(join(root, DEMO_TENANT_PATH), tenant, { overwrite: true });
await writeFile(join(root, DEMO_EXPECTED_PATH), renderExpectedVerdicts(tenant));

const counts = Object.entries(result.rows)
  .map(([name, n]) => `${name} ${n}`)
  .join(', ');
console.log(
  `wrote ${DEMO_TENANT_PATH}: ${result.files} files, ${(result.bytes / 1024).toFixed(0)} KiB (${counts})`,
);
