import type { SignIn } from '../domain/tenant.js';
import type { SignInFacts } from './sign-in-facts.js';
import { signInFacts } from './sign-in-facts.js';
import { toMs } from './time.js';
import type { UserResolver } from './user-resolver.js';

/** A sign-in that holds evidence, with its facts and time worked out once. */
export interface ClassifiedSignIn {
  signIn: SignIn;
  at: number;
  facts: SignInFacts;
}

function byTime(x: ClassifiedSignIn, y: ClassifiedSignIn): number {
  if (x.at !== y.at) return x.at - y.at;
  return x.signIn.id < y.signIn.id ? -1 : x.signIn.id > y.signIn.id ? 1 : 0;
}

/** Evidence sign-ins grouped by user, in time order (ties by id). One pass over the sign-ins. */
export function indexSignIns(
  signIns: readonly SignIn[] | undefined,
  users: UserResolver,
): Map<string, ClassifiedSignIn[]> {
  const byUser = new Map<string, ClassifiedSignIn[]>();
  if (signIns === undefined) return byUser;
  for (const signIn of signIns) {
    const facts = signInFacts(signIn);
    if (facts === undefined) continue;
    const at = toMs(signIn.createdDateTime);
    if (at === undefined) continue;
    const userId = users.resolve(signIn.userId) ?? users.resolve(signIn.userPrincipalName);
    if (userId === undefined) continue;
    let list = byUser.get(userId);
    if (list === undefined) byUser.set(userId, (list = []));
    list.push({ signIn, at, facts });
  }
  for (const list of byUser.values()) list.sort(byTime);
  return byUser;
}
