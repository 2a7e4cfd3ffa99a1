import { useMemo } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { VERDICTS } from '../../domain/verdict.js';
import type { HistoryRow } from '../../report/history.js';
import type { RolloutBoardPayload } from '../../server/board-payloads.js';
import type { Backend } from '../backend.js';
import { ChartView } from '../components/chart.js';
import { number, percent, VERDICT_COLOURS } from '../labels.js';
import { useLoad } from '../use-load.js';

export function Trend({ backend }: { backend: Backend }) {
  const loaded = useLoad(
    async () => ({ ...(await backend.trend()), rollouts: await backend.rollouts() }),
    'trend',
  );
  if (loaded.state === 'loading') return <p className="muted">Loading…</p>;
  if (loaded.state === 'failed') return <p className="error">{loaded.error.message}</p>;
  return <TrendView rows={loaded.value.rows} waves={wavesByRun(loaded.value.rows, loaded.value.rollouts)} />;
}

/**
 * The rollout waves that fell due between a run and the one before it (up to the run's date), by run
 * id: the marks on the trend's time axis, so a jump in % ready can be read against the wave behind it.
 */
function wavesByRun(
  rows: readonly HistoryRow[],
  rollouts: readonly RolloutBoardPayload[],
): Map<number, string[]> {
  const out = new Map<number, string[]>();
  let previous = '';
  for (const r of rows) {
    const day = r.at.slice(0, 10);
    const due = rollouts.flatMap((b) =>
      b.waves.filter((w) => w.date > previous && w.date <= day).map((w) => `${b.name} wave ${w.number}`),
    );
    if (due.length > 0) out.set(r.runId, due);
    previous = day;
  }
  return out;
}

function TrendView({ rows, waves }: { rows: HistoryRow[]; waves: Map<number, string[]> }) {
  const assessed = rows.filter((r) => r.figures !== null);
  const label = (r: HistoryRow) => {
    const w = waves.get(r.runId);
    return w === undefined ? r.at.slice(0, 10) : `${r.at.slice(0, 10)} ▲ ${w.join(', ')}`;
  };
  const share = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels: assessed.map(label),
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
        labels: assessed.map(label),
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
            <th>Rollout waves due</th>
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
              <td data-testid="waves-due">{(waves.get(r.runId) ?? []).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
