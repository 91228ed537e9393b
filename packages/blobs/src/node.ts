// Adapters that need Node (the file system); kept out of the Worker bundle.
export { createFileBlobStore, type FileBlobStoreOptions } from './file-blob-store';
