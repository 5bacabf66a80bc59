export { bitableRecord } from './records/index';
export { bitableField, bitableTable, tableList } from './tables';
export type { BitableField } from './common';
export { BITABLE_ERRORS } from './errors';
export { baseOf, listFields, resolveBase, tableIdOf, tablePath } from './common';
export { mapperField } from './values';
