/** Jest runs the TypeScript sources directly through SWC (ts-jest cannot run on TypeScript 7). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Fixture trees and examples hold package.json files of their own; keep them out of the module map.
  modulePathIgnorePatterns: [
    '<rootDir>/__fixtures__/',
    '<rootDir>/examples/',
    '<rootDir>/bench/out/',
  ],
};
