import type { AttachmentType } from '../../../common/attachments';

/**
 * The type of a file from its first bytes (magic numbers), never from the name or the header the
 * client sent. Hand-written because five fixed signatures are all the procedures accept, and the
 * maintained sniffing library (file-type) ships ESM only, which this CommonJS build cannot require.
 */
const SIGNATURES: { type: AttachmentType; at: number; bytes: number[] }[] = [
  { type: 'application/pdf', at: 0, bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', at: 0, bytes: [0xff, 0xd8, 0xff] },
];

const ascii = (bytes: Uint8Array, from: number, length: number) =>
  String.fromCharCode(...bytes.subarray(from, from + length));

export function sniffType(bytes: Uint8Array): AttachmentType | undefined {
  for (const s of SIGNATURES) {
    if (s.bytes.every((b, i) => bytes[s.at + i] === b)) return s.type;
  }
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'image/webp';
  // ISO base media: `ftyp` then the brand; phones' HEIF photos
  if (ascii(bytes, 4, 4) === 'ftyp' && ['heic', 'heix', 'mif1', 'msf1'].includes(ascii(bytes, 8, 4)))
    return 'image/heic';
  return undefined;
}
