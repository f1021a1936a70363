// Draws the extension icon, media/icon.png (128×128 RGBA): a rounded tile with three cost bars.
// Regenerate with `node extension/dev/icon.mjs`; no image library needed (PNG = zlib + CRC32 chunks).
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 128;
const BG = [30, 30, 46, 0], TILE = [37, 99, 235, 255], TRACK = [30, 41, 82, 255];
const BARS = [[34, 0.85, [250, 204, 21, 255]], [58, 0.55, [244, 114, 182, 255]], [82, 0.7, [74, 222, 128, 255]]];

function inTile(x, y) {
  const r = 22, lo = 8, hi = N - 9;
  const cx = Math.min(Math.max(x, lo + r), hi - r), cy = Math.min(Math.max(y, lo + r), hi - r);
  return x >= lo && x <= hi && y >= lo && y <= hi && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function pixel(x, y) {
  if (!inTile(x, y)) return BG;
  for (const [top, share, color] of BARS) {
    if (y < top || y >= top + 14 || x < 28 || x >= 100) continue;
    return x < 28 + share * 72 ? color : TRACK;
  }
  return TILE;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) Buffer.from(pixel(x, y)).copy(raw, y * (N * 4 + 1) + 1 + x * 4);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
mkdirSync('media', { recursive: true });
writeFileSync('media/icon.png', png);
console.log(`media/icon.png: ${png.length} bytes`);
