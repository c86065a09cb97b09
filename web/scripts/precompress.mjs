#!/usr/bin/env node
// Compresses the web build once, at build time (issue 11 §8): for every text asset of the folder
// (pages, scripts, styles, JSON, SVG) a gzip copy (level 9) and a Brotli copy (quality 11) beside
// it, `name.gz` and `name.br`, each only when it is smaller than the file by more than 64 bytes.
// The server (server/build.rs) embeds them and sends the one the browser takes; nothing is
// compressed while serving. Node's own zlib: no dependency.
//
//   node scripts/precompress.mjs <dist-folder>

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TEXT = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.webmanifest']);
const root = process.argv[2];
if (!root || !fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
  console.error('usage: node scripts/precompress.mjs <dist-folder>');
  process.exit(2);
}

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(p);
    else yield p;
  }
}

let raw = 0;
let gz = 0;
let br = 0;
for (const file of [...files(root)]) {
  if (!TEXT.has(path.extname(file))) continue;
  const body = fs.readFileSync(file);
  const copies = [
    ['.gz', zlib.gzipSync(body, { level: 9 })],
    [
      '.br',
      zlib.brotliCompressSync(body, {
        params: {
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
    ],
  ];
  raw += body.length;
  for (const [ext, packed] of copies) {
    const out = file + ext;
    if (packed.length + 64 < body.length) {
      fs.writeFileSync(out, packed);
      if (ext === '.gz') gz += packed.length;
      else br += packed.length;
    } else if (fs.existsSync(out)) {
      fs.rmSync(out);
    }
  }
}
const kb = (n) => `${Math.round(n / 1024)} KB`;
console.log(`precompressed ${kb(raw)} of text: gzip ${kb(gz)}, brotli ${kb(br)}`);
