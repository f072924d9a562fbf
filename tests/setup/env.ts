// Runs before each test file: a test environment that never reaches the network.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
delete process.env.OPENAI_API_KEY;
delete process.env.OPENAI_BASE_URL;
