export * from './common.schema';
export * from './organizations.schema';
export * from './library.schema';
export * from './reports.schema';
export * from './exports.schema';
export * from './operations';
export * from './openapi-document';
export * from './storable-text';
