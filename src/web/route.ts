import { useEffect, useState } from 'react';

/**
 * The page and its filters live in the URL's fragment (`#/users?verdict=looping&q=smith`): a view can
 * be bookmarked and shared, works the same from a server and from a file:// report, and the browser's
 * back button walks the views.
 */
export interface Route {
  page: string;
  /** Path segments after the page: `#/user/<id>` → ['<id>']. */
  args: string[];
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const [page = '', ...args] = path.split('/').map((s) => decodeURIComponent(s));
  return {
    page: page === '' ? 'overview' : page,
    args,
    params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)),
  };
}

export function routeHref(page: string, args: string[] = [], params?: URLSearchParams): string {
  const path = [page, ...args.map(encodeURIComponent)].join('/');
  const qs = params?.toString() ?? '';
  return `#/${path}${qs === '' ? '' : `?${qs}`}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** Replaces the current view's parameters (a filter changed): one history entry per change. */
export function navigate(page: string, args: string[], params: URLSearchParams): void {
  window.location.hash = routeHref(page, args, params);
}
