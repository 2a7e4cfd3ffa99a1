import { describe, expect, it } from 'vitest';
import {
  ago,
  authenticator,
  authenticatorAppSignIn,
  authenticatorRow,
  codes,
  interrupt,
  methodsMap,
  mfaSignIn,
  mySignInsSignIn,
  password,
  row,
  run,
  securityInfo,
  signIn,
  snapshot,
  user,
  userOf,
} from './builders.js';

/** Someone else, so that every dataset is collected and non-empty: only NEW's own evidence differs. */
const OTHER = { id: '30000000-0000-4000-8000-000000000001', upn: 'olga@contoso.com' };
/** In users.json for a year, yet missing from the report export (a truncated or filtered export). */
const NEW = { id: '30000000-0000-4000-8000-000000000002', upn: 'nina@contoso.com' };
const A_YEAR = 365 * 24 * 60;

/**
 * A tenant where every dataset was read, and NEW appears in users.json only: no report row, no methods
 * file (the collection read OTHER's only), no audit event, no sign-in. `extra` adds NEW's evidence.
 */
function tenant(extra: Parameters<typeof snapshot>[0] = {}) {
  return snapshot({
    users: [user(OTHER.id, OTHER.upn), user(NEW.id, NEW.upn, { createdDateTime: ago(A_YEAR) })],
    registration: [authenticatorRow(OTHER.id, OTHER.upn)],
    methods: methodsMap({ [OTHER.id]: [password(), authenticator('dev-olga')] }),
    audits: [],
    signIns: [signIn('routine', ago(100), OTHER)],
    ...extra,
  });
}

describe('unknown: nothing was read about the user', () => {
  it('is unknown, not not-registered, with the methods to collect as the next action', () => {
    const a = run(tenant());
    const nina = userOf(a, NEW.upn);
    expect(nina).toMatchObject({
      verdict: 'unknown',
      confidence: null,
      action: { code: 'collect-user-methods' },
    });
    expect(codes(nina)).toEqual(expect.arrayContaining(['report-missing-user', 'methods-list-missing']));
    expect(userOf(a, OTHER.upn).verdict).toBe('ready');
    expect(a.summary.unknown).toBe(1);
    expect(a.summary['not-registered']).toBe(0);
  });

  it('is unknown too when the report and the methods were not collected at all', () => {
    const a = run(snapshot({ users: [user(NEW.id, NEW.upn)] }));
    expect(userOf(a, NEW.upn).verdict).toBe('unknown');
  });

  it('is not-registered once any source speaks: a methods list, a report row, an audit event, an interrupt', () => {
    const listed = tenant({ methods: methodsMap({ [OTHER.id]: [password()], [NEW.id]: [password()] }) });
    expect(userOf(run(listed), NEW.upn)).toMatchObject({
      verdict: 'not-registered',
      action: { code: 'register-strong-method' },
    });

    const reported = tenant({
      registration: [authenticatorRow(OTHER.id, OTHER.upn), row(NEW.id, NEW.upn)],
    });
    expect(userOf(run(reported), NEW.upn).verdict).toBe('not-registered');

    const started = tenant({
      audits: [
        securityInfo(
          'cancel',
          ago(30),
          NEW,
          'User canceled security info registration',
          'User canceled security info registration.',
        ),
      ],
    });
    expect(userOf(run(started), NEW.upn).verdict).toBe('not-registered');

    // Error 50079: Entra asked the user to register MFA, so at that moment they had no usable method.
    const interrupted = tenant({
      signIns: [signIn('routine', ago(100), OTHER), interrupt('i1', ago(40), NEW)],
    });
    expect(userOf(run(interrupted), NEW.upn)).toMatchObject({
      verdict: 'not-registered',
      action: { code: 'register-strong-method' },
    });
  });

  it('is not-registered when the audit log read covers the whole life of a user created since the report', () => {
    // Created an hour ago, after the report's refresh (6 h ago): any method registered since, by the
    // user or an admin, would be a security-info event in the audit log, and there is none.
    const fresh = [user(OTHER.id, OTHER.upn), user(NEW.id, NEW.upn, { createdDateTime: ago(60) })];
    expect(userOf(run(tenant({ users: fresh })), NEW.upn)).toMatchObject({
      verdict: 'not-registered',
      action: { code: 'register-strong-method' },
    });
    // Without the audit log nothing covers that hour: unknown.
    expect(userOf(run(tenant({ users: fresh, audits: undefined })), NEW.upn).verdict).toBe('unknown');
  });

  it('stays unknown after a visit to My Sign-ins alone: visiting the page says nothing of what is there', () => {
    const visited = tenant({
      signIns: [signIn('routine', ago(100), OTHER), mySignInsSignIn('ms', ago(40), NEW)],
    });
    expect(userOf(run(visited), NEW.upn).verdict).toBe('unknown');
  });

  it('comes last: loop and loop-risk evidence win, and an MFA sign-in proves ready', () => {
    const app = tenant({ signIns: [authenticatorAppSignIn('app', ago(40), NEW)] });
    expect(userOf(run(app), NEW.upn).verdict).toBe('loop-risk');

    const loop = tenant({
      signIns: [interrupt('i1', ago(30), NEW), interrupt('i2', ago(25), NEW), interrupt('i3', ago(20), NEW)],
    });
    expect(userOf(run(loop), NEW.upn).verdict).toBe('looping');

    const proven = tenant({ signIns: [mfaSignIn('mfa', ago(40), NEW)] });
    expect(userOf(run(proven), NEW.upn)).toMatchObject({ verdict: 'ready', confidence: 'proven' });
  });

  it('leaves disabled users and guests excluded, whatever is unknown about them', () => {
    const a = run(
      tenant({
        users: [
          user(OTHER.id, OTHER.upn),
          user(NEW.id, NEW.upn, { accountEnabled: false }),
          user('30000000-0000-4000-8000-000000000003', 'partner_fabrikam.com#EXT#@contoso.com', {
            userType: 'Guest',
          }),
        ],
      }),
    );
    expect(userOf(a, NEW.upn)).toMatchObject({ verdict: 'excluded', exclusion: 'disabled' });
    expect(userOf(a, 'partner_fabrikam.com#EXT#@contoso.com')).toMatchObject({
      verdict: 'excluded',
      exclusion: 'guest',
    });
    expect(a.summary.unknown).toBe(0);
  });
});
