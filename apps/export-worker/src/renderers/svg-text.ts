import { fontkitFaces } from './fonts';

/** Small helpers for the SVG the PNG renderer composes by hand (resvg draws text but never wraps it). */

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => XML_ENTITIES[character]);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** The rendered width of a line in the bundled font, measured by fontkit (the same outlines resvg draws). */
export function measureText(text: string, fontSize: number, bold = false): number {
  const faces = fontkitFaces();
  const font = bold ? faces.bold : faces.regular;
  return (font.layout(text).advanceWidth * fontSize) / font.unitsPerEm;
}

export function truncateText(text: string, width: number, fontSize: number, bold = false): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (measureText(flat, fontSize, bold) <= width) return flat;
  const characters = Array.from(flat);
  let low = 0;
  let high = characters.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (measureText(`${characters.slice(0, middle).join('')}…`, fontSize, bold) <= width) low = middle;
    else high = middle - 1;
  }
  return `${characters.slice(0, low).join('')}…`;
}

/** Greedy wrap on spaces; a wide-script run (no spaces) breaks between any two characters. */
export function wrapText(text: string, width: number, fontSize: number): string[] {
  const tokens = text.replace(/\s+/g, ' ').trim().match(/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]|[^\s\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]+|\s/g) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    const candidate = line + token;
    if (line !== '' && measureText(candidate.trimEnd(), fontSize) > width) {
      lines.push(line.trimEnd());
      line = token === ' ' ? '' : token;
    } else {
      line = candidate;
    }
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines;
}

export interface SvgTextStyle {
  size: number;
  fill: string;
  bold?: boolean;
  anchor?: 'start' | 'middle' | 'end';
  spacing?: number;
}

/** A single line of text whose top sits at y (the baseline is placed for Noto Sans' metrics). */
export function svgText(text: string, x: number, y: number, style: SvgTextStyle): string {
  const attributes = [
    `x="${round(x)}"`,
    `y="${round(y + style.size * 0.88)}"`,
    `font-size="${style.size}"`,
    `fill="${style.fill}"`,
    style.bold ? 'font-weight="bold"' : '',
    style.anchor && style.anchor !== 'start' ? `text-anchor="${style.anchor}"` : '',
    style.spacing ? `letter-spacing="${style.spacing}"` : '',
  ].filter(Boolean);
  return `<text ${attributes.join(' ')} xml:space="preserve">${escapeXml(text)}</text>`;
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
