/**
 * Okabe & Ito (2008), "Color Universal Design": eight colours that stay distinguishable under
 * the common colour-vision deficiencies. Ordered for white backgrounds: the strong blue first,
 * the yellow (low contrast on white) and black last, so charts with few series read well.
 */
export const OKABE_ITO_PALETTE = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#D55E00', // vermillion
  '#CC79A7', // reddish purple
  '#56B4E9', // sky blue
  '#F0E442', // yellow
  '#000000', // black
] as const;

/** The colour of the n-th series, cycling through the palette. */
export function paletteColor(index: number): string {
  const size = OKABE_ITO_PALETTE.length;
  return OKABE_ITO_PALETTE[((index % size) + size) % size];
}
