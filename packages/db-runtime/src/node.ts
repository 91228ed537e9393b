// Adapters that need Node (the filesystem); kept out of the Worker bundle.
export { createFileDatabases, type FileDatabasesOptions } from './file-databases';
