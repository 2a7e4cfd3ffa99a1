/**
 * Tenant-level objects a preflight reads: `/organization` (tenant id, name, `assignedPlans`: the
 * licence), `/subscribedSkus`, `/domains` (which are federated), and a federated domain's
 * `/domains/{id}/federationConfiguration` (whether Entra accepts the IdP's MFA).
 */
import { DOMAINS } from '../../demo/directory-objects.js';
import { resourceNotFound } from '../graph/graph-error.js';
import type { GraphRequest } from '../graph/graph-request.js';
import { serveCollection } from './collection.js';
import type { Route, RouteContext } from './route.js';
import { directory, PERMISSIONS, template } from './route.js';

/**
 * Service plan and SKU ids of Microsoft Entra ID P1 (AAD_PREMIUM) and Entra MFA, as published in
 * Microsoft's licensing service-plan reference (community scripts agree).
 */
const P1_PLAN = {
  service: 'AADPremiumService',
  servicePlanId: '41781fb2-bc02-4b7c-bd55-b576c07bb09d',
  name: 'AAD_PREMIUM',
};
const MFA_PLAN = {
  service: 'MultiFactorService',
  servicePlanId: '8a256a2b-b617-496d-b51b-e76466e88db0',
  name: 'MFA_PREMIUM',
};
const EXCHANGE_PLAN = {
  service: 'exchange',
  servicePlanId: '9aaf7827-d63c-4b61-89c3-182f06f82e5c',
  name: 'EXCHANGE_S_STANDARD',
};
const P1_SKU_ID = '078d2b04-f1bd-4111-bbd4-b4b1b354cef4';
const M365_SKU_ID = '94763226-9b3c-4e75-a931-5c89701abe66';

function plans(ctx: RouteContext) {
  return ctx.licence === 'p1' ? [P1_PLAN, MFA_PLAN, EXCHANGE_PLAN] : [EXCHANGE_PLAN];
}

function organization(req: GraphRequest, ctx: RouteContext): Record<string, unknown> {
  const assigned = new Date(ctx.rolloutStart - 700 * 86_400_000).toISOString().replace('.000Z', 'Z');
  return {
    id: ctx.tenantId,
    deletedDateTime: null,
    displayName: ctx.tenant.tenant.displayName,
    tenantType: 'AAD',
    countryLetterCode: 'GB',
    preferredLanguage: 'en',
    createdDateTime: new Date(ctx.rolloutStart - 3000 * 86_400_000).toISOString().replace('.000Z', 'Z'),
    onPremisesSyncEnabled: true,
    onPremisesLastSyncDateTime: new Date(ctx.collectedAt - 17 * 60_000).toISOString().replace('.000Z', 'Z'),
    businessPhones: [],
    technicalNotificationMails: [`it-security@${DOMAINS.managed}`],
    assignedPlans: plans(ctx).map((p) => ({
      assignedDateTime: assigned,
      capabilityStatus: 'Enabled',
      service: p.service,
      servicePlanId: p.servicePlanId,
    })),
    provisionedPlans: [],
    verifiedDomains: ctx.tenant.domains.map((d) => ({
      capabilities: d.supportedServices.join(', '),
      isDefault: d.isDefault,
      isInitial: d.isInitial,
      name: d.id,
      type: d.authenticationType,
    })),
    ...(req.version === 'beta' ? { directorySizeQuota: { used: ctx.tenant.userCount, total: 300_000 } } : {}),
  };
}

function skus(ctx: RouteContext): Record<string, unknown>[] {
  const seats = ctx.tenant.userCount;
  const sku = (
    skuId: string,
    skuPartNumber: string,
    servicePlans: { servicePlanId: string; name: string }[],
  ) => ({
    id: `${ctx.tenantId}_${skuId}`,
    accountId: ctx.tenantId,
    appliesTo: 'User',
    capabilityStatus: 'Enabled',
    consumedUnits: seats,
    skuId,
    skuPartNumber,
    prepaidUnits: { enabled: seats + 50, suspended: 0, warning: 0, lockedOut: 0 },
    servicePlans: servicePlans.map((p) => ({
      servicePlanId: p.servicePlanId,
      servicePlanName: p.name,
      provisioningStatus: 'Success',
      appliesTo: 'User',
    })),
  });
  const list = [sku(M365_SKU_ID, 'STANDARDWOFFPACK_STUDENT', [EXCHANGE_PLAN])];
  if (ctx.licence === 'p1') list.push(sku(P1_SKU_ID, 'AAD_PREMIUM', [P1_PLAN, MFA_PLAN]));
  return list;
}

/**
 * A federated domain's one internalDomainFederation, shaped as the v1.0 reference's example
 * (https://learn.microsoft.com/graph/api/domain-list-federationconfiguration): the AD FS endpoints,
 * the signing certificates (public, but the collector must not keep them), and the MFA behaviour.
 */
function federationOf(domain: string, ctx: RouteContext): Record<string, unknown> {
  const sts = `https://sts.${domain}/adfs`;
  return {
    '@odata.type': '#microsoft.graph.internalDomainFederation',
    id: '6601d14b-d113-8f64-fda2-9b5ddda18ecc',
    displayName: `${ctx.tenant.tenant.displayName} AD FS`,
    issuerUri: `http://${domain}/adfs/services/trust`,
    metadataExchangeUri: `${sts}/services/trust/mex`,
    signingCertificate: 'MIIE3jCCAsagAwIBAgIQQcyDaZz3MI',
    passiveSignInUri: `${sts}/ls`,
    preferredAuthenticationProtocol: 'wsFed',
    activeSignInUri: `${sts}/services/trust/2005/usernamemixed`,
    signOutUri: `${sts}/ls`,
    promptLoginBehavior: 'nativeSupport',
    isSignedAuthenticationRequestRequired: true,
    nextSigningCertificate: 'MIIE3jCCAsagAwIBAgIQQcyDaZz3MI',
    signingCertificateUpdateStatus: {
      certificateUpdateResult: 'Success',
      lastRunDateTime: new Date(ctx.collectedAt - 3 * 86_400_000).toISOString().replace('.000Z', 'Z'),
    },
    federatedIdpMfaBehavior: ctx.federatedIdpMfaBehavior,
    passwordResetUri: `${sts}/passwordReset`,
  };
}

const ALL = { default: 999, max: 999, overMax: 'cap' } as const;

export const tenantRoutes: Route[] = [
  {
    name: '/organization',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('organization'),
    access: directory(1, PERMISSIONS.organization),
    handle: (req, _params, ctx) => {
      const entity = organization(req, ctx);
      return serveCollection(req, ctx, {
        typeName: 'microsoft.graph.organization',
        properties: Object.keys(entity),
        context: 'organization',
        size: ALL,
        entities: () => [entity],
      });
    },
  },
  {
    name: '/subscribedSkus',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('subscribedSkus'),
    access: directory(1, PERMISSIONS.organization),
    handle: (req, _params, ctx) => {
      const list = skus(ctx);
      return serveCollection(req, ctx, {
        typeName: 'microsoft.graph.subscribedSku',
        properties: Object.keys(list[0] ?? {}),
        context: 'subscribedSkus',
        size: ALL,
        entities: () => list,
      });
    },
  },
  {
    name: '/domains',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('domains'),
    access: directory(1, PERMISSIONS.domains),
    handle: (req, _params, ctx) =>
      serveCollection(req, ctx, {
        typeName: 'microsoft.graph.domain',
        properties: [
          'id',
          'authenticationType',
          'isDefault',
          'isInitial',
          'isVerified',
          'isRoot',
          'supportedServices',
        ],
        context: 'domains',
        size: ALL,
        entities: function* () {
          for (const d of ctx.tenant.domains) yield { ...d };
        },
      }),
  },
  {
    name: '/domains/{id}/federationConfiguration',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('domains/{id}/federationConfiguration'),
    access: directory(1, PERMISSIONS.domainFederation),
    handle: (req, params, ctx) => {
      const id = (params[0] ?? '').toLowerCase();
      const domain = ctx.tenant.domains.find((d) => d.id.toLowerCase() === id);
      if (domain === undefined) throw resourceNotFound(params[0] ?? '');
      // A managed domain has no federation configuration: an empty collection.
      const list =
        domain.authenticationType.toLowerCase() === 'federated' ? [federationOf(domain.id, ctx)] : [];
      return serveCollection(req, ctx, {
        typeName: 'microsoft.graph.internalDomainFederation',
        properties: Object.keys(federationOf(domain.id, ctx)).filter((k) => !k.startsWith('@')),
        context: `domains('${domain.id}')/federationConfiguration`,
        size: ALL,
        entities: () => list,
      });
    },
  },
];
