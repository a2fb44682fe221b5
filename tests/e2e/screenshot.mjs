#!/usr/bin/env node
// Screenshots of the page for a person to look at: node tests/e2e/screenshot.mjs URL OUT.png [settle-seconds]
// [set-json]. Waits for the app, applies the optional window.booksmart.set() changes, then shoots the figure.
import { launch } from './browser.mjs';

const [url, out, settle = '3', changes] = process.argv.slice(2);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
page.on('console', (m) => console.log(`[${m.type()}] ${m.text()}`));
page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
await page.goto(url);
await page.waitForFunction(() => window.booksmart && window.booksmart.state().timings.firstFigure !== undefined, null, {
  timeout: 60000,
});
if (changes) console.log('set:', await page.evaluate((c) => window.booksmart.set(JSON.parse(c)), changes));
await page.waitForTimeout(Number(settle) * 1000);
const frame = await page.$('#booksmart-frame');
await (frame || page).screenshot({ path: out });
console.log(JSON.stringify(await page.evaluate(() => window.booksmart.state())));
await browser.close();
