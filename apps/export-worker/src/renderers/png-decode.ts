import { crc32, inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel, row-major. */
  pixels: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/**
 * A minimal PNG decoder for verification: 8-bit greyscale / RGB / RGBA, not interlaced (what resvg
 * writes). Every chunk's CRC is checked and IEND must be present, so a truncated or corrupted
 * file fails with a message saying where.
 */
export function decodePng(file: Buffer): DecodedPng {
  if (file.length < SIGNATURE.length || !file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG (bad signature)');
  let offset = 8;
  let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | undefined;
  const data: Buffer[] = [];
  let ended = false;
  while (offset < file.length) {
    if (offset + 12 > file.length) throw new Error(`PNG truncated inside a chunk header at byte ${offset}`);
    const length = file.readUInt32BE(offset);
    const type = file.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > file.length) throw new Error(`PNG truncated: chunk ${type} needs ${length} bytes, file ends ${file.length - offset - 12} bytes in`);
    const crc = file.readUInt32BE(offset + 8 + length);
    if (crc32(file.subarray(offset + 4, offset + 8 + length)) !== crc) throw new Error(`PNG chunk ${type} at byte ${offset} fails its CRC`);
    const body = file.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), bitDepth: body[8], colorType: body[9], interlace: body[12] };
    } else if (type === 'IDAT') {
      data.push(body);
    } else if (type === 'IEND') {
      ended = true;
      break;
    }
    offset = end;
  }
  if (!header) throw new Error('PNG has no IHDR chunk');
  if (!ended) throw new Error('PNG truncated: no IEND chunk');
  const channels = CHANNELS[header.colorType];
  if (header.bitDepth !== 8 || channels === undefined || header.interlace !== 0) {
    throw new Error(`unsupported PNG layout (bit depth ${header.bitDepth}, colour type ${header.colorType}, interlace ${header.interlace})`);
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = header.width * channels;
  if (raw.length < (stride + 1) * header.height) throw new Error('PNG image data is shorter than its dimensions');
  const unfiltered = unfilter(raw, stride, header.height, channels);
  return { width: header.width, height: header.height, pixels: toRgba(unfiltered, header.width * header.height, channels) };
}

function unfilter(raw: Buffer, stride: number, height: number, bytesPerPixel: number): Buffer {
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    const source = y * (stride + 1) + 1;
    const row = y * stride;
    const previous = row - stride;
    for (let x = 0; x < stride; x += 1) {
      const left = x >= bytesPerPixel ? out[row + x - bytesPerPixel] : 0;
      const up = y > 0 ? out[previous + x] : 0;
      const upLeft = y > 0 && x >= bytesPerPixel ? out[previous + x - bytesPerPixel] : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) predicted = paeth(left, up, upLeft);
      else if (filter !== 0) throw new Error(`PNG row ${y} has an unknown filter type ${filter}`);
      out[row + x] = (raw[source + x] + predicted) & 0xff;
    }
  }
  return out;
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}

function toRgba(pixels: Buffer, count: number, channels: number): Buffer {
  if (channels === 4) return pixels;
  const rgba = Buffer.alloc(count * 4);
  for (let index = 0; index < count; index += 1) {
    const source = index * channels;
    const grey = channels <= 2;
    rgba[index * 4] = pixels[source];
    rgba[index * 4 + 1] = grey ? pixels[source] : pixels[source + 1];
    rgba[index * 4 + 2] = grey ? pixels[source] : pixels[source + 2];
    rgba[index * 4 + 3] = channels === 2 ? pixels[source + 1] : channels === 4 ? pixels[source + 3] : 255;
  }
  return rgba;
}
