import { useMemo } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { VERDICTS } from '../../domain/verdict.js';
import type { HistoryRow } from '../../report/history.js';
import type { Backend } from '../backend.js';
import { ChartView } from '../components/chart.js';
import { number, percent, VERDICT_COLOURS } from '../labels.js';
import { useLoad } from '../use-load.js';

export function Trend({ backend }: { backend: Backend }) {
  const loaded = useLoad(() => backend.trend(), 'trend');
  if (loaded.state === 'loading') return <p className="muted">Loading…</p>;
  if (loaded.state === 'failed') return <p className="error">{loaded.error.message}</p>;
  return <TrendView rows={loaded.value.rows} />;
}

function TrendView({ rows }: { rows: HistoryRow[] }) {
  const assessed = rows.filter((r) => r.figures !== null);
  const share = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels: assessed.map((r) => r.at.slice(0, 10)),
        datasets: [
          {
            label: '% ready',
            data: assessed.map((r) => (r.figures!.readyShare === null ? null : r.figures!.readyShare * 100)),
            borderColor: VERDICT_COLOURS.ready,
          },
        ],
      },
      options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } },
    }),
    [rows],
  );
  const counts = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: assessed.map((r) => r.at.slice(0, 10)),
        datasets: VERDICTS.filter((v) => v !== 'excluded').map((v) => ({
          label: v,
          data: assessed.map((r) => r.figures!.counts[v]),
          backgroundColor: VERDICT_COLOURS[v],
        })),
      },
      options: { maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true } } },
    }),
    [rows],
  );
  if (rows.length === 0)
    return (
      <section>
        <h1>Trend</h1>
        <p className="muted">
          One snapshot only (an export folder): the trend needs the history. Collect into it (mfa-ready
          collect) day after day.
        </p>
      </section>
    );
  return (
    <section>
      <h1>Trend</h1>
      <div className="chart-pair">
        <ChartView config={share} label="Percent ready over snapshots" />
        <ChartView config={counts} label="Users per verdict over snapshots" />
      </div>
      <table className="grid" data-testid="trend">
        <thead>
          <tr>
            <th>Run</th>
            <th>Collected</th>
            <th className="num">% ready</th>
            <th className="num">Enabled members</th>
            <th className="num">Ready</th>
            <th className="num">Not ready</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.runId}>
              <td>{r.runId}</td>
              <td>{r.at}</td>
              <td className="num">{r.figures === null ? 'not assessed' : percent(r.figures.readyShare)}</td>
              <td className="num">{r.figures === null ? '' : number(r.figures.funnel.enabledMembers)}</td>
              <td className="num">{r.figures === null ? '' : number(r.figures.counts.ready)}</td>
              <td className="num">
                {r.figures === null ? '' : number(r.figures.funnel.enabledMembers - r.figures.counts.ready)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
