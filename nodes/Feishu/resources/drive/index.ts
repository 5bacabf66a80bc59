import type { ResourceDefinition } from '../../../shared/types';
import { driveConvertOperations } from './convert';
import { driveFileOperations } from './files';
import { driveTransferOperations } from './transfer';

export { searchDriveFolders } from './search';

/** Drive (云空间): files and folders, uploads and downloads, import and export. */
export const drive: ResourceDefinition = {
	value: 'drive',
	name: 'Drive',
	description: 'Files and folders in Drive (云空间): upload, download, import, export',
	operations: [...driveTransferOperations, ...driveFileOperations, ...driveConvertOperations],
	defaultOperation: 'upload',
};
