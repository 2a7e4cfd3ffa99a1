import type { MethodKind } from '../domain/tenant.js';
import type { Evidence, MethodState, UserAssessment, Verdict } from '../domain/verdict.js';
import { VERDICT_SEVERITY } from '../domain/verdict.js';

/*
 * What changed for each user between two assessments of the same tenant (two stored runs, or a stored
 * run and a fresh audit): verdict, confidence, method states, and the evidence behind the change.
 * Pure: the callers read the runs; the renderers (diff-render.ts) word it.
 */

/**
 * How bad a change is, worst first: the order `diff` lists them in.
 * - `lost-ready`: was ready, now needs action (a user enforcement would now stop).
 * - `worse`: needed action, now a worse verdict; any move into or out of `unknown` towards a
 *   non-ready verdict counts here (evidence lost, or a user now known not to be ready).
 * - `new`: in the later run only.
 * - `improved`: now ready, or a less severe verdict.
 * - `scope`: into or out of `excluded` (disabled, guest, excluded on purpose).
 * - `gone`: in the earlier run only.
 * - `detail`: same verdict; confidence or method states changed.
 */
export const CHANGE_KINDS = ['lost-ready', 'worse', 'new', 'improved', 'scope', 'gone', 'detail'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** A method whose state changed, appeared or disappeared (null: not listed in that run). */
export interface MethodChange {
  id: string;
  type: MethodKind;
  before: MethodState | null;
  after: MethodState | null;
}

export interface UserChange {
  kind: ChangeKind;
  id: string;
  userPrincipalName: string;
  displayName: string;
  /** null: not in that run (new / gone). */
  before: Pick<UserAssessment, 'verdict' | 'confidence'> | null;
  after: Pick<UserAssessment, 'verdict' | 'confidence'> | null;
  methods: MethodChange[];
  /** Evidence in the later assessment that the earlier did not have (by code, ref and time): the why. */
  appeared: Evidence[];
  /** Evidence the earlier assessment had and the later does not. */
  disappeared: Evidence[];
}

export interface VerdictDiff {
  /** Worst news first (CHANGE_KINDS), then the later verdict worst first, then UPN. */
  changes: UserChange[];
  /** Users per verdict transition (`before → after`, `new → v`, `v → gone`), most first. */
  transitions: { from: Verdict | 'new'; to: Verdict | 'gone'; users: number }[];
  /** Users in both assessments with nothing changed. */
  unchanged: number;
}

/**
 * Evidence is the same finding when its code, its ref and its time are. Except the registration
 * report's findings: their time is the report's refresh time (`lastUpdatedDateTime`, which moves with
 * every refresh whether or not anything changed for the user:
 * https://learn.microsoft.com/graph/api/resources/userregistrationdetails), so code and ref say it.
 */
export const evidenceKey = (e: Pick<Evidence, 'code' | 'ref' | 'at' | 'source'>): string =>
  e.source === 'registration' ? `${e.code}\u0000${e.ref}` : `${e.code}\u0000${e.ref}\u0000${e.at ?? ''}`;

/** Severity among the verdicts that need action: higher is worse (looping highest). */
const RANK = new Map<Verdict, number>(VERDICT_SEVERITY.map((v, i) => [v, VERDICT_SEVERITY.length - i]));

function kindOf(before: Verdict, after: Verdict): ChangeKind {
  if (before === after) return 'detail';
  if (before === 'excluded' || after === 'excluded') return 'scope';
  if (before === 'ready') return 'lost-ready';
  if (after === 'ready') return 'improved';
  // Into `unknown` is evidence lost; out of it to a non-ready verdict is a user now known not ready:
  // neither is good news, whatever the severity list says.
  if (before === 'unknown' || after === 'unknown') return 'worse';
  return RANK.get(after)! > RANK.get(before)! ? 'worse' : 'improved';
}

function methodChanges(a: UserAssessment, b: UserAssessment): MethodChange[] {
  const before = new Map(a.methods.map((m) => [m.id, m]));
  const after = new Map(b.methods.map((m) => [m.id, m]));
  const out: MethodChange[] = [];
  for (const m of b.methods) {
    const old = before.get(m.id);
    if (old === undefined || old.state !== m.state)
      out.push({ id: m.id, type: m.type, before: old?.state ?? null, after: m.state });
  }
  for (const m of a.methods)
    if (!after.has(m.id)) out.push({ id: m.id, type: m.type, before: m.state, after: null });
  return out;
}

function evidenceMinus(x: readonly Evidence[], y: readonly Evidence[]): Evidence[] {
  const seen = new Set(y.map(evidenceKey));
  return x.filter((e) => !seen.has(evidenceKey(e)));
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a === b ? 0 : 1);

const severity = (v: Verdict | undefined) =>
  v === undefined ? VERDICT_SEVERITY.length : VERDICT_SEVERITY.indexOf(v);

function compareChanges(x: UserChange, y: UserChange): number {
  const byKind = CHANGE_KINDS.indexOf(x.kind) - CHANGE_KINDS.indexOf(y.kind);
  if (byKind !== 0) return byKind;
  const byVerdict = severity((x.after ?? x.before)?.verdict) - severity((y.after ?? y.before)?.verdict);
  if (byVerdict !== 0) return byVerdict;
  return compareText(x.userPrincipalName.toLowerCase(), y.userPrincipalName.toLowerCase());
}

export interface DiffOptions {
  /** Leave out users in the earlier assessment only (a fresh audit of part of the tenant). */
  gone?: (id: string) => boolean;
}

/** The changes from `before` to `after`, both keyed by user id. */
export function diffVerdicts(
  before: ReadonlyMap<string, UserAssessment>,
  after: ReadonlyMap<string, UserAssessment>,
  options: DiffOptions = {},
): VerdictDiff {
  const changes: UserChange[] = [];
  let unchanged = 0;
  for (const [id, b] of after) {
    const a = before.get(id);
    if (a === undefined) {
      changes.push({
        kind: 'new',
        id,
        userPrincipalName: b.userPrincipalName,
        displayName: b.displayName,
        before: null,
        after: { verdict: b.verdict, confidence: b.confidence },
        methods: [],
        appeared: b.evidence,
        disappeared: [],
      });
      continue;
    }
    const methods = methodChanges(a, b);
    if (a.verdict === b.verdict && a.confidence === b.confidence && methods.length === 0) {
      unchanged++;
      continue;
    }
    changes.push({
      kind: kindOf(a.verdict, b.verdict),
      id,
      userPrincipalName: b.userPrincipalName,
      displayName: b.displayName,
      before: { verdict: a.verdict, confidence: a.confidence },
      after: { verdict: b.verdict, confidence: b.confidence },
      methods,
      appeared: evidenceMinus(b.evidence, a.evidence),
      disappeared: evidenceMinus(a.evidence, b.evidence),
    });
  }
  for (const [id, a] of before) {
    if (after.has(id) || (options.gone !== undefined && !options.gone(id))) continue;
    changes.push({
      kind: 'gone',
      id,
      userPrincipalName: a.userPrincipalName,
      displayName: a.displayName,
      before: { verdict: a.verdict, confidence: a.confidence },
      after: null,
      methods: [],
      appeared: [],
      disappeared: [],
    });
  }
  changes.sort(compareChanges);

  const counts = new Map<
    string,
    { from: Verdict | 'new'; to: Verdict | 'gone'; users: number; first: number }
  >();
  changes.forEach((c, i) => {
    const from = c.before?.verdict ?? 'new';
    const to = c.after?.verdict ?? 'gone';
    if (from === to) return;
    const key = `${from}\u0000${to}`;
    const t = counts.get(key);
    if (t === undefined) counts.set(key, { from, to, users: 1, first: i });
    else t.users++;
  });
  // Most users first; ties in the order of the worst news.
  const transitions = [...counts.values()]
    .sort((x, y) => y.users - x.users || x.first - y.first)
    .map(({ from, to, users }) => ({ from, to, users }));
  return { changes, transitions, unchanged };
}

/** Only the users whose verdict changed (or who are new or gone): what `audit --changed` lists. */
export function verdictChangesOnly(diff: VerdictDiff): VerdictDiff {
  return { ...diff, changes: diff.changes.filter((c) => c.kind !== 'detail') };
}
