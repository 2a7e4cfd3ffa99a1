import { DATASET_FILES, DATASETS, SKIPPABLE_DATASETS } from '../domain/datasets.js';
import type { Coverage, DatasetName, SkippedRecords } from '../domain/datasets.js';
import { InputError } from '../domain/errors.js';
import type { AuditEvent, Group, SignIn, TenantSnapshot, UserMethods } from '../domain/tenant.js';
import type { EvidenceRules } from './evidence-rules.js';
import { ExportFolderListing } from './export-folder-listing.js';
import { readList, readSingle } from './read-dataset.js';
import type { Normaliser } from './read-dataset.js';
import { readGroupMembersFolder, readMethodsFolder } from './read-per-entity-folders.js';
import {
  shareAudit,
  shareMethods,
  shareRegistration,
  shareSignIn,
  shareUser,
  StringPool,
} from './string-pool.js';
import {
  normaliseAudit,
  normaliseAuthenticationMethodsPolicy,
  normaliseConditionalAccessPolicy,
  normaliseDomain,
  normaliseGroup,
  normaliseRegistration,
  normaliseRoleAssignment,
  normaliseSecurityDefaults,
  normaliseSignIn,
  normaliseTenant,
  normaliseUser,
} from './schemas.js';
import { SkipLog } from './skipped-records.js';
import { eventTime, widenSpan } from './time-span.js';
import type { TimeSpan } from './time-span.js';
import { WorkerRead } from './worker-read.js';
import type { WorkerDataset } from './worker-read.js';

export interface ReadExportFolderOptions {
  /**
   * Which sign-ins to keep in memory (all are still validated and counted in `coverage`). A 100k-user
   * tenant has millions of sign-ins; the rules need only a few kinds.
   */
  keepSignIn?: (signIn: SignIn) => boolean;
  /** Which directory-audit events to keep in memory; all are still validated and counted. */
  keepAudit?: (event: AuditEvent) => boolean;
  /**
   * Keep each kept sign-in's and audit event's facts (SignIn.facts, AuditEvent.facts) instead of the
   * fields they are read from: what the verdict engine reads, in a fraction of the memory, far less to
   * hand from a worker thread, and not worked out a second time by the engine.
   */
  slimEvents?: boolean;
  /**
   * The assessment's evidence rules: needed for `slimEvents` (they slim), and what lets a worker thread
   * run `keepSignIn`/`keepAudit` when those are among them (any other filter keeps its file on the
   * main thread).
   */
  rules?: EvidenceRules;
  /**
   * `--skip-bad-records`: an entity of an event log (SKIPPABLE_DATASETS) that cannot be read is left
   * out and counted in `coverage[dataset].skipped` instead of stopping the read. Any other file's
   * broken entity still stops it, with a hint saying why the flag does not apply there.
   */
  skipBadRecords?: boolean;
  /** Called now and then while a dataset is read, and once at its end with its final row count. */
  onProgress?: (dataset: DatasetName, rows: number) => void;
  /**
   * @internal Sign-in and audit files at least this big are read by worker threads (default 64 MiB); tests
   * lower it to cover that path with small files.
   */
  workerMinBytes?: number;
  /** @internal Bytes per worker's part of a big file (see WorkerRead); tests lower it. */
  workerPartBytes?: number;
  /**
   * Workers per big file at most (default: half the cores). Each costs its own heap: the collector,
   * which re-reads the export while its Graph client still holds memory, reads with one.
   */
  maxWorkersPerFile?: number;
}

/** Rows between progress calls: often enough for a live counter, rare enough to cost nothing. */
const PROGRESS_EVERY = 5_000;

/**
 * Reads a tenant export folder (Graph responses saved as files, named as in DATASET_FILES) into a
 * TenantSnapshot. Every dataset is optional and comes back `undefined` when its file is missing,
 * with `coverage[dataset].present` false, except that the users must come from `users.json` or
 * `userRegistrationDetails.json`.
 *
 * Datasets are read one after another, in a fixed order (progress and errors come in that order),
 * except that a big sign-ins file is read by a worker thread meanwhile when it can be (WorkerRead).
 *
 * @throws {InputError} when the folder is missing, holds neither users file, or a file is not valid
 * JSON or has an entity of the wrong shape (naming the file, line, entity and field).
 * @example
 * const snapshot = await readExportFolder('./export', { keepSignIn: (s) => s.errorCode !== 50126 });
 */
export async function readExportFolder(
  dir: string,
  options: ReadExportFolderOptions = {},
): Promise<TenantSnapshot> {
  if (options.slimEvents === true && options.rules === undefined)
    throw new Error('readExportFolder: slimEvents needs the evidence rules (options.rules)');
  const folder = await ExportFolderListing.open(dir);
  const usersFile = await folder.file(DATASET_FILES.users);
  const registrationFile = await folder.file(DATASET_FILES.registration);
  if (usersFile === undefined && registrationFile === undefined) throw noUsersError(dir);

  const reader = new FolderReader(folder, options);
  // Big event files are read by worker threads meanwhile: sign-ins, and a month of audits (a few hundred MB).
  const startWorker = <T>(file: string | undefined, dataset: WorkerDataset, keep?: (item: T) => boolean) =>
    file === undefined
      ? undefined
      : WorkerRead.start<T>(file, dataset, keep, {
          minBytes: options.workerMinBytes,
          partBytes: options.workerPartBytes,
          maxParts: options.maxWorkersPerFile,
          slim: options.slimEvents === true,
          rules: options.rules,
          skipBad: reader.skips(dataset),
        });
  const signInsFile = await folder.file(DATASET_FILES.signIns);
  const signInsWorker = startWorker<SignIn>(signInsFile, 'signIns', options.keepSignIn);
  const auditsFile = await folder.file(DATASET_FILES.audits);
  const auditsWorker = startWorker<AuditEvent>(auditsFile, 'audits', options.keepAudit);
  try {
    const tenant = (await reader.single('tenant', normaliseTenant)) ?? {};
    const users = await reader.list('users', normaliseUser, undefined, shareUser, usersFile);
    const registration = await reader.list(
      'registration',
      normaliseRegistration,
      undefined,
      shareRegistration,
      registrationFile,
    );
    const methods = await reader.methods();
    const slimmer = options.slimEvents === true ? options.rules?.slimmer() : undefined;
    const normaliseAnAudit: Normaliser<AuditEvent> =
      slimmer !== undefined ? (raw, at) => slimmer.audit(normaliseAudit(raw, at)) : normaliseAudit;
    // Slimmed as they are normalised: the filters then read the facts slimming worked out, not again.
    const readAudits = () =>
      reader.list('audits', normaliseAnAudit, options.keepAudit, shareAudit, auditsFile, true);
    const audits =
      auditsWorker === undefined
        ? await readAudits()
        : await reader.fromWorker('audits', auditsWorker, readAudits);
    const normaliseASignIn: Normaliser<SignIn> =
      slimmer !== undefined ? (raw, at) => slimmer.signIn(normaliseSignIn(raw, at)) : normaliseSignIn;
    const readSignIns = () =>
      reader.list('signIns', normaliseASignIn, options.keepSignIn, shareSignIn, signInsFile, true);
    const signIns =
      signInsWorker === undefined
        ? await readSignIns()
        : await reader.fromWorker('signIns', signInsWorker, readSignIns);
    const groups = withMembers(await reader.list('groups', normaliseGroup), await reader.groupMembers());
    const conditionalAccess = await reader.list('conditionalAccess', normaliseConditionalAccessPolicy);
    const methodsPolicy = await reader.single('methodsPolicy', normaliseAuthenticationMethodsPolicy);
    const securityDefaults = await reader.single('securityDefaults', normaliseSecurityDefaults);
    const domains = await reader.list('domains', normaliseDomain);
    const roleAssignments = await reader.list('roleAssignments', normaliseRoleAssignment);

    return {
      tenant,
      users,
      registration,
      methods,
      audits,
      signIns,
      groups,
      conditionalAccess,
      methodsPolicy,
      securityDefaults,
      domains,
      roleAssignments,
      coverage: reader.coverage,
    };
  } finally {
    signInsWorker?.stop();
    auditsWorker?.stop();
  }
}

/** Reads the datasets of one folder, keeping coverage and reporting progress. */
class FolderReader {
  readonly coverage = emptyCoverage();
  /** Kept items share one copy of each repeated string (see StringPool); dropped ones are not pooled. */
  readonly pool = new StringPool();

  constructor(
    private readonly folder: ExportFolderListing,
    private readonly options: ReadExportFolderOptions,
  ) {}

  /**
   * The items of a dataset's file (`file`, or the one named in DATASET_FILES), or undefined when it
   * is missing. `keep` filters them; `share` pools the strings of those kept; `timed` notes the
   * span of every item's time (events), kept or not.
   */
  async list<T>(
    dataset: DatasetName,
    normalise: Normaliser<T>,
    keep?: (item: T) => boolean,
    share?: (item: T, pool: StringPool) => void,
    file?: string,
    timed = false,
  ): Promise<T[] | undefined> {
    const found = file ?? (await this.folder.file(DATASET_FILES[dataset]));
    if (found === undefined) return undefined;
    const span: TimeSpan = {};
    const keepAndShare =
      share === undefined && !timed
        ? keep
        : (item: T): boolean => {
            if (timed) widenSpan(span, eventTime(item));
            if (keep !== undefined && !keep(item)) return false;
            share?.(item, this.pool);
            return true;
          };
    const skip = this.skips(dataset) ? new SkipLog(found) : undefined;
    const { items, rows } = await this.notSkipped(dataset, () =>
      readList(found, normalise, { keep: keepAndShare, onRow: this.progress(dataset), skip }),
    );
    this.done(dataset, rows, skip?.result(), timed ? span : undefined);
    return items;
  }

  /** The one object of a dataset's file, or undefined when the file is missing or empty. */
  async single<T>(dataset: DatasetName, normalise: Normaliser<T>): Promise<T | undefined> {
    const found = await this.folder.file(DATASET_FILES[dataset]);
    if (found === undefined) return undefined;
    const item = await this.notSkipped(dataset, () => readSingle(found, normalise));
    this.done(dataset, item === undefined ? 0 : 1);
    return item;
  }

  async methods(): Promise<Map<string, UserMethods> | undefined> {
    const found = await this.folder.folder(DATASET_FILES.methods);
    if (found === undefined) return undefined;
    const methods = await this.notSkipped('methods', () =>
      readMethodsFolder(found, this.progress('methods'), (m) => shareMethods(m, this.pool)),
    );
    this.done('methods', methods.size);
    return methods;
  }

  async groupMembers(): Promise<Map<string, string[]> | undefined> {
    const found = await this.folder.folder(DATASET_FILES.groupMembers);
    if (found === undefined) return undefined;
    const members = await this.notSkipped('groupMembers', () =>
      readGroupMembersFolder(found, this.progress('groupMembers')),
    );
    this.done('groupMembers', members.size);
    return members;
  }

  /** Whether this dataset's broken records are left out (`--skip-bad-records` and an event log). */
  skips(dataset: DatasetName): boolean {
    return this.options.skipBadRecords === true && SKIPPABLE_DATASETS.has(dataset);
  }

  /**
   * Runs a read; with `--skip-bad-records` given, a broken entity of a file the flag does not apply to
   * still stops the run, and the error says why the flag did not leave it out.
   */
  private async notSkipped<R>(dataset: DatasetName, read: () => Promise<R>): Promise<R> {
    try {
      return await read();
    } catch (err) {
      if (this.options.skipBadRecords !== true || this.skips(dataset)) throw err;
      if (!(err instanceof InputError) || err.location?.entity === undefined) throw err;
      const hint = [err.hint, notSkippableHint(dataset)].filter((h) => h !== undefined).join(' ');
      throw new InputError(err.message, err.location, hint);
    }
  }

  /**
   * The items a worker read, with the progress calls reading them here would have made; or, if the
   * worker failed, the file read here after all (which finds and words the error).
   */
  async fromWorker<T>(
    dataset: DatasetName,
    worker: WorkerRead<T>,
    readHere: () => Promise<T[] | undefined>,
  ): Promise<T[] | undefined> {
    const result = await worker.result;
    if (result === undefined) return readHere();
    const progress = this.progress(dataset);
    for (let n = PROGRESS_EVERY; n <= result.rows; n += PROGRESS_EVERY) progress(n);
    this.done(dataset, result.rows, result.skipped, result.span);
    return result.items;
  }

  private progress(dataset: DatasetName): (rows: number) => void {
    return (rows) => {
      if (rows % PROGRESS_EVERY === 0) this.options.onProgress?.(dataset, rows);
    };
  }

  private done(dataset: DatasetName, rows: number, skipped?: SkippedRecords, span?: TimeSpan): void {
    this.coverage[dataset] = { present: true, rows, ...(skipped !== undefined ? { skipped } : {}) };
    if (span?.oldest !== undefined && span.newest !== undefined) {
      this.coverage[dataset].oldest = span.oldest;
      this.coverage[dataset].newest = span.newest;
    }
    this.options.onProgress?.(dataset, rows);
  }
}

/** Why `--skip-bad-records` leaves this file's records in (so the run stops on a broken one). */
function notSkippableHint(dataset: DatasetName): string {
  const file = DATASET_FILES[dataset];
  switch (dataset) {
    case 'users':
    case 'registration':
      return `--skip-bad-records does not apply to ${file}: every user must be read, and a skipped record would drop a user (or the row their verdict rests on) from the report without a word. Fix or re-export the file.`;
    case 'methods':
      return `--skip-bad-records does not apply to ${file}: a user's methods list is read whole or not at all. Fix that user's file, or collect it again.`;
    default:
      return `--skip-bad-records does not apply to ${file}: it applies to the sign-in and audit logs only; one record of this file (a policy, a group, a domain) can decide what counts for many users. Fix or re-export the file.`;
  }
}

function emptyCoverage(): Coverage {
  return Object.fromEntries(DATASETS.map((d) => [d, { present: false, rows: 0 }])) as Coverage;
}

/** The folder has neither users file: callers that can go on without users test for this class. */
export class NoUsersInExport extends InputError {}

function noUsersError(dir: string): InputError {
  return new NoUsersInExport(
    `no users in the export folder: looked for ${DATASET_FILES.users} and ${DATASET_FILES.registration}, found neither`,
    { file: dir },
    `Save GET /users to ${DATASET_FILES.users} (or GET /reports/authenticationMethods/userRegistrationDetails ` +
      `to ${DATASET_FILES.registration}) in ${dir}.`,
  );
}

/**
 * Attaches member ids to their groups (ids compared without case). A members file for a group that
 * groups.json lacks, or when there is no groups.json, still yields the group: `--scope-group ID` needs
 * only the id and its members.
 */
function withMembers(
  groups: Group[] | undefined,
  members: Map<string, string[]> | undefined,
): Group[] | undefined {
  if (members === undefined) return groups;
  const result: Group[] = [];
  const used = new Set<string>();
  for (const g of groups ?? []) {
    const ids = members.get(g.id.toLowerCase());
    if (ids === undefined) {
      result.push(g);
      continue;
    }
    used.add(g.id.toLowerCase());
    result.push({ ...g, memberIds: ids });
  }
  for (const [id, ids] of members) if (!used.has(id)) result.push({ id, memberIds: ids });
  return result;
}
