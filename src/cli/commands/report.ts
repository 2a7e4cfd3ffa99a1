import { existsSync } from 'node:fs';
import { UsageError } from '../../domain/errors.js';
import { embedDashboard } from '../../server/embedded-dashboard.js';
import { redactEmbedded, renderHtmlReport } from '../../server/html-report.js';
import { readDashboardPage } from '../../server/web-assets.js';
import { folderDashboard, storeDashboard } from '../dashboard-source.js';
import { isoTimeFlag } from '../flag-values.js';
import { writeFileAtomic, type Io } from '../output.js';
import { openExistingStore } from '../stored-snapshot.js';

export interface ReportFlags {
  html: string;
  db?: string;
  from?: string;
  now?: string;
  redact?: boolean;
  quiet?: boolean;
}

/**
 * How much of each user's evidence the file keeps: the findings that explain the verdict and the most
 * recent ones, eight for a user who needs action, the telling one for a ready or excluded user (what a
 * 100,000-user report can carry under 15 MB; docs/performance.md "The HTML report").
 */
export const REPORT_EVIDENCE = { ready: 1, other: 8 } as const;
export const REPORT_CHANGES = 200;

/**
 * `mfa-ready report --html FILE`: the dashboard as one file with the data inside, to mail or attach to a
 * change request. From the history's latest run (or `--from DIR`); `demo`: the demo history, judged at
 * its collection time.
 */
export async function reportCommand(flags: ReportFlags, io: Io, demo = false): Promise<void> {
  const now = flags.now === undefined ? undefined : isoTimeFlag('--now', flags.now);
  const page = await readDashboardPage();
  let data;
  if (flags.from !== undefined) {
    if (!existsSync(flags.from))
      throw new UsageError(`--from ${flags.from}: no such folder`, 'Give the export folder collect wrote.');
    data = await folderDashboard(flags.from, now ?? new Date());
    const embedded = embedDashboard(data, { maxEvidence: REPORT_EVIDENCE, maxChanges: REPORT_CHANGES });
    return write(
      flags,
      io,
      renderHtmlReport(page, flags.redact === true ? redactEmbedded(embedded) : embedded),
    );
  }
  const store = openExistingStore(flags.db, io.env);
  try {
    data = await storeDashboard(store, now ?? (demo ? 'collected' : new Date()), demo ? 'demo' : 'store');
    const embedded = embedDashboard(data, { maxEvidence: REPORT_EVIDENCE, maxChanges: REPORT_CHANGES });
    return await write(
      flags,
      io,
      renderHtmlReport(page, flags.redact === true ? redactEmbedded(embedded) : embedded),
    );
  } finally {
    store.close();
  }
}

async function write(flags: ReportFlags, io: Io, html: string): Promise<void> {
  await writeFileAtomic(flags.html, html);
  if (flags.quiet !== true) {
    const mb = (Buffer.byteLength(html) / 1e6).toFixed(1);
    io.stderr.write(
      `wrote ${flags.html} (${mb} MB${flags.redact === true ? ', names and UPNs replaced by pseudonyms' : ''}): ` +
        'open it in a browser; it needs no server and no network\n',
    );
  }
}
