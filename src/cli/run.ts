import { Command, CommanderError, Option } from 'commander';
import { InputError, RuntimeFailure, UsageError, FailOnMatched, formatLocation } from '../domain/errors.js';
import { VERDICTS } from '../domain/verdict.js';
// The leaf modules, not the indexes: declaring the options must not load the Graph client.
import { CLOUD_NAMES } from '../collect/graph/clouds.js';
import { COLLECT_DATASETS } from '../collect/live/collect-parts.js';
import type { Io } from './output.js';
import type { CliDeps } from './deps.js';
import { PreflightIncomplete } from './signals.js';
import { auditCommand, type AuditFlags } from './commands/audit.js';
import type { CollectFlags } from './commands/collect.js';
import type { EmulateFlags } from './commands/emulate.js';
import type { ImportFlags } from './commands/import.js';
import type { HistoryFlags } from './commands/history.js';
import type { DiffFlags } from './commands/diff.js';
import type { UserFlags } from './commands/user.js';
import type { ServeFlags } from './commands/serve.js';
import type { ReportFlags } from './commands/report.js';
import { TOOL_VERSION } from './version.js';
import type { PreflightFlags } from './commands/preflight.js';
import type { RemediateApplyFlags, RemediatePlanFlags, RemediateStatusFlags } from './commands/remediate.js';
import type { RolloutApplyFlags, RolloutCommonFlags, RolloutPlanFlags } from './commands/rollout.js';
import type { ImpactFlags } from './commands/impact.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Where Graph is and how to sign in: `collect`, `preflight` and `audit --tenant`. */
function graphOptions(command: Command, tenantHelp: string): Command {
  return command
    .option('--tenant <id>', tenantHelp)
    .addOption(
      new Option('--cloud <cloud>', 'national cloud (default global; GCC uses global)').choices(CLOUD_NAMES),
    )
    .option(
      '--graph-url <url>',
      "Graph root to use instead of the cloud's (https, no version), e.g. an emulator",
    )
    .option('--login-url <url>', "sign-in authority to use instead of the cloud's (https)")
    .option('--client-id <id>', "the app registration's client id (default AZURE_CLIENT_ID)")
    .option(
      '--client-secret <secret>',
      'app-only sign-in with this secret; discouraged (shell history, process list): prefer AZURE_CLIENT_SECRET',
    )
    .option(
      '--certificate <path>',
      'app-only sign-in with a PEM certificate and key (or AZURE_CLIENT_CERTIFICATE_PATH)',
    )
    .option('--device-code', 'delegated sign-in: a code to enter at microsoft.com/devicelogin')
    .option('--azure-cli', 'delegated sign-in: the account `az login` signed in')
    .option(
      '--managed-identity',
      "this Azure host's managed identity (with --client-id: a user-assigned one)",
    );
}

/** What to collect: `collect` and `audit --tenant`. */
function collectOptions(command: Command): Command {
  return command
    .option('--since <iso-time>', 'start of the directory-audit window (default: 30 days before now)')
    .option('--only <names>', `collect only these, comma-separated: ${COLLECT_DATASETS.join(',')}`)
    .option(
      '--signin-days <n>',
      'days of sign-ins to read, 1 to 30 (default 7); those of the Authenticator app and My Signins: always 30',
    )
    .option('--last-sign-in', "also read users' signInActivity (slow: 10 requests a minute)")
    .option(
      '--methods <mode>',
      'per-user methods lists to read: auto, needed, open or none (default auto: open if it fits --methods-budget, else needed)',
    )
    .option('--methods-budget <minutes>', 'minutes auto may spend reading every open user (default 30)')
    .option(
      '--report-max-age <days>',
      'a refresh reads the registration report in full when the stored one is older (default 7)',
    )
    .option(
      '--methods-max-age <days>',
      "a refresh reads an open user's stored methods list again when older (default 30)",
    )
    .option('--resume', 'continue the collection in the folder from where it stopped')
    .option(
      '--skip-bad-records',
      'leave out (and count) sign-in and audit records that cannot be read, instead of stopping',
    )
    .option(
      '--replace',
      'the folder holds a collection: collect anew beside it, swap it in when finished, remove the old one',
    );
}

function buildProgram(io: Io, deps: CliDeps): Command {
  const program = new Command();
  program
    .name('mfa-ready')
    .description(
      'Who in your Microsoft Entra ID tenant can really complete MFA, with the evidence, before you enforce it.',
    )
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showSuggestionAfterError(true);

  const audit = program
    .command('audit')
    .description('Assess every user: a verdict, its evidence and the next action')
    .option(
      '--from <dir>',
      'an export folder of Graph responses (see README: "Export folder"); default: the latest run in the history database',
    )
    .option(
      '--db <file>',
      'the history database (default MFA_READY_DB, else mfa-ready.db in the user data directory; with --demo, a throwaway one)',
    )
    .option(
      '--demo',
      'collect a generated demo tenant from the built-in Graph emulator and assess it (no Azure account needed)',
    )
    .option(
      '--now <iso-time>',
      'the clock to assess at (default: now; with --demo, the demo collection time)',
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .option('--out <file>', 'write the report to a file instead of standard output')
    .option(
      '--scope-group <id>',
      'limit the population to (transitive) members of this group (id or display name); repeatable, or a comma list',
      collect,
      [],
    )
    .option(
      '--exclude-group <id>',
      'exclude members of this group, e.g. break-glass accounts; repeatable, or a comma list',
      collect,
      [],
    )
    .option('--exclude-user <upn>', 'exclude this user (UPN or id); repeatable, or a comma list', collect, [])
    .option(
      '--exclude-service-accounts',
      'exclude directory-sync service accounts (Entra Connect Sync_*, Cloud Sync ADToAADSyncServiceAccount); without it they are only flagged',
    )
    .option('--user <upn>', "print one user's drill-down for the helpdesk")
    .option(
      '--top <n>',
      'table: list only the N worst users who need action (the counts still cover everyone)',
    )
    .option('--summary', 'table: only the header and the verdict summary, no list of users')
    .option(
      '--fail-on <verdicts>',
      `exit 1 when any user in scope has one of these verdicts (${VERDICTS.join(', ')}); repeatable, the lists add up`,
      collect,
      [],
    )
    .option(
      '--fail-on-new <verdicts>',
      'exit 1 when a user has one of these verdicts now and did not have it in the previous stored run (see --changed); repeatable, the lists add up',
      collect,
      [],
    )
    .option(
      '--changed',
      'list only the users whose verdict changed since the previous stored run (the run before the one assessed; with --from, the latest), and why',
    )
    .option('--no-color', 'no colour, even on a terminal')
    .option('-q, --quiet', 'nothing on standard error but errors (no progress lines)')
    .option(
      '--allow-incomplete',
      'assess a collection that did not finish, its unfinished parts marked (default: exit 2 naming them)',
    );
  graphOptions(
    audit,
    'collect this tenant from Microsoft Graph now, then assess it (directory id or domain)',
  );
  collectOptions(audit)
    .option(
      '--out-dir <dir>',
      'with --tenant: the export folder to collect into (default ./mfa-ready-export-<tenant>-<date>)',
    )
    .action(async (flags: AuditFlags) => {
      await auditCommand(flags, io, deps);
    });

  const collectCmd = program
    .command('collect')
    .description(
      'Read a tenant from Microsoft Graph and store it as a run of the history database (a refresh reads only what is new)',
    )
    .option('--out <dir>', 'also keep the export folder (what audit --from reads); created when missing')
    .option('--db <file>', DB_HELP)
    .option('--no-store', 'write the export folder (--out) only, nothing in the history database')
    .option(
      '--retain <days>',
      'keep stored sign-ins and audit events this many days (default: forever; Entra keeps them 30)',
    );
  graphOptions(collectCmd, 'the tenant to read: directory id or domain (default AZURE_TENANT_ID)');
  collectOptions(collectCmd)
    .option(
      '--scope-group <id>',
      "also collect this group's (transitive) members, for audit --scope-group or --exclude-group; repeatable, or a comma list",
      collect,
      [],
    )
    .option('--no-color', 'no colour, even on a terminal')
    .option('-q, --quiet', 'no progress display; the end summary only says what was missed')
    .action(async (flags: CollectFlags) => {
      // Loaded on demand: the Graph client and @azure/identity take a while to load.
      const { collectCommand } = await import('./commands/collect.js');
      await collectCommand(flags, io, deps);
    });

  const preflight = program
    .command('preflight')
    .description(
      'Check before a long run: does the credential work, which permissions, roles and licence are there, what does each missing one cost',
    );
  graphOptions(preflight, 'the tenant to check: directory id or domain (default AZURE_TENANT_ID)')
    .option('--only <names>', `probe only for these, comma-separated: ${COLLECT_DATASETS.join(',')}`)
    .option('--last-sign-in', "also probe users' signInActivity")
    .addOption(
      new Option(
        '--for <command>',
        'also check the write permissions and admin roles this command needs (nothing is written)',
      ).choices(['rollout', 'remediate']),
    )
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--no-color', 'no colour, even on a terminal')
    .action(async (flags: PreflightFlags) => {
      // Loaded on demand, like collect.
      const { preflightCommand } = await import('./commands/preflight.js');
      await preflightCommand(flags, io, deps);
    });

  program
    .command('schema')
    .description(
      'Print the JSON Schema of audit --format json, to validate reports against (also in the package: schema/assessment.schema.json)',
    )
    .action(async () => {
      const { schemaCommand } = await import('./commands/schema.js');
      schemaCommand(io);
    });

  program
    .command('import')
    .description('Load an export folder into the history database as one run (see --db)')
    .argument('<dir>', 'the export folder (as collect writes it, or as audit --from reads it)')
    .option('--db <file>', DB_HELP)
    .option(
      '--retain <days>',
      'keep stored sign-ins and audit events this many days (default: forever; Entra keeps them 30)',
    )
    .option('-q, --quiet', 'no summary line')
    .action(async (dir: string, flags: ImportFlags) => {
      // Loaded on demand: the SQLite binding is not needed by the other commands.
      const { importCommand } = await import('./commands/import.js');
      await importCommand(dir, flags, io, deps);
    });

  program
    .command('history')
    .description(
      'One line per stored run, oldest first: counts per verdict, % ready, and the funnel (enabled members › any strong method › usable › proven)',
    )
    .option('--db <file>', DB_HELP)
    .option('--demo', DEMO_HISTORY_HELP)
    .option('--since <date>', 'only runs collected on or after this date or time (ISO 8601, UTC)')
    .option(
      '--scope-group <id>',
      "count only this group's (transitive) members, as stored with each run (id or display name)",
      collect,
      [],
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--no-color', 'no colour, even on a terminal')
    .action(async (flags: HistoryFlags) => {
      const { historyCommand } = await import('./commands/history.js');
      await onDemoHistory(flags, (db) => historyCommand({ ...flags, ...db }, io));
    });

  program
    .command('diff')
    .description(
      'Who changed verdict, confidence or method states between two stored runs, and the evidence that appeared; worst news first',
    )
    .argument(
      '[a]',
      'the earlier run: a run id, or a date (the last run on or before it); default: the run before B',
    )
    .argument('[b]', 'the later run, likewise; default: the latest run')
    .option('--db <file>', DB_HELP)
    .option('--demo', DEMO_HISTORY_HELP)
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--no-color', 'no colour, even on a terminal')
    .option('-q, --quiet', 'with json or csv: do not name the compared runs on standard error')
    .action(async (a: string | undefined, b: string | undefined, flags: DiffFlags) => {
      const { diffCommand } = await import('./commands/diff.js');
      await onDemoHistory(flags, (db) => diffCommand(a, b, { ...flags, ...db }, io));
    });

  program
    .command('user')
    .description(
      'One user from the history: the latest stored drill-down, or (--history) their verdicts over time and the evidence timeline',
    )
    .argument('<upn>', 'the user: UPN or object id (any case)')
    .option('--history', "every stored run's verdict and all the evidence ever cited, with its age")
    .option('--db <file>', DB_HELP)
    .option('--demo', DEMO_HISTORY_HELP)
    .option('--now <iso-time>', 'the clock ages are counted to (default: now)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--no-color', 'no colour, even on a terminal')
    .action(async (upn: string, flags: UserFlags) => {
      const { userCommand } = await import('./commands/user.js');
      await onDemoHistory(flags, (db) => userCommand(upn, { ...flags, ...db }, io));
    });

  const serve = program
    .command('serve')
    .description(
      'The dashboard in your browser, on 127.0.0.1 with a per-run key: funnel, trend, users, each user’s timeline, rollout board, impact',
    )
    .option(
      '--host <address>',
      'listen on this address instead of 127.0.0.1 (others on the network could read it)',
      '127.0.0.1',
    )
    .option('--port <port>', 'the port (0 picks a free one)', '0')
    .option('--open', 'open the dashboard in the default browser')
    .action(async (flags: ServeFlags & { demo?: boolean }) => {
      const { serveCommand } = await import('./commands/serve.js');
      await onDashboardSource(flags, (f, demo) => serveCommand(f, io, demo));
    });
  dashboardSourceOptions(serve);

  const report = program
    .command('report')
    .description(
      'The dashboard as one self-contained HTML file (data inside, no server, no network): to mail or attach to a change request',
    )
    .requiredOption('--html <file>', 'the HTML file to write')
    .option('--redact', 'replace user names and UPNs by stable pseudonyms (for sharing outside the team)')
    .option('-q, --quiet', 'do not say where the file was written')
    .action(async (flags: ReportFlags & { demo?: boolean }) => {
      const { reportCommand } = await import('./commands/report.js');
      await onDashboardSource(flags, (f, demo) => reportCommand(f, io, demo));
    });
  dashboardSourceOptions(report);

  program
    .command('impact')
    .description(
      'Who a Conditional Access policy (or an MFA requirement on a group, or security defaults) would hit, and how',
    )
    .option('--policy <id-or-name>', 'the Conditional Access policy: its id or display name')
    .option('--group <id-or-name>', "an MFA requirement on this group's (transitive) members")
    .option('--security-defaults', 'security defaults: every user, asked to register Microsoft Authenticator')
    .option('--from <dir>', 'an export folder; default: the latest run in the history database')
    .option('--db <file>', DB_HELP)
    .option('--demo', 'the generated demo tenant, collected from the built-in Graph emulator')
    .option(
      '--now <iso-time>',
      'the clock to assess at (default: now; with --demo, the demo collection time)',
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .option('--out <file>', 'write the report to a file instead of standard output')
    .option('--no-color', 'no colour, even on a terminal')
    .option('-q, --quiet', 'nothing on standard error but errors (no progress lines)')
    .option('--allow-incomplete', 'with --from: use a collection that did not finish')
    .action(async (flags: ImpactFlags) => {
      const { impactCommand } = await import('./commands/impact.js');
      await impactCommand(flags, io);
    });

  program
    .command('emulate')
    .description(
      'Serve a synthetic tenant through Microsoft Graph URL shapes on 127.0.0.1 (for trying collect)',
    )
    .option('--port <port>', 'TCP port (0 picks a free one)', '0')
    .option('--users <n>', 'users in the synthetic tenant', '1000')
    .option('--seed <n>', 'tenant seed: the same seed is the same tenant')
    .option('--collected-at <iso-time>', "the tenant's now (default: the current time)")
    .option('--fault-rate <r>', 'fraction of responses that fail (503, 504, reset, slow, truncated)')
    .option('--time-scale <k>', 'emulated time runs k times faster (throttling windows, Retry-After)')
    .addOption(
      new Option('--licence <licence>', 'p1, or free: reports and sign-ins answer the licence error').choices(
        ['p1', 'free'],
      ),
    )
    .addOption(
      new Option('--cloud <cloud>', 'behave as this national cloud').choices([
        'global',
        'usgov',
        'usgovdod',
        'china',
      ]),
    )
    .option('--no-throttling', 'do not enforce the documented throttling limits')
    .option('--ca-out <file>', 'where to write the throwaway CA certificate', 'mfa-ready-emulator-ca.pem')
    .action(async (flags: EmulateFlags) => {
      // Loaded on demand: the emulator is not needed by the other commands.
      const { emulateCommand } = await import('./commands/emulate.js');
      await emulateCommand(flags, io);
    });

  const remediate = program
    .command('remediate')
    .description(
      'Helpdesk remediation: one-time Temporary Access Passes, half-finished Authenticator registrations cleared; a reviewable plan first',
    );
  remediate
    .command('plan')
    .description(
      'Plan what to do for each user who cannot do MFA yet (writes nothing to the tenant; stores the plan)',
    )
    .option('--from <dir>', 'an export folder; default: the latest run in the history database')
    .option('--demo', 'plan on the built-in demo tenant (no Azure account)')
    .option('--db <file>', DB_HELP)
    .option(
      '--verdict <verdicts>',
      'plan for users with these verdicts (default unverified,loop-risk,looping,not-registered); repeatable, or a comma list',
      collect,
      [],
    )
    .option(
      '--user <upn>',
      'plan for this user (UPN or id; any verdict unless --verdict); repeatable, or a comma list',
      collect,
      [],
    )
    .option('--out <file>', 'also write the plan as JSON to this file, for review and remediate apply')
    .option('--name <name>', 'the name the plan is stored under (default remediation-<date>)')
    .option(
      '--tap-lifetime <minutes>',
      "the passes' lifetime (default the TAP policy's default), kept within the policy",
    )
    .option('--tap-start <iso-time>', 'when the passes become usable (default at once)')
    .option(
      '--privileged',
      'you are a Privileged Authentication Administrator: admins get TAPs and deletions too',
    )
    .option('--now <iso-time>', 'the clock the users are assessed at (default now)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .option('-q, --quiet', 'nothing on standard error but errors')
    .action(async (flags: RemediatePlanFlags) => {
      const { remediatePlanCommand } = await import('./commands/remediate.js');
      await remediatePlanCommand(flags, io);
    });
  const remediateApply = remediate
    .command('apply')
    .description('Show what a plan would write; with --apply, write it through Graph (journaled, resumable)')
    .argument('<plan>', 'a plan file (remediate plan --out) or a stored plan name')
    .option('--apply', 'write to the tenant (without it: only show what would be written)')
    .option(
      '--tap-file <file>',
      'where the pass values go, created readable by you alone (default ./mfa-ready-taps-<plan>.csv)',
    )
    .option('--db <file>', DB_HELP)
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    );
  graphOptions(
    remediateApply,
    'the tenant to write to: directory id or domain (default AZURE_TENANT_ID)',
  ).action(async (plan: string, flags: RemediateApplyFlags) => {
    const { remediateApplyCommand } = await import('./commands/remediate.js');
    await remediateApplyCommand(plan, flags, io, deps);
  });
  remediate
    .command('status')
    .description(
      "What became of a plan's writes: TAPs used or expired unused, deletions followed by a new registration",
    )
    .argument('[plan]', 'a plan file or stored plan name (default: the latest plan)')
    .option('--db <file>', DB_HELP)
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .action(async (plan: string | undefined, flags: RemediateStatusFlags) => {
      const { remediateStatusCommand } = await import('./commands/remediate.js');
      await remediateStatusCommand(plan, flags, io);
    });
  addRolloutCommands(program, io, deps);

  return program;
}

/** Runs the CLI and maps every outcome to an exit code; never calls process.exit itself. */
export async function run(argv: string[], io: Io, deps: CliDeps = {}): Promise<number> {
  const program = buildProgram(io, deps);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: Io): number {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  if (err instanceof CommanderError) {
    // Help and --version end through here too, with exit code 0.
    if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version')
      return 0;
    // Commander has already printed its message.
    say("Run 'mfa-ready --help' for usage.");
    return 2;
  }
  if (err instanceof FailOnMatched) {
    const list = Object.entries(err.counts)
      .map(([v, n]) => `${v}: ${n}`)
      .join(', ');
    say(
      `mfa-ready: ${err.flag} matched (${list}${err.flag === '--fail-on-new' ? ', new since the previous run' : ''})`,
    );
    return 1;
  }
  if (err instanceof PreflightIncomplete) {
    say(`mfa-ready: preflight: missing for ${err.missing.join(', ')} (see above)`);
    return 1;
  }
  if (err instanceof InputError) {
    say(`mfa-ready: error: ${err.message}`);
    if (err.location) say(`  in ${formatLocation(err.location)}`);
    if (err.hint) say(`  ${err.hint}`);
    say('  Nothing was written.');
    return 2;
  }
  if (err instanceof UsageError) {
    say(`mfa-ready: error: ${err.message}`);
    if (err.hint) say(`  ${err.hint}`);
    return 2;
  }
  if (err instanceof RuntimeFailure) {
    say(`mfa-ready: failed: ${err.message}`);
    if (err.hint) say(`  ${err.hint}`);
    return 3;
  }
  // A bug, not a user error: keep the stack, it is what a maintainer needs.
  say(`mfa-ready: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  say('  This is a bug in mfa-ready. Please report it with the command you ran.');
  return 3;
}

/** `--db` of every command that reads or writes the history database. */
const DB_HELP = 'the history database (default MFA_READY_DB, else mfa-ready.db in the user data directory)';

const DEMO_HISTORY_HELP =
  "a few days of the generated demo tenant's rollout, stored in a throwaway history database (or in --db)";

/** Where `serve` and `report` take their data from: the history (default), an export folder, the demo. */
function dashboardSourceOptions(command: Command): void {
  command
    .option('--db <file>', DB_HELP)
    .option('--from <dir>', 'an export folder instead of the history (one snapshot, no trend)')
    .option('--demo', DEMO_HISTORY_HELP)
    .option('--now <iso-time>', 'the clock the latest snapshot is judged at (default: now)');
}

/** `--demo` (without --from) for serve and report: the demo days stored first, judged at their collection time. */
async function onDashboardSource<F extends { demo?: boolean; db?: string; from?: string }>(
  flags: F,
  command: (flags: F, demo: boolean) => Promise<void>,
): Promise<void> {
  if (flags.demo !== true || flags.from !== undefined) return command(flags, false);
  const { withDemoHistory } = await import('./demo-history.js');
  return withDemoHistory(flags.db, (file) => command({ ...flags, db: file }, true));
}

/** `--demo` on a command that reads the history: the demo days stored first, then the command on them. */
async function onDemoHistory(
  flags: { demo?: boolean; db?: string },
  command: (db: { db?: string }) => Promise<void>,
): Promise<void> {
  if (flags.demo !== true) return command({});
  const { withDemoHistory } = await import('./demo-history.js');
  return withDemoHistory(flags.db, (file) => command({ db: file }));
}

/** `rollout plan|status|next|pause|resume|rollback`: readiness-gated waves with a bypass group. */
function addRolloutCommands(program: Command, io: Io, deps: CliDeps): void {
  const format = () =>
    new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table');
  const rollout = program
    .command('rollout')
    .description(
      'Readiness-gated rollout: waves into an enforcement group, a bypass group while users register, graduation when verified',
    );
  rollout
    .command('plan')
    .description(
      'Plan the waves from the latest stored run and keep the plan (a new version if the name exists)',
    )
    .option('--name <name>', "the plan's name")
    .option('--enforce-group <group>', 'the group the MFA policy targets (id or display name)')
    .option('--bypass-group <group>', 'the group exempted while its users register (id or display name)')
    .option('--wave-size <n>', 'users per wave', '30')
    .option('--every <days>', 'days between waves: 7d, 2w', '7d')
    .option('--start <date>', "the first wave's day, YYYY-MM-DD (default today, UTC)")
    .option('--scope-group <group>', 'only (transitive) members of this group; repeatable', collect, [])
    .option('--exclude-group <group>', 'never these members (break-glass accounts); repeatable', collect, [])
    .option('--exclude-user <upn>', 'never this user; repeatable', collect, [])
    .option('--order <order>', 'ready-first, upn or created', 'ready-first')
    .option('--ready-threshold <share>', 'a wave advances when this share of its users is ready', '0.95')
    .option('--max-bypass-days <n>', 'list users longer than this in the bypass group', '14')
    .option('--out <file>', 'also write the plan as JSON to this file')
    .option('--db <file>', DB_HELP)
    .option('--now <iso-time>', 'the clock (default: now)')
    .addOption(format())
    .option('-q, --quiet', 'do not say which run the readiness is from')
    .action(async (flags: RolloutPlanFlags) => {
      const { rolloutPlanCommand } = await import('./commands/rollout.js');
      await rolloutPlanCommand(flags, io, deps);
    });
  rollout
    .command('status')
    .description(
      'Per wave: members, verdicts, % ready; the bypass group, since when and why; what next would do',
    )
    .argument('<name>', 'the plan')
    .option('--db <file>', DB_HELP)
    .option('--now <iso-time>', 'the clock (default: now)')
    .addOption(format())
    .action(async (name: string, flags: RolloutCommonFlags) => {
      const { rolloutStatusCommand } = await import('./commands/rollout.js');
      await rolloutStatusCommand(name, flags, io, deps);
    });
  for (const [verb, help] of [
    ['next', "today's change set: the due wave (or why it holds) and graduations; with --apply, made"],
    ['rollback', 'remove everything the plan added; with --apply, made (and the plan stops)'],
  ] as const) {
    const cmd = rollout
      .command(verb)
      .description(help)
      .argument('<name>', 'the plan')
      .option(
        '--apply',
        'make the changes (cloud groups through Graph; synced groups as an AD script and CSV)',
      )
      .option('--script-dir <dir>', 'where the AD PowerShell script and CSV go (default: the current folder)')
      .option('--db <file>', DB_HELP)
      .option('--now <iso-time>', 'the clock (default: now)')
      .addOption(format())
      .option('-q, --quiet', 'do not say which run the readiness is from');
    graphOptions(cmd, 'with --apply: the tenant to write to (default AZURE_TENANT_ID)').action(
      async (name: string, flags: RolloutApplyFlags) => {
        const commands = await import('./commands/rollout.js');
        await (verb === 'next' ? commands.rolloutNextCommand : commands.rolloutRollbackCommand)(
          name,
          flags,
          io,
          deps,
        );
      },
    );
  }
  for (const verb of ['pause', 'resume'] as const) {
    rollout
      .command(verb)
      .description(verb === 'pause' ? 'stop advancing waves until resumed' : 'advance waves again')
      .argument('<name>', 'the plan')
      .option('--db <file>', DB_HELP)
      .action(async (name: string, flags: RolloutCommonFlags) => {
        const { rolloutStateCommand } = await import('./commands/rollout.js');
        await rolloutStateCommand(verb, name, flags, io);
      });
  }
}
