/** No secret, no Temporary Access Pass ever reaches the export folder or the checkpoint. */
import { afterEach, describe, expect, it } from 'vitest';
import { readExportFolder } from '../../../src/load/read-export-folder.js';
import { collectTenant } from '../../../src/collect/live/index.js';
import { serialiseWithoutSecrets } from '../../../src/collect/live/secrets.js';
import { tempFolders } from '../temp-files.js';
import { optionsFor, readTree } from './collect-helpers.js';
import { FakeGraphSource } from './fake-graph-source.js';
import { PEOPLE, graphDoc, handBuiltTenant } from './tenants.js';

const temp = tempFolders();
afterEach(() => temp.cleanup());

/** The docs' TAP creation response: the only place Graph returns the pass itself. */
const tap = graphDoc<Record<string, unknown>>(
  'users_authentication_temporaryAccessPassMethods.post-201.v1.0.json',
);
const TAP_VALUE = tap.temporaryAccessPass as string;
const OATH_SECRET = 'JBSWY3DPEHPK3PXP';
const PASSWORD_VALUE = 'Winter2026!';

describe('secrets', () => {
  it('strips a TAP value, an OATH secret and a password even if Graph sent them, and keeps the rest', async () => {
    expect(TAP_VALUE).toBe('+drkzqAD');
    const tenant = handBuiltTenant();
    tenant.methods.set(PEOPLE.newcomer, [
      {
        '@odata.type': '#microsoft.graph.passwordAuthenticationMethod',
        id: '28c10230-6103-485e-b985-444c60001490',
        password: PASSWORD_VALUE,
      },
      tap,
      {
        '@odata.type': '#microsoft.graph.softwareOathAuthenticationMethod',
        id: 'oath-1',
        secretKey: OATH_SECRET,
      },
    ]);
    // A secret-looking key in a bulk entity too (a proxy or a service change could add one).
    (tenant.users[0] as Record<string, unknown>).password = PASSWORD_VALUE;
    const out = await temp.make();
    await collectTenant(new FakeGraphSource(tenant), optionsFor(out));

    const files = await readTree(out, true);
    expect(files.size).toBeGreaterThan(10);
    for (const [name, text] of files) {
      for (const secret of [TAP_VALUE, OATH_SECRET, PASSWORD_VALUE]) {
        expect(text.includes(secret), `${secret} in ${name}`).toBe(false);
      }
    }
    const written = JSON.parse(files.get(`authenticationMethods/${PEOPLE.newcomer}.json`) ?? '{}') as {
      value: Record<string, unknown>[];
    };
    expect(written.value.map((m) => [m.id, m.password, m.temporaryAccessPass, m.secretKey])).toEqual([
      ['28c10230-6103-485e-b985-444c60001490', null, undefined, undefined],
      [tap.id, undefined, null, undefined],
      ['oath-1', undefined, undefined, null],
    ]);
    // The TAP's usable facts (what the rules read) are still there.
    const snapshot = await readExportFolder(out);
    const methods = snapshot.methods?.get(PEOPLE.newcomer.toLowerCase())?.methods ?? [];
    expect(methods.find((m) => m.kind === 'temporaryAccessPass')?.tap).toMatchObject({
      lifetimeInMinutes: 60,
      methodUsabilityReason: 'NotYetValid',
    });
  });

  it('serialiseWithoutSecrets leaves entities without secrets byte-for-byte as JSON.stringify', () => {
    const signIn = graphDoc<{ value: unknown[] }>('auditLogs_signIns.beta.example1.json').value[0];
    expect(serialiseWithoutSecrets(signIn)).toBe(JSON.stringify(signIn));
    expect(serialiseWithoutSecrets({ password: null, nested: { secretKey: null } })).toBe(
      '{"password":null,"nested":{"secretKey":null}}',
    );
    expect(serialiseWithoutSecrets({ a: [{ temporaryAccessPass: 'x' }] })).toBe(
      '{"a":[{"temporaryAccessPass":null}]}',
    );
  });
});
