export { bitableRecord } from './records';
export { bitableField, bitableTable, tableList } from './tables';
export { BITABLE_ERRORS, baseOf, listFields, parseBitableLink, resolveBase, tablePath } from './common';
export { canMatchOn, mapperField } from './values';
