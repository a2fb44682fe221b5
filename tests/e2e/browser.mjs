// Headless Chromium from Debian (never a downloaded browser), driven by playwright-core, for the browser tests
// and the screenshot tool. WebGL2 comes from ANGLE on SwiftShader (software), as on any machine without a GPU.
import { chromium } from 'playwright-core';
import fs from 'node:fs';

export const CHROMIUM = process.env.BOOKSMART_CHROMIUM || '/usr/bin/chromium';

export async function launch() {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run scripts/setup.sh web (installs Debian's chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
  });
}

// Polls fn() (in the test, not the page) until it returns a truthy value or `ms` pass.
export async function waitFor(what, fn, ms, every = 250) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}
