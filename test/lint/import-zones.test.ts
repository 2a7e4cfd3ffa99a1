import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The import zones of eslint.config.js: each folder of src/ imports only the steps before it
 * (domain ← collect, store ← load ← assess ← plan ← report ← cli). Linted as text at a path inside
 * src/, as `npm run lint` would lint a file there.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

async function zoneErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const probe = value;\n`, {
    filePath: path.join(ROOT, file),
  });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import zones (eslint.config.js)', () => {
  it('refuses report/ importing collect/, naming what report may import', async () => {
    const errors = await zoneErrors('src/report/probe.ts', "import { value } from '../collect/x.js';");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('src/report may import only domain, assess, plan');
  });

  it('lets report/ import domain/ and assess/', async () => {
    expect(await zoneErrors('src/report/probe.ts', "import { value } from '../domain/verdict.js';")).toEqual(
      [],
    );
    expect(await zoneErrors('src/report/probe.ts', "import { value } from '../assess/summary.js';")).toEqual(
      [],
    );
  });

  it('refuses a type-only import across a zone too', async () => {
    const errors = await zoneErrors(
      'src/domain/probe.ts',
      "import type { Value } from '../collect/live/index.js';\nconst value: Value = 1;",
    );
    expect(errors).toHaveLength(1);
  });

  it('refuses load/ importing assess/: the evidence rules are handed in, not imported', async () => {
    expect(await zoneErrors('src/load/probe.ts', "import { value } from '../assess/index.js';")).toHaveLength(
      1,
    );
    expect(await zoneErrors('src/load/probe.ts', "import { value } from '../store/index.js';")).toEqual([]);
  });

  it('counts the folders a nested file climbs: its own sub-folders stay inside, src/<step> is outside', async () => {
    // src/collect/live → src/collect/graph: the same step.
    expect(
      await zoneErrors('src/collect/live/probe.ts', "import { value } from '../graph/index.js';"),
    ).toEqual([]);
    expect(
      await zoneErrors('src/collect/live/probe.ts', "import { value } from '../../report/index.js';"),
    ).toHaveLength(1);
    // src/emulator/server is the emulator's own; src/cli is not the emulator's to import.
    expect(
      await zoneErrors('src/emulator/routes/probe.ts', "import { value } from '../server/index.js';"),
    ).toEqual([]);
    expect(
      await zoneErrors('src/emulator/routes/probe.ts', "import { value } from '../../cli/main.js';"),
    ).toHaveLength(1);
  });

  it('exempts only the named collector files from the collect → assess rule', async () => {
    const toAssess = "import { value } from '../../assess/index.js';";
    expect(await zoneErrors('src/collect/live/methods-needs.ts', toAssess)).toEqual([]);
    expect(await zoneErrors('src/collect/live/collect-tenant.ts', toAssess)).toHaveLength(1);
  });

  it('keeps the pure steps free of I/O alongside the zones', async () => {
    const errors = await zoneErrors('src/assess/probe.ts', "import { value } from 'node:fs';");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Pure step: no I/O here.');
  });
});
