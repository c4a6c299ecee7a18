import { outlineSvgText } from './svg-text-outline';
import { measureText } from './svg-text';

const wrap = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">${body}</svg>`;

describe('outlineSvgText', () => {
  it('replaces text with glyph outlines, defining each glyph once', () => {
    const svg = outlineSvgText(wrap('<text x="10" y="20" font-size="12" fill="#123456">ホリデー ホ</text>'));
    expect(svg).not.toContain('<text');
    expect(svg).toContain('xmlns:xlink="http://www.w3.org/1999/xlink"');
    expect(svg.match(/<use /g)).toHaveLength(6);
    // ホ appears twice but is defined once; the space has an empty outline but still a definition.
    expect(svg.match(/<path id="glyph-/g)).toHaveLength(5);
    expect(svg).toContain('fill="#123456" transform="translate(10 20) scale(0.012 -0.012)"');
  });

  it('anchors and shifts the baseline as ECharts asks', () => {
    const width = measureText('Clicks', 10);
    const svg = outlineSvgText(wrap('<text dominant-baseline="central" text-anchor="end" style="font-size:10px;font-family:Noto Sans JP;" x="100" y="50" fill="#333">Clicks</text>'));
    const [, x, y] = /translate\(([\d.]+) ([\d.]+)\) scale/.exec(svg)!;
    expect(Number(x)).toBeCloseTo(100 - width, 1);
    expect(Number(y)).toBeCloseTo(50 + 3.8, 1);
  });

  it('keeps the element transform, decodes entities, uses the bold face and scales stroke widths', () => {
    const svg = outlineSvgText(wrap('<text transform="translate(5 5)" font-weight="bold" font-size="20" stroke="#fff" stroke-width="2" x="0" y="0">A &amp; B</text>'));
    expect(svg).toMatch(/^<svg[^>]*><defs>.*<\/defs><g transform="translate\(5 5\)"><g stroke="#fff" stroke-width="100" transform=/);
    expect(svg).toContain('id="glyph-b');
    expect(svg.match(/<use /g)).toHaveLength(5);
  });

  it('leaves an SVG without text as it is', () => {
    const source = wrap('<rect width="10" height="10"/>');
    expect(outlineSvgText(source)).toBe(source);
  });
});
