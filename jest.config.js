/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	setupFiles: ['<rootDir>/test/setup.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/teardown.ts'],
	// Every operation of the catalogue runs against the fake in some test (checked after a whole run).
	globalSetup: '<rootDir>/test/catalogue-setup.ts',
	globalTeardown: '<rootDir>/test/catalogue-teardown.ts',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 30000,
};
