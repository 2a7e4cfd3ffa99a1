import { z } from 'zod';
import { DATASETS } from './datasets.js';
import type { MethodKind } from './tenant.js';
import type { ActionCode, EvidenceCode, MethodState } from './verdict.js';

/*
 * The contract of a finding: for every evidence code (and every action code), the fields it carries.
 *
 * One source of truth, in zod: each code's fields are a zod object below; the TypeScript types the
 * rules and the renderers use are inferred from it (`z.output`), and the JSON Schema that
 * `mfa-ready schema` prints is generated from it (`z.toJSONSchema`, in report/json.ts). So the types,
 * the JSON output and the published schema cannot disagree. zod is only used here for its types and
 * for generating the schema: nothing parses or validates findings at run time (a 100,000-user
 * assessment makes some 350,000 of them).
 *
 * Adding an evidence code: add it to EVIDENCE_CODES (verdict.ts), give it an entry in EVIDENCE_FIELDS
 * below and words in report/evidence-messages.ts. The `satisfies` below and the renderer table there
 * are keyed by the code, so a code missing from either does not compile. Same for actions: ACTION_CODES,
 * ACTION_FIELDS, report/action-messages.ts (two tables there: the full text and the brief).
 *
 * Fields are objects with `additionalProperties: false` in the schema: a field a producer spells
 * differently from its entry here fails to compile, and fails the schema test if it slips past the types.
 * Optional fields are absent, never `undefined` or `null`, unless the entry says `nullable`.
 */

/** Every `MethodKind` (tenant.ts): checked both ways below, so the lists cannot drift apart. */
const METHOD_KIND_VALUES = [
  'password',
  'phone',
  'microsoftAuthenticator',
  'passwordlessMicrosoftAuthenticator',
  'fido2',
  'windowsHelloForBusiness',
  'softwareOath',
  'hardwareOath',
  'email',
  'temporaryAccessPass',
  'platformCredential',
  'qrCodePin',
  'external',
  'unknown',
] as const satisfies readonly MethodKind[];

/** Every `MethodState` (verdict.ts), checked the same way. */
const METHOD_STATE_VALUES = [
  'usable',
  'unverified',
  'policy-blocked',
  'not-mfa',
  'unknown',
] as const satisfies readonly MethodState[];

/** `true` only when A and B are the same set of values: a constant typed with it fails when they drift. */
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const METHOD_KINDS_COMPLETE: SameSet<(typeof METHOD_KIND_VALUES)[number], MethodKind> = true;
const METHOD_STATES_COMPLETE: SameSet<(typeof METHOD_STATE_VALUES)[number], MethodState> = true;
void METHOD_KINDS_COMPLETE;
void METHOD_STATES_COMPLETE;

export const methodKindSchema = z.enum(METHOD_KIND_VALUES);
export const methodStateSchema = z.enum(METHOD_STATE_VALUES);

// Building blocks. Times are ISO 8601 strings as Graph sends them; ids are Graph ids.
const text = z.string();
const optionalText = z.string().exactOptional();
const optionalFlag = z.boolean().exactOptional();
const count = z.number().int().nonnegative();
const texts = z.array(z.string());

/** What every sign-in finding says about its sign-in. */
const signInFields = {
  /** null when the sign-in names no application. */
  appId: text.nullable(),
  /** 0 for success; otherwise the Entra error code (50072, 50079, …). */
  errorCode: z.number().int(),
  appDisplayName: optionalText,
  isInteractive: optionalFlag,
};

/** What a sign-in that proves MFA adds: how many such sign-ins there were, and how recent the cited one is. */
const proofFields = {
  ...signInFields,
  count: count.describe('how many sign-ins of this kind the user has; the latest is cited'),
  withinRetention: z.boolean().describe('whether the cited sign-in is within the sign-in log retention'),
  tokenIssuerType: optionalText,
};

/** What the registration report's row says: the same fields for each of its three findings. */
const reportRowFields = {
  methodsRegistered: texts,
  isMfaRegistered: optionalFlag,
  isMfaCapable: optionalFlag,
  defaultMfaMethod: optionalText,
  lastUpdatedDateTime: optionalText,
};

/** A method of the user, as the methods policy findings name it. */
const policyMethodFields = {
  methodId: text,
  methodType: methodKindSchema,
};

/** An audit event of the security-info service: the reason it gives, and the method kind it names. */
const securityInfoFields = {
  resultReason: optionalText,
  methodType: methodKindSchema.exclude(['unknown']).exactOptional(),
};

/**
 * Each evidence code's fields, in the words of the Graph records they come from. Keys in the order of
 * EVIDENCE_CODES. A code that carries nothing has an empty object.
 */
export const EVIDENCE_FIELDS = {
  // account and scope
  'account-disabled': z.strictObject({ accountEnabled: z.literal(false) }),
  'guest-user': z.strictObject({ userType: text.nullable() }),
  'excluded-by-user-option': z.strictObject({
    userPrincipalName: text,
    /** The --exclude-user value that matched, as the member writes it. */
    value: text,
  }),
  'excluded-by-group-option': z.strictObject({ groupId: text, groupName: optionalText }),
  'service-account': z.strictObject({
    /** Which directory-sync tool the account belongs to (assess/service-accounts.ts). */
    kind: z.enum(['entra-connect-sync', 'entra-cloud-sync']),
    matched: z.enum(['userPrincipalName', 'displayName']),
    /** The name that matched; null when it was a display name the export does not hold. */
    value: text.nullable(),
    /** Whether --exclude-service-accounts left the account out. */
    excluded: z.boolean(),
  }),
  'federated-user': z.strictObject({ domain: text }),

  // registration report
  'report-mfa-capable': z.strictObject(reportRowFields),
  'report-mfa-registered-not-capable': z.strictObject(reportRowFields),
  'report-not-registered': z.strictObject(reportRowFields),
  'report-missing-user': z.strictObject({
    reason: z.enum(['disabled', 'created-after-report', 'unknown']),
    createdDateTime: optionalText,
    reportRefreshedAt: optionalText,
  }),
  'report-stale': z.strictObject({
    lastUpdatedDateTime: text,
    newerAt: text,
    newerEvidence: text.describe('activityDisplayName of the newest audit event'),
    newerEventId: text,
    newerEvents: count.describe('audit events after the report refresh'),
  }),
  'report-no-default-method': z.strictObject({
    methodIds: texts,
    methodTypes: z.array(methodKindSchema),
    defaultMfaMethod: text.nullable(),
    userPreferredMethodForSecondaryAuthentication: optionalText,
    noDefault: z.boolean().nullable(),
  }),

  // methods list
  'method-listed': z.strictObject({
    methodId: text,
    methodType: methodKindSchema,
    /** The `@odata.type`, for a method of a type mfa-ready does not know. */
    odataType: optionalText,
    displayName: optionalText,
    deviceTag: optionalText,
    phoneAppVersion: optionalText,
    phoneType: optionalText,
    state: methodStateSchema,
  }),
  'methods-list-missing': z.strictObject({
    inventory: z
      .enum(['methods', 'registration', 'audits', 'none'])
      .describe("where the user's methods were learnt from instead"),
  }),
  'tap-usable': z.strictObject({
    methodId: text,
    startDateTime: optionalText,
    endDateTime: optionalText,
    lifetimeInMinutes: z.number().exactOptional(),
    isUsableOnce: optionalFlag,
  }),

  // audit log
  'authenticator-device-added': z.strictObject({
    methodId: text,
    deviceName: optionalText,
    deviceTag: optionalText,
    phoneAppVersion: optionalText,
    initiatedBy: optionalText,
    completed: optionalFlag.describe('whether the registration this device began went on to be completed'),
    removed: z.literal(true).exactOptional(),
  }),
  'strong-auth-methods-set': z.strictObject({
    methodTypes: texts.describe('StrongAuthenticationMethod MethodType names after the change'),
    previousMethodTypes: texts,
    defaultMethodType: optionalText,
  }),
  'security-info-registration-started': z.strictObject(securityInfoFields),
  'security-info-registered': z.strictObject({
    ...securityInfoFields,
    byAdmin: z.boolean(),
    allRequired: z.literal(true).exactOptional(),
  }),
  'security-info-registration-cancelled': z.strictObject(securityInfoFields),
  'security-info-deleted': z.strictObject({ ...securityInfoFields, byAdmin: z.boolean() }),
  'security-info-registration-failed': z.strictObject({
    ...securityInfoFields,
    activity: text,
    /** The event's result (`failure`), when it has one: a failure may also be told only by its reason. */
    result: optionalText,
    byAdmin: z.boolean(),
  }),
  'security-info-default-changed': z.strictObject({ ...securityInfoFields, byAdmin: z.boolean() }),
  'security-info-unknown-reason': z.strictObject({ ...securityInfoFields, activity: text }),

  // sign-ins
  'mfa-sign-in': z.strictObject({
    ...proofFields,
    /** The methods of the MFA step, as the log names them ("Mobile app notification", …). */
    authenticationMethod: optionalText,
    /** Those methods as method kinds (domain/sign-in-method-names.ts); `unknown` for a name not known. */
    methodKinds: z.array(z.union([methodKindSchema, z.literal('previouslySatisfied')])).exactOptional(),
    /** The result detail that says MFA was done ("MFA successfully completed", "MFA completed in Azure AD"). */
    resultDetail: optionalText,
    /** Whether it proves MFA by a method the user keeps: false for a Temporary Access Pass or an unknown method. */
    proves: optionalFlag,
  }),
  'mfa-satisfied-by-claim': z.strictObject({
    ...proofFields,
    /** The step's result detail, e.g. "MFA requirement satisfied by claim in the token". */
    detail: text,
    /** What makes the claim the federated IdP's MFA: a federated domain, a federated token issuer, or nothing. */
    federation: z.enum(['domain', 'issuer']).nullable(),
    /** Set when the domain refuses its IdP's MFA claims, which then prove nothing. */
    federatedIdpMfaBehavior: z.literal('rejectMfaByFederatedIdp').exactOptional(),
  }),
  'authenticator-app-sign-in': z.strictObject({ ...signInFields, count }),
  'registration-interrupt': z.strictObject(signInFields),
  'security-info-app-sign-in': z.strictObject(signInFields),
  'registration-loop': z.strictObject({
    count,
    firstAt: text,
    lastAt: text,
    signInIds: texts,
    interrupts: count,
    securityInfoSignIns: count,
  }),

  // authentication methods policy
  'policy-not-migrated': z.strictObject({ policyMigrationState: text.nullable() }),
  'policy-method-disabled': z.strictObject({ configurationId: text, ...policyMethodFields }),
  'policy-user-not-targeted': z.strictObject({
    configurationId: text,
    includeTargets: texts,
    includeGroupNames: texts.exactOptional(),
    ...policyMethodFields,
  }),
  'policy-user-excluded': z.strictObject({
    configurationId: text,
    groupId: text,
    groupName: optionalText,
    ...policyMethodFields,
  }),
  'policy-membership-unknown': z.strictObject({
    configurationId: text,
    groupId: text,
    groupName: optionalText,
    targetKind: z.enum(['include', 'exclude']),
  }),

  // flags
  'weak-phone-only': z.strictObject({ methodIds: texts }),
  'admin-role': z.strictObject({}),
  'mfa-requirement-skipped': z.strictObject({
    ...signInFields,
    count: count.describe('how many sign-ins had their MFA requirement skipped; the latest is cited'),
    /** The result detail, e.g. "MFA requirement skipped due to IP address"; null when the log gave none. */
    detail: text.nullable(),
  }),
  'mfa-satisfied-earlier': z.strictObject({
    ...proofFields,
    /** The result detail, e.g. "MFA requirement satisfied by claim in the token" in a managed domain. */
    detail: text,
  }),
} satisfies Record<EvidenceCode, z.ZodObject>;

/** The fields of each evidence code. */
export type EvidenceFieldsByCode = { [C in EvidenceCode]: z.output<(typeof EVIDENCE_FIELDS)[C]> };

/** Where a finding's data came from: a dataset of the export, or the command's options. */
export const evidenceSourceSchema = z.enum([...DATASETS, 'options']);

/** A finding of one code. `Evidence` is the union of them all, discriminated by `code`. */
export type EvidenceOf<C extends EvidenceCode = EvidenceCode> = {
  [K in C]: {
    code: K;
    /** Dataset the finding rests on. */
    source: z.output<typeof evidenceSourceSchema>;
    /** Id of the event, sign-in, report row, method or file it rests on. */
    ref: string;
    /** When it happened, where known (ISO 8601). */
    at: string | null;
    /** The values the finding rests on (method ids, error codes, counts, …). Never secrets. */
    fields: EvidenceFieldsByCode[K];
  };
}[C];

export type Evidence = EvidenceOf;

function evidenceSchemaOf<C extends EvidenceCode>(code: C) {
  return z.strictObject({
    code: z.literal(code),
    source: evidenceSourceSchema,
    ref: z.string(),
    at: z.string().nullable(),
    fields: EVIDENCE_FIELDS[code],
  });
}

/** What each code's schema accepts is exactly that code's finding type (checked, not assumed). */
type SchemaOutput = { [C in EvidenceCode]: z.output<ReturnType<typeof evidenceSchemaOf<C>>> }[EvidenceCode];
const EVIDENCE_SCHEMA_IS_EVIDENCE: SameSet<SchemaOutput, Evidence> = true;
void EVIDENCE_SCHEMA_IS_EVIDENCE;

/**
 * One finding as the JSON output writes it, discriminated on `code`. Built from EVIDENCE_FIELDS, one
 * branch per code, each checked above to be that code's `EvidenceOf`; the cast only names the union
 * for TypeScript, which cannot follow a union built by a loop.
 */
export function evidenceSchema(codes: readonly EvidenceCode[]): z.ZodType<Evidence> {
  const [first, ...rest] = codes.map(evidenceSchemaOf);
  if (first === undefined) throw new Error('evidenceSchema: no evidence codes');
  return z.discriminatedUnion('code', [first, ...rest]) as unknown as z.ZodType<Evidence>;
}

/** Each action code's fields: what the next-action words need beyond the user. */
export const ACTION_FIELDS = {
  none: z.strictObject({}),
  'none-excluded': z.strictObject({}),
  'complete-authenticator-registration': z.strictObject({
    /** The unverified Authenticator method ids to delete. */
    methodIds: texts,
  }),
  'break-registration-loop': z.strictObject({ tapUsable: z.boolean() }),
  'register-before-enforcement': z.strictObject({}),
  'register-with-tap': z.strictObject({}),
  'allow-method-in-policy': z.strictObject({
    /** The method configurations that refuse the user's methods; absent when none is known. */
    configurationIds: texts.exactOptional(),
  }),
  'register-strong-method': z.strictObject({
    /** The user has security info that counts for password reset only (email, security questions). */
    hasSsprMethods: z.literal(true).exactOptional(),
  }),
  'add-stronger-method': z.strictObject({}),
  'collect-user-methods': z.strictObject({}),
} satisfies Record<ActionCode, z.ZodObject>;

export type ActionFieldsByCode = { [C in ActionCode]: z.output<(typeof ACTION_FIELDS)[C]> };

/** The next step of one code. `Action` is the union of them all, discriminated by `code`. */
export type ActionOf<C extends ActionCode = ActionCode> = {
  [K in C]: { code: K; fields: ActionFieldsByCode[K] };
}[C];

export type Action = ActionOf;
