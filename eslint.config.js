import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The import zones of src/: what each folder may import besides itself. The pipeline runs one way,
 * domain ← collect, store ← load ← assess ← plan ← apply ← report ← cli (README "Architecture"); demo and
 * emulator are test and development infrastructure, allowed what they use.
 */
const MAY_IMPORT = {
  domain: [],
  collect: ['domain'],
  store: ['domain'],
  load: ['domain', 'store'],
  assess: ['domain'],
  plan: ['domain', 'assess'],
  // apply performs plans: writes through the Graph module, journaled in the store.
  apply: ['domain', 'collect', 'store', 'load', 'assess', 'plan'],
  report: ['domain', 'assess', 'plan'],
  server: [
    'domain',
    'collect',
    'store',
    'load',
    'assess',
    'plan',
    'apply',
    'report',
    'demo',
    'emulator',
    'web',
  ],
  web: [
    'domain',
    'collect',
    'store',
    'load',
    'assess',
    'plan',
    'apply',
    'report',
    'demo',
    'emulator',
    'server',
  ],
  cli: [
    'domain',
    'collect',
    'store',
    'load',
    'assess',
    'plan',
    'apply',
    'report',
    'demo',
    'emulator',
    'server',
    'web',
  ],
  demo: ['domain'],
  emulator: ['domain', 'collect', 'load', 'demo'],
};
const FOLDERS = Object.keys(MAY_IMPORT);

/** Files allowed more than their folder, each with the reason it is tolerated. */
const EXCEPTIONS = [
  // planner moving to src/plan/
  { file: 'src/collect/live/methods-needs.ts', also: ['assess'] },
  // planner moving to src/plan/; and the collector reads back the export folder it wrote (load)
  { file: 'src/collect/live/collect-methods.ts', also: ['assess', 'load'] },
  // The collector reads back the policies and groups it wrote, to choose whose members to fetch.
  { file: 'src/collect/live/collect-group-members.ts', also: ['load'] },
];

/** The assess, plan, report and domain steps are pure: no Node built-ins, no I/O, the clock passed in. */
const PURE = new Set(['domain', 'assess', 'plan', 'report']);
const NO_IO = { group: ['node:*', 'fs', 'path', 'os', 'child_process'], message: 'Pure step: no I/O here.' };

/** Folders below src/<folder>/ that the zones cover (src/emulator/server/... is 2). */
const MAX_DEPTH = 4;

/**
 * `no-restricted-imports` for a file `depth` folders below src/ in `folder` that may import `allowed`.
 * An import leaves the folder by going up `depth` levels to src/, so `^(../){depth}name/` is exactly an
 * import of src/name (a sub-folder of the same name, such as src/emulator/server, is not matched).
 * One rule entry per file set: in a flat config a later block's entry replaces an earlier one.
 */
function zoneRule(folder, allowed, depth) {
  const banned = FOLDERS.filter((f) => f !== folder && !allowed.includes(f));
  const patterns = PURE.has(folder) ? [NO_IO] : [];
  if (banned.length > 0) {
    patterns.push({
      regex: `^(\\.\\./){${depth}}(${banned.join('|')})(/|$)`,
      message:
        `src/${folder} may import ${allowed.length > 0 ? `only ${allowed.join(', ')}` : 'nothing outside itself'}: ` +
        'the pipeline runs one way (domain ← collect, store ← load ← assess ← plan ← report ← cli).',
    });
  }
  return patterns.length > 0 ? { 'no-restricted-imports': ['error', { patterns }] } : {};
}

const zoneBlocks = [
  ...FOLDERS.flatMap((folder) =>
    Array.from({ length: MAX_DEPTH }, (_, i) => ({
      files: [`src/${folder}/${'*/'.repeat(i)}*.ts`],
      ignores: ['**/*.test.ts'],
      rules: zoneRule(folder, MAY_IMPORT[folder], i + 1),
    })),
  ),
  ...EXCEPTIONS.map(({ file, also }) => {
    const [, folder] = file.split('/');
    return {
      files: [file],
      rules: zoneRule(folder, [...MAY_IMPORT[folder], ...also], file.split('/').length - 2),
    };
  }),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'demo/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The pure steps read no clock (their imports are in zoneBlocks).
    files: ['src/assess/**/*.ts', 'src/report/**/*.ts', 'src/domain/**/*.ts', 'src/plan/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Pass `now` in; do not read the clock.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Pass `now` in; do not read the clock.',
        },
      ],
    },
  },
  ...zoneBlocks,
  {
    files: ['bin/**/*.js', 'bench/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', performance: 'readonly' } },
  },
);
