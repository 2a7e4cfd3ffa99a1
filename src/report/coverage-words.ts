import type { Coverage, DatasetName } from '../domain/datasets.js';
import { DATASETS } from '../domain/datasets.js';
import { datasetWords } from './labels.js';

/**
 * The coverage lines of the table header: one per dataset that was not read, or read but empty, with
 * what that costs the verdicts. Each cost is worked out from what WAS read (the coverage rows), never
 * assumed: "the report alone" is only said when the report was read, "at best reported" only when no
 * sign-in could prove anything.
 */
export interface CoverageLine {
  dataset: DatasetName;
  /** `missing`: not collected. `empty`: collected, but it holds no record. */
  state: 'missing' | 'empty';
  cost: string;
}

/**
 * Datasets whose emptiness is itself a gap: a tenant always has users and report rows, and a
 * collection that read them has methods lists, audits and sign-ins of someone. A tenant without
 * Conditional Access policies or groups is ordinary, so those are judged by presence only.
 */
const EMPTY_IS_A_GAP: ReadonlySet<DatasetName> = new Set([
  'users',
  'registration',
  'methods',
  'audits',
  'signIns',
]);

type Read = (d: DatasetName) => boolean;

/** Costs that depend on what else was read; the others are the labels' fixed words. */
const DERIVED_COSTS: Partial<Record<DatasetName, (read: Read) => string>> = {
  users: (read) =>
    read('registration')
      ? datasetWords('users').cost
      : 'no user list was read, and no registration report either: nobody can be assessed',
  registration: (read) =>
    datasetWords('registration').cost +
    (read('methods')
      ? ''
      : '; with no methods lists either, a user without audit or sign-in evidence is "unknown"'),
  methods: (read) => {
    if (!read('registration')) {
      return 'nobody\'s list of methods was read, nor the registration report: a user without audit or sign-in evidence is "unknown"';
    }
    const rest = read('audits')
      ? 'method states rest on the registration report (which lags behind changes) and the audit log since'
      : datasetWords('methods').cost;
    return `${rest}; a user missing from the report, with no audit or sign-in evidence, is "unknown"`;
  },
  audits: (read) => {
    const unfinished = read('registration')
      ? 'half-finished Authenticator registrations are only guessed from the report (no default method)'
      : 'half-finished Authenticator registrations cannot be told from completed ones';
    const lists = read('registration') ? 'the report and methods list' : 'the methods list';
    const ready = read('signIns')
      ? `no ready verdict rests on a completed registration: it rests on an MFA sign-in where one was read, otherwise at best on ${lists} ("reported")`
      : 'with no sign-ins either, ready is at best "reported"';
    return `${unfinished}; ${ready}`;
  },
};

/** What the coverage says was not read (or read empty), in the canonical order, with its cost. */
export function coverageLines(coverage: Coverage): CoverageLine[] {
  const read: Read = (d) => coverage[d].present && (coverage[d].rows > 0 || !EMPTY_IS_A_GAP.has(d));
  const lines: CoverageLine[] = [];
  for (const d of DATASETS) {
    if (read(d)) continue;
    const derived = DERIVED_COSTS[d];
    lines.push({
      dataset: d,
      state: coverage[d].present ? 'empty' : 'missing',
      cost: derived === undefined ? datasetWords(d).cost : derived(read),
    });
  }
  return lines;
}
