import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';

/**
 * SHA-256 of the minutes file, for its fingerprint. Browsers offer crypto.subtle only on secure
 * origins, and a village office may serve the pages over plain http on its LAN: the same pure
 * implementation the workflow uses for the record chain works everywhere.
 */
export function sha256Hex(data: Uint8Array): string {
  return bytesToHex(sha256(data));
}
