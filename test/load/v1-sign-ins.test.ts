import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assess } from '../../src/assess/assess.js';
import { EVIDENCE_RULES, isEvidenceAudit, isEvidenceSignIn } from '../../src/assess/evidence-filter.js';
import { fastSignIn } from '../../src/load/fast-normalisers.js';
import { readExportFolder } from '../../src/load/read-export-folder.js';
import { normaliseSignInSlowly } from '../../src/load/schemas.js';
import type { Assessment } from '../../src/domain/verdict.js';
import { toAssessmentJson } from '../../src/report/json.js';
import { renderTable } from '../../src/report/table.js';

/**
 * An export whose sign-ins come from GET /v1.0/auditLogs/signIns (test/fixtures/inputs/export-v1-signins),
 * read as `mfa-ready audit` reads it and assessed: v1.0 has no authenticationDetails, and its
 * `status.additionalDetails` still says whether MFA was done.
 */

const EXPORT_V1 = fileURLToPath(new URL('../fixtures/inputs/export-v1-signins/', import.meta.url));
const NOW = new Date('2026-12-01T09:00:00Z');

async function assessed(workerMinBytes?: number): Promise<Assessment> {
  const snapshot = await readExportFolder(EXPORT_V1, {
    keepSignIn: isEvidenceSignIn,
    keepAudit: isEvidenceAudit,
    slimEvents: true,
    rules: EVIDENCE_RULES,
    ...(workerMinBytes === undefined ? {} : { workerMinBytes }),
  });
  return assess(snapshot, { now: NOW });
}

function userOf(a: Assessment, upn: string) {
  const u = a.users.find((x) => x.userPrincipalName === upn);
  if (u === undefined) throw new Error(`no ${upn}`);
  return u;
}

describe('a v1.0-only export', () => {
  it('keeps the app that authenticationAppDeviceDetails names, alike by the hand-written and the zod reader', () => {
    const file = `${EXPORT_V1}signIns.json`;
    const records = (JSON.parse(readFileSync(file, 'utf8')) as { value: unknown[] }).value;
    records.forEach((raw, index) => {
      expect(fastSignIn(raw)).toStrictEqual(normaliseSignInSlowly(raw, { file, index }));
    });
    expect(fastSignIn(records[0])).toMatchObject({
      additionalDetails: 'MFA completed in Azure AD',
      authenticationAppDeviceDetails: { clientApp: 'Microsoft Authenticator' },
    });
    // An app-details object that is not one is a bad record for the hand-written reader (zod then explains).
    expect(
      fastSignIn({ ...(records[0] as object), authenticationAppDeviceDetails: 'Authenticator' }),
    ).toBeUndefined();
  });

  for (const [path, workerMinBytes] of [
    ['on the main thread', undefined],
    ['in a worker thread', 0],
  ] as const) {
    it(`proves MFA by "MFA completed in Azure AD" with the Authenticator named (${path})`, async () => {
      const a = await assessed(workerMinBytes);
      const megan = userOf(a, 'MeganB@contoso.com');
      expect(megan).toMatchObject({ verdict: 'ready', confidence: 'proven' });
      expect(megan.evidence.find((e) => e.code === 'mfa-sign-in')).toMatchObject({
        ref: '66ea54eb-6301-4ee5-be62-ff5a759b0100',
        fields: {
          resultDetail: 'MFA completed in Azure AD',
          authenticationMethod: 'Microsoft Authenticator',
          methodKinds: ['microsoftAuthenticator'],
          proves: true,
        },
      });
    });

    it(`proves nothing by a trusted-IP skip, an unknown detail or a trimmed status, and counts the unknown (${path})`, async () => {
      const a = await assessed(workerMinBytes);
      const alex = userOf(a, 'AlexW@contoso.com');
      expect(alex.verdict).not.toBe('ready');
      expect(alex.evidence.map((e) => e.code)).toContain('mfa-requirement-skipped');
      expect(userOf(a, 'LynneR@contoso.com').verdict).not.toBe('ready');
      expect(userOf(a, 'DiegoS@contoso.com').verdict).not.toBe('ready');
      expect(a.summary.ready).toBe(1);
      expect(a.coverage.unknownMfaResultDetails).toEqual({
        'MFA requirement satisfied by external authentication method': 1,
      });
    });
  }

  it('says in the table and the JSON which result details were not known, and not counted', async () => {
    const a = await assessed();
    const table = renderTable(a, { color: false, width: 200 });
    expect(table).toContain(
      '1 sign-in had an MFA result detail mfa-ready does not know: "MFA requirement satisfied by external authentication method" (1); they were not counted as proof',
    );
    expect(toAssessmentJson(a).coverage.unknownMfaResultDetails).toEqual({
      'MFA requirement satisfied by external authentication method': 1,
    });
  });
});
