// The official field of the report form: a personnel code, or the
// beginning of a name to look for (GET /v1/officials?q=; diacritics, case
// and Unicode form do not matter, the daemon folds them). A combobox of
// WAI-ARIA 1.2: the input owns a listbox of the officials found; Down and
// Up move through it, Enter chooses, Escape closes; a click chooses too.
// Choosing puts the official's code in the input.
import { api, enc } from './api.js';
import { h, clear, uid } from './dom.js';
import { t } from './i18n.js';

export function officialPicker(onPick) {
  const listId = uid('officials');
  const input = h('input', {
    name: 'official', required: true, role: 'combobox', 'aria-autocomplete': 'list',
    'aria-expanded': 'false', 'aria-controls': listId, autocomplete: 'off', spellcheck: 'false',
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'suggest', hidden: true, 'aria-label': t('officials_found') });
  const count = h('p', { class: 'sr', 'aria-live': 'polite' });
  let items = [];
  let active = -1;
  let seq = 0;
  let timer = null;

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }
  function mark(i) {
    active = i;
    list.querySelectorAll('[role=option]').forEach((li, k) => li.setAttribute('aria-selected', String(k === i)));
    if (i >= 0) {
      const li = list.children[i];
      input.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }
  function choose(i) {
    const o = items[i];
    if (!o) return;
    input.value = o.code;
    close();
    count.textContent = t('chosen', o.full_name, o.code);
    onPick(o);
  }
  function show(found) {
    // a later answer keeps the option the user is on, if it is still there
    const was = active >= 0 && items[active] ? items[active].code : null;
    items = found;
    clear(list);
    found.forEach((o, i) => list.appendChild(h('li', {
      id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false',
      onmousedown: (e) => e.preventDefault(), onclick: () => choose(i),
    }, h('span', { class: 'strong' }, o.full_name), ` — ${o.code}`,
    h('span', { class: 'hint' }, ` · ${o.unit_name || o.unit}${o.position ? ' · ' + o.position : ''}`))));
    count.textContent = found.length ? t('found_n', found.length) : t('found_none');
    if (!found.length) { close(); return; }
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    mark(found.findIndex((o) => o.code === was));
  }
  async function search() {
    clearTimeout(timer);
    const q = input.value.trim();
    const mine = ++seq;
    if (q.length < 2) { close(); list.setAttribute('aria-busy', 'false'); return; }
    try {
      const r = await api('GET', `/v1/officials?q=${enc(q)}&limit=8`);
      if (mine === seq) show(r.items);
    } catch (e) {
      if (mine === seq) { close(); count.textContent = ''; }
    }
    if (mine === seq) list.setAttribute('aria-busy', 'false');
  }
  // busy from a keystroke until the answer for the text as it then stands
  input.addEventListener('input', () => {
    list.setAttribute('aria-busy', 'true');
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (list.hidden) { search(); return; }
      const n = items.length;
      mark(ev.key === 'ArrowDown' ? (active + 1) % n : (active <= 0 ? n - 1 : active - 1));
    } else if (ev.key === 'Enter' && !list.hidden && active >= 0) {
      ev.preventDefault();
      choose(active);
    } else if (ev.key === 'Escape' && !list.hidden) {
      ev.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', close);
  return { input, list, count };
}
