import { DATASET_FILES, DATASETS } from '../../domain/datasets.js';
import type { Coverage, DatasetName } from '../../domain/datasets.js';
import { InputError } from '../../domain/errors.js';
import type { AuditEvent, Group, SignIn, TenantSnapshot } from '../../domain/tenant.js';
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
  normaliseSecurityDefaults,
  normaliseSignIn,
  normaliseTenant,
  normaliseUser,
} from './schemas.js';

export interface ReadExportFolderOptions {
  /**
   * Which sign-ins to keep in memory (all are still validated and counted in `coverage`). A 100k-user
   * tenant has millions of sign-ins; the rules need only a few kinds.
   */
  keepSignIn?: (signIn: SignIn) => boolean;
  /** Which directory-audit events to keep in memory; all are still validated and counted. */
  keepAudit?: (event: AuditEvent) => boolean;
  /** Called now and then while a dataset is read, and once at its end with its final row count. */
  onProgress?: (dataset: DatasetName, rows: number) => void;
}

/** Rows between progress calls: often enough for a live counter, rare enough to cost nothing. */
const PROGRESS_EVERY = 5_000;

/**
 * Reads a tenant export folder (Graph responses saved as files, named as in DATASET_FILES) into a
 * TenantSnapshot. Every dataset is optional and comes back `undefined` when its file is missing,
 * with `coverage[dataset].present` false, except that the users must come from `users.json` or
 * `userRegistrationDetails.json`.
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
  const folder = await ExportFolderListing.open(dir);
  const coverage = emptyCoverage();
  const progress = (dataset: DatasetName) => (rows: number) => {
    if (rows % PROGRESS_EVERY === 0) options.onProgress?.(dataset, rows);
  };
  const done = (dataset: DatasetName, rows: number): void => {
    coverage[dataset] = { present: true, rows };
    options.onProgress?.(dataset, rows);
  };

  const usersFile = await folder.file(DATASET_FILES.users);
  const registrationFile = await folder.file(DATASET_FILES.registration);
  if (usersFile === undefined && registrationFile === undefined) throw noUsersError(dir);

  // Kept items share one copy of each repeated string (see StringPool); dropped ones are not pooled.
  const pool = new StringPool();
  const list = async <T>(
    dataset: DatasetName,
    normalise: Normaliser<T>,
    keep?: (item: T) => boolean,
    share?: (item: T, pool: StringPool) => void,
    file?: string,
  ): Promise<T[] | undefined> => {
    const found = file ?? (await folder.file(DATASET_FILES[dataset]));
    if (found === undefined) return undefined;
    const keepAndShare =
      share === undefined
        ? keep
        : (item: T): boolean => {
            if (keep !== undefined && !keep(item)) return false;
            share(item, pool);
            return true;
          };
    const { items, rows } = await readList(found, normalise, { keep: keepAndShare, onRow: progress(dataset) });
    done(dataset, rows);
    return items;
  };
  const single = async <T>(dataset: DatasetName, normalise: Normaliser<T>): Promise<T | undefined> => {
    const found = await folder.file(DATASET_FILES[dataset]);
    if (found === undefined) return undefined;
    const item = await readSingle(found, normalise);
    done(dataset, item === undefined ? 0 : 1);
    return item;
  };

  const tenant = (await single('tenant', normaliseTenant)) ?? {};
  const users = await list('users', normaliseUser, undefined, shareUser, usersFile);
  const registration = await list(
    'registration',
    normaliseRegistration,
    undefined,
    shareRegistration,
    registrationFile,
  );

  const methodsFolder = await folder.folder(DATASET_FILES.methods);
  const methods =
    methodsFolder === undefined
      ? undefined
      : await readMethodsFolder(methodsFolder, progress('methods'), (m) => shareMethods(m, pool));
  if (methods !== undefined) done('methods', methods.size);

  const audits = await list('audits', normaliseAudit, options.keepAudit, shareAudit);
  const signIns = await list('signIns', normaliseSignIn, options.keepSignIn, shareSignIn);

  const groupList = await list('groups', normaliseGroup);
  const membersFolder = await folder.folder(DATASET_FILES.groupMembers);
  const members =
    membersFolder === undefined
      ? undefined
      : await readGroupMembersFolder(membersFolder, progress('groupMembers'));
  if (members !== undefined) done('groupMembers', members.size);
  const groups = withMembers(groupList, members);

  const conditionalAccess = await list('conditionalAccess', normaliseConditionalAccessPolicy);
  const methodsPolicy = await single('methodsPolicy', normaliseAuthenticationMethodsPolicy);
  const securityDefaults = await single('securityDefaults', normaliseSecurityDefaults);
  const domains = await list('domains', normaliseDomain);

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
    coverage,
  };
}

function emptyCoverage(): Coverage {
  return Object.fromEntries(DATASETS.map((d) => [d, { present: false, rows: 0 }])) as Coverage;
}

function noUsersError(dir: string): InputError {
  return new InputError(
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
