import type { Verdict } from '../domain/verdict.js';

/** The colours of the verdicts, worst in red: the same order the CLI's table uses. */
export const VERDICT_COLOURS: Record<Verdict, string> = {
  looping: '#b91c1c',
  'loop-risk': '#dc2626',
  unverified: '#ea580c',
  'policy-blocked': '#d97706',
  'not-registered': '#ca8a04',
  unknown: '#6b7280',
  ready: '#15803d',
  excluded: '#9ca3af',
};

export const percent = (share: number | null): string =>
  share === null ? '—' : `${(Math.round(share * 1000) / 10).toFixed(1)} %`;

export const number = (n: number): string => n.toLocaleString('en-US');
