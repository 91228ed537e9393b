export { createApp, type TuikeApp } from './app';
export { defaultConfig, type AppConfig, type Bindings } from './context';
export { REQUIREMENT, type Requirement } from './http/staff-auth';
