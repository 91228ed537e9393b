export * from './pricing';
export * from './checkout';
export * from './order-transitions';
export * from './sandbox-payments';
export * from './fulfilment';
export * from './after-sales';
export * from './notices';
