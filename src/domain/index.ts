export * from './datasets.js';
export * from './tenant.js';
export * from './verdict.js';
export * from './errors.js';
export * from './remediation.js';
