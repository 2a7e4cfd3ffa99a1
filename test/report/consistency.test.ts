import { describe, expect, it } from 'vitest';
import type { Coverage } from '../../src/domain/datasets.js';
import type { UserAssessment } from '../../src/domain/verdict.js';
import { renderCsv } from '../../src/report/csv.js';
import { renderJson } from '../../src/report/json.js';
import { actionBrief, actionText, evidenceText, reasonText } from '../../src/report/messages.js';
import { renderTable } from '../../src/report/table.js';
import { renderUserDetail } from '../../src/report/user-detail.js';
import { action, assessment, coverage, evidence, user } from './builder.js';

/** The coverage block of the table header, one string. */
function coverageText(users: UserAssessment[], cov: Coverage): string {
  const text = renderTable(assessment(users, { coverage: cov }), { color: false, width: 200 });
  const start = text.indexOf('Missing');
  // Lines joined: the assertions are about what is said, not where it wraps.
  return start < 0 ? '' : text.slice(start, text.indexOf('Summary')).replace(/\n\s*/g, ' ');
}

const proven = () =>
  user({
    verdict: 'ready',
    confidence: 'proven',
    evidence: [
      evidence('mfa-sign-in', {
        source: 'signIns',
        at: '2025-04-30T08:00:00Z',
        fields: { appDisplayName: 'Office 365 Exchange Online' },
      }),
    ],
  });

/** An unknown user as the engine makes one: missing from the report, no methods file, nothing else. */
const unknownUser = () =>
  user({
    userPrincipalName: 'nina@contoso.edu',
    verdict: 'unknown',
    confidence: null,
    methods: [],
    evidence: [
      evidence('report-missing-user', {
        source: 'registration',
        fields: { reason: 'created-after-report', createdDateTime: '2025-05-01T08:00:00Z' },
      }),
      evidence('methods-list-missing', {
        source: 'methods',
        ref: 'x',
        fields: { inventory: 'none' },
      }),
    ],
    action: action('collect-user-methods'),
  });

describe('the coverage lines say what was read, not what is assumed', () => {
  it('does not call ready "at best reported" when audits are missing but sign-ins prove MFA', () => {
    const text = coverageText([proven()], { ...coverage(['audits']) });
    expect(text).toContain('directory audits (directoryAudits.json)');
    expect(text).not.toContain('at best "reported"');
    expect(text).toContain('it rests on an MFA sign-in where one was read');
    // And the summary below it agrees: one user proven.
    const table = renderTable(assessment([proven()], { coverage: coverage(['audits']) }), { color: false });
    expect(table).toContain('of the ready: 1 proven by an MFA sign-in');
  });

  it('says "at best reported" when neither audits nor sign-ins were read', () => {
    const text = coverageText([proven()], { ...coverage(['audits', 'signIns']) });
    expect(text).toContain('with no sign-ins either, ready is at best "reported"');
  });

  it('never says the methods rest on a report that was not read either', () => {
    const text = coverageText([unknownUser()], { ...coverage(['registration', 'methods']) });
    expect(text).not.toMatch(/rest on the registration report/);
    expect(text).toContain("nobody's list of methods was read, nor the registration report");
    expect(coverageText([proven()], { ...coverage(['methods', 'audits']) })).toContain(
      'method states rest on the registration report alone',
    );
  });

  it('does not claim the report guesses half-finished registrations when there is no report', () => {
    const text = coverageText([proven()], { ...coverage(['audits', 'registration']) });
    expect(text).not.toContain('guessed from the report');
    expect(text).toContain('cannot be told from completed ones');
    expect(text).toContain('otherwise at best on the methods list ("reported")');
  });

  it('lists a dataset that was read but holds nothing, as it does a missing one', () => {
    const cov = coverage();
    cov.audits = { present: true, rows: 0 };
    const text = coverageText([proven()], cov);
    expect(text).toContain('Missing or empty data');
    expect(text).toContain('directory audits (directoryAudits.json read, but empty)');
    // No Conditional Access policy at all is ordinary (security defaults tenants): not a gap.
    const noCa = coverage();
    noCa.conditionalAccess = { present: true, rows: 0 };
    expect(coverageText([proven()], noCa)).toBe('');
  });

  it('does not credit a completed registration when the audit log was not read', () => {
    const registered = user({ verdict: 'ready', confidence: 'registered' });
    const text = renderTable(assessment([registered], { coverage: coverage(['audits']) }), {
      color: false,
    });
    expect(text).toContain('1 by an MFA sign-in older than 30 days');
    expect(text).not.toContain('by a completed registration');
  });
});

describe('no empty list or placeholder rendered into a sentence', () => {
  it('never says "known only from none"', () => {
    const none = evidence('methods-list-missing', { source: 'methods', fields: { inventory: 'none' } });
    expect(evidenceText(none)).not.toMatch(/from none|from\s*$/);
    expect(evidenceText(none)).toContain('no list of their methods was read');
    const odd = evidence('methods-list-missing', {
      source: 'methods',
      fields: { inventory: 'xyz' as never },
    });
    expect(evidenceText(odd)).toBe('No authentication methods file for this user');
    const report = evidence('methods-list-missing', {
      source: 'methods',
      fields: { inventory: 'registration' },
    });
    expect(evidenceText(report)).toContain('known only from the registration report');
  });
});

describe('the unknown verdict in the report', () => {
  const users = [proven(), unknownUser()];
  const a = assessment(users);

  it('counts unknown users apart and against readiness, and lists them as needing action', () => {
    const text = renderTable(a, { color: false, width: 120 });
    expect(text).toMatch(/│ unknown\s+│\s+1 │ nothing was read about their methods/);
    expect(text).toContain('50.0% ready: 1 of 2 enabled members in scope');
    expect(text).toContain(
      '1 user unknown: nothing was read about their methods, so they count as not ready',
    );
    expect(text).toContain('Users who need action: 1');
    // On a narrow terminal each user is a block: lines joined, the next action reads whole.
    const narrow = renderTable(a, { color: false, width: 60 }).replace(/\n\s+/g, ' ');
    const listed = narrow.slice(narrow.indexOf('Users who need action: 1'));
    expect(listed).toMatch(/UNKNOWN\s+nina@contoso\.edu/);
    expect(listed).toContain('Read their methods (mfa-ready collect --methods open');
    expect(renderTable(assessment([proven()]), { color: false })).not.toContain('unknown:');
  });

  it('says why, and asks for the methods, never for a registration nor citing a report it did not read', () => {
    const u = unknownUser();
    expect(reasonText(u)).toContain('no list of their methods was read');
    const text = actionText(u.action, u);
    expect(text).toContain('mfa-ready collect --methods open');
    expect(text).toContain('--resume --only methods --methods open into the same folder');
    expect(text).toContain('Entra admin center › Users › nina@contoso.edu › Authentication methods');
    expect(text).not.toMatch(/rests on the registration report|register Microsoft Authenticator/);
    expect(actionBrief(u.action, u)).toContain('Authentication methods');
  });

  it('does not claim methods were read, in the drill-down or in the report-missing finding', () => {
    const u = unknownUser();
    const text = renderUserDetail(u, { color: false, width: 100 });
    expect(text).toContain('unknown: no list of their methods was read');
    expect(text).not.toContain('none listed');
    const missing = u.evidence.find((e) => e.code === 'report-missing-user')!;
    expect(evidenceText(missing)).not.toContain('methods');
    // A user with a list that holds no method is a different thing: none listed.
    const empty = user({ verdict: 'not-registered', confidence: null, methods: [] });
    expect(renderUserDetail(empty, { color: false, width: 100 })).toContain('none listed');
  });

  it('carries the verdict into JSON and CSV', () => {
    const json = JSON.parse(renderJson(a)) as {
      summary: Record<string, number>;
      users: { verdict: string; action: { code: string } }[];
    };
    expect(json.summary['unknown']).toBe(1);
    expect(json.users.find((x) => x.verdict === 'unknown')?.action.code).toBe('collect-user-methods');
    expect(renderCsv(a)).toMatch(/nina@contoso\.edu[^\n]*,unknown,/);
  });
});

describe('an action cites only what the user has', () => {
  it('deletes a half-registered Authenticator by its Graph id, never by a report string', () => {
    // Known only from the report (Authenticator listed, no default method): the id is the report's string.
    const fromReport = user({
      verdict: 'unverified',
      confidence: null,
      methods: [{ id: 'microsoftAuthenticatorPush', type: 'microsoftAuthenticator', state: 'unverified' }],
      evidence: [evidence('report-no-default-method', { source: 'registration' })],
      action: {
        code: 'complete-authenticator-registration',
        fields: { methodIds: ['microsoftAuthenticatorPush'] },
      },
    });
    const text = actionText(fromReport.action, fromReport);
    expect(text).not.toContain('/microsoftAuthenticatorPush');
    expect(text).toContain('GET /users/');
    expect(text).toContain('/authentication/microsoftAuthenticatorMethods for its id');

    const id = '6e2a6b1c-0000-4000-8000-00000000a001';
    const listed = user({
      verdict: 'unverified',
      confidence: null,
      methods: [{ id, type: 'microsoftAuthenticator', state: 'unverified' }],
      evidence: [
        evidence('method-listed', {
          source: 'methods',
          fields: { methodId: id, methodType: 'microsoftAuthenticator', displayName: 'Pixel 8' },
        }),
      ],
      action: { code: 'complete-authenticator-registration', fields: { methodIds: [id] } },
    });
    expect(actionText(listed.action, listed)).toContain(
      `DELETE /users/${listed.id}/authentication/microsoftAuthenticatorMethods/${id}`,
    );
  });

  it('names no placeholder Authenticator when no method is half-registered', () => {
    const u = user({
      verdict: 'unverified',
      confidence: null,
      action: action('complete-authenticator-registration'),
    });
    expect(actionText(u.action, u)).not.toContain('{methodId}');
  });

  it('does not issue a TAP to a user who holds a usable one', () => {
    const tap = evidence('tap-usable', {
      source: 'methods',
      fields: { endDateTime: '2025-05-02T10:00:00Z' },
    });
    const holder = user({
      verdict: 'not-registered',
      confidence: null,
      evidence: [tap],
      action: action('register-strong-method'),
    });
    const text = actionText(holder.action, holder);
    expect(text).toContain(
      'sign in with their usable Temporary Access Pass (valid until 2025-05-02 10:00:00 UTC)',
    );
    expect(text).not.toContain('issue a one-time Temporary Access Pass');
    const looping = user({
      verdict: 'looping',
      confidence: null,
      evidence: [tap],
      action: action('break-registration-loop'),
    });
    expect(actionBrief(looping.action, looping)).toContain('their usable TAP');

    const without = user({
      verdict: 'not-registered',
      confidence: null,
      action: action('register-strong-method'),
    });
    expect(actionText(without.action, without)).toContain('issue a one-time Temporary Access Pass');
  });
});
