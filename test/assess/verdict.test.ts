import { describe, expect, it } from 'vitest';
import { decideVerdict } from '../../src/assess/verdict.js';
import type { VerdictFits } from '../../src/assess/verdict.js';
import {
  ago,
  authenticator,
  authenticatorAppSignIn,
  deviceJson,
  interrupt,
  methodsMap,
  password,
  phoneAppDetailUpdate,
  policy,
  run,
  snapshot,
  user,
  userOf,
} from './builders.js';

const none: VerdictFits = {
  excluded: false,
  ready: false,
  looping: false,
  unverified: false,
  'policy-blocked': false,
  'loop-risk': false,
  'not-registered': false,
};

describe('verdict precedence', () => {
  it('is excluded, ready, looping, unverified, policy-blocked, loop-risk, not-registered, unknown', () => {
    const all: VerdictFits = {
      excluded: true,
      ready: true,
      looping: true,
      unverified: true,
      'policy-blocked': true,
      'loop-risk': true,
      'not-registered': true,
    };
    const order: string[] = [];
    const fits = { ...all };
    for (;;) {
      const v = decideVerdict(fits);
      order.push(v);
      if (v === 'unknown') break;
      fits[v as keyof VerdictFits] = false;
    }
    expect(order).toEqual([
      'excluded',
      'ready',
      'looping',
      'unverified',
      'policy-blocked',
      'loop-risk',
      'not-registered',
      'unknown',
    ]);
    expect(decideVerdict(none)).toBe('unknown');
    expect(decideVerdict({ ...none, 'not-registered': true })).toBe('not-registered');
  });

  it('applies it end to end: looping beats unverified, unverified beats policy-blocked and loop-risk', () => {
    const G = { id: '90000000-0000-4000-8000-000000000001', upn: 'gina@contoso.com' };
    const base = {
      users: [user(G.id, G.upn)],
      methods: methodsMap({ [G.id]: [password(), authenticator('dev-g')] }),
      audits: [phoneAppDetailUpdate('add-g', ago(300), G, [], [deviceJson('dev-g')])],
    };
    const loopSignIns = [
      interrupt('i1', ago(30), G),
      interrupt('i2', ago(25), G),
      interrupt('i3', ago(20), G),
    ];
    expect(userOf(run(snapshot({ ...base, signIns: loopSignIns })), G.upn).verdict).toBe('looping');
    const blocked = policy({ MicrosoftAuthenticator: { state: 'disabled' } });
    const app = [authenticatorAppSignIn('app', ago(400), G)];
    expect(userOf(run(snapshot({ ...base, methodsPolicy: blocked, signIns: app })), G.upn).verdict).toBe(
      'unverified',
    );
  });
});
