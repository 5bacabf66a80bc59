import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// n8n-core keeps instance settings in the user folder: keep them out of the real home.
process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-nodes-test-'));
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
