/** Reading a tenant export folder (Graph responses saved as files) into the domain's TenantSnapshot. */
export { NoUsersInExport, readExportFolder } from './read-export-folder.js';
export type { ReadExportFolderOptions } from './read-export-folder.js';
export { readEntities } from './read-entities.js';
export type { ReadEntity } from './read-entities.js';
export { readList, readSingle } from './read-dataset.js';
export type { Normaliser } from './read-dataset.js';
export type { EntityAt } from './parse-entity.js';
export * from './schemas.js';
export { COLLECTION_STATE_FILE, readCollectionState } from './collection-state.js';
export type { CollectionState } from './collection-state.js';
