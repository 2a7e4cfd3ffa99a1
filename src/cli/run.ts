import { Command, CommanderError, Option } from 'commander';
import { InputError, RuntimeFailure, UsageError, FailOnMatched, formatLocation } from '../domain/errors.js';
import { VERDICTS } from '../domain/verdict.js';
import type { Io } from './output.js';
import { auditCommand, type AuditFlags } from './commands/audit.js';
import type { EmulateFlags } from './commands/emulate.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function buildProgram(io: Io): Command {
  const program = new Command();
  program
    .name('mfa-ready')
    .description(
      'Who in your Microsoft Entra ID tenant can really complete MFA, with the evidence, before you enforce it.',
    )
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showSuggestionAfterError(true);

  program
    .command('audit')
    .description('Assess every user: a verdict, its evidence and the next action')
    .option('--from <dir>', 'an export folder of Graph responses (see README: "Export folder")')
    .option('--demo', 'use the bundled demo tenant (no Azure account needed)')
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
      'limit the population to (transitive) members of this group; repeatable',
      collect,
      [],
    )
    .option(
      '--exclude-group <id>',
      'exclude members of this group, e.g. break-glass accounts; repeatable',
      collect,
      [],
    )
    .option('--exclude-user <upn>', 'exclude this user (UPN or id); repeatable', collect, [])
    .option('--user <upn>', "print one user's drill-down for the helpdesk")
    .option(
      '--fail-on <verdicts>',
      `exit 1 when any user in scope has one of these verdicts (${VERDICTS.join(', ')})`,
    )
    .option('--no-color', 'no colour, even on a terminal')
    .option('-q, --quiet', 'no progress lines on standard error')
    .action(async (flags: AuditFlags) => {
      await auditCommand(flags, io);
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

  return program;
}

/** Runs the CLI and maps every outcome to an exit code; never calls process.exit itself. */
export async function run(argv: string[], io: Io): Promise<number> {
  const program = buildProgram(io);
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
    say(`mfa-ready: --fail-on matched (${list})`);
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
