import type { Action, ActionCode, ActionFieldsByCode, ActionOf, Verdict } from '../domain/verdict.js';
import { NO_FIELDS, type Empty } from './evidence.js';

/** What the next-action rule needs to know beyond the verdict. */
export interface ActionInputs {
  verdict: Verdict;
  weak: boolean;
  tapUsable: boolean;
  /** Unverified Authenticator method ids, for `complete-authenticator-registration`. */
  unverifiedMethodIds: string[];
  /** Configurations that refuse the user's methods, for `allow-method-in-policy`. */
  blockingConfigurationIds: string[];
  /** The user has non-MFA security info (email, questions), i.e. registered for SSPR but not MFA. */
  hasNonMfaMethods: boolean;
}

/** An action, its fields checked against the code's entry in domain/evidence.ts at compile time. */
function action<C extends ActionCode>(
  code: C,
  ...[fields]: Empty extends ActionFieldsByCode[NoInfer<C>]
    ? [fields?: ActionFieldsByCode[NoInfer<C>]]
    : [fields: ActionFieldsByCode[NoInfer<C>]]
): ActionOf<C> {
  return { code, fields: fields ?? NO_FIELDS } as ActionOf<C>;
}

/**
 * The one next step per user. A usable Temporary Access Pass changes the advice for users who cannot
 * register otherwise: with it they can reach the security-info page without the MFA prompt that
 * traps them (test/fixtures/incidents/incident-2).
 */
export function nextAction(i: ActionInputs): Action {
  switch (i.verdict) {
    case 'excluded':
      return action('none-excluded');
    case 'ready':
      return i.weak ? action('add-stronger-method') : action('none');
    case 'looping':
      return action('break-registration-loop', { tapUsable: i.tapUsable });
    case 'unverified':
      return action('complete-authenticator-registration', { methodIds: i.unverifiedMethodIds });
    case 'policy-blocked':
      return i.blockingConfigurationIds.length > 0
        ? action('allow-method-in-policy', { configurationIds: i.blockingConfigurationIds })
        : action('allow-method-in-policy');
    case 'loop-risk':
      return i.tapUsable ? action('register-with-tap') : action('register-before-enforcement');
    case 'not-registered':
      if (i.tapUsable) return action('register-with-tap');
      return i.hasNonMfaMethods
        ? action('register-strong-method', { hasSsprMethods: true })
        : action('register-strong-method');
    case 'unknown':
      // Nothing says what the user has: read it before anyone is asked to register anything.
      return action('collect-user-methods');
  }
}
