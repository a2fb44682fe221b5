#!/usr/bin/env node
// Fails unless a PNG shows a drawn interface: node check-png.mjs FILE MIN_INK MIN_COLOURS
import fs from 'node:fs';
import { decodePng, inkStats } from './png.mjs';

const [file, minInk = '0.2', minColours = '50'] = process.argv.slice(2);
const png = decodePng(fs.readFileSync(file));
const { ink, colours } = inkStats(png);
console.log(`${file}: ${png.width}x${png.height}, ${(100 * ink).toFixed(1)} % drawn, ${colours} colours`);
if (ink < Number(minInk) || colours < Number(minColours)) {
  console.error(`check-png: ${file} looks blank (need ${minInk} drawn and ${minColours} colours)`);
  process.exit(1);
}
