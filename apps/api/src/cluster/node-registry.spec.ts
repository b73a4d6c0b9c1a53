import { describe, expect, it } from 'vitest';
import { defaultInternalUrl, nodeOfSession } from './node-registry';

describe('node registry helpers', () => {
  it('reads the node id from a session id', () => {
    expect(nodeOfSession('n2.AbCdEf0123456789abcd')).toBe('n2');
    expect(nodeOfSession('plainsessionid')).toBeNull();
    expect(nodeOfSession('.leadingdot')).toBeNull();
  });

  it('derives the internal address from the listening host', () => {
    expect(defaultInternalUrl('0.0.0.0', 3000)).toBe('http://127.0.0.1:3000');
    expect(defaultInternalUrl('::', 3000)).toBe('http://127.0.0.1:3000');
    expect(defaultInternalUrl('10.0.1.7', 3000)).toBe('http://10.0.1.7:3000');
    expect(defaultInternalUrl('fd00::7', 3000)).toBe('http://[fd00::7]:3000');
  });
});
