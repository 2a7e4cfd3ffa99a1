/**
 * `mfa-ready preflight`'s findings as data: what each part's probe found, which permissions and
 * licence are present or missing. The collector probes (src/collect/live/preflight.ts); the report
 * words them.
 */
import type { CollectPart, ConfidenceLoss, FailureInfo } from './collection.js';
import type { GraphStats, GraphVersion, RequiredAccess } from './graph-run.js';

export type ProbeState =
  | 'ok'
  | 'permission-missing'
  | 'licence-required'
  | 'failed'
  | 'unavailable-in-cloud'
  /** Not asked: not selected, or it needs an id from a probe that failed or found nothing. */
  | 'not-probed';

export interface ProbeResult {
  part: CollectPart;
  /** The probe sent, relative to the version root. */
  request: { path: string; version: GraphVersion } | null;
  state: ProbeState;
  /** What the endpoint needs (application permissions; roles for delegated sign-in). */
  required: RequiredAccess;
  failure?: FailureInfo;
  /** For unavailable-in-cloud and not-probed. */
  reason?: string;
  /** When not `ok`: what the assessment loses without this part. */
  lost?: ConfidenceLoss[];
  /**
   * Set on the second probe of a part that reads per-item data with its own permission: `domains`'
   * federationConfiguration (Domain.Read.All), asked of the first federated domain the list names.
   */
  item?: 'federationConfiguration';
}

export interface PreflightReport {
  credential: { ok: boolean; failure?: FailureInfo };
  probes: ProbeResult[];
  /** Application permissions by what the probes showed. */
  permissions: { present: string[]; missing: string[] };
  /** Roles a delegated (signed-in) user needs for the refused endpoints. */
  delegatedRolesForMissing: string[];
  /** Microsoft Entra ID P1/P2: needed for the registration report and sign-ins (https://learn.microsoft.com/graph/api/resources/userregistrationdetails, https://learn.microsoft.com/graph/api/signin-list). */
  licence: { name: string; state: 'present' | 'missing' | 'unknown' };
  stats?: GraphStats;
  /** `preflight --for rollout|remediate`: what the writes need. Absent for a read-only preflight. */
  writes?: WritePreflight;
}

/** What a command that changes the tenant needs (`preflight --for`). */
export type WritePurpose = 'rollout' | 'remediate';

export interface WriteCheck {
  kind: 'permission' | 'role';
  /** The least privileged permission, or the role, asked for. */
  name: string;
  /** Any one of these satisfies the check (the name first, then broader ones). */
  accepted: string[];
  /** 'unknown': the token or the directory did not say (never read as present). */
  state: 'present' | 'missing' | 'unknown';
  /** The one that was found, when present. */
  found?: string;
  /** Needed for the command to work at all; false: only some users or cases need it. */
  required: boolean;
  /** What it is for, in the admin's words. */
  why: string;
}

export interface WritePreflight {
  purpose: WritePurpose;
  /** How the credential signs in: its token's kind ('unknown' when the token did not decode). */
  signIn: 'app-only' | 'delegated' | 'unknown';
  checks: WriteCheck[];
}
