import type { RolloutBoardPayload } from '../../server/board-payloads.js';
import type { Backend } from '../backend.js';
import { number, percent } from '../labels.js';
import { routeHref } from '../route.js';
import { useLoad } from '../use-load.js';

export function RolloutBoard({ backend }: { backend: Backend }) {
  const loaded = useLoad(() => backend.rollouts(), 'rollouts');
  if (loaded.state === 'loading') return <p className="muted">Loading…</p>;
  if (loaded.state === 'failed') return <p className="error">{loaded.error.message}</p>;
  if (loaded.value.length === 0)
    return (
      <section>
        <h1>Rollout</h1>
        <p className="muted">
          No rollout is planned in this history. Plan one with mfa-ready rollout plan --name NAME
          --enforce-group G --bypass-group B (docs/rollout.md).
        </p>
      </section>
    );
  return (
    <section>
      <h1>Rollout</h1>
      {loaded.value.map((b) => (
        <Board key={b.name} b={b} />
      ))}
    </section>
  );
}

function Board({ b }: { b: RolloutBoardPayload }) {
  return (
    <article className="card board" data-testid="rollout" data-rollout={b.name}>
      <h2>
        {b.name}{' '}
        <span className="muted">
          (version {b.version}, {b.state})
        </span>
      </h2>
      <p className="muted">
        Enforcement group {b.enforceGroup}; bypass group {b.bypassGroup}; waves of {b.waveSize} every{' '}
        {b.everyDays} days; a wave advances when {percent(b.readyThreshold)} of its users are ready.
      </p>
      <table className="grid" data-testid="waves">
        <thead>
          <tr>
            <th>Wave</th>
            <th>Date</th>
            <th>State</th>
            <th className="num">Users</th>
            <th className="num">Ready</th>
            <th className="num">% ready</th>
            <th className="num">Enforced</th>
            <th className="num">In bypass</th>
          </tr>
        </thead>
        <tbody>
          {b.waves.map((w) => (
            <tr key={w.number} data-wave={w.number} data-state={w.state}>
              <td>{w.number}</td>
              <td>{w.date}</td>
              <td>{w.number === b.next.advancing ? 'advances today' : w.state}</td>
              <td className="num">{number(w.inScope)}</td>
              <td className="num">{number(w.ready)}</td>
              <td className="num">{percent(w.readyShare)}</td>
              <td className="num">{number(w.enforced)}</td>
              <td className="num">{number(w.bypassed)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Today</h3>
      {b.next.hold !== null && (
        <p className="hold" data-testid="hold">
          {b.next.hold}
        </p>
      )}
      {b.next.blockers.length > 0 && (
        <>
          <p>
            Who blocks it ({number(b.next.blockersTotal)}
            {b.next.blockersTotal > b.next.blockers.length
              ? `, the first ${b.next.blockers.length} shown`
              : ''}
            ):
          </p>
          <ul data-testid="blockers">
            {b.next.blockers.map((t, i) => (
              <li key={i}>{t}</li>
            ))}
          </ul>
        </>
      )}
      {b.next.notices.length > 0 && (
        <ul className="muted" data-testid="notices">
          {b.next.notices.map((t, i) => (
            <li key={i}>{t}</li>
          ))}
        </ul>
      )}
      <p>
        The change set as <code>mfa-ready rollout next {b.name} --apply</code> would make it:{' '}
        {b.next.changesTotal === 0 ? 'nothing to change.' : `${number(b.next.changesTotal)} changes.`}
      </p>
      {b.next.changes.length > 0 && (
        <table className="grid" data-testid="changes-next">
          <tbody>
            {b.next.changes.map((c, i) => (
              <tr key={i} data-op={c.op}>
                <td>{c.line}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Bypass group</h3>
      {b.bypass.length === 0 ? (
        <p className="muted">Nobody of this plan is in the bypass group.</p>
      ) : (
        <table className="grid" data-testid="bypass">
          <thead>
            <tr>
              <th>User</th>
              <th>Wave</th>
              <th>Since</th>
              <th className="num">Days</th>
              <th>Verdict</th>
            </tr>
          </thead>
          <tbody>
            {b.bypass.map((u) => (
              <tr key={u.userId} className={u.overstayed ? 'overstayed' : ''}>
                <td>
                  <a href={routeHref('user', [u.userId])}>{u.upn}</a>
                </td>
                <td>{u.wave}</td>
                <td>{u.since ?? ''}</td>
                <td className="num">
                  {u.days ?? ''}
                  {u.overstayed ? ` (over ${b.maxBypassDays})` : ''}
                </td>
                <td>{u.verdict}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
