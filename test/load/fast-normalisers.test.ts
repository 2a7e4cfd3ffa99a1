import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toIsoDate } from '../../src/load/field-schemas.js';
import {
  fastAudit,
  fastMethod,
  fastRegistration,
  fastSignIn,
  fastUser,
} from '../../src/load/fast-normalisers.js';
import { readEntitiesStreaming } from '../../src/load/read-entities.js';
import {
  normaliseAuditSlowly,
  normaliseMethodSlowly,
  normaliseRegistrationSlowly,
  normaliseSignInSlowly,
  normaliseUserSlowly,
} from '../../src/load/schemas.js';
import type { EntityAt } from '../../src/load/parse-entity.js';

/**
 * The hand-written normalisers must give exactly what the zod ones give (same values, same key
 * order), or undefined so that the zod one runs: checked here on every real entity we have (Graph's
 * doc examples, the test export, the demo tenant) and on each of them with fields changed to every
 * kind of wrong, odd or PowerShell-shaped value.
 */

const GRAPH_DOCS = fileURLToPath(new URL('../fixtures/graph-docs/', import.meta.url));
const EXPORT_SMALL = fileURLToPath(new URL('../fixtures/inputs/export-small/', import.meta.url));
const DEMO = fileURLToPath(new URL('../../demo/tenant/', import.meta.url));
const at: EntityAt = { file: 'x.json', index: 0, line: 1 };

async function entitiesOf(files: string[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const file of files) {
    for await (const { entity } of readEntitiesStreaming(file)) out.push(entity as Record<string, unknown>);
  }
  return out;
}

const folderFiles = (dir: string) => readdirSync(dir).map((name) => dir + name);

/** Values a field may hold in some export, right or wrong. */
const ODD_VALUES: unknown[] = [
  null,
  '',
  'x',
  'Member',
  0,
  -1,
  1.5,
  true,
  false,
  [],
  ['a'],
  [1],
  [null],
  {},
  { value: '2024-01-01T00:00:00Z' },
  '\\/Date(1700000000000)\\/',
  '/Date(1700000000000+0100)/',
  '2024-02-29T23:59:59Z',
  '2023-02-29T00:00:00Z',
  '2024-04-31T00:00:00Z',
  '2024-01-01T24:00:00Z',
  '2024-01-01T00:00:60Z',
  '2024-01-01T00:00:00',
  '2024-01-01 00:00:00',
  '2024-01-01',
  '2024-01-01T00:00:00.1Z',
  '2024-01-01T00:00:00.123456789Z',
  '2024-01-01T00:00:00.Z',
  '2024-01-01T00:00:00+02:00',
  '2024-01-01t00:00:00z',
  [{ authenticationStepDateTime: 'nope' }],
  [{ succeeded: 'yes' }],
  [{ Type: 'User', modifiedProperties: [{ displayName: 'x', oldValue: { a: 1 }, newValue: null }] }],
  [{ type: 'User', TYPE: 'Group', modifiedProperties: null }],
  [{ key: 'k', value: ['x'] }],
  { errorCode: 0 },
  { errorCode: '0' },
  { errorCode: 50126, failureReason: null, additionalDetails: 7 },
  { user: { id: 'u' }, app: null },
  { user: [], app: {} },
];

/** A copy of the entity with the field at `path` set to a value (undefined deletes it). */
function withField(entity: Record<string, unknown>, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(entity);
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (value === undefined) delete parent[last];
  else parent[last] = structuredClone(value);
  return copy;
}

/** Paths of the fields of an entity, down to the first element of nested lists. */
function fieldPaths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.length > 0 ? fieldPaths(v[0], [...prefix, 0]) : [];
  if (typeof v !== 'object' || v === null) return [];
  return Object.entries(v).flatMap(([key, value]) => [
    [...prefix, key],
    ...fieldPaths(value, [...prefix, key]),
  ]);
}

/** The entity itself, and each of its fields (and a few it lacks) set to each odd value. */
function* variants(entity: Record<string, unknown>, extraKeys: string[]): Generator<unknown> {
  yield entity;
  for (const path of [...fieldPaths(entity), ...extraKeys.map((k) => [k])]) {
    yield withField(entity, path, undefined);
    for (const value of ODD_VALUES) yield withField(entity, path, value);
  }
  // PowerShell's shape, and things that are not entities.
  yield { ...entity, Id: 'ps' };
  yield null;
  yield [entity];
  yield 'text';
}

type Outcome = { ok: unknown; json: string } | { error: true };

function outcome(f: () => unknown): Outcome {
  try {
    const ok = f();
    return { ok, json: JSON.stringify(ok) };
  } catch {
    return { error: true };
  }
}

function compare(
  entities: Record<string, unknown>[],
  extraKeys: string[],
  fast: (raw: unknown) => unknown,
  slow: (raw: unknown, at: EntityAt) => unknown,
): { fastHits: number; total: number } {
  let fastHits = 0;
  let total = 0;
  for (const entity of entities) {
    for (const raw of variants(entity, extraKeys)) {
      total++;
      const expected = outcome(() => slow(structuredClone(raw), at));
      const got = fast(structuredClone(raw));
      if (got === undefined) continue;
      fastHits++;
      // The fast path answers only for entities the zod path accepts, with the very same object.
      expect('error' in expected, JSON.stringify(raw)).toBe(false);
      if ('ok' in expected) {
        expect(got).toStrictEqual(expected.ok);
        expect(JSON.stringify(got)).toBe(expected.json);
      }
    }
  }
  return { fastHits, total };
}

describe('hand-written normalisers agree with the zod ones', () => {
  it('sign-ins', async () => {
    const entities = await entitiesOf([
      GRAPH_DOCS + 'auditLogs_signIns.beta.example1.json',
      EXPORT_SMALL + 'signIns.json',
      DEMO + 'signIns.json',
    ]);
    const r = compare(
      entities.slice(0, 12),
      ['status', 'authenticationDetails', 'appliedConditionalAccessPolicies'],
      fastSignIn,
      normaliseSignInSlowly,
    );
    // Every real sign-in takes the fast path.
    for (const e of entities) expect(fastSignIn(e)).toBeDefined();
    expect(r.fastHits).toBeGreaterThan(r.total / 4);
  });

  it('directory audits', async () => {
    const entities = await entitiesOf([
      GRAPH_DOCS + 'auditLogs_directoryAudits.v1.0.example1.json',
      GRAPH_DOCS + 'auditLogs_directoryAudits.v1.0.example2-filter-initiatedBy.json',
      EXPORT_SMALL + 'directoryAudits.json',
      DEMO + 'directoryAudits.json',
    ]);
    const r = compare(
      entities.slice(0, 12),
      ['initiatedBy', 'targetResources', 'additionalDetails'],
      fastAudit,
      normaliseAuditSlowly,
    );
    for (const e of entities.filter((x) => !('Type' in ((x['targetResources'] as object[])[0] ?? {})))) {
      expect(fastAudit(e)).toBeDefined();
    }
    expect(r.fastHits).toBeGreaterThan(r.total / 4);
  });

  it('authentication methods', async () => {
    const entities = await entitiesOf([
      ...[
        'users_authentication_methods.beta.json',
        'users_authentication_methods.v1.0.json',
        'users_authentication_methods.v1.0.tutorial-password-only.json',
        'users_authentication_microsoftAuthenticatorMethods.v1.0.json',
        'users_authentication_phoneMethods.v1.0.json',
        'users_authentication_temporaryAccessPassMethods.post-201.v1.0.json',
      ].map((f) => GRAPH_DOCS + f),
      ...folderFiles(`${EXPORT_SMALL}authenticationMethods/`),
      ...folderFiles(`${DEMO}authenticationMethods/`).slice(0, 8),
    ]);
    const r = compare(entities, ['lifetimeInMinutes', 'isUsable'], fastMethod, normaliseMethodSlowly);
    expect(r.fastHits).toBeGreaterThan(r.total / 4);
    expect(fastMethod({ id: 'x', lifetimeInMinutes: Infinity })).toBeUndefined();
  });

  it('users', async () => {
    const entities = await entitiesOf([EXPORT_SMALL + 'users.json', DEMO + 'users.json']);
    const r = compare(entities.slice(0, 12), [], fastUser, normaliseUserSlowly);
    expect(r.fastHits).toBeGreaterThan(r.total / 4);
  });

  it('the registration report', async () => {
    const entities = await entitiesOf([
      GRAPH_DOCS + 'reports_authenticationMethods_userRegistrationDetails.v1.0.json',
      GRAPH_DOCS + 'reports_authenticationMethods_userRegistrationDetails.beta.json',
      EXPORT_SMALL + 'userRegistrationDetails.json',
      DEMO + 'userRegistrationDetails.json',
    ]);
    const r = compare(
      entities.slice(0, 12),
      ['methodsRegistered', 'systemPreferredAuthenticationMethods'],
      fastRegistration,
      normaliseRegistrationSlowly,
    );
    expect(r.fastHits).toBeGreaterThan(r.total / 4);
  });
});

describe('toIsoDate without Date for the usual form', () => {
  it('gives what Date gives for every day of four years, times at the edges and fractions', () => {
    const viaDate = (v: string) => {
      const ms = Date.parse(v);
      return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
    };
    for (const year of ['1999', '2000', '2023', '2024', '2100']) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 0; day <= 32; day++) {
          const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          for (const time of [
            '00:00:00Z',
            '23:59:59Z',
            '24:00:00Z',
            '12:60:00Z',
            '12:00:60Z',
            '08:59:14.1626617Z',
          ]) {
            const v = `${date}T${time}`;
            expect(toIsoDate(v), v).toBe(viaDate(v));
          }
        }
      }
    }
    for (const fraction of ['.1', '.12', '.123', '.1234', '.999999999', '.0']) {
      const v = `2024-05-01T10:20:30${fraction}Z`;
      expect(toIsoDate(v)).toBe(viaDate(v));
    }
  });

  it('gives the same answer for a date met again, after another or the same one, or after a bad one', () => {
    const refresh = '2026-11-22T03:43:00.0001833Z';
    const sequence = [refresh, refresh, '2026-11-19T05:52:37Z', refresh, 'not a date', refresh, refresh];
    expect(sequence.map((v) => toIsoDate(v))).toEqual([
      '2026-11-22T03:43:00.000Z',
      '2026-11-22T03:43:00.000Z',
      '2026-11-19T05:52:37.000Z',
      '2026-11-22T03:43:00.000Z',
      undefined,
      '2026-11-22T03:43:00.000Z',
      '2026-11-22T03:43:00.000Z',
    ]);
    // Already in the ISO form, a date comes back as it is.
    const iso = '2026-11-22T03:43:00.123Z';
    expect(toIsoDate(iso)).toBe(iso);
  });
});
