import { describe, expect, it } from 'vitest';
import { safeHttpUrl, visitorLabel } from './visitor';

describe('visitorLabel', () => {
  it('prefers the name, then the email, then a short id label', () => {
    expect(visitorLabel({ id: 'cm0000abc123', name: 'Lin', email: 'lin@example.com' })).toBe('Lin');
    expect(visitorLabel({ id: 'cm0000abc123', name: '  ', email: 'lin@example.com' })).toBe(
      'lin@example.com',
    );
    expect(visitorLabel({ id: 'cm0000abc123', name: null, email: null })).toBe('Visitor abc123');
  });
});

describe('safeHttpUrl', () => {
  it('allows http and https only', () => {
    expect(safeHttpUrl('https://shop.example.com/cart?x=1')).toBe(
      'https://shop.example.com/cart?x=1',
    );
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('data:text/html,hi')).toBeNull();
    expect(safeHttpUrl('not a url')).toBeNull();
    expect(safeHttpUrl(null)).toBeNull();
  });
});
