/**
 * What a default collection would read from this emulator's tenant, for the banner's time estimate
 * (collection-estimate.ts). Counted where it is cheap, estimated where counting would hold the
 * banner for seconds:
 * - the registration report: its rows;
 * - the per-user methods lists: the open users of the report and the directory (src/plan/methods-reads.ts, the
 *   collector's own rule), without the sign-in and audit signals that add a few more;
 * - the audit and sign-in log rows: from a sample of users, scaled to the tenant.
 */
import { normaliseRegistration, normaliseUser } from '../load/schemas.js';
import type { CollectionVolume } from '../collect/live/collection-estimate.js';
import { fetchedByDefault, usersNeedingMethods } from '../plan/methods-reads.js';
import type { SyntheticTenant } from '../demo/generate-tenant.js';
import {
  AUTHENTICATOR_APP_ID,
  MY_SIGNINS_APP_ID,
  REGISTRATION_INTERRUPT_CODES,
} from '../domain/well-known.js';

/** Users whose events are counted to estimate the logs (a user's sign-ins take ~10 ms to generate). */
const SAMPLE_USERS = 40;
const DAY_MS = 86_400_000;

export function collectionVolume(
  tenant: SyntheticTenant,
  options: { signInDays: number; auditDays: number },
): CollectionVolume {
  const at = { file: 'emulator' };
  const users = tenant.users.map((u, index) => normaliseUser(u, { ...at, index }));
  const registration = tenant.registration.map((r, index) => normaliseRegistration(r, { ...at, index }));
  const needs = usersNeedingMethods({ users, registration, audits: [], signIns: [] });

  const now = Date.parse(tenant.options.collectedAt);
  const signInsSince = new Date(now - options.signInDays * DAY_MS).toISOString();
  const auditsSince = new Date(now - options.auditDays * DAY_MS).toISOString();
  const interrupts = new Set<number>(REGISTRATION_INTERRUPT_CODES);
  const apps = new Set([AUTHENTICATOR_APP_ID, MY_SIGNINS_APP_ID]);
  const step = Math.max(1, Math.floor(users.length / SAMPLE_USERS));
  let sampled = 0;
  let signIns = 0;
  let audits = 0;
  for (let i = 0; i < users.length; i += step) {
    const userId = users[i]?.id ?? '';
    sampled++;
    // What the collector's sign-in queries ask for (graph-queries.ts interactiveSignIns, nonInteractiveSignIns).
    for (const s of tenant.iterateSignIns({ userId, since: signInsSince })) {
      const asked = s.isInteractive
        ? s.authenticationRequirement === 'multiFactorAuthentication' ||
          interrupts.has(s.status.errorCode) ||
          apps.has(s.appId)
        : apps.has(s.appId);
      if (asked) signIns++;
    }
    for (const _ of tenant.iterateAudits({ userId, since: auditsSince })) audits++;
  }
  const scale = sampled === 0 ? 0 : users.length / sampled;
  return {
    registrationRows: registration.length,
    auditEvents: Math.round(audits * scale),
    signIns: Math.round(signIns * scale),
    methodsOpen: needs.filter(fetchedByDefault).length,
    methodsNeeded: needs.filter((n) => n.decidesReadiness).length,
  };
}
