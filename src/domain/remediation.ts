import type { Verdict } from './verdict.js';

/**
 * Remediation: what the helpdesk does for each user who cannot complete MFA today, as typed data
 * (codes with fields). The words are report/remediation.ts's; the writes are apply/remediation.ts's.
 * Everything here is JSON: a plan is stored (src/store/plans.ts, kind 'remediation') and written to
 * a file the admin reviews before `remediate apply`.
 */

/** The verdicts `remediate plan` takes by default: the users a helpdesk can unblock. */
export const REMEDIATION_VERDICTS = ['unverified', 'loop-risk', 'looping', 'not-registered'] as const;
export type RemediationVerdict = (typeof REMEDIATION_VERDICTS)[number];

/** Where an admin enables or widens the Temporary Access Pass policy, as the portal names it. */
export const TAP_POLICY_LOCATION =
  'Entra admin center → Protection → Authentication methods → Policies → Temporary Access Pass';

/** The page where a user adds or finishes security info (https://aka.ms/mysecurityinfo). */
export const MY_SECURITY_INFO_URL = 'https://aka.ms/mysecurityinfo';

/**
 * The tenant's TAP policy as the plan read it (the methods policy's `TemporaryAccessPass`
 * configuration): https://learn.microsoft.com/graph/api/resources/temporaryaccesspassauthenticationmethodconfiguration
 */
export interface TapPolicy {
  /** `unknown`: the methods policy was not collected, or has no TemporaryAccessPass configuration. */
  state: 'enabled' | 'disabled' | 'unknown';
  defaultLifetimeInMinutes: number | null;
  minimumLifetimeInMinutes: number | null;
  maximumLifetimeInMinutes: number | null;
  /** true: every pass of the tenant is one-time. */
  isUsableOnce: boolean | null;
}

/** Why a user gets the actions they get. */
export type RemediationReason =
  /** An Authenticator entry whose registration was never verified (test/fixtures/incidents/incident-1). */
  | { code: 'half-registered-authenticator'; methodId: string }
  /** A federated user: AD FS cannot host the inline registration (test/fixtures/incidents/incident-2). */
  | { code: 'federated-no-inline-registration'; domain: string }
  /** Sign-ins show the user sent back and forth between the IdP and the registration page. */
  | { code: 'registration-loop'; count: number }
  /** A cloud user with no method: Entra prompts them to register at their next sign-in. */
  | { code: 'prompted-at-sign-in' }
  /** A cloud user sent to registration who did not register since: they cannot bootstrap alone. */
  | { code: 'registration-interrupted'; lastAt: string };

/** Why nothing is written for a user. */
export type NoActionWhy =
  /** TAPs are for members only: https://learn.microsoft.com/entra/identity/authentication/howto-authentication-temporary-access-pass */
  | { code: 'guest' }
  /** `where`: TAP_POLICY_LOCATION. */
  | { code: 'tap-policy-disabled'; where: string }
  | { code: 'tap-user-not-targeted'; includeTargets: string[]; where: string }
  | { code: 'tap-user-excluded'; targetId: string; where: string }
  /** The methods policy was not collected: whether a TAP can be issued is unknown. */
  | { code: 'tap-policy-unknown' }
  /** A usable TAP already exists: hand that one over, or delete it first (creating one replaces it). */
  | { code: 'tap-exists'; methodId: string; endDateTime: string | null }
  /**
   * An admin: only a Privileged Authentication Administrator may create a TAP for or delete a method of
   * an admin (https://learn.microsoft.com/entra/identity/role-based-access-control/privileged-roles-permissions).
   * `withheld`: the actions planned were it not an admin.
   */
  | { code: 'admin-needs-privileged-authentication-administrator'; withheld: WriteActionCode[] }
  /** The methods list was not collected: which entry to delete is unknown. */
  | { code: 'methods-not-collected' }
  /** Named with --user, and nothing to fix. */
  | { code: 'nothing-to-fix'; verdict: Verdict };

/**
 * The value of `userPreferredMethodForSecondaryAuthentication` (beta signInPreferences):
 * https://learn.microsoft.com/graph/api/resources/signinpreferences?view=graph-rest-beta
 */
export type SecondaryMethod =
  'push' | 'oath' | 'voiceMobile' | 'voiceAlternateMobile' | 'voiceOffice' | 'sms';

export type RemediationAction =
  | {
      code: 'create-tap';
      lifetimeInMinutes: number;
      isUsableOnce: boolean;
      /** ISO 8601; null: usable at once. */
      startDateTime: string | null;
      /** Include targets whose membership was not collected: Graph decides. */
      assumedTargets: string[];
      reason: RemediationReason;
    }
  | {
      code: 'delete-authenticator';
      methodId: string;
      deviceName: string | null;
      /**
       * Whether the entry is the user's default sign-in method as the registration report said
       * (`push`): then the default is changed first. null: the report did not say. Apply reads the
       * signInPreferences again before deleting.
       */
      isDefault: boolean | null;
      /** The usable method the default moves to, if the default must change; null: none. */
      fallbackDefault: SecondaryMethod | null;
      reason: RemediationReason;
    }
  | { code: 'set-default-method'; method: SecondaryMethod; reason: RemediationReason }
  | {
      code: 'ask-to-complete';
      /** The message for the user, ready to send. */
      message: string;
      url: typeof MY_SECURITY_INFO_URL;
      reason: RemediationReason;
    }
  | { code: 'no-action'; why: NoActionWhy };

export type RemediationActionCode = RemediationAction['code'];
/** The actions that write to Graph. */
export type WriteActionCode = 'create-tap' | 'delete-authenticator' | 'set-default-method';

export interface UserRemediation {
  userId: string;
  userPrincipalName: string;
  displayName: string;
  verdict: Verdict;
  isAdmin: boolean;
  /** The federated domain of the UPN, when it is one. */
  federatedDomain: string | null;
  /** In the order they are to be done. */
  actions: RemediationAction[];
}

export const REMEDIATION_PLAN_VERSION = 1;

export interface RemediationPlan {
  planVersion: typeof REMEDIATION_PLAN_VERSION;
  kind: 'remediation';
  /** The name it is stored under (src/store/plans.ts); set by `remediate plan`. */
  name?: string;
  /** When the plan was made (ISO 8601). */
  createdAt: string;
  /** The assessment it rests on. */
  basedOn: { generatedAt: string; collectedAt: string | null; tenantId: string | null };
  selection: { verdicts: Verdict[]; users: string[] };
  tapPolicy: TapPolicy;
  users: UserRemediation[];
}

/** What became of one write, as apply reports it (never a TAP value). */
export interface RemediationOutcome {
  userId: string;
  userPrincipalName: string;
  action: WriteActionCode;
  /** The method deleted, or the default set. */
  subject: string | null;
  status: 'done' | 'already-done' | 'failed' | 'skipped' | 'would-do';
  /** Graph's status and error (code, message), or why it was skipped. */
  detail: string | null;
}

/** One TAP issued: where its value is, never the value. */
export interface IssuedTap {
  userId: string;
  userPrincipalName: string;
  methodId: string | null;
  startDateTime: string;
  expiresAt: string;
  isUsableOnce: boolean;
}

export interface RemediationApplyResult {
  plan: string;
  planVersion: number;
  /** false: a dry run, nothing was written. */
  applied: boolean;
  outcomes: RemediationOutcome[];
  taps: IssuedTap[];
  /** The owner-only file the TAP values are in; null when none was issued. */
  tapFile: string | null;
  /** Users to message (ask-to-complete), with the message. */
  messages: { userPrincipalName: string; message: string }[];
}

/** `remediate status`: what became of each write since. */
export interface RemediationStatusRow {
  userId: string;
  userPrincipalName: string;
  action: WriteActionCode;
  subject: string | null;
  /** When the write was done. */
  doneAt: string | null;
  state:
    | 'tap-used'
    | 'tap-expired-unused'
    | 'tap-not-used-yet'
    | 'deleted-registered-again'
    | 'deleted-not-registered-yet'
    | 'default-changed'
    | 'failed'
    | 'not-done'
    /** The latest stored run was collected before the write: nothing can be said yet. */
    | 'no-evidence-since';
  /** The evidence it rests on (a sign-in id, a method id, a time). */
  evidence: string | null;
}
