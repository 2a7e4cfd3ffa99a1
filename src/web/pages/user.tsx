import type { Backend } from '../backend.js';
import { VERDICT_COLOURS } from '../labels.js';
import { routeHref } from '../route.js';
import { useLoad } from '../use-load.js';
import type { UserDetailPayload } from '../../server/payloads.js';

/** Entra keeps sign-ins and audit logs 30 days: older findings are known only because the history kept them. */
const ENTRA_LOG_DAYS = 30;

export function User({ backend, id }: { backend: Backend; id: string }) {
  const loaded = useLoad(() => backend.user(id), `user:${id}`);
  if (loaded.state === 'loading') return <p className="muted">Loading…</p>;
  if (loaded.state === 'failed') return <p className="error">{loaded.error.message}</p>;
  if (loaded.value === null)
    return (
      <section>
        <h1>Not in this snapshot</h1>
        <p>
          No user with this id was assessed. <a href={routeHref('users')}>Back to the users</a>
        </p>
      </section>
    );
  return <UserView d={loaded.value} />;
}

function UserView({ d }: { d: UserDetailPayload }) {
  const u = d.user;
  return (
    <section>
      <p>
        <a href={routeHref('users')}>← Users</a>
      </p>
      <h1 data-testid="user-upn">{u.userPrincipalName}</h1>
      <p className="muted">{u.displayName}</p>
      <p>
        <span
          className="verdict"
          style={{ background: VERDICT_COLOURS[u.verdict] }}
          data-testid="user-verdict"
        >
          {d.words.verdict}
        </span>{' '}
        {u.confidence !== null && <span className="muted">confidence: {d.words.confidence}</span>}
        {u.isAdmin && <span className="tag">admin</span>}
        {u.weak && <span className="tag">phone only</span>}
      </p>
      <p>{d.words.reason}</p>
      <h2>Next action</h2>
      <p data-testid="user-action">{d.words.action}</p>
      <h2>Methods</h2>
      {u.methods.length === 0 ? (
        <p className="muted">No methods list was read for this user.</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>Method</th>
              <th>State</th>
              <th>Id</th>
            </tr>
          </thead>
          <tbody>
            {u.methods.map((m) => (
              <tr key={m.id}>
                <td>{m.type}</td>
                <td>{m.state}</td>
                <td className="mono">{m.id}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Evidence timeline</h2>
      <table className="grid" data-testid="timeline">
        <thead>
          <tr>
            <th>When</th>
            <th>Age</th>
            <th>Source</th>
            <th>Finding</th>
            <th>Id</th>
          </tr>
        </thead>
        <tbody>
          {d.timeline.map((t, i) => (
            <tr key={`${t.code}:${t.ref}:${t.at ?? ''}:${i}`} data-code={t.code}>
              <td className="mono">{t.at ?? ''}</td>
              <td className={t.ageDays !== null && t.ageDays > ENTRA_LOG_DAYS ? 'beyond' : ''}>
                {t.age}
                {t.ageDays !== null && t.ageDays > ENTRA_LOG_DAYS ? ' (beyond Entra’s 30 days)' : ''}
              </td>
              <td>{t.source}</td>
              <td>{t.text}</td>
              <td className="mono">{t.ref}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.leftOut !== undefined && d.leftOut > 0 && (
        <p className="muted" data-testid="left-out">
          {d.leftOut} more findings are left out of this report to keep it small; mfa-ready user{' '}
          {u.userPrincipalName} --history lists them all.
        </p>
      )}
      {d.storedEvents !== null && (
        <p className="muted">
          The history holds {d.storedEvents.audits} audit events and {d.storedEvents.signIns} sign-ins about
          this user
          {d.storedEvents.oldest !== null ? `, the oldest from ${d.storedEvents.oldest}` : ''}.
        </p>
      )}
      {d.runs.length > 0 && (
        <>
          <h2>Verdict history</h2>
          <table className="grid" data-testid="verdict-history">
            <thead>
              <tr>
                <th>Run</th>
                <th>Collected</th>
                <th>Verdict</th>
                <th>Confidence</th>
              </tr>
            </thead>
            <tbody>
              {d.runs.map((r) => (
                <tr key={r.runId}>
                  <td>{r.runId}</td>
                  <td>{r.at}</td>
                  <td>{r.status === 'assessed' ? r.verdict : r.status}</td>
                  <td>{r.confidence ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
