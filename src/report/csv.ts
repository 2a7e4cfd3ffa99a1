import { stringify } from 'csv-stringify/sync';
import type { Assessment, UserAssessment } from '../domain/verdict.js';
import { actionText, reasonText } from './messages.js';
import { safeText } from './sanitize.js';

export const CSV_COLUMNS = [
  'userPrincipalName',
  'displayName',
  'id',
  'verdict',
  'confidence',
  'weak',
  'isAdmin',
  'exclusion',
  'methods',
  'reason',
  'actionCode',
  'actionText',
] as const;

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"): = + - @, and tab
 * or CR, which some importers strip before looking. The full-width forms are included because Excel in
 * some East Asian locales folds them to ASCII; leading spaces are skipped for the same reason.
 */
const FORMULA_START = /^[ ]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/**
 * Makes a cell inert in Excel, LibreOffice and Google Sheets by prefixing `'`. Display names are set by
 * users themselves, so "=HYPERLINK(…)" in one must arrive as text, not as a live formula.
 */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * Tenant strings keep their tab/CR/LF (CSV quoting carries them and the formula check sees them), but
 * ESC and the other terminal controls are made visible: admins `cat` and `less` CSV files too.
 */
export function csvCell(s: string): string {
  return neutraliseFormula(s.replace(/[^\t\r\n]+/g, safeText));
}

function row(u: UserAssessment): string[] {
  return [
    u.userPrincipalName,
    u.displayName,
    u.id,
    u.verdict,
    u.confidence ?? '',
    String(u.weak),
    String(u.isAdmin),
    u.exclusion ?? '',
    u.methods.map((m) => `${m.type}:${m.state}`).join('; '),
    reasonText(u),
    u.action.code,
    actionText(u.action, u),
  ].map(csvCell);
}

export interface CsvOptions {
  /**
   * Prepend a UTF-8 byte order mark so Excel reads non-ASCII names correctly when the file is opened by
   * double-click. Off by default: pipes and most tools do not want it; the CLI can turn it on for --out.
   */
  bom?: boolean;
}

/** `mfa-ready audit --format csv`: one row per user, header first, safe against formula injection. */
export function renderCsv(a: Assessment, opts: CsvOptions = {}): string {
  return stringify([[...CSV_COLUMNS], ...a.users.map(row)], {
    bom: opts.bom ?? false,
    // Belt and braces: the library's own guard as well, in case a cell ever bypasses `cell()`.
    escape_formulas: true,
  });
}
