import { beforeAll, describe, expect, it } from 'vitest';
import { assess, EVIDENCE_RULES } from '../../src/assess/index.js';
import type { TenantSnapshot } from '../../src/domain/tenant.js';
import { load } from '../../src/load/index.js';
import { tellingEvidence } from '../../src/report/messages.js';
import type { DashboardData } from '../../src/server/dashboard-data.js';
import { embedDashboard, fromEmbedded, type EmbeddedDashboard } from '../../src/server/embedded-dashboard.js';

let data: DashboardData;
let snapshot: TenantSnapshot;

beforeAll(async () => {
  snapshot = await load({ kind: 'folder', dir: 'demo/tenant' }, 'assess', { rules: EVIDENCE_RULES });
  const assessment = assess(snapshot, { now: new Date(snapshot.tenant.collectedAt ?? 0) });
  data = {
    assessment,
    source: { kind: 'folder', where: 'demo/tenant' },
    groups: (snapshot.groups ?? [])
      .filter((g) => g.memberIds !== undefined)
      .map((g) => ({ id: g.id, displayName: g.displayName ?? null, memberIds: g.memberIds ?? [] })),
    history: [],
    changes: null,
    rollouts: [],
    impacts: [],
    userHistory: () => null,
  };
});

/** What the page gets: the embedded data through JSON, as the file carries it. */
const roundTrip = (e: EmbeddedDashboard) => fromEmbedded(JSON.parse(JSON.stringify(e)) as EmbeddedDashboard);

describe('the data an HTML report embeds', () => {
  it('gives every user back their verdict, methods, action and covering policies', () => {
    const back = roundTrip(embedDashboard(data, { maxEvidence: { ready: 1, other: 8 }, maxChanges: 200 }));
    expect(back.assessment.users.length).toBe(data.assessment.users.length);
    data.assessment.users.forEach((u, i) => {
      const b = back.assessment.users[i]!;
      expect([b.id, b.verdict, b.confidence, b.action]).toEqual([u.id, u.verdict, u.confidence, u.action]);
      expect(b.coveredBy).toEqual(u.coveredBy);
      expect(b.methods.map((m) => [m.type, m.state])).toEqual(u.methods.map((m) => [m.type, m.state]));
    });
    expect(data.assessment.users.some((u) => u.coveredBy !== undefined)).toBe(true);
  });

  it('keeps the finding that explains each verdict, and counts what it left out', () => {
    const e = embedDashboard(data, { maxEvidence: { ready: 1, other: 3 }, maxChanges: 200 });
    let leftOut = 0;
    data.assessment.users.forEach((u, i) => {
      const kept = e.assessment.users[i]!.evidence;
      const telling = tellingEvidence(u);
      if (telling !== undefined) expect(kept).toContainEqual(telling);
      expect(kept.length + (e.evidenceLeftOut[u.id] ?? 0)).toBe(u.evidence.length);
      leftOut += e.evidenceLeftOut[u.id] ?? 0;
    });
    expect(leftOut).toBeGreaterThan(0);
  });

  it('gives the groups their members back from indexes', () => {
    const back = roundTrip(embedDashboard(data, { maxEvidence: { ready: 1, other: 8 }, maxChanges: 200 }));
    const assessed = new Set(data.assessment.users.map((u) => u.id));
    for (const g of data.groups) {
      const b = back.groups.find((x) => x.id === g.id)!;
      expect([...b.memberIds].sort()).toEqual(g.memberIds.filter((id) => assessed.has(id)).sort());
    }
  });
});
