import type Database from 'better-sqlite3';
import type { CoveredBy, UserAssessment } from '../domain/verdict.js';
import { hashOf } from './user-rows.js';

/*
 * How a UserAssessment is kept in verdict_versions. The Conditional Access policies covering a user
 * (`coveredBy`) are the same for nearly everyone: 3 distinct values among 100,000 users, 84 of their
 * 256 MB of JSON. So each distinct value is stored once by content in `blobs`, named from the row's
 * `covered_by` column, and read once per distinct value; `data` is the rest. A row written before
 * (covered_by NULL) keeps it in `data`. The row's version hash is of the whole assessment, so a
 * change of coverage alone is a change of the user's verdict row.
 */

/** The row's parts: `data` (without coveredBy when it is kept apart), its blob, and the version hash. */
export interface VerdictRowParts {
  data: string;
  coveredBy: { hash: string; json: string } | null;
  hash: string;
}

export function verdictRowParts(u: UserAssessment): VerdictRowParts {
  const whole = JSON.stringify(u);
  const keys = Object.keys(u);
  // Kept apart only as the last key (assess sets it last), where the reader puts it back.
  if (u.coveredBy === undefined || keys[keys.length - 1] !== 'coveredBy')
    return { data: whole, coveredBy: null, hash: hashOf(whole) };
  const { coveredBy, ...rest } = u;
  const json = JSON.stringify(coveredBy);
  return { data: JSON.stringify(rest), coveredBy: { hash: hashOf(json), json }, hash: hashOf(whole) };
}

/** A reader of verdict rows that parses each distinct coverage once and shares it among its users. */
export function verdictRowReader(
  db: Database.Database,
): (data: string, coveredBy: string | null) => UserAssessment {
  const blob = db.prepare('SELECT data FROM blobs WHERE hash = ?').pluck();
  const shared = new Map<string, CoveredBy>();
  return (data, coveredByHash) => {
    const user = JSON.parse(data) as UserAssessment;
    if (coveredByHash === null) return user;
    let coveredBy = shared.get(coveredByHash);
    if (coveredBy === undefined) {
      const json = blob.get(coveredByHash) as string | undefined;
      if (json === undefined)
        throw new Error(`verdict row names coverage ${coveredByHash}, which is not stored`);
      coveredBy = JSON.parse(json) as CoveredBy;
      shared.set(coveredByHash, coveredBy);
    }
    user.coveredBy = coveredBy;
    return user;
  };
}
