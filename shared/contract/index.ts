export * from './calls';
export * from './define';
export * from './errors';
export * from './events';
export * from './result';
export * from './session';
export * from './channels';
export * from './transport';
