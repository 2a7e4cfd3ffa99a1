/* eslint-disable no-control-regex -- these tests look for control characters on purpose. */
import { describe, expect, it } from 'vitest';
import { DATASETS } from '../../src/domain/datasets.js';
import { VERDICTS } from '../../src/domain/verdict.js';
import {
  assessmentJsonSchema,
  renderJson,
  renderJsonChunks,
  toAssessmentJson,
} from '../../src/report/json.js';
import { assessment, evidence, sampleUsers, user } from './builder.js';

describe('renderJson', () => {
  const a = assessment(sampleUsers());
  const text = renderJson(a);
  const parsed: unknown = JSON.parse(text);

  it('validates against the published schema', () => {
    const result = assessmentJsonSchema.safeParse(parsed);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
  });

  it('has the contract keys, in the contract order', () => {
    const doc = parsed as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([
      'schemaVersion',
      'generatedAt',
      'tenant',
      'coverage',
      'summary',
      'users',
      'serviceAccounts',
      'population',
    ]);
    expect(doc['schemaVersion']).toBe(1);
    expect(Object.keys(doc['coverage'] as object)).toEqual([
      ...DATASETS,
      'reportRefreshedAt',
      'unknownMfaResultDetails',
    ]);
    expect(Object.keys(doc['summary'] as object)).toEqual([...VERDICTS]);
    const u = (doc['users'] as Record<string, unknown>[])[0]!;
    expect(Object.keys(u).slice(0, 10)).toEqual([
      'id',
      'userPrincipalName',
      'displayName',
      'verdict',
      'confidence',
      'weak',
      'isAdmin',
      'methods',
      'evidence',
      'action',
    ]);
    expect(Object.keys((u['methods'] as object[])[0]!)).toEqual(['id', 'type', 'state']);
    expect(Object.keys((u['evidence'] as object[])[0]!).slice(0, 4)).toEqual(['code', 'source', 'ref', 'at']);
    expect(Object.keys(u['action'] as object)).toEqual(['code', 'text']);
  });

  it('keeps optional values as null so every key is always there', () => {
    const { reportRefreshedAt: _dropped, ...coverage } = assessment([]).coverage;
    const lone = assessment([user({ evidence: [evidence('admin-role', { source: 'registration' })] })], {
      tenant: {},
      coverage,
    });
    const doc = assessmentJsonSchema.parse(JSON.parse(renderJson(lone)));
    expect(doc.tenant).toEqual({ tenantId: null, displayName: null, collectedAt: null, cloud: null });
    expect(doc.coverage.reportRefreshedAt).toBeNull();
    expect(doc.users[0]!.exclusion).toBeNull();
    expect(doc.users[0]!.evidence[0]!.fields).toEqual({});
  });

  it('renders the action text and the exclusion reason', () => {
    const doc = assessmentJsonSchema.parse(parsed);
    const disabled = doc.users.find((u) => u.exclusion === 'disabled');
    expect(disabled?.action.code).toBe('none-excluded');
    expect(disabled?.action.text).toContain('disabled');
    const unverified = doc.users.find((u) => u.verdict === 'unverified');
    expect(unverified?.action.text).toContain('microsoftAuthenticatorMethods');
  });

  it('keeps tenant strings exact but escapes characters that could drive a terminal', () => {
    const nasty = 'Eve\x1b[2J\u009b31m\u202egnp.exe';
    const doc = renderJson(assessment([user({ displayName: nasty })]));
    expect(doc).not.toMatch(/[\x1b\u009b\u202e]/);
    expect(assessmentJsonSchema.parse(JSON.parse(doc)).users[0]!.displayName).toBe(nasty);
  });

  it('ends with a newline and is stable for the same input', () => {
    expect(text.endsWith('}\n')).toBe(true);
    expect(renderJson(a)).toBe(text);
  });
});

describe('renderJsonChunks', () => {
  // What renderJson printed when it was one JSON.stringify: the pieces must add up to it exactly.
  const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
  const oneString = (a: Parameters<typeof renderJson>[0]): string =>
    `${JSON.stringify(toAssessmentJson(a), null, 2).replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;

  it('joined, is byte for byte the document of one JSON.stringify, one user per piece', () => {
    const a = assessment(sampleUsers());
    const pieces = [...renderJsonChunks(a)];
    expect(pieces.join('')).toBe(oneString(a));
    // The head, each user, the tail: never the whole document in one string.
    expect(pieces.length).toBe(a.users.length + 2);
  });

  it('keeps the escapes of unsafe characters and a name with newlines and quotes, inside the users', () => {
    const a = assessment([
      user({ displayName: 'Evil\u202e\u0085 "quoted"\nname', userPrincipalName: 'evil@contoso.com' }),
      user({ id: 'u-2', userPrincipalName: 'second@contoso.com' }),
    ]);
    const text = [...renderJsonChunks(a)].join('');
    expect(text).toBe(oneString(a));
    expect(text).toContain('\\u202e');
    expect((JSON.parse(text) as { users: { displayName: string }[] }).users[0]!.displayName).toBe(
      'Evil\u202e\u0085 "quoted"\nname',
    );
  });

  it('an assessment of nobody is the same document as before', () => {
    const a = assessment([]);
    expect([...renderJsonChunks(a)].join('')).toBe(oneString(a));
  });
});
