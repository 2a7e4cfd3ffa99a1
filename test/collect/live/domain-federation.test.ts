/**
 * domains.json with each federated domain's federationConfiguration: asked once per federated
 * domain, kept to what the rules read, and a refusal recorded as data (kept across --resume).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readExportFolder } from '../../../src/load/read-export-folder.js';
import { collectTenant } from '../../../src/collect/live/index.js';
import { tempFolders } from '../temp-files.js';
import { optionsFor, partOf } from './collect-helpers.js';
import { FakeGraphSource, permissionMissing } from './fake-graph-source.js';
import type { FakeTenant } from './fake-graph-source.js';
import { handBuiltTenant } from './tenants.js';

const temp = tempFolders();
afterEach(() => temp.cleanup());

/** As GET /domains/{id}/federationConfiguration returns it (https://learn.microsoft.com/graph/api/domain-list-federationconfiguration). */
const REJECTING = {
  '@odata.type': '#microsoft.graph.internalDomainFederation',
  id: '6601d14b-d113-8f64-fda2-9b5ddda18ecc',
  displayName: 'Fabrikam AD FS',
  issuerUri: 'http://fabrikam.test/adfs/services/trust',
  metadataExchangeUri: 'https://sts.fabrikam.test/adfs/services/trust/mex',
  signingCertificate: 'MIIE3jCCAsagAwIBAgIQQcyDaZz3MI',
  nextSigningCertificate: 'MIIE3jCCAsagAwIBAgIQQcyDaZz3MI',
  passiveSignInUri: 'https://sts.fabrikam.test/adfs/ls',
  preferredAuthenticationProtocol: 'wsFed',
  promptLoginBehavior: 'nativeSupport',
  federatedIdpMfaBehavior: 'rejectMfaByFederatedIdp',
};

function tenantWithFederatedDomains(): FakeTenant {
  const t = handBuiltTenant();
  t.domains = [
    ...t.domains,
    { id: 'fabrikam.test', authenticationType: 'Federated', isDefault: false, isVerified: true },
    { id: 'northwind.test', authenticationType: 'Federated', isDefault: false, isVerified: true },
  ];
  t.federation = {
    'fabrikam.test': [REJECTING],
    'northwind.test': [{ ...REJECTING, federatedIdpMfaBehavior: 'acceptIfMfaDoneByFederatedIdp' }],
  };
  return t;
}

const FEDERATION = /\/v1\.0\/domains\/[^/]+\/federationConfiguration$/;

describe('domains: federated domains’ federationConfiguration', () => {
  it('asks once per federated domain, keeps id, displayName, issuerUri and federatedIdpMfaBehavior only', async () => {
    const source = new FakeGraphSource(tenantWithFederatedDomains());
    const out = await temp.make();
    const result = await collectTenant(source, optionsFor(out, { only: ['users', 'policies'] }));

    expect(partOf(result, 'domains')).toMatchObject({ status: { state: 'complete' }, rows: 3 });
    expect(partOf(result, 'domains').lost).toBeUndefined();
    expect(source.urls().filter((u) => FEDERATION.test(u))).toEqual([
      '/v1.0/domains/fabrikam.test/federationConfiguration',
      '/v1.0/domains/northwind.test/federationConfiguration',
    ]);
    const text = await readFile(path.join(out, 'domains.json'), 'utf8');
    expect(text).not.toContain('MIIE3jCC');
    const written = (JSON.parse(text) as { value: Record<string, unknown>[] }).value;
    expect(written.find((d) => d['id'] === 'fabrikam.test')?.['federationConfiguration']).toEqual([
      {
        id: REJECTING.id,
        displayName: 'Fabrikam AD FS',
        issuerUri: 'http://fabrikam.test/adfs/services/trust',
        federatedIdpMfaBehavior: 'rejectMfaByFederatedIdp',
      },
    ]);
    expect(written.find((d) => d['id'] === 'contoso.test')).not.toHaveProperty('federationConfiguration');

    // What the assessment reads from it.
    const snapshot = await readExportFolder(out);
    const behaviour = new Map(snapshot.domains?.map((d) => [d.id, d.federatedIdpMfaBehavior]));
    expect(behaviour.get('fabrikam.test')).toBe('rejectMfaByFederatedIdp');
    expect(behaviour.get('northwind.test')).toBe('acceptIfMfaDoneByFederatedIdp');
  });

  it('a 403 on one domain: domains.json is written, that domain without it, and the loss stated; kept on --resume', async () => {
    const tenant = tenantWithFederatedDomains();
    const source = new FakeGraphSource(tenant).failOn(
      '/v1.0/domains/fabrikam.test/federationConfiguration',
      permissionMissing,
    );
    const out = await temp.make();
    const result = await collectTenant(source, optionsFor(out, { only: ['users', 'policies'] }));

    const domains = partOf(result, 'domains');
    expect(domains.status).toEqual({ state: 'complete' });
    expect(domains.unread).toMatchObject({
      items: ['fabrikam.test'],
      failure: { kind: 'permission-missing', status: 403, permissions: ['Domain.Read.All'] },
    });
    expect(domains.lost).toEqual([
      { code: 'federated-mfa-behaviour-unknown', verdicts: ['ready'], confidence: ['proven'] },
    ]);
    const snapshot = await readExportFolder(out);
    const byId = new Map(snapshot.domains?.map((d) => [d.id, d]));
    expect(byId.get('fabrikam.test')?.federatedIdpMfaBehavior).toBeUndefined();
    expect(byId.get('northwind.test')?.federatedIdpMfaBehavior).toBe('acceptIfMfaDoneByFederatedIdp');

    // Resumed: the part is complete in the checkpoint, not fetched again, and the gap still said.
    const again = new FakeGraphSource(tenant);
    const resumed = await collectTenant(
      again,
      optionsFor(out, { only: ['users', 'policies'], resume: true }),
    );
    expect(again.urls().filter((u) => FEDERATION.test(u))).toEqual([]);
    expect(partOf(resumed, 'domains')).toMatchObject({
      fromCheckpoint: true,
      unread: { items: ['fabrikam.test'] },
      lost: [{ code: 'federated-mfa-behaviour-unknown' }],
    });
  });
});
