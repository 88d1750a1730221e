export { BufferStream, fakeAdapters, runInProcess, testFactory, type AdapterLog, type FakeWorld, type InProcessOptions, type InProcessResult, type TestFactory } from './test-factory.js';
