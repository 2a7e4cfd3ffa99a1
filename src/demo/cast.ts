/**
 * The cast of the synthetic tenant: one `Member` per user. The first users are a fixed, named cast
 * (both incidents of test/fixtures/incidents, the proof-up loop's students, break-glass accounts, an admin), ordered so
 * that even a 10-user tenant shows both incidents; the rest are drawn from the persona shares in
 * personas.ts.
 *
 * Each member is built from its own keyed random streams (`Random.from(seed, 'member', index)`), so a
 * member does not change when the tenant grows: user 42 of a 300-user tenant is user 42 of a
 * 300,000-user one, which keeps the demo, the emulator and the benchmark telling the same story.
 */
import { DEPARTMENTS, FIRST_NAMES, LAST_NAMES } from './catalog.js';
import { DEPARTMENT_GROUPS, DOMAINS } from './directory-objects.js';
import type { Clock, Member } from './model.js';
import { buildPersona, populationOf } from './persona-builders.js';
import type { Population } from './persona-builders.js';
import { stratifiedPersona } from './personas.js';
import type { PersonaKind } from './personas.js';
import { Random } from './random.js';
import { StoryBuilder } from './story-builder.js';
import { DAY } from './time.js';

interface NamedEntry {
  persona: PersonaKind;
  population?: Population;
  local?: string;
  displayName?: string;
}

/** The fixed cast, most important first (a tiny tenant keeps only the first few). */
export const NAMED_CAST: readonly NamedEntry[] = [
  { persona: 'incident1-mfatest1', local: 'mfatest1', displayName: 'MFATest1' },
  { persona: 'incident1-mfatest2', local: 'mfatest2', displayName: 'MFATest2' },
  { persona: 'looping-now' },
  { persona: 'loop-risk-app-signed-in', population: 'student' },
  { persona: 'break-glass', local: 'breakglass01', displayName: 'Break Glass 01' },
  { persona: 'ready-admin' },
  { persona: 'ready-student-graduated' },
  { persona: 'not-registered-student-new-batch' },
  { persona: 'ready-after-past-loop' },
  { persona: 'loop-risk-past-loop' },
  { persona: 'break-glass', local: 'breakglass02', displayName: 'Break Glass 02' },
];

const GUEST_DOMAINS = ['fabrikam.com', 'tailspintoys.com', 'woodgrovebank.com', 'adatum.com'] as const;

/** `Chloé O'Brien` → `chloe.obrien`: UPNs are ASCII. */
function asciiLocal(first: string, last: string): string {
  const clean = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z]/g, '');
  return `${clean(first)}.${clean(last)}`;
}

export interface CastOptions {
  users: number;
  seed: number;
  clock: Clock;
  auditDays: number;
}

export function buildCast(options: CastOptions): Member[] {
  const { users, seed, clock } = options;
  const usedUpns = new Map<string, number>();
  const personaOffset = Random.from(seed, 'persona-offset').next();
  const members: Member[] = [];

  /** The same name can occur twice in a big tenant; the second one gets a number, as real directories do. */
  const uniqueUpn = (local: string, domain: string): string => {
    const key = `${local}@${domain}`;
    const n = (usedUpns.get(key) ?? 0) + 1;
    usedUpns.set(key, n);
    return n === 1 ? key : `${local}${n}@${domain}`;
  };

  for (let index = 0; index < users; index++) {
    const named = NAMED_CAST[index];
    const persona = named?.persona ?? stratifiedPersona(index - NAMED_CAST.length, personaOffset);
    const rng = Random.from(seed, 'member', index);
    const id = rng.uuid();
    const population = named?.population ?? populationOf(persona, (p) => rng.chance(p));
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const local = named?.local ?? asciiLocal(first, last);

    const member: Member = {
      index,
      id,
      upn: '',
      displayName: named?.displayName ?? `${first} ${last}`,
      persona,
      named: named !== undefined,
      userType: population === 'guest' ? 'Guest' : 'Member',
      enabled: true,
      synced: false,
      federated: false,
      student: population === 'student',
      isAdmin: false,
      createdAt: clock.now - options.auditDays * DAY - Math.floor(rng.between(30, 1500) * DAY),
      groups: [],
      methods: [],
      preferred: null,
      signInProfile: 'single',
      mfaMethod: 'Mobile app notification',
      mfaSince: 0,
      nag: false,
      authenticatorAppSignedIn: false,
      activity: rng.between(0.4, 1.6),
      fido2ReportName: rng.chance(0.2) ? 'fido2' : 'fido2SecurityKey',
      audits: [],
      signIns: [],
    };

    const federatedStaff = population === 'staff-federated' || (population === 'staff' && rng.chance(0.55));
    switch (population) {
      case 'student':
        member.synced = member.federated = true;
        member.upn = uniqueUpn(local, DOMAINS.federated);
        member.groups.push('allStudents');
        member.createdAt = clock.now - Math.floor(rng.between(20, 400) * DAY);
        break;
      case 'staff':
      case 'staff-federated':
      case 'staff-cloud':
        member.synced = member.federated = federatedStaff;
        member.upn = uniqueUpn(local, member.federated ? DOMAINS.federated : DOMAINS.managed);
        member.groups.push(rng.pick(DEPARTMENT_GROUPS));
        break;
      case 'admin':
        member.upn = uniqueUpn(`adm-${local}`, DOMAINS.initial);
        member.displayName = `${member.displayName} (admin)`;
        break;
      case 'guest': {
        const home = rng.pick(GUEST_DOMAINS);
        member.upn = uniqueUpn(`${local}_${home}#EXT#`, DOMAINS.initial);
        break;
      }
      case 'test':
        member.upn = uniqueUpn(local, DOMAINS.initial);
        member.createdAt = clock.now - 3 * DAY;
        break;
      case 'break-glass':
        member.upn = uniqueUpn(local, DOMAINS.initial);
        break;
    }

    buildPersona(persona, new StoryBuilder(member, Random.from(seed, 'story', index), clock));
    members.push(member);
  }
  return members;
}

/** Department name of a member, for audit noise ("Update user" Department changes). */
export function departmentOf(member: Member): string {
  const key = member.groups.find((g) => g.startsWith('dept'));
  return key === undefined ? 'Students' : (DEPARTMENTS.find((d) => key.endsWith(d)) ?? 'Staff');
}
