import { useEffect, useMemo } from 'react';
import type { ChartConfiguration } from 'chart.js';
import type { Backend } from '../backend.js';
import { ChartView } from '../components/chart.js';
import { number, percent, VERDICT_COLOURS } from '../labels.js';
import { routeHref } from '../route.js';
import { useLoad } from '../use-load.js';
import type { OverviewPayload } from '../../server/payloads.js';

const FUNNEL_STEPS: { key: keyof OverviewPayload['funnel']; label: string }[] = [
  { key: 'enabledMembers', label: 'Enabled members in scope' },
  { key: 'anyStrongMethod', label: 'Any strong method' },
  { key: 'usable', label: 'Usable' },
  { key: 'proven', label: 'Proven by use' },
];

export function Overview({ backend }: { backend: Backend }) {
  const loaded = useLoad(() => backend.overview(), 'overview');
  if (loaded.state === 'loading') return <p className="muted">Loading…</p>;
  if (loaded.state === 'failed') return <p className="error">{loaded.error.message}</p>;
  return <OverviewView o={loaded.value} />;
}

function OverviewView({ o }: { o: OverviewPayload }) {
  const funnel = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: FUNNEL_STEPS.map((s) => s.label),
        datasets: [
          {
            label: 'users',
            data: FUNNEL_STEPS.map((s) => o.funnel[s.key]),
            backgroundColor: ['#1d4ed8', '#2563eb', '#3b82f6', '#15803d'],
          },
        ],
      },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, maintainAspectRatio: false },
    }),
    [o],
  );
  const p = o.population;
  // For the benchmark's time to interactive (bench/dashboard.ts reads it through playwright).
  useEffect(() => {
    performance.mark('mfa-ready:overview');
  }, []);
  return (
    <section>
      <h1>Overview</h1>
      <p className="muted" data-testid="population">
        {number(p.users)} users assessed at {o.generatedAt}
        {p.collectedAt !== null ? `, evidence collected ${p.collectedAt}` : ''}
        {p.scopeGroups.length > 0
          ? `; in scope: ${p.scopeGroups.map((g) => g.displayName ?? g.id).join(', ')}`
          : ''}
        {p.staleData ? ' — the evidence is old: collect again' : ''}
      </p>
      <div className="cards">
        <div className="card big">
          <div className="figure" data-testid="ready-share">
            {percent(o.readyShare)}
          </div>
          <div>ready of the enabled members in scope</div>
        </div>
        <div className="card wide">
          <h2>Readiness funnel</h2>
          <table className="funnel" data-testid="funnel">
            <tbody>
              {FUNNEL_STEPS.map((s) => (
                <tr key={s.key} data-step={s.key}>
                  <th scope="row">{s.label}</th>
                  <td className="num">{number(o.funnel[s.key])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ChartView config={funnel} label="Readiness funnel" />
        </div>
      </div>
      <h2>Verdicts</h2>
      <table className="grid" data-testid="verdicts">
        <thead>
          <tr>
            <th>Verdict</th>
            <th className="num">Users</th>
            <th>What it means</th>
          </tr>
        </thead>
        <tbody>
          {o.verdicts.map((v) => (
            <tr key={v.verdict} data-verdict={v.verdict}>
              <td>
                <span className="dot" style={{ background: VERDICT_COLOURS[v.verdict] }} />
                <a href={routeHref('users', [], new URLSearchParams({ verdict: v.verdict }))}>{v.label}</a>
              </td>
              <td className="num">{number(v.users)}</td>
              <td>{v.meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Changes o={o} />
    </section>
  );
}

function Changes({ o }: { o: OverviewPayload }) {
  if (o.changes === null)
    return (
      <>
        <h2>Since the previous snapshot</h2>
        <p className="muted">
          No earlier snapshot to compare with: collect again tomorrow to see what changed.
        </p>
      </>
    );
  const c = o.changes;
  return (
    <>
      <h2>Since the previous snapshot</h2>
      <p className="muted">
        {number(c.total)} users changed, {number(c.unchanged)} unchanged.
        {c.transitions.length > 0
          ? ` ${c.transitions.map((t) => `${t.from} → ${t.to}: ${number(t.users)}`).join('; ')}`
          : ''}
      </p>
      {c.users.length > 0 && (
        <table className="grid" data-testid="changes">
          <thead>
            <tr>
              <th>User</th>
              <th>Before</th>
              <th>After</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {c.users.map((u) => (
              <tr key={u.id} className={`change-${u.kind}`}>
                <td>
                  <a href={routeHref('user', [u.id])}>{u.userPrincipalName}</a>
                  <div className="muted">{u.displayName}</div>
                </td>
                <td>{u.before?.verdict ?? 'new'}</td>
                <td>{u.after?.verdict ?? 'gone'}</td>
                <td>{u.why.slice(0, 3).join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
