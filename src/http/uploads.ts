import multer from 'multer';

/**
 * Multipart parsing into memory with hard limits; what a file really is is decided from its
 * bytes (sniffFileType), never from the client's name or Content-Type.
 */
export function memoryUpload(maxFileSize: number) {
  return multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxFileSize, files: 1, fields: 10, fieldSize: 64 * 1024 },
  });
}

export type SniffedType =
  'png' | 'jpeg' | 'gif' | 'webp' | 'mp3' | 'wav' | 'ogg' | 'webm' | 'mp4' | 'm4a';

const startsWith = (b: Buffer, bytes: number[], offset = 0) =>
  bytes.every((v, i) => b[offset + i] === v);

/** Magic-number sniffing for the handful of formats we accept. */
export function sniffFileType(b: Buffer): SniffedType | null {
  if (b.length < 12) return null;
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(b, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8))
    return 'webp';
  if (startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x41, 0x56, 0x45], 8))
    return 'wav';
  if (startsWith(b, [0x49, 0x44, 0x33]) || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0)) return 'mp3';
  if (startsWith(b, [0x4f, 0x67, 0x67, 0x53])) return 'ogg';
  if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) return 'webm';
  if (startsWith(b, [0x66, 0x74, 0x79, 0x70], 4)) {
    const brand = b.subarray(8, 12).toString('latin1');
    return brand.startsWith('M4A') ? 'm4a' : 'mp4';
  }
  return null;
}

export const IMAGE_TYPES: readonly SniffedType[] = ['png', 'jpeg', 'gif', 'webp'];
export const AUDIO_TYPES: readonly SniffedType[] = ['mp3', 'wav', 'ogg', 'webm', 'mp4', 'm4a'];
