import type { AppliedPolicy, SignIn, SignInFacts } from '../domain/tenant.js';
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
  /**
   * The sign-ins that carry appliedConditionalAccessPolicies (few keep any: SILENT_POLICY_RESULTS
   * are dropped), as a JSON array of `[index in the batch, list]`; absent when none do.
   */
  applied?: string;
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

/** Distinct facts remembered at most (SignInFactsPool shares a few dozen; past its cap they are not shared). */
const MAX_FACTS = 4_096;

export class SlimSignInEncoder {
  /*
   * Every string that repeats gets a number, kept for the encoder's life (the main thread keeps every
   * one of them too). A Map look-up hashes a fresh string each time, and the table of a large
   * tenant's user ids misses the cache: a third of the worker's time went there. So each sign-in
   * looks up its user id in `users` and its app id in `often` (a handful of apps), and its UPN, app
   * name and token issuer are first compared with the ones that came with the same user or app last
   * time, which is nearly always the answer.
   */
  private readonly users = new Map<string, number>();
  private readonly often = new Map<string, number>();
  private readonly table: string[] = [];
  /** By string number: the number of the UPN, app name or issuer last seen with that user id or app id. */
  private readonly upnAfter: number[] = [];
  private readonly nameAfter: number[] = [];
  private readonly issuerAfter: number[] = [];
  private readonly facts = new Map<SignInFacts, number>();
  private factCount = 0;
  private newStrings: string[] = [];

  /**
   * Encodes slim sign-ins (each with its `facts` key set, as slimSignIn leaves it).
   * @throws {TypeError} for a sign-in that is not slim: the caller then hands the items over generically.
   */
  encode(items: readonly SignIn[]): EncodedSignIns {
    const rows = new Int32Array(items.length * ROW);
    const errorCodes = new Float64Array(items.length);
    const unique: string[] = [];
    const newFacts: SignInFacts[] = [];
    let applied: [number, AppliedPolicy[]][] | undefined;
    this.newStrings = [];
    for (let i = 0; i < items.length; i++) {
      const s = items[i] as SignIn;
      if (s.facts === undefined) throw new TypeError('a sign-in to hand over as columns must be slim');
      const at = i * ROW;
      unique.push(s.id, s.createdDateTime);
      errorCodes[i] = s.errorCode;
      const user = this.lookUp(s.userId, this.users);
      const app = this.lookUp(s.appId, this.often);
      rows[at + USER_ID] = user;
      rows[at + UPN] = this.after(user, s.userPrincipalName, this.upnAfter, this.users);
      rows[at + APP_ID] = app;
      rows[at + APP_NAME] = this.after(app, s.appDisplayName, this.nameAfter, this.often);
      rows[at + TOKEN_ISSUER] = this.after(user, s.tokenIssuerType, this.issuerAfter, this.often);
      rows[at + INTERACTIVE] = s.isInteractive === undefined ? NONE : s.isInteractive ? 1 : 0;
      rows[at + FACTS] = s.facts === null ? NONE : this.factsIndex(s.facts, newFacts);
      if (s.appliedConditionalAccessPolicies !== undefined)
        (applied ??= []).push([i, s.appliedConditionalAccessPolicies]);
    }
    return {
      count: items.length,
      rows,
      errorCodes,
      unique: JSON.stringify(unique),
      strings: JSON.stringify(this.newStrings),
      facts: JSON.stringify(newFacts),
      ...(applied !== undefined ? { applied: JSON.stringify(applied) } : {}),
    };
  }

  private lookUp(s: string | undefined, map: Map<string, number>): number {
    if (s === undefined) return NONE;
    let index = map.get(s);
    if (index === undefined) {
      index = this.table.length;
      map.set(s, index);
      this.table.push(s);
      this.upnAfter.push(NONE);
      this.nameAfter.push(NONE);
      this.issuerAfter.push(NONE);
      this.newStrings.push(s);
    }
    return index;
  }

  /** The number of `s`, which came with string `anchor`: the one that came with it last time, if equal. */
  private after(anchor: number, s: string | undefined, last: number[], map: Map<string, number>): number {
    if (s === undefined) return NONE;
    if (anchor === NONE) return this.lookUp(s, map);
    const previous = last[anchor] as number;
    if (previous !== NONE && this.table[previous] === s) return previous;
    const index = this.lookUp(s, map);
    last[anchor] = index;
    return index;
  }

  private factsIndex(facts: SignInFacts, newFacts: SignInFacts[]): number {
    let index = this.facts.get(facts);
    if (index === undefined) {
      index = this.factCount++;
      if (this.facts.size < MAX_FACTS) this.facts.set(facts, index);
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
    if (batch.applied !== undefined) {
      for (const [i, list] of JSON.parse(batch.applied) as [number, AppliedPolicy[]][]) {
        const s = out[i];
        if (s === undefined)
          throw new Error('a batch of sign-ins from the read worker names an unknown sign-in');
        s.appliedConditionalAccessPolicies = list;
      }
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
