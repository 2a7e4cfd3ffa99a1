import { describe, expect, it } from 'vitest';
import { FederatedDomains } from '../../src/assess/federated-domains.js';
import { lowerCase } from '../../src/assess/lower-case.js';
import { memoByText } from '../../src/assess/memo.js';
import { groupByUser, sortMostlySorted } from '../../src/assess/user-groups.js';
import { UserResolver } from '../../src/assess/user-resolver.js';

interface Item {
  at: number;
  id: string;
}

const byAtThenId = (x: Item, y: Item): number => x.at - y.at || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

/** Items equal in the order carry the same at and id; `n` tells them apart. */
const items = (...pairs: [number, string][]): (Item & { n: number })[] =>
  pairs.map(([at, id], n) => ({ at, id, n }));

describe('sortMostlySorted', () => {
  it('gives exactly what Array.prototype.sort gives, ties and all', () => {
    const cases = [
      items(),
      items([1, 'a']),
      items([1, 'a'], [2, 'b'], [3, 'c']),
      items([3, 'c'], [2, 'b'], [1, 'a']),
      // Reverse order but for a tie: reversing would swap the tied pair, a stable sort does not.
      items([3, 'c'], [2, 'b'], [2, 'b'], [1, 'a']),
      items([2, 'b'], [2, 'a'], [1, 'z']),
      items([1, 'a'], [1, 'a'], [0, 'a']),
      items([5, 'e'], [1, 'a'], [4, 'd'], [1, 'a'], [2, 'b']),
    ];
    for (const list of cases) {
      const expected = [...list].sort(byAtThenId);
      sortMostlySorted(list, byAtThenId);
      expect(list).toEqual(expected);
      expect(list.map((x) => x.n)).toEqual(expected.map((x) => x.n));
    }
  });
});

describe('groupByUser', () => {
  it("keeps each user's items in order and lists users in the order they were added", () => {
    const users = new UserResolver();
    users.add('u-first', 'first@contoso.com');
    users.add('u-second', 'second@contoso.com');
    users.add('u-third', 'third@contoso.com');
    const owners = [2, 0, 2, 2, 0];
    const byUser = groupByUser(owners, owners.length, users, (j) => `item${j}`);
    expect([...byUser.keys()]).toEqual(['u-first', 'u-third']);
    expect(byUser.get('u-first')).toEqual(['item1', 'item4']);
    expect(byUser.get('u-third')).toEqual(['item0', 'item2', 'item3']);
    expect(byUser.has('u-second')).toBe(false);
  });
});

describe('UserResolver', () => {
  it('finds users by id or UPN in any case, an id winning over a colliding UPN added before or after', () => {
    const users = new UserResolver();
    users.add('Id-A', 'shared@contoso.com');
    users.add('shared@contoso.com', 'b@contoso.com');
    users.add('id-c', 'C@Contoso.com');
    users.add('id-d', 'c@contoso.com');
    expect(users.resolve('ID-A')).toBe('Id-A');
    expect(users.resolve('SHARED@contoso.com')).toBe('shared@contoso.com');
    // The first UPN added wins over a later one.
    expect(users.resolve('c@CONTOSO.com')).toBe('id-c');
    expect(users.resolve('nobody')).toBeUndefined();
    expect(users.resolve('')).toBeUndefined();
    expect(users.positionOf('id-d')).toBe(3);
    expect(users.idAt(users.positionOf('b@contoso.com')!)).toBe('shared@contoso.com');
    expect(users.size).toBe(4);
  });
});

describe('lowerCase', () => {
  it('is toLowerCase, giving back the very string when nothing changes', () => {
    for (const s of ['', 'abc-123@x.com', 'ABC', 'Ünïcödé', 'İstanbul', 'ǅ', 'ß', 'a\u0130b', '\ud800']) {
      expect(lowerCase(s), s).toBe(s.toLowerCase());
    }
  });
});

describe('memoByText', () => {
  it('works each text out once, undefined results included, and forgets when full', () => {
    const seen: string[] = [];
    const lengthOrNothing = memoByText((text) => {
      seen.push(text);
      return text === '' ? undefined : text.length;
    }, 2);
    expect(lengthOrNothing('ab')).toBe(2);
    expect(lengthOrNothing('')).toBeUndefined();
    expect(lengthOrNothing('ab')).toBe(2);
    expect(lengthOrNothing('')).toBeUndefined();
    expect(seen).toEqual(['ab', '']);
    expect(lengthOrNothing('abc')).toBe(3);
    expect(lengthOrNothing('ab')).toBe(2);
    expect(seen).toEqual(['ab', '', 'abc', 'ab']);
  });
});

describe('FederatedDomains', () => {
  it('answers the same for every UPN of a domain, however often and in whatever order it is asked', () => {
    const fed = { id: 'Fed.example', authenticationType: 'Federated' };
    const domains = new FederatedDomains([
      fed,
      { id: 'managed.example', authenticationType: 'Managed' },
      { id: 'own.fed.example', authenticationType: 'Managed' },
    ]);
    const upns = [
      'a@fed.example',
      'b@sub.FED.example',
      'c@own.fed.example',
      'd@managed.example',
      'e@x@fed.example',
      'no-at-sign',
      ...Array.from({ length: 12 }, (_, i) => `u${i}@d${i}.fed.example`),
    ];
    const expected = [fed, fed, undefined, undefined, fed, undefined, ...upns.slice(6).map(() => fed)];
    for (let round = 0; round < 3; round++) {
      upns.forEach((upn, i) => expect(domains.federatedDomainOf(upn), upn).toBe(expected[i]));
    }
  });
});
