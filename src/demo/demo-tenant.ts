/**
 * The bundled demo tenant's fixed parameters, shared by scripts/generate-demo.ts (which writes it to
 * demo/tenant/) and by the test that checks the bundled folder still equals a fresh generation.
 */
import { DEMO_VOLUME, generateTenant } from './generate-tenant.js';
import type { SyntheticTenant } from './generate-tenant.js';

export const DEMO_OPTIONS = {
  users: 300,
  seed: 20261120,
  collectedAt: '2026-11-20T09:00:00Z',
  volume: DEMO_VOLUME,
} as const;

/** Folder (relative to the repository root) of the bundled export, and of its answer key. */
export const DEMO_TENANT_PATH = 'demo/tenant';
export const DEMO_EXPECTED_PATH = 'demo/expected-verdicts.json';

export function generateDemoTenant(): SyntheticTenant {
  return generateTenant(DEMO_OPTIONS);
}

/** The answer key as written next to the bundled export (outside it, so readers never see it). */
export function renderExpectedVerdicts(tenant: SyntheticTenant): string {
  const users = [...tenant.expectations()];
  const lines = users.map((u) => JSON.stringify(u));
  return `{"generatedFrom":${JSON.stringify(tenant.options)},"users":[\n${lines.join(',\n')}\n]}\n`;
}
