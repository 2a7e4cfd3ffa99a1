import type { Backend } from './backend.js';
import { ImpactPage } from './pages/impact.js';
import { Overview } from './pages/overview.js';
import { RolloutBoard } from './pages/rollout.js';
import { Trend } from './pages/trend.js';
import { User } from './pages/user.js';
import { Users } from './pages/users.js';
import { routeHref, useRoute } from './route.js';

const PAGES: { page: string; label: string }[] = [
  { page: 'overview', label: 'Overview' },
  { page: 'trend', label: 'Trend' },
  { page: 'users', label: 'Users' },
  { page: 'rollout', label: 'Rollout' },
  { page: 'impact', label: 'Impact' },
];

export function App({ backend, title }: { backend: Backend; title: string }) {
  const route = useRoute();
  return (
    <>
      <header>
        <strong>mfa-ready</strong>
        <span className="muted">{title}</span>
        <nav>
          {PAGES.map((p) => (
            <a
              key={p.page}
              href={routeHref(p.page)}
              aria-current={route.page === p.page ? 'page' : undefined}
            >
              {p.label}
            </a>
          ))}
        </nav>
      </header>
      <main>
        {route.page === 'overview' && <Overview backend={backend} />}
        {route.page === 'trend' && <Trend backend={backend} />}
        {route.page === 'users' && <Users backend={backend} route={route} />}
        {route.page === 'user' && route.args[0] !== undefined && (
          <User backend={backend} id={route.args[0]} />
        )}
        {route.page === 'rollout' && <RolloutBoard backend={backend} />}
        {route.page === 'impact' && <ImpactPage backend={backend} route={route} />}
        {!['overview', 'trend', 'users', 'user', 'rollout', 'impact'].includes(route.page) && (
          <p>
            No such page. <a href={routeHref('overview')}>Overview</a>
          </p>
        )}
      </main>
    </>
  );
}
