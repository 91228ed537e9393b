export * from './errors';
export * from './ids';
export * from './clock';
export * from './password';
export * from './session-token';
export * from './ports';
export * from './session-store';
export * from './rate-limit';
