import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

// n8n-core's execution contexts create the SSH client manager, which keeps a 60 s cleanup
// interval alive; stop it so that jest can exit without --forceExit.
afterAll(() => {
	if (Container.has(SSHClientsManager)) {
		clearInterval(
			(Container.get(SSHClientsManager) as unknown as { cleanupTimer: NodeJS.Timeout })
				.cleanupTimer,
		);
	}
});
