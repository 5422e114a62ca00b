import { DataError } from '../dataError';

/**
 * The text of a CSV or JSON file. UTF-8 (with or without a byte-order mark) and UTF-16 with its
 * byte-order mark read as they are; anything else is refused with what it looks like, rather than
 * decoded with replacement characters that would silently change labels and headers.
 */
export function decodeText(name: string, bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    throw new DataError(
      `${name} holds a zero byte on line ${lineOf(bytes, nul)}: it looks like UTF-16 text without a byte-order ` +
        `mark, or not text at all; save it as UTF-8 (in Excel: "CSV UTF-8")`,
    );
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const byte = bytes[at].toString(16).toUpperCase().padStart(2, '0');
    throw new DataError(
      `${name} is not UTF-8 text (line ${lineOf(bytes, at)} has the byte 0x${byte}, as Latin-1 or Windows-1252 ` +
        `files do); save it as UTF-8 (in Excel: "CSV UTF-8")`,
    );
  }
}

function lineOf(bytes: Uint8Array, at: number): number {
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 10) line++;
  return line;
}

/** Where the first byte that cannot start or continue a UTF-8 sequence sits (0 when none is found). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += length;
  }
  return 0;
}
