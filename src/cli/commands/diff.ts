import { UsageError } from '../../domain/errors.js';
import { renderDiffCsv, renderDiffJson, renderDiffTable, sideLabel } from '../../report/diff-render.js';
import { diffVerdicts } from '../../report/verdict-diff.js';
import { terminalWidth, wantsColor, writeFileAtomic, type Io } from '../output.js';
import { resolveRun, runSide, runVerdicts, withHistory } from './stored-runs.js';

export interface DiffFlags {
  db?: string;
  format: 'table' | 'json' | 'csv';
  out?: string;
  color: boolean;
  quiet?: boolean;
}

/**
 * `mfa-ready diff [A] [B]`: who changed verdict, confidence or method states from run A to run B,
 * and the evidence that appeared, worst news first. Default: the last two runs; A alone: A to the
 * latest. A and B are run ids or dates (the last run on or before the date).
 */
export async function diffCommand(
  a: string | undefined,
  b: string | undefined,
  flags: DiffFlags,
  io: Io,
): Promise<void> {
  const result = withHistory(flags.db, io.env, (store, runs) => {
    if (runs.length < 2)
      throw new UsageError(
        `the history database ${store.file} holds 1 complete run; diff compares two`,
        'Store another run first (mfa-ready collect, or mfa-ready import DIR), then run diff again.',
      );
    const to = b === undefined ? runs.at(-1)! : resolveRun(runs, b, 'diff B');
    const from = a === undefined ? runs.at(-2)! : resolveRun(runs, a, 'diff A');
    if (from.id === to.id)
      throw new UsageError(
        `diff A and B are the same run (${from.id})`,
        'Name two different runs: mfa-ready history lists them.',
      );
    const diff = diffVerdicts(runVerdicts(store, from, 'diff'), runVerdicts(store, to, 'diff'));
    return { diff, from: runSide(from), to: runSide(to) };
  });
  const { diff, from, to } = result;
  const toFile = flags.out !== undefined;
  const text =
    flags.format === 'json'
      ? renderDiffJson(diff, from, to)
      : flags.format === 'csv'
        ? renderDiffCsv(diff, from, to, { bom: toFile })
        : renderDiffTable(diff, from, to, {
            color: !toFile && wantsColor(io.stdout, io.env, flags.color),
            ...(toFile ? {} : widthOf(io)),
          });
  // Which runs were compared, for every format: on standard error, so the data stays clean.
  if (flags.format !== 'table' && flags.quiet !== true)
    io.stderr.write(`mfa-ready: compared ${sideLabel(from)} with ${sideLabel(to)}\n`);
  if (flags.out !== undefined) await writeFileAtomic(flags.out, text);
  else io.stdout.write(text);
}

function widthOf(io: Io): { width?: number } {
  const width = terminalWidth(io.stdout, io.env);
  return width === undefined ? {} : { width };
}
