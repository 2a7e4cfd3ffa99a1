/**
 * A federated domain's federationConfiguration (GET /domains/{id}/federationConfiguration): `collect`
 * embeds what the rules read in domains.json, `rejectMfaByFederatedIdp` makes an IdP's MFA claim
 * count for nothing after `audit --from`, and a refusal leaves the run going with the loss stated.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DOMAINS } from '../../src/demo/directory-objects.js';
import { DEFAULT_PERMISSIONS } from '../../src/emulator/index.js';
import { runCli } from '../support/cli.js';
import type { TestEmulator } from './live-support.js';
import {
  COLLECTED_AT,
  STACK_LINE,
  runLive,
  startTestEmulator,
  tempDirs,
  verdictsFromJson,
} from './live-support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

const ROUTE = 'GET /v1.0/domains/{id}/federationConfiguration';

interface DomainEntry {
  id: string;
  authenticationType: string;
  federationConfiguration?: Record<string, unknown>[];
}

async function domainsOf(dir: string): Promise<{ text: string; domains: DomainEntry[] }> {
  const text = await readFile(path.join(dir, 'domains.json'), 'utf8');
  return { text, domains: (JSON.parse(text) as { value: DomainEntry[] }).value };
}

/** The demo's federated user whose only MFA proof is the IdP's claim. */
function federatedClaimUser(t: TestEmulator): { id: string; verdict: string } {
  const user = [...t.em.tenant.expectations()].find((u) => u.persona === 'ready-federated-claim');
  if (user === undefined) throw new Error('no ready-federated-claim user in the test tenant');
  expect(user.userPrincipalName.toLowerCase().endsWith(`@${DOMAINS.federated}`)).toBe(true);
  return user;
}

async function collectAndAudit(t: TestEmulator): Promise<{ dir: string; stderr: string; stdout: string }> {
  const dir = await temp.make();
  const collected = await runLive(['collect', ...t.args, '--out', dir], t.deps);
  expect(collected.stderr).not.toMatch(STACK_LINE);
  expect(collected.code).toBe(0);
  const audited = await runCli(['audit', '--from', dir, '--now', COLLECTED_AT, '--format', 'json']);
  expect(audited.stderr).not.toMatch(STACK_LINE);
  return { dir, stderr: collected.stderr, stdout: audited.stdout };
}

describe('collect: the federated domains’ federationConfiguration', () => {
  it('embeds the accepting configuration (no certificates) with one request per federated domain; the IdP claim proves MFA', async () => {
    const t = await startTestEmulator();
    try {
      const user = federatedClaimUser(t);
      const { dir, stdout } = await collectAndAudit(t);
      const { text, domains } = await domainsOf(dir);
      const federated = domains.filter((d) => d.authenticationType === 'Federated');
      expect(federated.map((d) => d.id)).toEqual([DOMAINS.federated]);
      expect(federated[0]!.federationConfiguration).toEqual([
        {
          id: '6601d14b-d113-8f64-fda2-9b5ddda18ecc',
          displayName: expect.any(String) as string,
          issuerUri: `http://${DOMAINS.federated}/adfs/services/trust`,
          federatedIdpMfaBehavior: 'acceptIfMfaDoneByFederatedIdp',
        },
      ]);
      // Managed domains are not asked about, and nothing of the certificates is kept.
      expect(domains.filter((d) => d.federationConfiguration !== undefined)).toHaveLength(1);
      expect(text).not.toMatch(/signingCertificate|MIIE3jCC/);
      expect(t.em.stats().byRoute[ROUTE]).toBe(1);

      expect(verdictsFromJson(stdout).get(user.id)).toMatchObject({ verdict: 'ready', confidence: 'proven' });
    } finally {
      await t.close();
    }
  });

  it('rejectMfaByFederatedIdp: the federated user whose only MFA proof is the IdP claim is not ready', async () => {
    const t = await startTestEmulator({ federatedIdpMfaBehavior: 'rejectMfaByFederatedIdp' });
    try {
      const user = federatedClaimUser(t);
      const { dir, stdout } = await collectAndAudit(t);
      const { domains } = await domainsOf(dir);
      expect(domains.find((d) => d.id === DOMAINS.federated)?.federationConfiguration).toMatchObject([
        { federatedIdpMfaBehavior: 'rejectMfaByFederatedIdp' },
      ]);
      const got = verdictsFromJson(stdout).get(user.id);
      expect(got).toBeDefined();
      expect(got!.verdict).not.toBe('ready');
    } finally {
      await t.close();
    }
  });

  it('403 without Domain.Read.All: the run goes on, the domain is written without it, and the loss is stated', async () => {
    const t = await startTestEmulator({
      grantedPermissions: DEFAULT_PERMISSIONS.filter((p) => p !== 'Domain.Read.All'),
    });
    try {
      const user = federatedClaimUser(t);
      const { dir, stderr, stdout } = await collectAndAudit(t);
      const { domains } = await domainsOf(dir);
      expect(domains.map((d) => d.id)).toContain(DOMAINS.federated);
      expect(domains.every((d) => d.federationConfiguration === undefined)).toBe(true);
      const said = stderr.replace(/\s+/g, ' ');
      expect(said).toContain(
        `collected, but the federation configuration of 1 federated domain (${DOMAINS.federated}) could not be read`,
      );
      expect(said).toContain('federatedIdpMfaBehavior could not be read');
      expect(said).toContain('Domain.Read.All');
      // Still assessed: the behaviour is unknown, so the claim counts as it did before this request existed.
      expect(verdictsFromJson(stdout).get(user.id)?.verdict).toBe('ready');
    } finally {
      await t.close();
    }
  });
});
