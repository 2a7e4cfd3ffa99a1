// The CollectBaseline a history database would hand over after storing an export folder as one run
// (the same construction as test/collect/live/refresh-support.ts baselineFromFolder): its users and
// report rows, the verdicts of its assessment, when each methods list was read (the run's time, for
// the users with a methods file), the report's full-read time, the policies' fingerprints. Plain JS
// over the compiled code, for bench/collect-child.js.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { assess } from '../dist/assess/index.js';
import { readExportFolder } from '../dist/load/read-export-folder.js';
import { REFRESH_OVERLAP_MS } from '../dist/collect/live/index.js';
import { policyFingerprint } from '../dist/domain/baseline.js';

async function readJson(file) {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export async function baselineFromFolder(dir, runId) {
  const snapshot = await readExportFolder(dir);
  const collectedAt = snapshot.tenant.collectedAt;
  const assessment = assess(snapshot, { now: new Date(collectedAt) });
  const verdicts = new Map(assessment.users.map((u) => [u.id.toLowerCase(), u.verdict]));
  const listed = new Set(
    (await readdir(path.join(dir, 'authenticationMethods')).catch(() => []))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length).toLowerCase()),
  );
  const users = new Map();
  const byKey = new Map();
  for (const user of snapshot.users ?? []) {
    const entry = { user, registration: null, verdict: null, methodsReadAt: null };
    users.set(user.id, entry);
    byKey.set(user.id.toLowerCase(), entry);
  }
  for (const row of snapshot.registration ?? []) {
    const known = byKey.get(row.id.toLowerCase());
    if (known !== undefined) known.registration = row;
    else users.set(row.id, { user: null, registration: row, verdict: null, methodsReadAt: null });
  }
  for (const [id, u] of users) {
    u.verdict = verdicts.get(id.toLowerCase()) ?? null;
    if (listed.has(id.toLowerCase())) u.methodsReadAt = collectedAt;
  }
  const t = snapshot.tenant;
  // The stored events of the overlap the refresh reads again (the store selects them by time).
  const from = Date.parse(collectedAt) - REFRESH_OVERLAP_MS;
  const overlapEventIds = new Set([
    ...(snapshot.audits ?? []).filter((e) => Date.parse(e.activityDateTime) >= from).map((e) => e.id),
    ...(snapshot.signIns ?? []).filter((e) => Date.parse(e.createdDateTime) >= from).map((e) => e.id),
  ]);
  const baseline = { runId, collectedAt, users, overlapEventIds };
  if (t.windows !== undefined) baseline.windows = t.windows;
  if (t.usersDeltaLink !== undefined) baseline.usersDeltaLink = t.usersDeltaLink;
  if (t.registrationReadAt !== undefined) baseline.registrationReadAt = t.registrationReadAt;
  const methodsPolicy = await readJson(path.join(dir, 'authenticationMethodsPolicy.json'));
  const securityDefaults = await readJson(path.join(dir, 'securityDefaults.json'));
  if (methodsPolicy !== undefined) baseline.methodsPolicy = policyFingerprint(methodsPolicy);
  if (securityDefaults !== undefined) baseline.securityDefaults = policyFingerprint(securityDefaults);
  return baseline;
}
