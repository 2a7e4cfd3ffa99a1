/**
 * Writes a synthetic tenant as an export folder (the format `mfa-ready audit --from DIR` reads; file
 * names from src/domain/datasets.ts). Collections are Graph pages (`{"@odata.context", "value"}`), one
 * entity per line so a diff of the bundled demo stays readable; sign-ins and audits can instead be
 * NDJSON (one entity per line), which large collections use. Everything is stream-written: a
 * 300,000-user tenant never has its sign-ins in memory, only one time slice of them.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { DATASET_FILES } from '../domain/datasets.js';
import type { DatasetName } from '../domain/datasets.js';
import type { SyntheticTenant } from './generate-tenant.js';

export interface WriteExportOptions {
  /** `page` (default): one Graph page per file. `ndjson`: one entity per line (sign-ins and audits only). */
  eventFormat?: 'page' | 'ndjson';
  /**
   * Replace the dataset files of an existing export in `dir` (only those: other files are left alone).
   * Without it, a folder that already holds an export is an error, so nothing is overwritten by mistake.
   */
  overwrite?: boolean;
}

export interface WriteExportResult {
  /** Entities written per dataset (for per-entity folders: files). */
  rows: Record<DatasetName, number>;
  files: number;
  bytes: number;
}

const GRAPH = 'https://graph.microsoft.com';

const CONTEXT = {
  users: `${GRAPH}/v1.0/$metadata#users(id,userPrincipalName,displayName,accountEnabled,userType,onPremisesSyncEnabled,createdDateTime)`,
  registration: `${GRAPH}/beta/$metadata#reports/authenticationMethods/userRegistrationDetails`,
  methods: (userId: string) => `${GRAPH}/beta/$metadata#users('${userId}')/authentication/methods`,
  audits: `${GRAPH}/v1.0/$metadata#auditLogs/directoryAudits`,
  signIns: `${GRAPH}/beta/$metadata#auditLogs/signIns`,
  groups: `${GRAPH}/v1.0/$metadata#groups(id,displayName,description,groupTypes,mailEnabled,securityEnabled,onPremisesSyncEnabled)`,
  groupMembers: `${GRAPH}/v1.0/$metadata#directoryObjects(id)`,
  conditionalAccess: `${GRAPH}/v1.0/$metadata#identity/conditionalAccess/policies`,
  domains: `${GRAPH}/v1.0/$metadata#domains`,
  roleAssignments: `${GRAPH}/v1.0/$metadata#roleManagement/directory/roleAssignments(principal())`,
} as const;

/** A write stream that honours backpressure and counts what it wrote. */
class Sink {
  private readonly stream;
  bytes = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
  }

  async write(text: string): Promise<void> {
    this.bytes += Buffer.byteLength(text);
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

export async function writeExportFolder(
  dir: string,
  tenant: SyntheticTenant,
  options: WriteExportOptions = {},
): Promise<WriteExportResult> {
  await prepare(dir, options.overwrite === true);
  const rows = {} as Record<DatasetName, number>;
  let files = 0;
  let bytes = 0;

  const writeFile = async (path: string, body: (sink: Sink) => Promise<number>): Promise<number> => {
    const sink = new Sink(path);
    try {
      const count = await body(sink);
      return count;
    } finally {
      await sink.close();
      files++;
      bytes += sink.bytes;
    }
  };

  const page = (path: string, context: string, entities: Iterable<unknown>) =>
    writeFile(path, async (sink) => {
      await sink.write(`{"@odata.context":${JSON.stringify(context)},"value":[`);
      let n = 0;
      for (const entity of entities) {
        await sink.write(`${n === 0 ? '\n' : ',\n'}${JSON.stringify(entity)}`);
        n++;
      }
      await sink.write(n === 0 ? ']}\n' : '\n]}\n');
      return n;
    });

  const ndjson = (path: string, entities: Iterable<unknown>) =>
    writeFile(path, async (sink) => {
      let n = 0;
      for (const entity of entities) {
        await sink.write(`${JSON.stringify(entity)}\n`);
        n++;
      }
      return n;
    });

  const entity = (path: string, value: unknown) =>
    writeFile(path, async (sink) => {
      await sink.write(`${JSON.stringify(value)}\n`);
      return 1;
    });

  const file = (name: DatasetName) => join(dir, DATASET_FILES[name]);
  const events = options.eventFormat === 'ndjson' ? 'ndjson' : 'page';

  rows.tenant = await entity(file('tenant'), tenant.tenant);
  rows.users = await page(file('users'), CONTEXT.users, tenant.iterateUsers());
  rows.registration = await page(file('registration'), CONTEXT.registration, tenant.iterateRegistration());

  await mkdir(file('methods'), { recursive: true });
  rows.methods = 0;
  for (const [userId, methods] of tenant.iterateMethods()) {
    await page(join(file('methods'), `${userId}.json`), CONTEXT.methods(userId), methods);
    rows.methods++;
  }

  rows.audits =
    events === 'ndjson'
      ? await ndjson(file('audits'), tenant.iterateAudits())
      : await page(file('audits'), CONTEXT.audits, tenant.iterateAudits());
  rows.signIns =
    events === 'ndjson'
      ? await ndjson(file('signIns'), tenant.iterateSignIns())
      : await page(file('signIns'), CONTEXT.signIns, tenant.iterateSignIns());

  rows.groups = await page(file('groups'), CONTEXT.groups, tenant.groups);
  await mkdir(file('groupMembers'), { recursive: true });
  rows.groupMembers = 0;
  for (const [groupId, members] of tenant.groupMembers) {
    await page(join(file('groupMembers'), `${groupId}.json`), CONTEXT.groupMembers, members);
    rows.groupMembers++;
  }
  rows.conditionalAccess = await page(
    file('conditionalAccess'),
    CONTEXT.conditionalAccess,
    tenant.conditionalAccess,
  );
  rows.methodsPolicy = await entity(file('methodsPolicy'), tenant.methodsPolicy);
  rows.securityDefaults = await entity(file('securityDefaults'), tenant.securityDefaults);
  rows.domains = await page(file('domains'), CONTEXT.domains, tenant.domains);
  rows.roleAssignments = await page(file('roleAssignments'), CONTEXT.roleAssignments, tenant.roleAssignments);

  return { rows, files, bytes };
}

/** Creates `dir`; refuses to mix two exports unless told to replace the old one's dataset files. */
async function prepare(dir: string, overwrite: boolean): Promise<void> {
  await mkdir(dir, { recursive: true });
  const present = new Set(await readdir(dir));
  const ours = Object.values(DATASET_FILES).filter((name) => present.has(name));
  if (ours.length === 0) return;
  if (!overwrite) {
    throw new Error(
      `${dir} already holds an export (${ours.join(', ')}); pass { overwrite: true } to replace it`,
    );
  }
  for (const name of ours) await rm(join(dir, name), { recursive: true, force: true });
}
