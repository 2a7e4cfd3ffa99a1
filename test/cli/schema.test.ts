import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVIDENCE_CODES } from '../../src/domain/verdict.js';
import { renderJson } from '../../src/report/json.js';
import { runCli } from '../support/cli.js';
import { assessment, evidence, user } from '../report/builder.js';

/** The file the package ships (package.json `files`), which scripts validate reports against. */
const SHIPPED = 'schema/assessment.schema.json';
const NOW = ['--now', '2025-06-10T12:00:00Z'];

type Json = Record<string, unknown>;
interface Report extends Json {
  users: (Json & { evidence: (Json & { code: string; fields: Json })[] })[];
}

let validate: ValidateFunction;
let demo: Report;

function errorsOf(doc: unknown): ErrorObject[] {
  return validate(doc) ? [] : (validate.errors ?? []);
}

/** The first finding of `code` in the report, to tamper with. */
function findingOf(report: Report, code: string): Json & { code: string; fields: Json } {
  for (const u of report.users) {
    const found = u.evidence.find((e) => e.code === code);
    if (found !== undefined) return found;
  }
  throw new Error(`no ${code} finding in the report`);
}

beforeAll(async () => {
  // strict: a schema Ajv would have to guess about (unknown keywords, ambiguous types) fails here.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  validate = ajv.compile(JSON.parse(await readFile(SHIPPED, 'utf8')) as Json);
  const r = await runCli(['audit', '--demo', '--quiet', '--format', 'json']);
  expect(r.code).toBe(0);
  demo = JSON.parse(r.stdout) as Report;
}, 60_000);

describe('mfa-ready schema', () => {
  it('prints the schema the package ships, byte for byte (run `npm run schema:write` after changing the contract)', async () => {
    const r = await runCli(['schema']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(await readFile(SHIPPED, 'utf8'));
  });

  it('is listed in the package files, so `npm pack` ships it', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schema');
  });

  it('discriminates findings on their code: one closed branch per evidence code', async () => {
    const schema = JSON.parse(await readFile(SHIPPED, 'utf8')) as Json;
    const users = (schema['properties'] as Json)['users'] as Json;
    const findings = ((users['items'] as Json)['properties'] as Json)['evidence'] as Json;
    const branches = (findings['items'] as Json)['oneOf'] as Json[];
    const codes = branches.map((b) => ((b['properties'] as Json)['code'] as Json)['const']);
    expect(codes).toEqual([...EVIDENCE_CODES]);
    for (const b of branches) {
      expect(b['additionalProperties']).toBe(false);
      expect(((b['properties'] as Json)['fields'] as Json)['additionalProperties']).toBe(false);
    }
  });
});

describe('audit --format json against the exported schema', () => {
  it('validates the demo tenant (audit --demo)', () => {
    expect(errorsOf(demo)).toEqual([]);
    expect(demo['schemaVersion']).toBe(1);
    // The demo exercises most codes; the check above covers each of their fields.
    const seen = new Set(demo.users.flatMap((u) => u.evidence.map((e) => e.code)));
    expect(seen.size).toBeGreaterThan(20);
  });

  it.each([
    ['the bundled demo export', 'demo/tenant'],
    ['incident 1', 'test/fixtures/incidents/incident-1'],
    ['incident 2', 'test/fixtures/incidents/incident-2'],
    ['a small export', 'test/fixtures/inputs/export-small'],
  ])('validates %s', async (_name, dir) => {
    const r = await runCli(['audit', '--from', dir, ...NOW, '--quiet', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(errorsOf(JSON.parse(r.stdout))).toEqual([]);
  });

  it('validates a finding of every evidence code, with the fields it always has', () => {
    const doc: unknown = JSON.parse(
      renderJson(assessment([user({ evidence: EVIDENCE_CODES.map((c) => evidence(c)) })])),
    );
    expect(errorsOf(doc)).toEqual([]);
  });

  it('rejects a finding whose field is misspelt', () => {
    const report = structuredClone(demo);
    const f = findingOf(report, 'mfa-sign-in');
    f.fields['authenticationMetod'] = 'Mobile app notification';
    expect(errorsOf(report)).toContainEqual(
      expect.objectContaining({
        keyword: 'additionalProperties',
        params: { additionalProperty: 'authenticationMetod' },
      }),
    );
  });

  it('rejects a field that belongs to another code', () => {
    const report = structuredClone(demo);
    findingOf(report, 'registration-interrupt').fields['count'] = 3;
    expect(errorsOf(report).length).toBeGreaterThan(0);
  });

  it('rejects a finding without a required field, or with one of the wrong type', () => {
    const missing = structuredClone(demo);
    delete findingOf(missing, 'registration-loop').fields['count'];
    expect(errorsOf(missing)).toContainEqual(
      expect.objectContaining({ keyword: 'required', params: { missingProperty: 'count' } }),
    );
    const wrong = structuredClone(demo);
    findingOf(wrong, 'registration-interrupt').fields['errorCode'] = '50072';
    expect(errorsOf(wrong)).toContainEqual(
      expect.objectContaining({ keyword: 'type', message: 'must be integer' }),
    );
  });

  it('rejects an unknown evidence code, and a report of another schema version', () => {
    const unknown = structuredClone(demo);
    findingOf(unknown, 'admin-role').code = 'admin-roles';
    expect(errorsOf(unknown).length).toBeGreaterThan(0);
    const other = structuredClone(demo);
    other['schemaVersion'] = 2;
    expect(errorsOf(other)).toContainEqual(
      expect.objectContaining({ instancePath: '/schemaVersion', keyword: 'const' }),
    );
  });

  it('rejects a key the contract does not have', () => {
    const report = structuredClone(demo);
    report.users[0]!['verdictReason'] = 'x';
    expect(errorsOf(report)).toContainEqual(
      expect.objectContaining({ instancePath: '/users/0', keyword: 'additionalProperties' }),
    );
  });
});
