// A fault-injecting handler for the project's server (scripts/serve.mjs): per file name, a list of behaviours for
// its successive requests; once the list is used up, the file is served normally.
//   { 'train-images-idx3-ubyte.gz': [{ dropAfter: 3e6 }, { status: 500 }, { stallAfter: 1e4 }, { truncate: 5e6 },
//                                    { rate: 4e6 }, { holdAfter: 3e6 }] }   (rate: bytes per second, in 64 KiB pieces)
// `holdAfter` sends that many bytes, then trickles 4 KiB every half second (so the page sees a live stream, not a
// stall) until the test calls handle.release(name), which sends the rest: a stream that is partly in for as long
// as the test needs, on a machine of any speed.
// `always: true` in a behaviour repeats it for every request. `after: [names]` serves the file whole, but its
// n-th request only once the n-th responses for those files (which need behaviours of their own: `{}` serves a
// file as it is) have been sent: an order of arrival a test can rely on, page after page.
import fs from 'node:fs';
import path from 'node:path';

export function faultyHandler(rules) {
  const counts = new Map();
  const sent = new Map(); // name -> responses sent in full
  const open = new Set();
  const held = new Set(); // { name, rest }: responses waiting for release(name)
  const handle = (req, res, file) => {
    if (!file) return false;
    const name = path.basename(file);
    const list = rules[name];
    if (!list) return false;
    const n = counts.get(name) || 0;
    counts.set(name, n + 1);
    const rule = list[Math.min(n, list.length - 1)];
    if (n >= list.length && !rule.always) return false;
    if (rule.status) {
      res.writeHead(rule.status, { 'Content-Type': 'text/plain' });
      res.end('injected fault\n');
      return true;
    }
    res.on('finish', () => sent.set(name, (sent.get(name) || 0) + 1));
    const bytes = fs.readFileSync(file);
    if (rule.after) {
      const go = () => {
        if (res.destroyed) return;
        if (!rule.after.every((other) => (sent.get(other) || 0) > n)) {
          setTimeout(go, 10);
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length });
        res.end(bytes);
      };
      go();
      return true;
    }
    if (rule.rate) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length });
      const piece = 65536;
      let at = 0;
      const next = () => {
        if (res.destroyed) return;
        res.write(bytes.subarray(at, at + piece));
        at += piece;
        if (at >= bytes.length) res.end();
        else setTimeout(next, (1000 * piece) / rule.rate);
      };
      next();
      return true;
    }
    if (rule.holdAfter) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length });
      let at = rule.holdAfter;
      res.write(bytes.subarray(0, at));
      const trickle = setInterval(() => {
        if (res.destroyed || at + 4096 >= bytes.length) return;
        res.write(bytes.subarray(at, at + 4096));
        at += 4096;
      }, 500);
      const entry = {
        name,
        rest: () => {
          clearInterval(trickle);
          if (!res.destroyed) res.end(bytes.subarray(at));
        },
      };
      held.add(entry);
      res.on('close', () => {
        clearInterval(trickle);
        held.delete(entry);
      });
      return true;
    }
    const cut = Math.min(bytes.length, rule.dropAfter ?? rule.stallAfter ?? rule.truncate ?? bytes.length);
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': rule.truncate ? cut : bytes.length,
    });
    res.write(bytes.subarray(0, cut));
    if (rule.dropAfter) setTimeout(() => res.destroy(), 50);
    else if (rule.stallAfter) {
      open.add(res); // never finishes: open until the page gives up on it, or the server closes
      res.on('close', () => open.delete(res));
    } else res.end();
    return true;
  };
  handle.requests = (name) => counts.get(name) || 0;
  handle.release = (name) => {
    for (const e of [...held]) {
      if (e.name !== name) continue;
      held.delete(e);
      e.rest();
    }
  };
  handle.stalledOpen = () => open.size; // stalled responses whose connection is still open
  handle.closeStalled = () => {
    for (const r of open) r.destroy();
    open.clear();
  };
  return handle;
}
