export * from './slug';
export * from './shop-address';
export * from './control-plane';
export * from './tenant-directory';
export * from './signup';
export * from './migrate-all';
