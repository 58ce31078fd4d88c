// The pages of vhcv: one document, pages by the address's #/fragment.
// Every action goes through the API, which authorises it; the pages only
// hide what the API would refuse anyway.
import { api, setCsrf, ApiError, enc, newKey } from './api.js';
import { h, clear, field } from './dom.js';
import { t, setLang, getLang, setZone, fmtDate, daysUntil, statusName, sourceName, parseDate, dateError, today, setVocab, named, ruleTitle, known } from './i18n.js';
import { casePage } from './case.js';
import { officialPicker } from './search.js';
import { extraPages, extraNav } from './more.js';

export const app = { session: null, rules: null };
const main = () => document.getElementById('main');

export function say(msg) {
  const s = document.getElementById('status');
  s.textContent = '';
  setTimeout(() => { s.textContent = msg; }, 30);
}

// an error of the API as the user should read it: the catalogue's message
// for its error code and field in the chosen language; in English the
// daemon's own words (English) where the catalogue has none for the field;
// the daemon's text for errors the catalogue does not know
export function errorText(e) {
  if (!(e instanceof ApiError)) return t('error', e.message);
  const d = e.data;
  if (e.status === 409 && d.status) return t('stale', statusName(d.status));
  const id = d.error || '';
  const specific = d.field && known(`e_${id}_${d.field}`) ? `e_${id}_${d.field}` : null;
  const key = specific || (known('e_' + id) ? 'e_' + id : null);
  if (!key) return t('error', d.message || e.message);
  const detail = !specific && getLang() === 'en' && d.message ? d.message : t(key);
  // the field by its label on the form where the catalogue has one (signed_on → Ngày ký)
  const label = d.field ? (t(d.field) !== d.field ? `${t(d.field)} (${d.field})` : d.field) : null;
  if (e.status === 403) return t('forbidden', detail);
  if (e.status === 404) return label && !specific ? t('not_found', `${label}: ${detail}`) : t('not_found', detail);
  if (e.status === 400 && label) return t('bad_field', label, detail);
  if (e.status === 409) return t('conflict', label ? `${label}: ${detail}` : detail);
  return t('error', detail);
}

export function alertBox(children, cls) {
  return h('div', { class: 'alert ' + (cls || 'bad'), role: 'alert', tabindex: '-1' }, children);
}

export function dateInput(attrs, value) {
  return h('input', Object.assign({ type: 'text', inputmode: 'numeric', placeholder: t('date_hint'),
    pattern: '\\d{1,2}/\\d{1,2}/\\d{4}', autocomplete: 'off', value: value || '' }, attrs));
}
export { parseDate, today };

export async function rules() {
  if (!app.rules) app.rules = (await api('GET', '/v1/rules')).items;
  return app.rules;
}

function nav() {
  const n = clear(document.getElementById('nav'));
  const who = clear(document.getElementById('who'));
  const s = app.session;
  if (!s) return;
  const items = [];
  if (['unit_head', 'admin', 'auditor', 'inspector'].includes(s.role)) items.push(['#/inbox', t('inbox')]);
  if (['inspector', 'unit_head', 'admin'].includes(s.role)) items.push(['#/report', t('report')]);
  items.push(...extraNav(s));
  n.appendChild(h('ul', null, items.map(([href, label]) =>
    h('li', null, h('a', { href, 'aria-current': location.hash.startsWith(href) ? 'page' : null }, label)))));
  who.appendChild(h('span', null, t('signed_in_as', s.display_name)));
  if (s.via === 'session')
    who.appendChild(h('button', { type: 'button', id: 'signout', onclick: signout }, t('signout')));
}

async function signout() {
  try { await api('DELETE', '/v1/session'); } catch (e) { /* gone already */ }
  app.session = null;
  setCsrf(null);
  location.hash = '#/signin';
}

function signinPage(root, msg) {
  const name = h('input', { name: 'name', autocomplete: 'username', required: true, autocapitalize: 'none' });
  const pw = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const out = h('div');
  const form = h('form', { class: 'card narrow', novalidate: true },
    h('h1', null, t('signin')), h('p', null, t('signin_intro')),
    msg ? alertBox(msg) : null, out,
    field(t('name'), name), field(t('password'), pw),
    h('button', { type: 'submit', class: 'primary' }, t('signin')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    try {
      const s = await api('POST', '/v1/session', { name: name.value.trim(), password: pw.value });
      start(s);
      location.hash = s.role === 'inspector' ? '#/report' : '#/inbox';
    } catch (e) {
      const m = e.status === 401 ? t('wrong_password') : e.status === 429 ? t('rate_limited')
        : e.status === 403 ? t('disabled') : errorText(e);
      out.appendChild(alertBox(m));
      out.firstChild.focus();
      pw.value = '';
    }
  });
  root.appendChild(form);
  name.focus();
}

const WAITING = ['reported', 'under_review', 'council', 'deferred', 'appealed'];

// overdue first, then fewest days to the handling deadline, then to the limitation date
export function inboxOrder(a, b) {
  const big = 1e9;
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  const da = a.handling_deadline ? Date.parse(a.handling_deadline) : big;
  const db = b.handling_deadline ? Date.parse(b.handling_deadline) : big;
  if (da !== db) return da - db;
  const la = a.limitation_expires_on ? Date.parse(a.limitation_expires_on) : big;
  const lb = b.limitation_expires_on ? Date.parse(b.limitation_expires_on) : big;
  return la - lb || a.case.localeCompare(b.case);
}

async function inboxPage(root) {
  root.appendChild(h('h1', null, t('inbox_title')));
  root.appendChild(h('p', null, t('inbox_intro')));
  let items = [];
  let after = null;
  do {
    const page = await api('GET', '/v1/cases?limit=500' + (after ? '&after=' + enc(after) : ''));
    items = items.concat(page.items);
    after = page.next;
  } while (after && items.length < 5000);
  const groups = Object.fromEntries((await rules()).map((r) => [r.code, r.group]));
  items = items.filter((c) => WAITING.includes(c.status)).sort(inboxOrder);
  const opts = (vals, fmt) => [h('option', { value: '' }, t('all'))].concat(
    [...new Set(vals)].sort().map((v) => h('option', { value: v }, fmt ? fmt(v) : v)));
  const fStatus = h('select', { name: 'status' }, opts(items.map((c) => c.status), statusName));
  const fUnit = h('select', { name: 'unit' }, opts(items.map((c) => c.unit)));
  const fGroup = h('select', { name: 'group' }, opts(items.map((c) => groups[c.rule.code] || '?')));
  const fSource = h('select', { name: 'source' }, opts(items.map((c) => c.source), sourceName));
  const fSearch = h('input', { type: 'search', name: 'q' });
  const count = h('p', { role: 'status', class: 'count' });
  const body = h('tbody');
  const table = h('table', { class: 'cases' },
    h('caption', { class: 'sr' }, t('inbox_title')),
    h('thead', null, h('tr', null, [t('case_no'), t('official'), t('unit'), t('rule'), t('status'),
      t('days_left'), t('deadline'), t('limitation'), t('source')].map((x) => h('th', { scope: 'col' }, x)))),
    body);
  const render = () => {
    clear(body);
    const q = fSearch.value.trim().toLowerCase();
    const shown = items.filter((c) =>
      (!fStatus.value || c.status === fStatus.value) && (!fUnit.value || c.unit === fUnit.value) &&
      (!fGroup.value || (groups[c.rule.code] || '?') === fGroup.value) &&
      (!fSource.value || c.source === fSource.value) &&
      (!q || c.case.toLowerCase().includes(q) || c.official.code.toLowerCase().includes(q) ||
        (c.official.full_name || '').toLowerCase().normalize('NFC').includes(q.normalize('NFC'))));
    for (const c of shown) {
      const left = daysUntil(c.handling_deadline);
      body.appendChild(h('tr', { class: c.overdue ? 'overdue' : null },
        h('td', { 'data-label': t('case_no') }, h('a', { href: '#/case/' + enc(c.case) }, c.case),
          c.overdue ? h('span', { class: 'badge' }, t('overdue')) : null),
        h('td', { 'data-label': t('official') }, `${c.official.full_name} (${c.official.code})`),
        h('td', { 'data-label': t('unit') }, c.unit),
        h('td', { 'data-label': t('rule') }, c.rule.code),
        h('td', { 'data-label': t('status') }, statusName(c.status)),
        h('td', { 'data-label': t('days_left') }, left === null ? '—' : left < 0 ? t('days_over', -left) : t('days', left)),
        h('td', { 'data-label': t('deadline') }, fmtDate(c.handling_deadline)),
        h('td', { 'data-label': t('limitation') }, fmtDate(c.limitation_expires_on)),
        h('td', { 'data-label': t('source') }, sourceName(c.source))));
    }
    count.textContent = shown.length ? t('count', shown.length) : t('no_cases');
  };
  for (const el of [fStatus, fUnit, fGroup, fSource]) el.addEventListener('change', render);
  fSearch.addEventListener('input', render);
  root.appendChild(h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
    h('fieldset', null, h('legend', null, t('filters')),
      field(t('status'), fStatus), field(t('unit'), fUnit), field(t('group'), fGroup),
      field(t('source'), fSource), field(t('search'), fSearch))));
  root.appendChild(count);
  root.appendChild(h('div', { class: 'scroll' }, table));
  render();
}

async function reportPage(root) {
  root.appendChild(h('h1', null, t('report_title')));
  const all = await rules();
  const byGroup = {};
  for (const r of all) {
    const g = named('groups', r.group, r.group_name);
    (byGroup[g] = byGroup[g] || []).push(r);
  }
  const who = h('p', { class: 'hint picked', 'aria-live': 'polite' });
  const picker = officialPicker((o) => { who.textContent = `${o.full_name} — ${o.unit_name || o.unit} (${o.code})`; });
  const code = picker.input;
  code.addEventListener('input', () => { who.textContent = ''; });
  const lookup = h('button', { type: 'button', onclick: async () => {
    who.textContent = '';
    try {
      const o = await api('GET', '/v1/officials/' + enc(code.value.trim()));
      who.textContent = `${o.full_name} — ${o.unit} (${named('categories', o.category, o.category_name)})`;
    } catch (e) { who.textContent = errorText(e); }
  } }, t('lookup'));
  const rule = h('select', { name: 'rule', required: true },
    Object.entries(byGroup).map(([g, rs]) => h('optgroup', { label: g },
      rs.map((r) => h('option', { value: r.code }, `${r.code} — ${ruleTitle(r)}`)))));
  const occurred = dateInput({ name: 'occurred_on', required: true });
  const detected = dateInput({ name: 'detected_on' }, today());
  const source = h('select', { name: 'source' },
    ['inspection', 'supervision', 'citizen', 'front', 'self'].map((s) => h('option', { value: s }, sourceName(s))));
  const place = h('input', { name: 'place' });
  const text = h('textarea', { name: 'description', required: true, rows: 4 });
  const files = h('input', { type: 'file', name: 'evidence', multiple: true });
  let key = newKey('ui');
  const out = h('div');
  const keyNote = h('p', { class: 'hint' }, t('key_note', key));
  const submit = h('button', { type: 'submit', class: 'primary' }, t('submit'));
  const form = h('form', { class: 'card', novalidate: true }, out,
    h('div', { class: 'row' }, field(t('official_pick'), code, t('official_hint')), lookup), picker.list,
    picker.count, who,
    field(t('rule_pick'), rule), field(t('occurred'), occurred, t('date_hint')),
    field(t('detected'), detected, t('date_hint')), field(t('source'), source),
    field(t('place'), place), field(t('description'), text), field(t('evidence_files'), files),
    keyNote, submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    const occ = parseDate(occurred.value), det = detected.value ? parseDate(detected.value) : null;
    if (!occ || (detected.value && !det)) {
      out.appendChild(alertBox(t('bad_field', !occ ? t('occurred') : t('detected'),
        dateError(!occ ? occurred.value : detected.value))));
      out.firstChild.focus();
      return;
    }
    const body = { official: code.value.trim(), rule: rule.value, occurred_on: occ, source: source.value,
      description: text.value, idempotency_key: key };
    if (det) body.detected_on = det;
    if (place.value.trim()) body.place = place.value.trim();
    submit.disabled = true;
    try {
      const k = await api('POST', '/v1/cases', body);
      for (const f of files.files)
        await api('PUT', `/v1/cases/${enc(k.case)}/evidence/${enc(f.name)}`, f, f.type || 'application/octet-stream');
      key = newKey('ui');
      say(t('reported', k.case));
      location.hash = '#/case/' + enc(k.case);
    } catch (e) {
      out.appendChild(alertBox(errorText(e)));
      out.firstChild.focus();
    } finally {
      submit.disabled = false;
    }
  });
  root.appendChild(form);
}

const routes = [
  [/^#\/signin$/, (root) => signinPage(root)],
  [/^#\/inbox$/, inboxPage],
  [/^#\/report$/, reportPage],
  [/^#\/case\/([^/]+)$/, (root, m) => casePage(root, decodeURIComponent(m[1]))],
  ...extraPages,
];

async function route() {
  const hash = location.hash || '#/inbox';
  if (!hash.startsWith('#/')) return; // the skip link and other anchors
  const root = clear(main());
  document.title = t('app');
  document.getElementById('brand').textContent = t('app');
  const lb = document.getElementById('lang');
  lb.textContent = t('switch_to');
  lb.setAttribute('aria-label', t('switch_label'));
  document.querySelector('.skip').textContent = t('skip');
  if (!app.session && hash !== '#/signin') {
    try { start(await api('GET', '/v1/session')); } catch (e) {
      location.hash = '#/signin';
      return;
    }
  }
  if (app.session && !app.vocab) {
    try { app.vocab = await api('GET', '/v1/vocabulary'); } catch (e) { app.vocab = {}; }
    setVocab(app.vocab);
  }
  nav();
  for (const [re, fn] of routes) {
    const m = re.exec(hash);
    if (!m) continue;
    root.appendChild(h('p', { class: 'loading' }, t('loading')));
    try {
      const box = h('div');
      await fn(box, m);
      clear(root).appendChild(box);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        app.session = null;
        clear(root);
        signinPage(root, t('session_over'));
        return;
      }
      clear(root).appendChild(alertBox(errorText(e)));
    }
    const h1 = root.querySelector('h1');
    if (h1 && hash !== '#/signin') { h1.tabIndex = -1; h1.focus(); }
    return;
  }
  location.hash = '#/inbox';
}

function start(s) {
  app.session = s;
  app.vocab = null;
  setCsrf(s.csrf_token);
  setZone(s.time_zone);
}

export function rerender() { route(); }

document.getElementById('lang').addEventListener('click', () => {
  setLang(getLang() === 'vi' ? 'en' : 'vi');
  route();
});
document.querySelector('.skip').addEventListener('click', (e) => {
  e.preventDefault();
  main().focus();
});
window.addEventListener('hashchange', route);
setLang(getLang());
route();
