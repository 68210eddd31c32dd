/**
 * The live page `herald listen` serves at `/`: it subscribes to the
 * server-sent event stream and lists requests as they arrive, newest first.
 * Self-contained (no build step, no external assets) so it works offline.
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>herald listen</title>
<style>
  :root { color-scheme: light dark; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #6e7781; }
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0; }
  header { padding: 12px 20px; border-bottom: 1px solid #8884; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 16px; margin: 0; }
  #state { color: var(--muted); }
  main { padding: 12px 20px; }
  .empty { color: var(--muted); }
  details { border: 1px solid #8884; border-radius: 6px; margin-bottom: 8px; }
  summary { padding: 8px 12px; cursor: pointer; display: flex; gap: 12px; flex-wrap: wrap; }
  .num { font-weight: 600; }
  .ok { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); } .muted { color: var(--muted); }
  .body { padding: 0 12px 12px; }
  table { border-collapse: collapse; font: 12px ui-monospace, monospace; }
  td { padding: 1px 12px 1px 0; vertical-align: top; } td:first-child { color: var(--muted); }
  pre { font: 12px ui-monospace, monospace; background: #8881; padding: 8px; overflow: auto; }
</style>
</head>
<body>
<header><h1>herald listen</h1><span id="state">connecting…</span><span id="count" class="muted"></span></header>
<main><p class="empty" id="empty">Waiting for requests. Point an endpoint at this address.</p><div id="list"></div></main>
<script>
  const list = document.getElementById('list');
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  let count = 0;
  function signature(s) {
    if (s.state === 'valid') return '<span class="ok">✓ signature valid</span>';
    if (s.state === 'invalid') return '<span class="bad">✗ ' + esc(s.code) + ': ' + esc(s.message) + '</span>';
    return '<span class="muted">signature not checked</span>';
  }
  function render(r) {
    const el = document.createElement('details');
    el.className = 'request';
    el.dataset.number = r.number;
    const body = r.json === undefined ? r.body : JSON.stringify(r.json, null, 2);
    el.innerHTML =
      '<summary><span class="num">#' + r.number + ' ' + esc(r.method) + ' ' + esc(r.path) + '</span>' +
      '<span class="type">' + esc(r.eventType ?? '') + '</span>' +
      (r.attempt === null ? '' : '<span>attempt ' + r.attempt + '</span>') +
      signature(r.signature) +
      (r.duplicateOf === null ? '' : '<span class="warn duplicate">duplicate of #' + r.duplicateOf + '</span>') +
      '<span class="' + (r.status < 300 ? 'ok' : 'bad') + '">→ ' + r.status + '</span>' +
      '<span class="muted">' + esc(r.receivedAt) + '</span></summary>' +
      '<div class="body"><table>' +
      Object.entries(r.headers).map(([k, v]) => '<tr><td>' + esc(k) + '</td><td>' + esc(v) + '</td></tr>').join('') +
      '</table><pre>' + esc(body) + '</pre></div>';
    list.prepend(el);
    document.getElementById('empty').hidden = true;
    document.getElementById('count').textContent = ++count + ' received';
  }
  const source = new EventSource('/_herald/stream');
  source.addEventListener('request', (e) => render(JSON.parse(e.data)));
  source.onopen = () => { document.getElementById('state').textContent = 'live'; };
  source.onerror = () => { document.getElementById('state').textContent = 'disconnected, retrying…'; };
</script>
</body>
</html>
`;
