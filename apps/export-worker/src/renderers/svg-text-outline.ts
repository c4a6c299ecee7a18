import { type FontkitGlyph, fontkitFaces } from './fonts';

/**
 * resvg reads a font file from disk for every glyph it outlines (resvg-js 2.6 keeps fonts as file
 * sources), which with a 5 MB CJK font costs ~0.35 ms per glyph: seconds for a dashboard. So text
 * is turned into glyph outlines here, with fontkit (pdfkit's font engine) on the same bundled Noto
 * Sans JP, before rasterising: each glyph is defined once and placed with <use>. Like the PDF, the
 * image then depends on no font of the host.
 */

/** Baseline offsets (in em) for dominant-baseline values, from Noto Sans JP's em box. */
const BASELINE_SHIFT: Record<string, number> = {
  central: 0.38,
  middle: 0.33,
  hanging: 0.8,
  'text-before-edge': 0.88,
  'before-edge': 0.88,
  'text-top': 0.88,
  ideographic: -0.12,
  'text-after-edge': -0.12,
  'after-edge': -0.12,
  'text-bottom': -0.12,
};

const TEXT_ELEMENT = /<text\b([^>]*)>([\s\S]*?)<\/text>/g;
const ATTRIBUTE = /([\w:-]+)="([^"]*)"/g;

/**
 * Replaces every <text> in the SVG with glyph outlines in the bundled font. `stats.missingGlyphs`
 * counts characters drawn as the font's .notdef box (glyph 0), for the export check.
 */
export function outlineSvgText(svg: string, stats: { missingGlyphs: number } = { missingGlyphs: 0 }): string {
  const { regular, bold } = fontkitFaces();
  const glyphIds = new Map<string, string>();
  const definitions: string[] = [];
  const glyphRef = (weight: 'r' | 'b', glyph: FontkitGlyph): string => {
    const key = `${weight}${glyph.id}`;
    let id = glyphIds.get(key);
    if (id === undefined) {
      id = `glyph-${key}`;
      glyphIds.set(key, id);
      definitions.push(`<path id="${id}" d="${glyph.path.toSVG()}"/>`);
    }
    return id;
  };

  const outlined = svg.replace(TEXT_ELEMENT, (_element, attributeText: string, content: string) => {
    const attributes = parseAttributes(attributeText);
    const style = parseStyle(attributes.style ?? '');
    const property = (name: string): string | undefined => style[name] ?? attributes[name];
    const size = parseFloat(property('font-size') ?? '12') || 12;
    const isBold = /^(bold|bolder|[6-9]00)$/.test(property('font-weight') ?? '');
    const font = isBold ? bold : regular;
    const preserve = attributes['xml:space'] === 'preserve';
    const text = preserve ? decodeEntities(content.replace(/<[^>]+>/g, '')) : decodeEntities(content.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();
    if (text === '') return '';

    const scale = size / font.unitsPerEm;
    const spacing = (parseFloat(property('letter-spacing') ?? '0') || 0) / scale;
    const run = font.layout(text);
    const uses: string[] = [];
    let pen = 0;
    run.glyphs.forEach((glyph, index) => {
      if (glyph.id === 0) stats.missingGlyphs += 1;
      const position = run.positions[index];
      const x = pen + position.xOffset;
      uses.push(`<use xlink:href="#${glyphRef(isBold ? 'b' : 'r', glyph)}" x="${trim(x)}"${position.yOffset ? ` y="${trim(-position.yOffset)}"` : ''}/>`);
      pen += position.xAdvance + spacing;
    });
    const advance = (pen - (run.glyphs.length > 0 ? spacing : 0)) * scale;
    const anchor = property('text-anchor');
    const x = (parseFloat(attributes.x ?? '0') || 0) - (anchor === 'middle' ? advance / 2 : anchor === 'end' ? advance : 0);
    const y = (parseFloat(attributes.y ?? '0') || 0) + (BASELINE_SHIFT[property('dominant-baseline') ?? ''] ?? 0) * size;

    const paint = ['fill', 'fill-opacity', 'opacity', 'stroke', 'stroke-opacity', 'stroke-linejoin']
      .map((name) => [name, property(name)] as const)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}="${value}"`);
    // The group is scaled to font units, so a stroke width is too.
    const strokeWidth = property('stroke-width');
    if (strokeWidth !== undefined) paint.push(`stroke-width="${trim((parseFloat(strokeWidth) || 1) / scale)}"`);
    const outer = attributes.transform ? `<g transform="${attributes.transform}">` : '';
    const inner = `<g ${paint.join(' ')} transform="translate(${trim(x)} ${trim(y)}) scale(${trim(scale)} ${trim(-scale)})">${uses.join('')}</g>`;
    return outer ? `${outer}${inner}</g>` : inner;
  });
  if (definitions.length === 0) return outlined;
  return outlined.replace(/<svg\b([^>]*)>/, (root, rootAttributes: string) => {
    const withXlink = rootAttributes.includes('xmlns:xlink') ? root : `<svg${rootAttributes} xmlns:xlink="http://www.w3.org/1999/xlink">`;
    return `${withXlink}<defs>${definitions.join('')}</defs>`;
  });
}

function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of text.matchAll(ATTRIBUTE)) attributes[match[1]] = match[2];
  return attributes;
}

function parseStyle(style: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon > 0) properties[declaration.slice(0, colon).trim()] = declaration.slice(colon + 1).trim();
  }
  return properties;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (entity, body: string) => {
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    return NAMED_ENTITIES[body] ?? entity;
  });
}

function trim(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
