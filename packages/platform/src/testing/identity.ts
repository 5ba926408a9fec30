// Tokens for tests: one well-known secret, and a caller that defaults to a department so that a test only states
// what matters to it.
import { signToken, type Caller } from '../identity.js';

export const TEST_TOKEN_SECRET = 'test-token-secret-not-for-production';

export function testToken(caller: Partial<Caller> = {}): string {
  return signToken({ department: 'court', role: 'department', subject: 'test-user', ...caller }, TEST_TOKEN_SECRET);
}
