import { z } from 'zod';
import { DATASETS } from '../domain/datasets.js';
import type { DatasetName } from '../domain/datasets.js';
import { evidenceSchema, methodKindSchema, methodStateSchema } from '../domain/evidence.js';
import type { Assessment, CoveringPolicy, Evidence, UserAssessment } from '../domain/verdict.js';
import { ACTION_CODES, EVIDENCE_CODES, SCHEMA_VERSION, VERDICTS } from '../domain/verdict.js';
import { actionText } from './messages.js';
import { serviceAccounts } from './summary.js';

/*
 * The machine contract of `mfa-ready audit --format json`. Consumers (scripts, SIEM jobs, the
 * dashboard) depend on the keys and their order, so the object is built key by key rather than by
 * spreading domain types, and optional values are `null` rather than absent: a consumer can always
 * write `.users[].exclusion` without checking for the key. The exception is a finding's `fields`, whose
 * keys are each code's own (domain/evidence.ts) and whose optional fields are absent when unknown.
 *
 * The zod schema below is the contract's one source: the output's TypeScript type is inferred from
 * it, and `mfa-ready schema` prints it as JSON Schema (schema/assessment.schema.json in the package).
 * Every object is closed (`additionalProperties: false`), and findings are discriminated on `code`,
 * so a key that drifts from the contract fails validation. SCHEMA_VERSION (domain/verdict.ts) says
 * when the version changes.
 */

const coveringPolicySchema = z.strictObject({
  id: z.string(),
  displayName: z.string().nullable(),
  state: z.enum(['enabled', 'report-only']),
  /** The authentication strength the policy asks for; null for plain MFA. */
  strength: z.string().nullable(),
  /** Every app, some apps, or user actions only (registering security info…). */
  appliesTo: z.enum(['all-apps', 'some-apps', 'user-actions']),
});

const userJsonSchema = z.strictObject({
  id: z.string(),
  userPrincipalName: z.string(),
  displayName: z.string(),
  verdict: z.enum(VERDICTS),
  confidence: z.enum(['proven', 'registered', 'reported']).nullable(),
  weak: z.boolean(),
  isAdmin: z.boolean(),
  methods: z.array(z.strictObject({ id: z.string(), type: methodKindSchema, state: methodStateSchema })),
  /** Findings, each with its code's own fields (`{}` for a code that has none). */
  evidence: z.array(evidenceSchema(EVIDENCE_CODES)),
  action: z.strictObject({ code: z.enum(ACTION_CODES), text: z.string() }),
  /** Why an `excluded` user is excluded; `null` otherwise. */
  exclusion: z.enum(['disabled', 'guest', 'excluded-user', 'excluded-group', 'service-account']).nullable(),
  /**
   * The enabled and report-only Conditional Access policies asking for MFA that cover the user, and
   * those whose answer rests on evidence not collected (group members, role holders); `null` when
   * the policies were not read, which is not the same as covered by none.
   */
  coveredBy: z
    .strictObject({
      policies: z.array(coveringPolicySchema),
      undecided: z.array(coveringPolicySchema),
    })
    .nullable(),
});

const inputLocationSchema = z.strictObject({
  file: z.string(),
  line: z.number().int().positive().exactOptional(),
  entity: z.number().int().nonnegative().exactOptional(),
  field: z.string().exactOptional(),
});

const datasetCoverageSchema = z.strictObject({
  present: z.boolean(),
  rows: z.number().int().nonnegative(),
  /** Only when `--skip-bad-records` left records of this file out. */
  skipped: z
    .strictObject({
      file: z.string(),
      count: z.number().int().positive(),
      first: z.array(inputLocationSchema),
    })
    .exactOptional(),
  /** Sign-ins and audits: the oldest and newest time read. */
  oldest: z.string().exactOptional(),
  newest: z.string().exactOptional(),
  /** Present (true) only when the collection stopped before this dataset was read in full. */
  incomplete: z.literal(true).exactOptional(),
});

const coverageShape = Object.fromEntries(DATASETS.map((d) => [d, datasetCoverageSchema])) as Record<
  DatasetName,
  typeof datasetCoverageSchema
>;

const summaryShape = Object.fromEntries(VERDICTS.map((v) => [v, z.number().int().nonnegative()])) as Record<
  (typeof VERDICTS)[number],
  z.ZodNumber
>;

const populationGroupSchema = z.strictObject({ id: z.string(), displayName: z.string().nullable() });

/** Who was assessed and at which clock: what `summary` and `users` were computed on. */
const populationJsonSchema = z.strictObject({
  /** Users assessed (the scope applied, excluded users included). */
  users: z.number().int().nonnegative(),
  /** Empty: every user in the export. */
  scopeGroups: z.array(populationGroupSchema),
  excludeGroups: z.array(populationGroupSchema),
  excludeUsers: z.array(z.strictObject({ id: z.string(), userPrincipalName: z.string() })),
  /** The clock the verdicts were judged at; equals `generatedAt`. */
  now: z.string(),
  collectedAt: z.string().nullable(),
  /** Whole days from collectedAt to now; null when the collection time is unknown. */
  dataAgeDays: z.number().int().nullable(),
  /** More than STALE_DATA_DAYS (2) days between collection and clock. */
  staleData: z.boolean(),
});

/** The JSON contract as a zod schema, for tests and for consumers that want to validate what they read. */
export const assessmentJsonSchema = z
  .strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION),
    generatedAt: z.string(),
    tenant: z.strictObject({
      tenantId: z.string().nullable(),
      displayName: z.string().nullable(),
      collectedAt: z.string().nullable(),
      cloud: z.enum(['global', 'usgov', 'usgovdod', 'china']).nullable(),
      /** When each evidence window the collector read starts; absent for a folder from elsewhere. */
      windows: z
        .strictObject({
          signIns: z.string().exactOptional(),
          appSignIns: z.string().exactOptional(),
          audits: z.string().exactOptional(),
        })
        .exactOptional(),
    }),
    coverage: z.strictObject({
      ...coverageShape,
      reportRefreshedAt: z.string().nullable(),
      /** MFA result details mfa-ready does not know, with how many sign-ins had each: not counted as proof. */
      unknownMfaResultDetails: z.record(z.string(), z.number().int().nonnegative()),
    }),
    summary: z.strictObject(summaryShape),
    users: z.array(userJsonSchema),
    /**
     * Accounts that look like directory-sync service accounts (Entra Connect `Sync_*`, Cloud Sync
     * `ADToAADSyncServiceAccount`): how many, how many `--exclude-service-accounts` excluded, and who.
     */
    serviceAccounts: z.strictObject({
      count: z.number().int().nonnegative(),
      excluded: z.number().int().nonnegative(),
      userPrincipalNames: z.array(z.string()),
    }),
    population: populationJsonSchema,
  })
  .meta({
    title: 'mfa-ready assessment',
    description:
      'The output of `mfa-ready audit --format json`: per-user MFA readiness verdicts, their evidence and the next action.',
  });

export type AssessmentJson = z.infer<typeof assessmentJsonSchema>;
type UserJson = AssessmentJson['users'][number];
type EvidenceJson = UserJson['evidence'][number];

function evidenceJson(e: Evidence): EvidenceJson {
  // Rebuilt key by key like the rest; the cast because TypeScript cannot tell that `code` and `fields`,
  // read from the same finding, still belong together.
  return { code: e.code, source: e.source, ref: e.ref, at: e.at, fields: e.fields } as EvidenceJson;
}

function coveringPolicyJson(p: CoveringPolicy): NonNullable<UserJson['coveredBy']>['policies'][number] {
  return {
    id: p.id,
    displayName: p.displayName,
    state: p.state,
    strength: p.strength,
    appliesTo: p.appliesTo,
  };
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
    coveredBy:
      u.coveredBy === undefined
        ? null
        : {
            policies: u.coveredBy.policies.map(coveringPolicyJson),
            undecided: u.coveredBy.undecided.map(coveringPolicyJson),
          },
  };
}

function serviceAccountsJson(a: Assessment): AssessmentJson['serviceAccounts'] {
  const found = serviceAccounts(a);
  return {
    count: found.users.length,
    excluded: found.excluded,
    userPrincipalNames: found.users.map((u) => u.userPrincipalName),
  };
}

/**
 * The assessment as the contract's plain object (key order included). `users` in its place when given
 * (renderJsonChunks writes them one at a time).
 */
export function toAssessmentJson(a: Assessment, users: UserJson[] = a.users.map(userJson)): AssessmentJson {
  const coverage = Object.fromEntries(
    DATASETS.map((d) => {
      const { present, rows, skipped, oldest, newest, incomplete } = a.coverage[d];
      return [
        d,
        {
          present,
          rows,
          ...(skipped !== undefined ? { skipped } : {}),
          ...(oldest !== undefined ? { oldest } : {}),
          ...(newest !== undefined ? { newest } : {}),
          ...(incomplete === true ? { incomplete } : {}),
        },
      ];
    }),
  ) as Record<DatasetName, AssessmentJson['coverage'][DatasetName]>;
  const summary = Object.fromEntries(VERDICTS.map((v) => [v, a.summary[v] ?? 0])) as Record<
    (typeof VERDICTS)[number],
    number
  >;
  return {
    schemaVersion: a.schemaVersion,
    generatedAt: a.generatedAt,
    tenant: {
      tenantId: a.tenant.tenantId ?? null,
      displayName: a.tenant.displayName ?? null,
      collectedAt: a.tenant.collectedAt ?? null,
      cloud: a.tenant.cloud ?? null,
      ...(a.tenant.windows !== undefined ? { windows: { ...a.tenant.windows } } : {}),
    },
    coverage: {
      ...coverage,
      reportRefreshedAt: a.coverage.reportRefreshedAt ?? null,
      unknownMfaResultDetails: { ...a.coverage.unknownMfaResultDetails },
    },
    summary,
    users,
    serviceAccounts: serviceAccountsJson(a),
    population: {
      users: a.population.users,
      scopeGroups: a.population.scopeGroups.map((g) => ({ id: g.id, displayName: g.displayName })),
      excludeGroups: a.population.excludeGroups.map((g) => ({ id: g.id, displayName: g.displayName })),
      excludeUsers: a.population.excludeUsers.map((u) => ({
        id: u.id,
        userPrincipalName: u.userPrincipalName,
      })),
      now: a.population.now,
      collectedAt: a.population.collectedAt,
      dataAgeDays: a.population.dataAgeDays,
      staleData: a.population.staleData,
    },
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

const safe = (text: string): string =>
  text.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** `mfa-ready audit --format json`: the stable machine contract, pretty-printed, newline-terminated. */
export function renderJson(a: Assessment): string {
  return [...renderJsonChunks(a)].join('');
}

/**
 * renderJson's text in pieces, one user at a time, for writing as it is made: at 100,000 users the
 * text is 420 MB, and one string of it took 3.5 GB to build; past about 127,000 users it would not fit
 * in one JavaScript string at all (V8's limit is 2^29 - 24 characters). The pieces joined are exactly
 * JSON.stringify(toAssessmentJson(a), null, 2) with the unsafe characters escaped, and a newline.
 */
export function* renderJsonChunks(a: Assessment): Generator<string> {
  const users = a.users;
  const whole = toAssessmentJson(a, []);
  const text = JSON.stringify(whole, null, 2);
  // The users' place in the document: `"users": []`, at the top level (two spaces in).
  const marker = '\n  "users": [],\n';
  const at = text.indexOf(marker);
  if (users.length === 0 || at === -1) {
    yield `${safe(JSON.stringify(toAssessmentJson(a), null, 2))}\n`;
    return;
  }
  yield safe(`${text.slice(0, at)}\n  "users": [\n`);
  for (let i = 0; i < users.length; i++) {
    // A user's text nested two levels in: every line after the first indented four more spaces (a
    // JSON string holds no raw newline, so only the layout's newlines are touched).
    const one = JSON.stringify(userJson(users[i]!), null, 2).replace(/\n/g, '\n    ');
    yield safe(`    ${one}${i < users.length - 1 ? ',' : ''}\n`);
  }
  yield safe(`  ],\n${text.slice(at + marker.length)}\n`);
}

/**
 * `mfa-ready schema`: the JSON Schema (draft 2020-12) of `audit --format json`, generated from the zod
 * contract above, pretty-printed and newline-terminated. The package ships the same text as
 * schema/assessment.schema.json; a test keeps the two equal.
 */
export function renderJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(assessmentJsonSchema), null, 2)}\n`;
}
