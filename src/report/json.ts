import { z } from 'zod';
import { DATASETS } from '../domain/datasets.js';
import type { DatasetName } from '../domain/datasets.js';
import type { Assessment, Evidence, UserAssessment } from '../domain/verdict.js';
import { ACTION_CODES, EVIDENCE_CODES, VERDICTS } from '../domain/verdict.js';
import { METHOD_KINDS } from './labels.js';
import { actionText } from './messages.js';

/*
 * The machine contract of `mfa-ready audit --format json`, as issue 2 states it. Consumers (scripts,
 * SIEM jobs, the dashboard) depend on the keys and their order, so the object is built key by key rather
 * than by spreading domain types, and optional values are `null` rather than absent: a consumer can
 * always write `.users[].exclusion` without checking for the key.
 */

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

const evidenceJsonSchema = z.object({
  code: z.enum(EVIDENCE_CODES),
  source: z.enum([...DATASETS, 'options']),
  ref: z.string(),
  at: z.string().nullable(),
  /** Added to the issue's contract: the values the finding rests on. `{}` when there are none. */
  fields: z.record(z.string(), fieldValue),
});

const userJsonSchema = z.object({
  id: z.string(),
  userPrincipalName: z.string(),
  displayName: z.string(),
  verdict: z.enum(VERDICTS),
  confidence: z.enum(['proven', 'registered', 'reported']).nullable(),
  weak: z.boolean(),
  isAdmin: z.boolean(),
  methods: z.array(
    z.object({
      id: z.string(),
      type: z.enum(METHOD_KINDS),
      state: z.enum(['usable', 'unverified', 'policy-blocked', 'not-mfa', 'unknown']),
    }),
  ),
  evidence: z.array(evidenceJsonSchema),
  action: z.object({ code: z.enum(ACTION_CODES), text: z.string() }),
  /** Added to the issue's contract: why an `excluded` user is excluded; `null` otherwise. */
  exclusion: z.enum(['disabled', 'guest', 'excluded-user', 'excluded-group']).nullable(),
});

const datasetCoverageSchema = z.object({
  present: z.boolean(),
  rows: z.number().int().nonnegative(),
  /** Sign-ins and audits: the oldest and newest time read. */
  oldest: z.string().optional(),
  newest: z.string().optional(),
  /** Present (true) only when the collection stopped before this dataset was read in full. */
  incomplete: z.literal(true).optional(),
});

const coverageShape = Object.fromEntries(DATASETS.map((d) => [d, datasetCoverageSchema])) as Record<
  DatasetName,
  typeof datasetCoverageSchema
>;

const summaryShape = Object.fromEntries(VERDICTS.map((v) => [v, z.number().int().nonnegative()])) as Record<
  (typeof VERDICTS)[number],
  z.ZodNumber
>;

/**
 * The JSON contract as a zod schema, for tests and for consumers that want to validate what they read.
 * Objects are not strict: new keys may be added in a minor version; existing keys do not change.
 */
export const assessmentJsonSchema = z.object({
  generatedAt: z.string(),
  tenant: z.object({
    tenantId: z.string().nullable(),
    displayName: z.string().nullable(),
    collectedAt: z.string().nullable(),
    cloud: z.enum(['global', 'usgov', 'usgovdod', 'china']).nullable(),
    /** When each evidence window the collector read starts; absent for a folder from elsewhere. */
    windows: z
      .object({
        signIns: z.string().optional(),
        appSignIns: z.string().optional(),
        audits: z.string().optional(),
      })
      .optional(),
  }),
  coverage: z.object({ ...coverageShape, reportRefreshedAt: z.string().nullable() }),
  summary: z.object(summaryShape),
  users: z.array(userJsonSchema),
});

export type AssessmentJson = z.infer<typeof assessmentJsonSchema>;
type UserJson = AssessmentJson['users'][number];
type EvidenceJson = UserJson['evidence'][number];

function evidenceJson(e: Evidence): EvidenceJson {
  return { code: e.code, source: e.source, ref: e.ref, at: e.at, fields: e.fields ?? {} };
}

function userJson(u: UserAssessment): UserJson {
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    verdict: u.verdict,
    confidence: u.confidence,
    weak: u.weak,
    isAdmin: u.isAdmin,
    methods: u.methods.map((m) => ({ id: m.id, type: m.type, state: m.state })),
    evidence: u.evidence.map(evidenceJson),
    action: { code: u.action.code, text: actionText(u.action, u) },
    exclusion: u.exclusion ?? null,
  };
}

/** The assessment as the contract's plain object (key order included). */
export function toAssessmentJson(a: Assessment): AssessmentJson {
  const coverage = Object.fromEntries(
    DATASETS.map((d) => {
      const { present, rows, oldest, newest, incomplete } = a.coverage[d];
      return [
        d,
        {
          present,
          rows,
          ...(oldest !== undefined ? { oldest } : {}),
          ...(newest !== undefined ? { newest } : {}),
          ...(incomplete === true ? { incomplete } : {}),
        },
      ];
    }),
  ) as Record<DatasetName, AssessmentJson['coverage']['users']>;
  const summary = Object.fromEntries(VERDICTS.map((v) => [v, a.summary[v] ?? 0])) as Record<
    (typeof VERDICTS)[number],
    number
  >;
  return {
    generatedAt: a.generatedAt,
    tenant: {
      tenantId: a.tenant.tenantId ?? null,
      displayName: a.tenant.displayName ?? null,
      collectedAt: a.tenant.collectedAt ?? null,
      cloud: a.tenant.cloud ?? null,
      ...(a.tenant.windows !== undefined ? { windows: { ...a.tenant.windows } } : {}),
    },
    coverage: { ...coverage, reportRefreshedAt: a.coverage.reportRefreshedAt ?? null },
    summary,
    users: a.users.map(userJson),
  };
}

/**
 * JSON.stringify escapes C0 controls but leaves DEL, C1 controls and bidi overrides raw; escaping them
 * too keeps `cat report.json` safe in a terminal and changes no parsed value.
 */
const JSON_UNSAFE = new RegExp(
  '[\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069\\u2028\\u2029]',
  'g',
);

/** `mfa-ready audit --format json`: the stable machine contract, pretty-printed, newline-terminated. */
export function renderJson(a: Assessment): string {
  const text = JSON.stringify(toAssessmentJson(a), null, 2);
  return `${text.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
