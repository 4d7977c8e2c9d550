// The dashboard's single page: hash routes, each page polls /api and redraws. No build step, no dependencies.
'use strict';

const view = document.getElementById('view');
const POLL_MS = 1500;
let generation = 0;

// ---- helpers ---------------------------------------------------------------------------------------------------

function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'style') el.style.cssText = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

async function getJson(url) {
  const response = await fetch(url, { cache: 'no-store' });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

// Runs draw now and every POLL_MS until the route changes.
function poll(draw) {
  const mine = ++generation;
  const tick = async () => {
    if (mine !== generation) return;
    try {
      await draw();
      setStatus('');
    } catch (error) {
      setStatus(error.message);
    }
    if (mine === generation) setTimeout(tick, POLL_MS);
  };
  tick();
}

function setStatus(text) { document.getElementById('status').textContent = text; }

const PALETTE = ['#632ca6', '#1f77b4', '#e07b00', '#2ca02c', '#d62728', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
function colorOf(service) {
  let hash = 0;
  for (const c of service) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

const time = iso => new Date(iso).toLocaleTimeString([], { hour12: false }) + '.' + String(new Date(iso).getMilliseconds()).padStart(3, '0');
const ms = value => value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const badge = text => h('span', { class: `badge ${String(text || '').toLowerCase()}` }, text || '—');
const chip = service => h('span', { class: 'chip' }, h('span', { class: 'dot', style: `background:${colorOf(service)}` }), service);
const encode = encodeURIComponent;

function table(headers, rows, emptyText) {
  if (rows.length === 0) return h('div', { class: 'empty' }, emptyText);
  return h('table', {}, h('thead', {}, h('tr', {}, headers.map(text => h('th', {}, text)))), h('tbody', {}, rows));
}

function keyValues(entries) {
  return h('table', { class: 'kv' }, h('tbody', {}, entries.map(([key, value]) => h('tr', {}, h('td', {}, key), h('td', { class: 'mono' }, value ?? '—')))));
}

// ---- pages -----------------------------------------------------------------------------------------------------

function resourcesPage() {
  const body = h('div');
  view.replaceChildren(h('h1', {}, 'Resources'), body);
  poll(async () => {
    const resources = await getJson('/api/resources');
    body.replaceChildren(table(
      ['Name', 'Type', 'State', 'Health', 'Endpoints', 'Restarts', 'Started', 'PID', ''],
      resources.map(r => h('tr', { dataset: { resource: r.name } },
        h('td', {}, chip(r.name)),
        h('td', {}, r.type),
        h('td', { class: 'state' }, badge(r.state)),
        h('td', {}, r.health ? badge(r.health) : '—'),
        h('td', {}, r.endpoints.map(url => h('div', {}, /^https?:/.test(url) ? h('a', { href: url, target: '_blank' }, url) : url))),
        h('td', { class: 'num' }, r.restarts),
        h('td', {}, r.startedAt ? time(r.startedAt) : '—'),
        h('td', { class: 'num' }, r.processId ?? '—'),
        h('td', {},
          h('a', { href: `#/console/${encode(r.name)}` }, 'Console'), ' · ',
          h('a', { href: `#/logs?service=${encode(r.name)}` }, 'Logs'), ' · ',
          h('a', { href: `#/traces?service=${encode(r.name)}` }, 'Traces')))),
      'No resources yet.'));
  });
}

async function consolePage(name) {
  const resources = (await getJson('/api/resources')) || [];
  name = name || resources[0]?.name;
  const picker = h('select', { onchange: e => { location.hash = `#/console/${encode(e.target.value)}`; } },
    resources.map(r => h('option', { value: r.name, selected: r.name === name }, r.name)));
  const output = h('pre', { class: 'console' });
  view.replaceChildren(h('h1', {}, 'Console logs'), h('div', { class: 'toolbar' }, 'Resource ', picker), output);
  if (!name) return;

  let after = 0;
  poll(async () => {
    const lines = await getJson(`/api/resources/${encode(name)}/console?after=${after}`) || [];
    if (lines.length === 0) return;
    const atBottom = output.scrollTop + output.clientHeight >= output.scrollHeight - 4;
    output.append(...lines.map(line => h('div', { class: line.isError ? 'stderr' : '' }, `${time(line.time)}  ${line.text}`)));
    while (output.childElementCount > 5000) output.firstElementChild.remove();
    after = lines[lines.length - 1].sequence;
    if (atBottom) output.scrollTop = output.scrollHeight;
  });
}

async function serviceOptions(selected) {
  const resources = (await getJson('/api/resources')) || [];
  const names = [...new Set([...resources.map(r => r.name), ...(selected ? [selected] : [])])].sort();
  return [h('option', { value: '' }, 'All services'), ...names.map(n => h('option', { value: n, selected: n === selected }, n))];
}

async function logsPage(params) {
  const service = params.get('service') || '';
  const traceId = params.get('traceId') || '';
  const go = (s, t) => { location.hash = `#/logs?service=${encode(s)}&traceId=${encode(t)}`; };
  const servicePicker = h('select', { onchange: e => go(e.target.value, traceId) }, await serviceOptions(service));
  const traceInput = h('input', { type: 'text', placeholder: 'trace id', value: traceId, onchange: e => go(service, e.target.value.trim()) });
  const body = h('div');
  view.replaceChildren(h('h1', {}, 'Structured logs'), h('div', { class: 'toolbar' }, servicePicker, traceInput), body);
  poll(async () => {
    const logs = await getJson(`/api/logs?service=${encode(service)}&traceId=${encode(traceId)}&limit=300`);
    body.replaceChildren(table(['Time', 'Service', 'Level', 'Message', 'Trace'],
      logs.map(log => h('tr', {},
        h('td', {}, time(log.time)),
        h('td', {}, chip(log.service)),
        h('td', {}, badge(log.severity)),
        h('td', {}, log.message, h('div', { class: 'mono', style: 'color:var(--muted)' }, log.scope)),
        h('td', { class: 'mono' }, log.traceId ? h('a', { href: `#/traces/${log.traceId}` }, log.traceId.slice(0, 12) + '…') : '—'))),
      'No log records yet.'));
  });
}

async function tracesPage(params) {
  const service = params.get('service') || '';
  const errorsOnly = params.get('errors') === '1';
  const go = (s, e) => { location.hash = `#/traces?service=${encode(s)}&errors=${e ? 1 : 0}`; };
  const servicePicker = h('select', { onchange: e => go(e.target.value, errorsOnly) }, await serviceOptions(service));
  const errorsBox = h('input', { type: 'checkbox', checked: errorsOnly, onchange: e => go(service, e.target.checked) });
  const body = h('div');
  view.replaceChildren(h('h1', {}, 'Traces'), h('div', { class: 'toolbar' }, servicePicker, h('label', {}, errorsBox, ' errors only')), body);
  poll(async () => {
    const traces = await getJson(`/api/traces?service=${encode(service)}&errorsOnly=${errorsOnly}&limit=200`);
    body.replaceChildren(table(['Time', 'Root service', 'Resource', 'Duration', 'Spans', 'Errors', 'Services'],
      traces.map(t => h('tr', { class: 'clickable', dataset: { traceId: t.traceId }, onclick: () => { location.hash = `#/traces/${t.traceId}`; } },
        h('td', {}, time(t.startTime)),
        h('td', {}, chip(t.rootService)),
        h('td', {}, h('a', { href: `#/traces/${t.traceId}` }, t.rootResource)),
        h('td', { class: 'num' }, ms(t.durationMs)),
        h('td', { class: 'num' }, t.spanCount),
        h('td', { class: 'num' }, t.errorCount ? h('span', { class: 'badge error' }, t.errorCount) : '0'),
        h('td', {}, t.services.map(chip)))),
      'No traces yet.'));
  });
}

function tracePage(traceId) {
  let selectedId = null;
  let shownCount = -1;
  const header = h('div');
  const waterfall = h('div');
  const details = h('div');
  view.replaceChildren(h('h1', {}, 'Trace ', h('span', { class: 'mono' }, traceId)), header, waterfall, details);

  poll(async () => {
    const trace = await getJson(`/api/traces/${encode(traceId)}`);
    if (!trace) {
      header.replaceChildren(h('div', { class: 'empty' }, 'No such trace (yet, or any more: the oldest are dropped).'));
      return;
    }
    if (trace.spans.length === shownCount) return;
    shownCount = trace.spans.length;
    const s = trace.summary;
    header.replaceChildren(
      h('div', { class: 'summary' },
        h('span', {}, 'Started ', h('b', {}, time(s.startTime))),
        h('span', {}, 'Duration ', h('b', {}, ms(s.durationMs))),
        h('span', {}, 'Spans ', h('b', {}, s.spanCount)),
        h('span', {}, 'Errors ', h('b', {}, s.errorCount)),
        h('a', { href: `#/logs?traceId=${traceId}` }, 'Logs of this trace')),
      h('div', { class: 'legend' }, s.services.map(chip)));
    const select = span => { selectedId = span.spanId; markSelected(); details.replaceChildren(spanDetails(span)); };
    const markSelected = () => waterfall.querySelectorAll('.span-row').forEach(row => row.classList.toggle('selected', row.dataset.spanId === selectedId));
    waterfall.replaceChildren(drawWaterfall(trace, select));
    const selected = trace.spans.find(span => span.spanId === selectedId) || trace.spans[0];
    if (selected) select(selected);
  });
}

function drawWaterfall(trace, onSelect) {
  const total = Math.max(trace.summary.durationMs, 0.001);
  const depthOf = new Map();
  for (const span of trace.spans) depthOf.set(span.spanId, span.parentSpanId && depthOf.has(span.parentSpanId) ? depthOf.get(span.parentSpanId) + 1 : 0);
  const pct = value => `${Math.min(100, Math.max(0, value / total * 100)).toFixed(3)}%`;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map(f => h('span', { style: `left:${f * 100}%` }, ms(total * f)));

  return h('div', { class: 'waterfall' },
    h('div', { class: 'axis' }, h('div', { class: 'span-label' }, 'Span'), h('div', { class: 'ticks' }, ticks)),
    trace.spans.map(span =>
      h('div', { class: 'span-row', dataset: { spanId: span.spanId, service: span.service }, onclick: () => onSelect(span) },
        h('div', { class: 'span-label', style: `padding-left:${8 + depthOf.get(span.spanId) * 16}px`, title: span.name },
          h('span', { class: 'dot', style: `background:${colorOf(span.service)}` }), ' ', span.name, h('span', { class: 'service' }, span.service)),
        h('div', { class: 'span-lane' },
          h('div', { class: `span-bar${span.status === 'error' ? ' error' : ''}`, style: `left:${pct(span.startOffsetMs)};width:${pct(span.durationMs)};background:${colorOf(span.service)}` }),
          h('span', { class: 'span-time', style: `left:calc(${pct(span.startOffsetMs + span.durationMs)} + 4px)` }, ms(span.durationMs))))));
}

function spanDetails(span) {
  const dd = span.datadog;
  const exceptions = span.events.filter(e => e.name === 'exception');
  const others = span.events.filter(e => e.name !== 'exception');
  return h('div', { class: 'details' },
    h('div', { class: 'panel' },
      h('h2', {}, span.name),
      keyValues([
        ['service', span.service], ['kind', span.kind], ['status', span.status + (span.statusMessage ? `: ${span.statusMessage}` : '')],
        ['duration', ms(span.durationMs)], ['start', span.startTime], ['span id', span.spanId], ['parent span id', span.parentSpanId],
        ['scope', span.scope]]),
      h('h2', {}, 'Attributes'), keyValues(Object.entries(span.attributes)),
      exceptions.length ? [h('h2', {}, 'Exceptions'), exceptions.map(e => h('div', { class: 'exception' },
        h('b', {}, e.attributes['exception.type'] || 'exception'), ': ', e.attributes['exception.message'] || '',
        e.attributes['exception.stacktrace'] ? h('pre', {}, e.attributes['exception.stacktrace']) : null))] : null,
      others.length ? [h('h2', {}, 'Events'), others.map(e => h('div', {}, h('b', {}, e.name), ' at ', time(e.time), keyValues(Object.entries(e.attributes))))] : null,
      h('h2', {}, 'Resource'), keyValues(Object.entries(span.resourceAttributes))),
    h('div', { class: 'panel datadog', dataset: { panel: 'datadog' } },
      h('h2', {}, 'In Datadog'),
      keyValues([
        ['operation name', dd.operationName], ['resource', dd.resource], ['span type', dd.spanType], ['service', dd.service],
        ['env', dd.env], ['version', dd.version], ['error', dd.error ? 'yes' : 'no'], ['error.msg', dd.errorMessage],
        ['error.type', dd.errorType], ['trace_id', dd.traceId], ['span_id', dd.spanId], ['otel.trace_id', dd.otelTraceId]]),
      dd.errorStack ? h('pre', { class: 'mono' }, dd.errorStack) : null));
}

// ---- routing ---------------------------------------------------------------------------------------------------

function route() {
  const [path, query] = location.hash.slice(1).split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query || '');
  const page = parts[0] || 'resources';
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.dataset.route === page));
  generation++;
  switch (page) {
    case 'console': return consolePage(parts[1]);
    case 'logs': return logsPage(params);
    case 'traces': return parts[1] ? tracePage(parts[1]) : tracesPage(params);
    default: return resourcesPage();
  }
}

window.addEventListener('hashchange', route);
route();
