import type { SignIn, SignInFacts } from '../../domain/tenant.js';
import { deepFrozen } from './value-codec.js';

/**
 * Hands slim sign-ins (slimSignIn) from a read worker to the main thread as columns: one row of
 * numbers per sign-in instead of the generic encoding's tag, key and value for each of its ten
 * fields. A 100,000-user tenant keeps some 350,000 sign-ins: the generic walk cost the worker about
 * a second and the main thread half of one, and built each object key by key, which V8 stores in two
 * pieces past the fourth key. Here the main thread builds each sign-in in one literal.
 *
 * What arrives is what slimSignIn made: the same own keys (an absent optional field stays absent),
 * values and facts. Equal strings arrive as one copy, and equal facts as one frozen copy, as from
 * ValueEncoder with `facts` shared.
 */

/** One batch of encoded sign-ins; the decoder must receive the batches of one encoder in order. */
export interface EncodedSignIns {
  count: number;
  /** Per sign-in, ROW numbers: see the column constants below. */
  rows: Int32Array;
  /** Per sign-in, its errorCode (a number of any kind, which an Int32Array would not hold). */
  errorCodes: Float64Array;
  /** The ids and times of this batch's sign-ins, two per sign-in, as a JSON array. */
  unique: string;
  /** The repeated strings first used in this batch (user ids, app names…), as a JSON array. */
  strings: string;
  /** The facts first used in this batch, as a JSON array. */
  facts: string;
}

const USER_ID = 0;
const UPN = 1;
const APP_ID = 2;
const APP_NAME = 3;
const TOKEN_ISSUER = 4;
/** -1 absent, 0 false, 1 true. */
const INTERACTIVE = 5;
/** -1 for `null` (no facts), else the facts' index. */
const FACTS = 6;
const ROW = 7;
/** An absent string or facts. */
const NONE = -1;

/** Distinct strings and facts remembered at most: values that only look repeated cannot grow it unbounded. */
const MAX_REMEMBERED = 65_536;

export class SlimSignInEncoder {
  private readonly strings = new Map<string, number>();
  private readonly facts = new Map<SignInFacts, number>();
  private stringCount = 0;
  private factCount = 0;

  /**
   * Encodes slim sign-ins (each with its `facts` key set, as slimSignIn leaves it).
   * @throws {TypeError} for a sign-in that is not slim: the caller then hands the items over generically.
   */
  encode(items: readonly SignIn[]): EncodedSignIns {
    const rows = new Int32Array(items.length * ROW);
    const errorCodes = new Float64Array(items.length);
    const unique: string[] = [];
    const newStrings: string[] = [];
    const newFacts: SignInFacts[] = [];
    const string = (s: string | undefined): number => {
      if (s === undefined) return NONE;
      let index = this.strings.get(s);
      if (index === undefined) {
        index = this.stringCount++;
        if (this.strings.size < MAX_REMEMBERED) this.strings.set(s, index);
        newStrings.push(s);
      }
      return index;
    };
    for (let i = 0; i < items.length; i++) {
      const s = items[i] as SignIn;
      if (s.facts === undefined) throw new TypeError('a sign-in to hand over as columns must be slim');
      const at = i * ROW;
      unique.push(s.id, s.createdDateTime);
      errorCodes[i] = s.errorCode;
      rows[at + USER_ID] = string(s.userId);
      rows[at + UPN] = string(s.userPrincipalName);
      rows[at + APP_ID] = string(s.appId);
      rows[at + APP_NAME] = string(s.appDisplayName);
      rows[at + TOKEN_ISSUER] = string(s.tokenIssuerType);
      rows[at + INTERACTIVE] = s.isInteractive === undefined ? NONE : s.isInteractive ? 1 : 0;
      rows[at + FACTS] = s.facts === null ? NONE : this.factsIndex(s.facts, newFacts);
    }
    return {
      count: items.length,
      rows,
      errorCodes,
      unique: JSON.stringify(unique),
      strings: JSON.stringify(newStrings),
      facts: JSON.stringify(newFacts),
    };
  }

  private factsIndex(facts: SignInFacts, newFacts: SignInFacts[]): number {
    let index = this.facts.get(facts);
    if (index === undefined) {
      index = this.factCount++;
      if (this.facts.size < MAX_REMEMBERED) this.facts.set(facts, index);
      newFacts.push(facts);
    }
    return index;
  }
}

export class SlimSignInDecoder {
  private readonly strings: string[] = [];
  private readonly facts: SignInFacts[] = [];

  /** The sign-ins of one batch, in order. */
  decode(batch: EncodedSignIns): SignIn[] {
    for (const s of JSON.parse(batch.strings) as string[]) this.strings.push(s);
    for (const f of JSON.parse(batch.facts) as SignInFacts[]) this.facts.push(deepFrozen(f));
    const unique = JSON.parse(batch.unique) as string[];
    const { count, rows, errorCodes } = batch;
    if (unique.length !== count * 2 || rows.length !== count * ROW || errorCodes.length !== count) {
      throw new Error('a batch of sign-ins from the read worker does not decode to its length');
    }
    const out = new Array<SignIn>(count);
    for (let i = 0; i < count; i++) {
      const at = i * ROW;
      const userId = this.string(rows[at + USER_ID] as number);
      const userPrincipalName = this.string(rows[at + UPN] as number);
      const appId = this.string(rows[at + APP_ID] as number);
      const appDisplayName = this.string(rows[at + APP_NAME] as number);
      const tokenIssuerType = this.string(rows[at + TOKEN_ISSUER] as number);
      const interactive = rows[at + INTERACTIVE] as number;
      const factsAt = rows[at + FACTS] as number;
      const facts = factsAt === NONE ? null : this.factsAt(factsAt);
      const id = unique[2 * i] as string;
      const createdDateTime = unique[2 * i + 1] as string;
      const errorCode = errorCodes[i] as number;
      if (
        userId !== undefined &&
        userPrincipalName !== undefined &&
        appId !== undefined &&
        appDisplayName !== undefined &&
        interactive !== NONE &&
        tokenIssuerType !== undefined
      ) {
        // Every field present, as Graph writes them: one literal, one allocation (key order as slimSignIn's).
        out[i] = {
          id,
          createdDateTime,
          errorCode,
          userId,
          userPrincipalName,
          appId,
          appDisplayName,
          isInteractive: interactive === 1,
          tokenIssuerType,
          facts,
        };
        continue;
      }
      const s: SignIn = { id, createdDateTime, errorCode };
      if (userId !== undefined) s.userId = userId;
      if (userPrincipalName !== undefined) s.userPrincipalName = userPrincipalName;
      if (appId !== undefined) s.appId = appId;
      if (appDisplayName !== undefined) s.appDisplayName = appDisplayName;
      if (interactive !== NONE) s.isInteractive = interactive === 1;
      if (tokenIssuerType !== undefined) s.tokenIssuerType = tokenIssuerType;
      s.facts = facts;
      out[i] = s;
    }
    return out;
  }

  private string(index: number): string | undefined {
    if (index === NONE) return undefined;
    const s = this.strings[index];
    if (s === undefined) throw new Error('a batch of sign-ins from the read worker names an unknown string');
    return s;
  }

  private factsAt(index: number): SignInFacts {
    const f = this.facts[index];
    if (f === undefined) throw new Error('a batch of sign-ins from the read worker names unknown facts');
    return f;
  }
}
