/**
 * staleCarriedLists: which methods lists the history carried into a refresh no longer hold because
 * the audit log shows a change to the user's security info after the list was read.
 */
import { describe, expect, it } from 'vitest';
import type { UserMethods } from '../../src/domain/tenant.js';
import { staleCarriedLists } from '../../src/plan/refresh-changes.js';
import { ago, authenticator, password, securityInfo, snapshot, user } from '../assess/builders.js';

const DAY_MIN = 24 * 60;
const A = { id: 'a', upn: 'a@contoso.test' };
const B = { id: 'b', upn: 'b@contoso.test' };

function list(key: string, methods: UserMethods['methods'], readAt?: string): [string, UserMethods] {
  return [
    key,
    {
      key,
      source: `authenticationMethods/${key}.json`,
      methods,
      ...(readAt !== undefined ? { readAt } : {}),
    },
  ];
}

const users = [user('a', A.upn), user('b', B.upn)];

describe('staleCarriedLists', () => {
  it('drops a carried "password only" list older than the registration the audit log records', () => {
    const snap = snapshot({
      users,
      methods: new Map([
        list('a', [password()], ago(3 * DAY_MIN)),
        list('b', [password()], ago(3 * DAY_MIN)),
      ]),
      audits: [
        securityInfo(
          'e1',
          ago(DAY_MIN),
          A,
          'User registered security info',
          'User registered Authenticator App',
        ),
      ],
    });
    expect([...staleCarriedLists(snap)]).toEqual(['a']);
  });

  it('drops a carried list naming a method deleted since (never a false ready)', () => {
    const snap = snapshot({
      users,
      methods: new Map([list('b', [password(), authenticator('dev-1')], ago(2 * DAY_MIN))]),
      audits: [
        securityInfo('e2', ago(60), B, 'User deleted security info', 'User deleted Authenticator App'),
      ],
    });
    expect([...staleCarriedLists(snap)]).toEqual(['b']);
  });

  it('keeps a carried list read after the event, and a list the run read itself (no readAt)', () => {
    const snap = snapshot({
      users,
      methods: new Map([list('a', [password(), authenticator('dev-1')], ago(60)), list('b', [password()])]),
      audits: [
        securityInfo(
          'e1',
          ago(DAY_MIN),
          A,
          'User registered security info',
          'User registered Authenticator App',
        ),
        securityInfo('e3', ago(30), B, 'User registered security info', 'User registered Authenticator App'),
      ],
    });
    expect(staleCarriedLists(snap).size).toBe(0);
  });

  it('a list carried under the UPN key is matched to its user; an unreadable date counts as stale', () => {
    const snap = snapshot({
      users,
      methods: new Map([
        list('a@contoso.test', [password()], ago(2 * DAY_MIN)),
        list('b', [password()], 'yesterday'),
      ]),
      audits: [
        securityInfo(
          'e1',
          ago(DAY_MIN),
          A,
          'User registered security info',
          'User registered Authenticator App',
        ),
      ],
    });
    expect([...staleCarriedLists(snap)].sort()).toEqual(['a@contoso.test', 'b']);
  });
});
