/* Parallax web UI (vanilla ES2020, no build step): hash routes #/ (story list), #/story/ID (comparison)
   and #/search/WORDS over the same-origin JSON API. Text only ever enters the DOM through
   textContent / text nodes: never innerHTML, never inline styles or handlers (the CSP forbids them). */
'use strict';

const PAGE = 50;
const LIST_LENSES = ['country', 'type'];
const TOKEN_KEY = 'parallax.token';
const main = document.getElementById('main');
const statusLine = document.getElementById('status');
let generation = 0; // bumped on each render, so a slow response of a previous view is dropped
let navigated = false; // move focus to the new view's heading after in-page navigation only
let flash = null; // message to show once the next render finishes

/* ---------- helpers ---------- */

// el('a', {href: '#/', class: 'x'}, 'text', childNode, [more]) builds an element; strings become text nodes.
function el(tag, props, ...kids) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') n.className = v;
    else n.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of kids.flat(Infinity)) if (c != null && c !== false) n.append(c instanceof Node ? c : String(c));
  return n;
}

function setStatus(kind, ...parts) {
  statusLine.className = kind || '';
  statusLine.replaceChildren(...parts.map((p) => (p instanceof Node ? p : String(p))));
}

const enc = encodeURIComponent;
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const distinct = (xs) => [...new Set(xs)];
const outletOf = (a) => (a && a.outlet) || (a && a.id) || 'unknown outlet';
const storyHref = (id) => `#/story/${enc(id)}`;
const score = (x) => (typeof x === 'number' ? x.toFixed(2) : String(x));
const safeUrl = (u) => (typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null);
const hueOf = (s) => [...String(s)].reduce((h, ch) => (h * 31 + ch.codePointAt(0)) >>> 0, 7) % 8;

function decode(s) {
  try { return decodeURIComponent(s); } catch { return s; }
}

function dates(a, b) {
  if (!a && !b) return 'undated';
  if (!a || !b || a === b) return a || b;
  return `${a} – ${b}`;
}

function go(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

async function api(path, opts = {}) {
  const init = { method: opts.method || 'GET', headers: { Accept: 'application/json' } };
  if (opts.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  if (opts.token) init.headers.Authorization = `Bearer ${opts.token}`;
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new Error(`cannot reach the Parallax server (${e.message})`);
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    if (res.ok) throw new Error('the server answered with something that is not JSON');
  }
  if (!res.ok) {
    const err = new Error((data && data.error && data.error.message) || `HTTP ${res.status} ${res.statusText}`.trim());
    err.status = res.status;
    throw err;
  }
  return data ?? {}; // an empty success body (e.g. 204) still counts as success
}

// A titled section; `body` null or empty means "nothing found".
function section(title, body, empty = 'None found.') {
  const id = `sec-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  const has = body && !(Array.isArray(body) && body.length === 0);
  return el('section', { class: 'block', 'aria-labelledby': id }, el('h3', { id }, title),
    has ? body : el('p', { class: 'none' }, empty));
}

function table(headers, rows) {
  if (!rows.length) return null;
  return el('div', { class: 'scroll' }, el('table', {},
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c)))))));
}

const badge = (text, kind, title) => el('span', { class: `badge ${kind}`, title }, text);
const tag = (text, kind, title) => el('span', { class: `tag ${kind}`, title }, text);

/* ---------- router ---------- */

async function render() {
  const gen = ++generation;
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  main.setAttribute('aria-busy', 'true');
  setStatus('loading', 'Loading…');
  try {
    let view;
    if (path.startsWith('/story/')) view = await storyView(decode(path.slice(7)));
    else if (path.startsWith('/search/')) view = await searchView(decode(path.slice(8)));
    else view = await homeView(new URLSearchParams(query));
    if (gen !== generation) return;
    main.replaceChildren(view);
    if (flash) setStatus(...flash);
    else setStatus('');
    flash = null;
    if (navigated) {
      const h = main.querySelector('h2');
      if (h) { h.tabIndex = -1; h.focus(); }
    }
  } catch (e) {
    if (gen !== generation) return;
    main.replaceChildren();
    setStatus('error', `Error: ${e.message}`);
  } finally {
    if (gen === generation) main.removeAttribute('aria-busy');
  }
}

/* ---------- home: story list ---------- */

function homeHash(params, changes) {
  const p = new URLSearchParams(params);
  for (const [k, v] of Object.entries(changes)) (v ? p.set(k, String(v)) : p.delete(k));
  const s = p.toString();
  return `#/${s ? `?${s}` : ''}`;
}

async function homeView(params) {
  document.title = 'Parallax';
  document.getElementById('q').value = '';
  const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
  const q = new URLSearchParams({ limit: String(PAGE + 1), offset: String(offset) });
  const filtered = ['since', 'until', 'outlet'].filter((k) => params.get(k));
  for (const k of filtered) q.set(k, params.get(k));
  const got = await api(`/api/stories?${q}`);
  const stories = Array.isArray(got) ? got : [];
  const more = stories.length > PAGE;
  const frag = document.createDocumentFragment();
  frag.append(el('h2', {}, 'Stories'), filterForm(params));
  if (!stories.length) {
    frag.append(filtered.length || offset
      ? el('p', { class: 'empty' }, 'No stories match. ', el('a', { href: '#/' }, 'Show all stories'))
      : el('p', { class: 'empty' }, 'No stories yet: run ', el('code', {}, 'parallax ingest FILES')));
    return frag;
  }
  frag.append(el('ol', { class: 'stories' }, stories.slice(0, PAGE).map(storyRow)));
  if (offset || more) {
    frag.append(el('nav', { class: 'pager', 'aria-label': 'More stories' },
      offset > 0 && el('a', { href: homeHash(params, { offset: Math.max(0, offset - PAGE) }) }, '← Previous'),
      more && el('a', { href: homeHash(params, { offset: offset + PAGE }) }, 'Next →')));
  }
  frag.append(await feedHealth());
  return frag;
}

/* Health of the feeds `parallax watch` polls: last answer, last failure and why. */
async function feedHealth() {
  let feeds = [];
  try { feeds = await api('/api/feeds'); } catch (_) { feeds = []; }
  if (!Array.isArray(feeds) || !feeds.length) return document.createDocumentFragment();
  const rows = feeds.map((f) => [
    f.url,
    f.last_success ? f.last_success.slice(0, 16).replace('T', ' ') : 'never',
    f.failures ? `${f.failures} in a row: ${f.failure || ''}` : 'ok',
    String(f.items || 0),
  ]);
  return section('Feeds', table(['feed', 'last answer', 'failures', 'articles'], rows));
}

function filterForm(params) {
  const field = (name, label, type) => el('label', {}, `${label} `,
    el('input', { name, type, value: params.get(name) || '', placeholder: type === 'text' ? 'any' : null }));
  const form = el('form', { class: 'filters', 'aria-label': 'Filter stories' },
    field('since', 'From', 'date'), field('until', 'To', 'date'), field('outlet', 'Outlet', 'text'),
    el('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (String(v).trim()) p.set(k, String(v).trim());
    go(homeHash(p, {}));
  });
  return form;
}

function storyRow(s) {
  const arts = s.articles || [];
  const n = arts.length;
  return el('li', { class: 'story' },
    el('h3', {}, el('a', { href: storyHref(s.id) }, s.title || '(untitled)')),
    el('p', { class: 'outlets' }, distinct(arts.map(outletOf)).join(' · ')),
    el('p', { class: 'meta' }, el('span', {}, dates(s.first_seen, s.last_seen)), ' · ',
      `${plural(n, 'article')} · ${plural(s.outlets ?? 0, 'outlet')} · `
      + `${s.independent_reports ?? 0} independent, ${plural(s.copies ?? 0, 'copy', 'copies')}`),
    coverageBars(s.coverage),
    (s.blindspots || []).length
      ? el('p', { class: 'meta' }, 'Blindspot for: ', (s.blindspots || []).map((b) => badge(b, 'blindspot', 'outlets of this kind were read on these days, none covered the story')))
      : null);
}

// One bar per lens, one segment per value, width proportional to the count.
function coverageBars(cov) {
  if (!cov || typeof cov !== 'object') return null;
  const wrap = el('div', { class: 'bars' });
  for (const lens of LIST_LENSES) {
    const vals = Object.entries(cov[lens] || {}).filter(([, c]) => Number(c) > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (!vals.length) continue;
    const total = vals.reduce((t, [, c]) => t + Number(c), 0);
    const bar = el('div', { class: 'bar', role: 'img',
      'aria-label': `${lens}: ${vals.map(([v, c]) => `${v} ${c}`).join(', ')}` });
    for (const [v, c] of vals) {
      const seg = el('span', { class: `seg c${hueOf(v)}`, title: `${v}: ${c}` }, `${v} ${c}`);
      seg.style.width = `${((100 * c) / total).toFixed(2)}%`;
      bar.append(seg);
    }
    wrap.append(el('div', { class: 'lens' }, el('span', { class: 'lens-name' }, lens), bar));
  }
  return wrap.childElementCount ? wrap : null;
}

/* ---------- search ---------- */

async function searchView(q) {
  document.getElementById('q').value = q;
  document.title = `${q} · Search · Parallax`;
  if (!q.trim()) return el('p', { class: 'empty' }, 'Type words to search for.');
  const got = await api(`/api/search?${new URLSearchParams({ q, limit: '20' })}`);
  const hits = Array.isArray(got) ? got : [];
  return el('div', {}, el('h2', {}, `Search: “${q}”`),
    el('p', { class: 'meta' }, hits.length ? plural(hits.length, 'matching article') : 'No article matches.'),
    hits.length > 0 && el('ol', { class: 'hits' }, hits.map((h) => el('li', { class: 'hit' },
      el('p', { class: 'meta' }, outletOf(h), ' · ', h.published || 'undated'),
      el('h3', {}, h.story ? el('a', { href: storyHref(h.story) }, h.title || '(untitled)') : h.title || '(untitled)'),
      h.snippet && el('p', { class: 'snippet' }, h.snippet),
      h.story && el('p', {}, el('a', { href: storyHref(h.story) }, `Open story ${h.story} →`))))));
}

/* ---------- story view ---------- */

async function storyView(id) {
  const base = `/api/stories/${enc(id)}`;
  const [r, explain] = await Promise.all([api(base), api(`${base}/explain`).catch((error) => ({ error }))]);
  const story = r.story || { id };
  const arts = r.articles || [];
  const facts = r.facts || [];
  const name = new Map(arts.map((a) => [a.id, outletOf(a)]));
  const who = (ids) => distinct((ids || []).map((x) => name.get(x) || x)).join(', ');
  document.title = `${story.title || story.id} · Parallax`;
  const frag = document.createDocumentFragment();
  frag.append(
    el('p', { class: 'back' }, el('a', { href: '#/' }, '← All stories')),
    el('h2', { class: 'story-title' }, story.title || story.id),
    el('p', { class: 'meta' }, dates(story.first_seen, story.last_seen), ` · ${plural(arts.length, 'article')} · story ${story.id}`),
    columns(arts, facts, name),
    section('Sources', table(['Source', 'Kind', 'Cited by', 'Origin'], (r.sources || []).map((s) => [
      s.name, s.kind || '', `${plural((s.cited_by || []).length, 'article')} (${who(s.cited_by)})`,
      s.origin ? badge('origin', 'origin', 'Where the story comes from') : '']))),
    section('Timeline', table(['Date', 'Precision', 'Sentence', 'Dated by'], (r.timeline || []).map((t) => [
      el('span', { class: 'nowrap' }, t.date), t.precision || '', t.text, who(t.articles)]))),
    section('Framing', framing(r.framing || [])),
    section('Loaded words', loaded(r.loaded || [])),
    section('Quotes that differ', quotes(r.quotes || [], name), 'No quotation is worded differently across outlets.'),
    section('Omissions', omissions(r.omissions || {}, facts), 'No outlet leaves out a fact most others report.'),
    section('Coverage', coverage(r.coverage || [])),
    section('Entities', table(['Name', 'Kind', 'Articles'], [...(r.entities || [])]
      .sort((a, b) => (b.articles || []).length - (a.articles || []).length)
      .map((e) => [e.name, e.kind || '', String((e.articles || []).length)]))),
    section('Why grouped', why(explain, name)),
    splitForm(story.id, arts),
    mergeForm(story.id));
  return frag;
}

// Outlets side by side: one column per original article, its fact sentences in text order.
function columns(arts, facts, name) {
  const byArticle = new Map();
  let shared = 0;
  facts.forEach((f) => {
    const n = f.kind === 'shared' ? ++shared : 0;
    for (const m of f.mentions || []) {
      if (!byArticle.has(m.article)) byArticle.set(m.article, []);
      byArticle.get(m.article).push({ m, f, n });
    }
  });
  const originals = arts.filter((a) => !a.copy_of);
  const copies = arts.filter((a) => a.copy_of);
  const grid = el('div', { class: 'columns' });
  for (const a of originals) {
    const items = (byArticle.get(a.id) || []).sort((x, y) => x.m.start - y.m.start);
    const url = safeUrl(a.url);
    grid.append(el('article', { class: 'column' },
      el('h4', {}, outletOf(a)),
      el('p', { class: 'meta' }, a.published || 'undated'),
      el('p', { class: 'headline' }, url
        ? el('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, a.title || url)
        : a.title || '(untitled)'),
      items.length ? el('ul', { class: 'sentences' }, items.map(factItem))
        : el('p', { class: 'none' }, 'No fact sentences found.')));
  }
  return el('section', { class: 'block', 'aria-labelledby': 'sec-side' },
    el('h3', { id: 'sec-side' }, 'Side by side'),
    el('p', { class: 'legend' }, el('span', { class: 'fact f0' }, 'Highlighted'),
      ' sentences report a fact other outlets also report (same colour and number across columns); ',
      el('span', { class: 'fact unique' }, 'dotted'), ' ones appear in only this outlet; ',
      tag('tags', 'hedge'), ' show hedging words and who the sentence is attributed to.'),
    originals.length ? grid : el('p', { class: 'none' }, 'No articles.'),
    copies.length > 0 && el('p', { class: 'copies' }, 'Copies (not shown as columns): ',
      copies.map((a) => `${outletOf(a)} (copy of ${name.get(a.copy_of) || a.copy_of})`).join('; ')));
}

function factItem({ m, f, n }) {
  const li = el('li', {});
  if (n) {
    li.append(el('span', { class: `fnum f${(n - 1) % 8}` }, el('span', { class: 'vh' }, 'Shared fact '), String(n)), ' ',
      el('span', { class: `fact f${(n - 1) % 8}`, title: `Also reported by: ${(f.outlets || []).join(', ')}` }, m.text));
  } else {
    li.append(el('span', { class: 'vh' }, 'Only this outlet: '),
      el('span', { class: 'fact unique', title: 'only this outlet' }, m.text));
  }
  for (const h of m.hedges || []) li.append(' ', tag(h, 'hedge', 'hedge'));
  if (m.attribution) {
    li.append(' ', tag(`per ${m.attribution.source}`, 'attr', `attributed: “${m.attribution.text}” (${m.attribution.kind})`));
  }
  return li;
}

function framing(list) {
  return list.map((f) => el('div', { class: 'framing' }, el('h4', {}, f.referent),
    el('ul', {},
      distinct((f.variants || []).map((v) => `${v.outlet}\u0000${v.phrase}`)).map((k) => {
        const [outlet, phrase] = k.split('\u0000');
        return el('li', {}, el('strong', {}, outlet), ' → ', el('q', {}, phrase));
      }),
      (f.unlabelled || []).length > 0 && el('li', { class: 'none' }, `No label: ${f.unlabelled.join(', ')}`))));
}

function loaded(list) {
  const by = new Map();
  for (const l of list) {
    const words = by.get(l.outlet) || new Map();
    const w = (l.at && l.at.text) || '';
    words.set(w, (words.get(w) || 0) + 1);
    by.set(l.outlet, words);
  }
  if (!by.size) return null;
  return el('ul', {}, [...by].map(([outlet, words]) => el('li', {}, el('strong', {}, outlet), ': ',
    [...words].map(([w, c], i) => [i ? ', ' : '', el('q', {}, w), c > 1 ? ` ×${c}` : '']))));
}

function quotes(list, name) {
  const differ = list.filter((q) => q.differs);
  return differ.map((q) => el('ul', { class: 'quote' }, (q.mentions || []).map((m) =>
    el('li', {}, el('strong', {}, name.get(m.article) || m.article), ': ', el('q', {}, m.text)))));
}

function omissions(map, facts) {
  return Object.entries(map).filter(([, idx]) => (idx || []).length).map(([outlet, idx]) =>
    el('div', {}, el('h4', {}, `${outlet} omits`), el('ul', {}, idx.map((i) => {
      const f = facts[i] || {};
      const first = (f.mentions || [])[0];
      return el('li', {}, first ? first.text : `fact #${i}`,
        (f.outlets || []).length > 0 && el('span', { class: 'meta' }, ` (reported by ${f.outlets.join(', ')})`));
    }))));
}

function coverage(lenses) {
  return lenses.map((l) => el('div', { class: 'lens-block' }, el('h4', {}, l.lens), el('ul', {},
    (l.values || []).map((v) => el('li', {}, el('strong', {}, v.value), `: ${(v.covering || []).length}/${v.ingested ?? 0} outlets`,
      (v.covering || []).length > 0 && ` (${v.covering.join(', ')})`,
      v.blindspot && [' ', badge('blindspot', 'blindspot', 'Outlets of this kind were read in this period but none covered the story')])))));
}

function why(explain, name) {
  if (explain.error) return el('p', { class: 'error' }, `Could not load the grouping record: ${explain.error.message}`);
  if (!Array.isArray(explain) || !explain.length) return null;
  return el('ul', { class: 'why' }, explain.map(({ article, assignment: a }) => {
    const parts = [];
    if (!a) parts.push('no record');
    else if (a.pinned) parts.push('placed here by a correction');
    else if (a.copy_of) parts.push(`copy of ${name.get(a.copy_of) || a.copy_of}`);
    else if (a.created) parts.push('started the story');
    else {
      parts.push(`similarity ${score(a.score)} on shared terms: ${(a.shared_terms || []).join(', ') || '(none)'}`);
      if (a.gap_days != null) parts.push(`; ${plural(a.gap_days, 'day')} after the story's last article`);
    }
    if (a && Array.isArray(a.runner_up)) {
      const [rid, rs] = a.runner_up;
      parts.push('; runner-up ', el('a', { href: storyHref(rid) }, `story ${rid}`), ` at ${score(rs)}`);
    }
    if (a && a.split_from) parts.push(`; split off story ${a.split_from} by the second-pass check (it held two events)`);
    if (a && Array.isArray(a.merged_from)) {
      const [from, ms] = a.merged_from;
      parts.push(`; was in story ${from}, which the merge step folded into this one at similarity ${score(ms)}`);
    }
    return el('li', {}, el('strong', {}, name.get(article) || article), ': ', parts);
  }));
}

/* ---------- corrections: split and merge ---------- */

async function mutate(path, body, button) {
  let token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    token = (window.prompt('Parallax API token (needed to change stories):') || '').trim();
    if (!token) { setStatus('error', 'Cancelled: changing stories needs the API token.'); return null; }
    sessionStorage.setItem(TOKEN_KEY, token);
  }
  button.disabled = true;
  setStatus('loading', 'Saving…');
  try {
    return await api(path, { method: 'POST', body, token });
  } catch (e) {
    if (e.status === 401 || e.status === 403) sessionStorage.removeItem(TOKEN_KEY);
    setStatus('error', `Error: ${e.message}`);
    return null;
  } finally {
    button.disabled = false;
  }
}

function splitForm(id, arts) {
  const button = el('button', { type: 'submit' }, 'Split selected into a new story');
  const form = el('form', { class: 'control' }, el('fieldset', {},
    el('legend', {}, 'Split: move articles to a new story'),
    arts.map((a, i) => el('div', { class: 'check' },
      el('input', { type: 'checkbox', id: `split-${i}`, name: 'article', value: a.id }),
      el('label', { for: `split-${i}` }, el('strong', {}, outletOf(a)), `: ${a.title || a.id}`))),
    button));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const ids = [...form.querySelectorAll('input[name="article"]:checked')].map((x) => x.value);
    if (!ids.length) { setStatus('error', 'Select at least one article to split off.'); return; }
    const res = await mutate(`/api/stories/${enc(id)}/split`, { articles: ids }, button);
    if (!res) return;
    flash = ['done', `Moved ${plural(ids.length, 'article')} to `,
      res.story ? el('a', { href: storyHref(res.story) }, `story ${res.story}`) : 'a new story', '.'];
    render();
  });
  return form;
}

function mergeForm(id) {
  const input = el('input', { id: 'merge-from', name: 'from', type: 'text', required: true, autocomplete: 'off', placeholder: 'e.g. s12' });
  const button = el('button', { type: 'submit' }, 'Merge into this story');
  const form = el('form', { class: 'control' }, el('fieldset', {},
    el('legend', {}, 'Merge: bring another story’s articles here'),
    el('label', { for: 'merge-from' }, 'Other story id '), input, ' ', button));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const from = decode(input.value.trim().replace(/^.*#\/story\//, ''));
    if (!from) return;
    if (from === id) { setStatus('error', 'That is this story: give another story’s id.'); return; }
    const res = await mutate(`/api/stories/${enc(id)}/merge`, { from }, button);
    if (!res) return;
    flash = ['done', `Merged story ${from} into this one.`];
    render();
  });
  return form;
}

/* ---------- start ---------- */

document.getElementById('search').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = document.getElementById('q').value.trim();
  if (q) go(`#/search/${enc(q)}`);
});
window.addEventListener('hashchange', () => { navigated = true; render(); });
render();
