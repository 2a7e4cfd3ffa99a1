import { embedDashboard } from '../../server/embedded-dashboard.js';
import { redactEmbedded, renderHtmlReport } from '../../server/html-report.js';
import { readDashboardPage } from '../../server/web-assets.js';
import { openDashboardData } from '../dashboard-source.js';
import { writeFileAtomic, type Io } from '../output.js';

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
  const page = await readDashboardPage();
  const { data, close } = await openDashboardData(flags, io.env, demo);
  try {
    const embedded = embedDashboard(data, { maxEvidence: REPORT_EVIDENCE, maxChanges: REPORT_CHANGES });
    await write(
      flags,
      io,
      renderHtmlReport(page, flags.redact === true ? redactEmbedded(embedded) : embedded),
    );
  } finally {
    close();
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
