// Worker-safe entry: no Node imports. The file adapter is in ./node.
export { assertBlobKey, assertContentType, InvalidBlobKeyError, type BlobObject, type BlobStore } from './blob-store';
export { createMemoryBlobStore } from './memory-blob-store';
export { createR2BlobStore, type R2BucketLike, type R2ObjectBodyLike } from './r2-blob-store';
export {
  DEFAULT_MAX_IMAGE_BYTES,
  imageKey,
  inspectImage,
  sha256Hex,
  shopImagePrefix,
  type ImageContentType,
  type ImageErrorCode,
  type InspectImageResult,
} from './image-upload';
