import type { UserResolver } from './user-resolver.js';

/*
 * These run once per assessment over whole logs, so their loops are indexed: a for-of loop in code that
 * is not yet optimised allocates an iterator result per element (measured: 2-4 times slower here).
 */

/**
 * Each user's items, by user id: `owners[j]` (for j below `count`) is the position (UserResolver
 * .positionOf) of the user item j belongs to, and `make(j)` builds item j. A user's items keep the
 * order of j; users come in the order they were added to the resolver (the population's order).
 *
 * A counting sort rather than a Map lookup and a growing list per item: on a large tenant those, with
 * the items they hold scattered over the heap, cost more than the rest of indexing. Here the items are
 * made user by user, in the order the assessment then reads them, and each list is an exact slice.
 */
export function groupByUser<T>(
  owners: ArrayLike<number>,
  count: number,
  users: UserResolver,
  make: (j: number) => T,
): Map<string, T[]> {
  const userCount = users.size;
  // starts[u + 1] first counts user u's items; summed up, starts[u] is where they begin.
  const starts = new Int32Array(userCount + 1);
  for (let j = 0; j < count; j++) starts[owners[j]! + 1]!++;
  for (let u = 0; u < userCount; u++) starts[u + 1]! += starts[u]!;

  const next = starts.slice(0, userCount);
  const order = new Int32Array(count);
  for (let j = 0; j < count; j++) order[next[owners[j]!]!++] = j;
  const grouped: T[] = [];
  for (let k = 0; k < count; k++) grouped.push(make(order[k]!));

  const byUser = new Map<string, T[]>();
  for (let u = 0; u < userCount; u++) {
    const start = starts[u]!;
    const end = starts[u + 1]!;
    if (end > start) byUser.set(users.idAt(u), grouped.slice(start, end));
  }
  return byUser;
}

/**
 * Sorts `list` in place as `list.sort(compare)` would (compare must be a consistent order). A list
 * already in order is left as it is, and one in strictly reverse order (logs list the newest first) is
 * reversed: no work copy, which Array.prototype.sort makes of every list, tens of thousands of them.
 */
export function sortMostlySorted<T>(list: T[], compare: (x: T, y: T) => number): void {
  let ascending = true;
  let descending = true;
  for (let i = 1; i < list.length && (ascending || descending); i++) {
    const c = compare(list[i - 1]!, list[i]!);
    if (c > 0) ascending = false;
    else descending = false;
  }
  if (ascending) return;
  if (descending) list.reverse();
  else list.sort(compare);
}
