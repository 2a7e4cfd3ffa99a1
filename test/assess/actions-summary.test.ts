import { describe, expect, it } from 'vitest';
import { nextAction } from '../../src/assess/actions.js';
import type { ActionInputs } from '../../src/assess/actions.js';
import { compareUsers, sortUsers, summarise } from '../../src/assess/summary.js';
import type { UserAssessment, Verdict } from '../../src/domain/verdict.js';

const inputs = (over: Partial<ActionInputs>): ActionInputs => ({
  verdict: 'not-registered',
  weak: false,
  tapUsable: false,
  unverifiedMethodIds: [],
  blockingConfigurationIds: [],
  hasNonMfaMethods: false,
  ...over,
});

describe('next action', () => {
  it('has one code per verdict, refined by weak methods, a usable TAP', () => {
    const code = (over: Partial<ActionInputs>) => nextAction(inputs(over)).code;
    expect(code({ verdict: 'excluded' })).toBe('none-excluded');
    expect(code({ verdict: 'ready' })).toBe('none');
    expect(code({ verdict: 'ready', weak: true })).toBe('add-stronger-method');
    expect(code({ verdict: 'looping' })).toBe('break-registration-loop');
    expect(code({ verdict: 'unverified' })).toBe('complete-authenticator-registration');
    expect(code({ verdict: 'policy-blocked' })).toBe('allow-method-in-policy');
    expect(code({ verdict: 'loop-risk' })).toBe('register-before-enforcement');
    expect(code({ verdict: 'loop-risk', tapUsable: true })).toBe('register-with-tap');
    expect(code({ verdict: 'not-registered' })).toBe('register-strong-method');
    expect(code({ verdict: 'not-registered', tapUsable: true })).toBe('register-with-tap');
    expect(code({ verdict: 'unknown' })).toBe('collect-user-methods');
    // Nothing read says what an unknown user has: no TAP can be usable, and none is suggested.
    expect(code({ verdict: 'unknown', hasNonMfaMethods: true })).toBe('collect-user-methods');
  });

  it('carries the ids an admin acts on', () => {
    expect(nextAction(inputs({ verdict: 'unverified', unverifiedMethodIds: ['m1'] })).fields).toEqual({
      methodIds: ['m1'],
    });
    expect(
      nextAction(inputs({ verdict: 'policy-blocked', blockingConfigurationIds: ['Sms', 'Voice'] })).fields,
    ).toEqual({
      configurationIds: ['Sms', 'Voice'],
    });
    expect(nextAction(inputs({ verdict: 'looping', tapUsable: true })).fields).toEqual({ tapUsable: true });
  });
});

function u(id: string, verdict: Verdict, isAdmin = false, upn = `${id}@x.example`): UserAssessment {
  return {
    id,
    userPrincipalName: upn,
    displayName: id,
    verdict,
    confidence: null,
    weak: false,
    isAdmin,
    methods: [],
    evidence: [],
    action: { code: 'none', fields: {} },
  };
}

describe('summary and order', () => {
  it('counts every verdict, zero included', () => {
    expect(summarise([u('a', 'ready'), u('b', 'ready'), u('c', 'looping')])).toEqual({
      excluded: 0,
      ready: 2,
      looping: 1,
      unverified: 0,
      'policy-blocked': 0,
      'loop-risk': 0,
      'not-registered': 0,
      unknown: 0,
    });
  });

  it('lists the worst verdicts first, admins first within a verdict, then by UPN', () => {
    const users = [
      u('r', 'ready'),
      u('z', 'unverified'),
      u('a', 'unverified'),
      u('adm', 'unverified', true),
      u('l', 'looping'),
      u('e', 'excluded'),
      u('q', 'unknown'),
      u('n', 'not-registered'),
    ];
    // Unknown after every known problem (act on those first), before ready: it needs reading.
    expect(sortUsers(users).map((x) => x.id)).toEqual(['l', 'adm', 'a', 'z', 'n', 'q', 'r', 'e']);
    // The keyed sort is the comparator's order, ties by id included.
    const twins = [u('b', 'ready'), u('a', 'ready'), ...users].map((x, i) => ({
      ...x,
      id: `${x.id}${i % 2}`,
    }));
    expect(sortUsers(twins)).toEqual([...twins].sort(compareUsers));
  });
});
