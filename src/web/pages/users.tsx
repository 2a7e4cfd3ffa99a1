import { useEffect, useMemo, useState } from 'react';
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table';
import { VERDICTS } from '../../domain/verdict.js';
import { USER_FLAGS, type SortKey, type UserRow } from '../../server/users-query.js';
import type { Backend } from '../backend.js';
import { number, VERDICT_COLOURS } from '../labels.js';
import { navigate, routeHref, type Route } from '../route.js';
import { useLoad } from '../use-load.js';

const PAGE = 100;
const CONFIDENCES = ['proven', 'registered', 'reported', 'none'];

/** Columns the table sorts by, and the API's sort key for each. */
const SORTABLE: Record<string, SortKey> = {
  userPrincipalName: 'upn',
  displayName: 'name',
  verdict: 'severity',
  confidence: 'confidence',
};

const COLUMNS: ColumnDef<UserRow>[] = [
  {
    // Accessors make the columns sortable (TanStack sorts only columns that have one); the order itself
    // is the server's (manualSorting), by the API's sort keys.
    id: 'userPrincipalName',
    accessorKey: 'userPrincipalName',
    header: 'User',
    cell: ({ row }) => <a href={routeHref('user', [row.original.id])}>{row.original.userPrincipalName}</a>,
  },
  {
    id: 'displayName',
    accessorKey: 'displayName',
    header: 'Name',
    cell: ({ row }) => row.original.displayName,
  },
  {
    id: 'verdict',
    accessorKey: 'verdict',
    header: 'Verdict',
    cell: ({ row }) => (
      <span>
        <span className="dot" style={{ background: VERDICT_COLOURS[row.original.verdict] }} />
        {row.original.verdict}
      </span>
    ),
  },
  {
    id: 'confidence',
    accessorKey: 'confidence',
    header: 'Confidence',
    cell: ({ row }) => row.original.confidence ?? '',
  },
  {
    id: 'flags',
    header: 'Flags',
    enableSorting: false,
    cell: ({ row }) =>
      [
        row.original.isAdmin ? 'admin' : '',
        row.original.weak ? 'phone only' : '',
        row.original.serviceAccount ? 'service account' : '',
      ]
        .filter((f) => f !== '')
        .join(', '),
  },
  { id: 'action', header: 'Next action', enableSorting: false, cell: ({ row }) => row.original.action },
];

/** Toggles one value of a comma list parameter (verdict=looping,unverified). */
function toggled(params: URLSearchParams, name: string, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  const values = (params.get(name) ?? '').split(',').filter((v) => v !== '');
  const set = values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
  if (set.length === 0) next.delete(name);
  else next.set(name, set.join(','));
  next.delete('offset');
  return next;
}

function withParam(params: URLSearchParams, name: string, value: string | undefined): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value === undefined || value === '') next.delete(name);
  else next.set(name, value);
  if (name !== 'offset') next.delete('offset');
  return next;
}

/** A filter of checkboxes kept in one comma-list URL parameter. */
function CheckboxGroup(props: {
  legend: string;
  name: string;
  values: readonly string[];
  params: URLSearchParams;
  go: (next: URLSearchParams) => void;
}) {
  const selected = (props.params.get(props.name) ?? '').split(',');
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      {props.values.map((v) => (
        <label key={v}>
          <input
            type="checkbox"
            name={props.name}
            value={v}
            checked={selected.includes(v)}
            onChange={() => props.go(toggled(props.params, props.name, v))}
          />
          {v}
        </label>
      ))}
    </fieldset>
  );
}

export function Users({ backend, route }: { backend: Backend; route: Route }) {
  const params = route.params;
  const query = useMemo(() => {
    const q = new URLSearchParams(params);
    if (!q.has('limit')) q.set('limit', String(PAGE));
    return q;
  }, [params.toString()]);
  const page = useLoad(() => backend.users(query), query.toString());
  const groups = useLoad(() => backend.groups(), 'groups');
  const go = (next: URLSearchParams) => navigate('users', [], next);
  const [text, setText] = useState(params.get('q') ?? '');

  const sortKey = (params.get('sort') ?? 'severity') as SortKey;
  const sorting: SortingState = Object.entries(SORTABLE)
    .filter(([, key]) => key === sortKey)
    .map(([id]) => ({ id, desc: params.get('dir') === 'desc' }));
  const rows = page.state === 'done' ? page.value.rows : [];
  const table = useReactTable({
    data: rows,
    columns: COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    state: { sorting },
  });
  // A header click sorts by that column ascending, or reverses it when it is the current sort: the
  // order an admin expects, kept in the URL; the rows come back sorted by the server (manualSorting).
  const sortBy = (columnId: string) => {
    const key = SORTABLE[columnId];
    if (key === undefined) return;
    const reverse = key === sortKey && params.get('dir') !== 'desc';
    go(withParam(withParam(params, 'sort', key), 'dir', reverse ? 'desc' : undefined));
  };

  // Each rendered answer is marked, so a benchmark can time a filter or a sort from the click.
  useEffect(() => {
    if (page.state === 'done') performance.mark('mfa-ready:users');
  }, [page]);

  const offset = Number(params.get('offset') ?? '0') || 0;
  const total = page.state === 'done' ? page.value.total : undefined;
  const [csv, setCsv] = useState<string | undefined>();

  return (
    <section>
      <h1>Users</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          go(withParam(params, 'q', text.trim()));
        }}
      >
        <CheckboxGroup legend="Verdict" name="verdict" values={VERDICTS} params={params} go={go} />
        <CheckboxGroup legend="Confidence" name="confidence" values={CONFIDENCES} params={params} go={go} />
        <CheckboxGroup legend="Flags" name="flag" values={USER_FLAGS} params={params} go={go} />
        <fieldset>
          <legend>Group</legend>
          <select
            name="group"
            value={params.get('group') ?? ''}
            onChange={(e) => go(withParam(params, 'group', e.currentTarget.value))}
          >
            <option value="">All users</option>
            {groups.state === 'done' &&
              groups.value.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.displayName ?? g.id} ({number(g.members)})
                </option>
              ))}
          </select>
        </fieldset>
        <fieldset>
          <legend>Text</legend>
          <input
            type="search"
            name="q"
            placeholder="UPN or name"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit">Search</button>
        </fieldset>
      </form>
      <div className="toolbar">
        <span data-testid="users-total">{total === undefined ? '…' : `${number(total)} users`}</span>
        <button
          type="button"
          onClick={() => {
            const q = new URLSearchParams(params);
            q.delete('offset');
            q.delete('limit');
            void backend.csvHref(q).then((href) => {
              setCsv(href);
              const a = document.createElement('a');
              a.href = href;
              a.download = 'mfa-ready-users.csv';
              a.click();
            });
          }}
        >
          Export this view as CSV
        </button>
        {csv !== undefined && (
          <a className="muted" href={csv} download="mfa-ready-users.csv">
            download again
          </a>
        )}
      </div>
      {page.state === 'failed' && <p className="error">{page.error.message}</p>}
      <table className="grid users" data-testid="users">
        <thead>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>
              {hg.headers.map((h) => {
                const sortable = SORTABLE[h.column.id] !== undefined;
                const dir = h.column.getIsSorted();
                return (
                  <th
                    key={h.id}
                    aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}
                  >
                    {sortable ? (
                      <button type="button" className="sort" onClick={() => sortBy(h.column.id)}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        {dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}
                      </button>
                    ) : (
                      flexRender(h.column.columnDef.header, h.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((r) => (
            <tr key={r.id} data-user={r.original.id} data-verdict={r.original.verdict}>
              {r.getVisibleCells().map((c) => (
                <td key={c.id}>{flexRender(c.column.columnDef.cell, c.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {total !== undefined && total > PAGE && (
        <nav className="pager">
          <button
            type="button"
            disabled={offset === 0}
            onClick={() => go(withParam(params, 'offset', String(Math.max(0, offset - PAGE))))}
          >
            Previous
          </button>
          <span>
            {number(offset + 1)}–{number(Math.min(total, offset + PAGE))} of {number(total)}
          </span>
          <button
            type="button"
            disabled={offset + PAGE >= total}
            onClick={() => go(withParam(params, 'offset', String(offset + PAGE)))}
          >
            Next
          </button>
        </nav>
      )}
    </section>
  );
}
