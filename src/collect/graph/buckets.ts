import type { Bucket } from '../../domain/graph-run.js';
import { parseGraphUrl, type GraphUrlParts } from './graph-url.js';

export { BUCKETS } from '../../domain/graph-run.js';
export type { Bucket } from '../../domain/graph-run.js';

export interface BucketCost {
  bucket: Bucket;
  /** Resource units for `directory`; 1 (one request) for the request-counting buckets. */
  cost: number;
}

/**
 * Which bucket a request counts against, and what it costs there (https://learn.microsoft.com/graph/throttling-limits):
 * - `reports`: identity-and-access reports: auditLogs (directoryAudits, signIns), /reports/…
 *   (userRegistrationDetails is not named on the page, UNCONFIRMED, treated as a report) and the
 *   `authenticationMethod` resource, i.e. /users/{id}/authentication/…; 5 requests / 10 s.
 * - `signInActivity`: List users with `signInActivity` selected or filtered; 10 / minute.
 * - `conditionalAccess`: CA policies, named locations, identity protection; 1 / s, no Retry-After.
 * - `directory`: everything else (users, groups, domains, policies…), a resource-unit token bucket.
 */
export function bucketFor(method: string, url: string): BucketCost {
  const parts = parseGraphUrl(url);
  const bucket = classify(parts);
  return { bucket, cost: bucket === 'directory' ? directoryCost(method, parts) : 1 };
}

function classify(parts: GraphUrlParts): Bucket {
  const [a, b, c] = parts.lower;
  if (a === 'auditlogs' || a === 'reports') return 'reports';
  if (a === 'users' && c === 'authentication') return 'reports';
  if (a === 'me' && b === 'authentication') return 'reports';
  if (a === 'users' && mentionsSignInActivity(parts.query)) return 'signInActivity';
  if (a === 'identity' && b === 'conditionalaccess') return 'conditionalAccess';
  if (a === 'identityprotection' || a === 'riskdetections' || a === 'riskyusers') return 'conditionalAccess';
  return 'directory';
}

function mentionsSignInActivity(query: URLSearchParams): boolean {
  for (const key of ['$select', '$filter', '$orderby']) {
    if ((query.get(key) ?? '').toLowerCase().includes('signinactivity')) return true;
  }
  return false;
}

/**
 * Resource units of a directory request (https://learn.microsoft.com/graph/throttling-limits): GET users 2, groups/{id}/members 3,
 * groups/{id}/transitiveMembers 5, getByIds 5, isMemberOf 4, other GETs 1, writes 1; then
 * `$select` −1, `$expand` +1, `$top` < 20 −1, never below 1.
 */
export function directoryCost(method: string, parts: GraphUrlParts): number {
  const last = parts.lower[parts.lower.length - 1];
  // getByIds is a POST that reads; https://learn.microsoft.com/graph/throttling-limits prices it at 5 whatever the method.
  const lookup = last === 'getbyids' || last === 'getobjectsbyid';
  let cost = lookup ? 5 : method.toUpperCase() === 'GET' ? baseGetCost(parts.lower) : 1;
  if (parts.query.has('$select')) cost -= 1;
  if (parts.query.has('$expand')) cost += 1;
  const top = Number(parts.query.get('$top'));
  if (parts.query.has('$top') && Number.isFinite(top) && top < 20) cost -= 1;
  return Math.max(1, cost);
}

function baseGetCost(lower: string[]): number {
  const [a, , c] = lower;
  const last = lower[lower.length - 1];
  if (last === 'ismemberof') return 4;
  if (a === 'users' && lower.length <= 2) return 2;
  if (a === 'groups' && c === 'members') return 3;
  if (a === 'groups' && c === 'transitivemembers') return 5;
  return 1;
}
