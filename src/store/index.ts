export { openStore, type Store, type OpenStoreOptions } from './open-store.js';
export { resolveStorePath, type StorePathInputs } from './store-path.js';
export { SCHEMA_VERSION } from './migrations.js';
export { writeRun, type RunSource, type WriteRunOptions, type WrittenRun } from './write-run.js';
