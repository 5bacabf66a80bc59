export { bitableRecord } from './records/index';
export { bitableField, bitableTable } from './tables';
