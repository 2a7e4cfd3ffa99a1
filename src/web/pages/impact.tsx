import type { ImpactPayload } from '../../server/board-payloads.js';
import type { Backend } from '../backend.js';
import { number } from '../labels.js';
import { navigate, routeHref, type Route } from '../route.js';
import { useLoad } from '../use-load.js';

export function ImpactPage({ backend, route }: { backend: Backend; route: Route }) {
  const loaded = useLoad(() => backend.impacts(), 'impacts');
  if (loaded.state === 'loading') return <p className="muted">Loading…</p>;
  if (loaded.state === 'failed') return <p className="error">{loaded.error.message}</p>;
  const impacts = loaded.value;
  const key = route.params.get('policy') ?? impacts[0]?.key;
  const chosen = impacts.find((i) => i.key === key);
  return (
    <section>
      <h1>Impact</h1>
      {impacts.length === 0 ? (
        <p className="muted">No Conditional Access policy that asks for MFA was read.</p>
      ) : (
        <label>
          Policy:{' '}
          <select
            name="policy"
            value={chosen?.key ?? ''}
            onChange={(e) => navigate('impact', [], new URLSearchParams({ policy: e.currentTarget.value }))}
          >
            {impacts.map((i) => (
              <option key={i.key} value={i.key}>
                {i.title}
                {i.state !== null ? ` (${i.state})` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      {chosen === undefined && impacts.length > 0 && (
        <p className="error">No such policy in this snapshot.</p>
      )}
      {chosen !== undefined && <ImpactView i={chosen} />}
    </section>
  );
}

function ImpactView({ i }: { i: ImpactPayload }) {
  return (
    <div data-testid="impact">
      <p className="muted">Asks for {i.requirement}.</p>
      {i.notes.length > 0 && (
        <ul className="muted">
          {i.notes.map((n, k) => (
            <li key={k}>{n}</li>
          ))}
        </ul>
      )}
      <table className="grid" data-testid="impact-counts">
        <tbody>
          {i.counts.map((c) => (
            <tr key={c.bucket} data-bucket={c.bucket}>
              <th scope="row">{c.label}</th>
              <td className="num">{number(c.users)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {i.reportOnly !== null && (
        <p data-testid="report-only">
          In report-only sign-ins over {i.reportOnly.windowDays} days: would interrupt{' '}
          {number(i.reportOnly.users.reportOnlyInterrupted)} users, fail{' '}
          {number(i.reportOnly.users.reportOnlyFailure)}, pass {number(i.reportOnly.users.reportOnlySuccess)}
          {i.reportOnly.unreadable > 0 ? ` (${number(i.reportOnly.unreadable)} sign-ins unreadable)` : ''}.
        </p>
      )}
      <table className="grid" data-testid="impact-users">
        <thead>
          <tr>
            <th>User</th>
            <th>Outcome</th>
            <th>Verdict</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {i.users.map((u) => (
            <tr key={u.id} data-bucket={u.bucket}>
              <td>
                <a href={routeHref('user', [u.id])}>{u.userPrincipalName}</a>
              </td>
              <td>{i.counts.find((c) => c.bucket === u.bucket)?.label ?? u.bucket}</td>
              <td>{u.verdict}</td>
              <td>{u.why.join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {i.leftOut > 0 && (
        <p className="muted">
          {number(i.leftOut)} more users are not listed here; mfa-ready impact --policy lists them all.
        </p>
      )}
    </div>
  );
}
