import { describe, expect, it } from 'vitest';
import { isHexColor, textColorOn } from './color';

describe('colours', () => {
  it('accepts only #rrggbb', () => {
    expect(isHexColor('#1f6feb')).toBe(true);
    expect(isHexColor('#ABCDEF')).toBe(true);
    expect(isHexColor('#fff')).toBe(false);
    expect(isHexColor('red')).toBe(false);
    expect(isHexColor('#1f6feb;}body{display:none')).toBe(false);
    expect(isHexColor(0x1f6feb)).toBe(false);
  });

  it('picks readable text', () => {
    expect(textColorOn('#1f6feb')).toBe('#fff');
    expect(textColorOn('#000000')).toBe('#fff');
    expect(textColorOn('#ffffff')).toBe('#111');
    expect(textColorOn('#ffd33d')).toBe('#111');
  });
});
