import { describe, expect, it } from 'vitest';
import { renderChart } from './svg';

describe('renderChart', () => {
  it('draws every series, its legend and the threshold, escaping text', () => {
    const svg = renderChart({
      title: 'Latency <WebSocket>',
      subtitle: 'a & b',
      xLabel: 'rate',
      yLabel: 'latency',
      series: [
        {
          name: 'bare',
          color: '#111111',
          points: [
            { x: 100, y: 2 },
            { x: 200, y: 3 },
          ],
        },
        { name: 'Parley', color: '#222222', dashed: true, points: [{ x: 100, y: 20 }] },
      ],
      marks: [{ y: 100, label: '100 ms' }],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Latency &lt;WebSocket&gt;');
    expect(svg).toContain('a &amp; b');
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('>100 ms<');
    expect(svg).toContain('>Parley<');
  });
});
