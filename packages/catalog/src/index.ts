export * from './spec-matrix';
export * from './description';
export * from './categories';
export * from './product-types';
export * from './product-editor';
export * from './product-search';
