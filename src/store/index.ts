export { openStore, type Store, type OpenStoreOptions } from './open-store.js';
export { resolveStorePath, STORE_FILE_NAME, type StorePathInputs } from './store-path.js';
export { migrate, MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
export { writeRun, type RunSource, type WriteRunOptions, type WrittenRun } from './write-run.js';
