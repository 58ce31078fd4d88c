// The browser scenario of issue #12 (run by test_ui.sh, which sets up the
// daemon, the data and the accounts). Each check prints ok/FAIL; the exit
// status is the number of failures (at most 1).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const URL = process.env.VHCV_UI_URL;
const SHOTS = process.env.VHCV_UI_SHOTS;
const OVERDUE = process.env.VHCV_UI_OVERDUE;
const FRESH = process.env.VHCV_UI_FRESH;
const OTHER = process.env.VHCV_UI_OTHER;
const CANBO = process.env.VHCV_UI_CANBO;
let fails = 0;
const dirs = [];

function check(cond, what, detail) {
  if (cond) console.log(`ok: ${what}`);
  else { fails++; console.error(`FAIL: ${what}${detail !== undefined ? ': ' + JSON.stringify(detail) : ''}`); }
}

// a fresh browser profile per person (own cookies), Debian's chromium
async function browser() {
  const dir = mkdtempSync(join(process.env.VHCV_UI_TMP || '/tmp', 'chromium-'));
  dirs.push(dir);
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  // nothing but this origin: no CDN, no third party
  ctx.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(URL) && !u.startsWith('data:') && !u.startsWith('blob:')) {
      fails++;
      console.error(`FAIL: a request left the register's origin: ${u}`);
    }
  });
  ctx.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) {
      fails++;
      console.error(`FAIL: console error: ${m.text()}`);
    }
  });
  ctx.on('weberror', (e) => { fails++; console.error(`FAIL: page error: ${e.error()}`); });
  return ctx;
}

// wait until fn (run in the page) is true; polls with evaluate, which the
// page's CSP (no eval) allows, unlike waitForFunction
async function until(page, fn, arg) {
  for (let i = 0; i < 150; i++) {
    if (await page.evaluate(fn, arg)) return;
    await page.waitForTimeout(100);
  }
  throw new Error('timed out waiting for ' + fn.toString());
}

async function shot(page, name) {
  await page.bringToFront();
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: true });
  console.log(`screenshot: ${name}.png`);
}

async function signIn(page, name, password) {
  await page.goto(URL + '/ui/');
  await page.waitForSelector('form input[name=name]');
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', password);
  await page.click('form button[type=submit]');
}

const main = async () => {
  // ——— the unit head
  const head = await browser();
  const page = head.pages()[0] || await head.newPage();
  await page.goto(URL + '/');
  await page.waitForSelector('form input[name=name]');
  check(await page.textContent('h1') === 'Đăng nhập', 'the sign-in page is in Vietnamese by default');
  check(await page.getAttribute('html', 'lang') === 'vi', 'the document says lang=vi');
  await shot(page, '01-signin');
  await page.fill('input[name=name]', 'truong-a');
  await page.fill('input[name=password]', 'wrong password');
  await page.click('form button[type=submit]');
  await page.waitForSelector('[role=alert]');
  check((await page.textContent('[role=alert]')).includes('Sai tên đăng nhập hoặc mật khẩu'), 'a wrong password is refused with a clear message');
  await signIn(page, 'truong-a', 'mat-khau-truong');
  await page.waitForSelector('table.cases tbody tr');
  await shot(page, '02-inbox');
  const first = await page.textContent('table.cases tbody tr:first-child td:first-child a');
  check(first === OVERDUE, 'the overdue case comes first in the inbox', { first, OVERDUE, FRESH });
  check((await page.textContent('table.cases tbody tr:first-child')).includes('Quá hạn'), 'marked overdue');
  const rows = await page.$$eval('table.cases tbody tr td:first-child a', (as) => as.map((a) => a.textContent));
  check(!rows.includes(OTHER), "another unit's case is not in the inbox", rows);
  // filters and search
  await page.fill('input[type=search]', 'Bình');
  check((await page.$$('table.cases tbody tr')).length === 1, 'search by the official\'s name');
  await page.fill('input[type=search]', '');
  await page.selectOption('select[name=source]', 'citizen');
  check(await page.textContent('table.cases tbody tr td:first-child a') === FRESH, 'filter by source');
  await page.selectOption('select[name=source]', '');

  // a phone screen: no sideways scrolling
  await page.setViewportSize({ width: 375, height: 740 });
  await page.waitForTimeout(100);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, 'the inbox fits a phone screen', overflow);
  await shot(page, '03-inbox-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // the case: accept, convene the council
  await page.click(`a[href="#/case/${OVERDUE}"]`);
  await page.waitForSelector('form[data-action=accept]');
  check((await page.textContent('h1')).includes(OVERDUE), 'the case page opens');
  check((await page.textContent('form[data-action=reject]')).includes('Không có căn cứ'),
    'the reasons to reject are named in Vietnamese, not by their codes');
  check((await page.textContent('.timeline')).includes('reported'), 'the timeline shows the report event');
  check(/[0-9a-f]{64}/.test(await page.textContent('.timeline')), 'with the hash of each event');
  check((await page.textContent('section.rule')).includes('TD-01'), 'the rule text is beside the case');
  await shot(page, '04-case-reported');
  await page.click('form[data-action=accept] button[type=submit]');
  await page.waitForSelector('form[data-action=council]');
  await page.fill('form[data-action=council] input[name=members]', 'M-1, M-2, M-3');
  await page.fill('form[data-action=council] input[name=recommend]', 'khien_trach');
  // a second tab opens the case now and keeps a stale form
  const tab2 = await head.newPage();
  await tab2.goto(`${URL}/ui/#/case/${OVERDUE}`);
  await tab2.waitForSelector('form[data-action=council]');
  await page.bringToFront();
  await page.click('form[data-action=council] button[type=submit]');
  await page.waitForSelector('form[data-action=decide] fieldset.forms input[type=radio]');
  check((await page.textContent('.status')).includes('Hội đồng kỷ luật'), 'the council is convened');

  // the decision form: keyboard only
  await page.selectOption('form[data-action=decide] select[name=severity]', 'it_nghiem_trong');
  await until(page, () => document.querySelector('form[data-action=decide] .law')?.textContent.includes('khien_trach'));
  await shot(page, '05-decide-form');
  const law = await page.textContent('form[data-action=decide] .law');
  check(law.includes('Gợi ý theo thang kỷ luật') && law.includes('khien_trach'), "the decision form shows the ladder's suggestion", law);
  check(/Thời hiệu đến\d{2}\/\d{2}\/\d{4}/.test(law) && /Hạn xử lý\d{2}\/\d{2}\/\d{4}/.test(law), 'and the limitation and handling dates as dd/mm/yyyy', law);
  await page.focus('form[data-action=decide] select[name=severity]');
  const order = [];
  for (let i = 0; i < 12; i++) {
    order.push(await page.evaluate(() => {
      const a = document.activeElement;
      return a.name || a.type || a.tagName;
    }));
    await page.keyboard.press('Tab');
  }
  const want = ['severity', 'signed_on', 'form', 'reason', 'number', 'effective_on', 'complex', 'submit'];
  check(want.every((w) => order.includes(w)) && order.indexOf('severity') < order.indexOf('form') &&
    order.indexOf('form') < order.indexOf('number') && order.indexOf('complex') < order.indexOf('submit'),
    'Tab walks the decision form in order: severity, date, form, reason, number, submit', order);
  // choose canh_cao instead of the ladder's khien_trach, no reason: the law refuses
  await page.focus('form[data-action=decide] input[name=form]:checked');
  const forms = await page.$$eval('form[data-action=decide] input[name=form]', (rs) => rs.map((r) => r.value));
  const target = forms.indexOf('canh_cao') >= 0 ? 'canh_cao' : forms.find((f) => f !== 'khien_trach' && f !== 'none');
  for (let i = 0; i < forms.length; i++) {
    const v = await page.evaluate(() => document.activeElement.value);
    if (v === target) break;
    await page.keyboard.press('ArrowDown');
  }
  check(await page.evaluate(() => document.activeElement.value) === target, `arrow keys choose the form ${target}`);
  await page.focus('form[data-action=decide] input[name=number]');
  await page.keyboard.type('12/QĐ-UBND');
  await page.keyboard.press('Enter');
  await page.waitForSelector('form[data-action=decide] [role=alert]');
  const refusal = await page.textContent('form[data-action=decide] [role=alert]');
  check(refusal.includes('Pháp luật không cho phép'), 'the law refuses the form, and says so', refusal);
  check(refusal.includes('ladder_reason_required'), 'naming the rule', refusal);
  check(refusal.includes('Hình thức khác với gợi ý của thang kỷ luật: phải nêu lý do'), 'in Vietnamese', refusal);
  check(/Căn cứ: \S/.test(refusal), 'and its legal basis', refusal);
  check(await page.evaluate(() => document.activeElement.getAttribute('role')) === 'alert', 'focus moves to the refusal');
  await shot(page, '06-decide-refused');
  // back to the ladder's form, with the keyboard, and decide
  await page.focus('form[data-action=decide] input[name=form]:checked');
  for (let i = 0; i < forms.length; i++) {
    if (await page.evaluate(() => document.activeElement.value) === 'khien_trach') break;
    await page.keyboard.press('ArrowUp');
  }
  await page.focus('form[data-action=decide] button[type=submit]');
  await page.keyboard.press('Enter');
  await until(page, () => document.querySelector('.status')?.textContent.includes('Đã quyết định'));
  check(true, 'decided with the keyboard alone');
  const decided = await page.textContent('section[aria-labelledby=dec-h]');
  check(decided.includes('Hiệu lực kỷ luật đến') && decided.includes('Đang có hiệu lực') && !decided.includes('in_effect'),
    "the decision shows the end of its effect and its state in Vietnamese", decided);
  await shot(page, '07-case-decided');

  // the second tab's stale council form
  await tab2.bringToFront();
  await tab2.fill('form[data-action=council] input[name=members]', 'M-1, M-2, M-3');
  await tab2.click('form[data-action=council] button[type=submit]');
  await tab2.waitForSelector('form[data-action=council] [role=alert]');
  const stale = await tab2.textContent('form[data-action=council] [role=alert]');
  check(stale.includes('Vụ việc đã thay đổi kể từ khi bạn mở trang này') && stale.includes('Đã quyết định'),
    "a second tab's stale form is refused with a clear message", stale);
  await shot(tab2, '08-stale-form');
  await tab2.close();
  await page.bringToFront();

  // a cán bộ's case is decided without a council; any case may go without one on a conclusion
  await page.evaluate((hash) => { location.hash = hash; }, `#/case/${CANBO}`);
  await page.waitForSelector('form[data-action=dispense]');
  check(!!(await page.$('form[data-action=decide]')), "a cán bộ's case under review offers the decision form (no council)");
  check((await page.textContent('form[data-action=dispense]')).includes('Kết luận thanh tra, kiểm tra'),
    'and the form to go without a council, its grounds in Vietnamese');
  await page.evaluate((hash) => { location.hash = hash; }, `#/case/${OVERDUE}`);
  await until(page, (n) => document.querySelector('h1')?.textContent.includes(n) &&
    !document.querySelector('form[data-action=dispense]'), OVERDUE);

  // the official's record
  await page.click('section[aria-labelledby=facts-h] a[href^="#/record/"]');
  await page.waitForSelector('table.record');
  check((await page.textContent('table.record')).includes('12/QĐ-UBND'), "the decision is on the official's record");
  await shot(page, '09-record');

  // the language switch
  await page.click('#lang');
  await until(page, () => document.documentElement.lang === 'en');
  check((await page.textContent('h1')).startsWith("Official's disciplinary record"), 'the switch shows English');
  check((await page.textContent('#nav')).includes('Inbox'), 'the navigation too');
  await shot(page, '10-record-english');
  check((await page.textContent('main')).includes('civil servant') && (await page.textContent('main')).includes('reprimand'),
    "the record's category and sanction form are English (the law tables' name_en)");
  // the case in English: status badge, severity, sanction form, rule title
  await page.evaluate((hash) => { location.hash = hash; }, `#/case/${OVERDUE}`);
  await until(page, () => document.querySelector('.status')?.textContent === 'Decided');
  const facts = await page.textContent('section[aria-labelledby=facts-h]');
  check(facts.includes('less serious (it_nghiem_trong)') && facts.includes('civil servant') && !/ít nghiêm trọng|công chức/.test(facts),
    'in English the status badge, severity and category are English', facts);
  check((await page.textContent('section[aria-labelledby=dec-h]')).includes('reprimand (khien_trach)'), 'and the sanction form');
  await shot(page, '10a-case-english');
  // the daemon's errors in the chosen language, from the catalogue
  await page.evaluate(() => { location.hash = '#/case/VP-1999-999'; });
  await until(page, () => document.querySelector('main [role=alert]'));
  const en404 = await page.textContent('main [role=alert]');
  check(en404.startsWith('Not found: ') && !/Không/.test(en404), 'a 404 reads in English', en404);
  await page.click('#lang');
  await until(page, () => document.documentElement.lang === 'vi' && document.querySelector('main [role=alert]'));
  const vi404 = await page.textContent('main [role=alert]');
  check(vi404.startsWith('Không tìm thấy: ') && !/\bno case\b|not found/i.test(vi404), 'and in Vietnamese, not the daemon\'s English', vi404);
  await shot(page, '10b-not-found-vietnamese');
  await page.click('#lang');
  await until(page, () => document.documentElement.lang === 'en');
  await page.click('#lang');
  await until(page, () => document.documentElement.lang === 'vi');
  check((await page.textContent('#nav')).includes('Hộp việc'), 'and back to Vietnamese');

  // print style of the case
  await page.goto(`${URL}/ui/#/case/${OVERDUE}`);
  await page.waitForSelector('.timeline');
  await page.emulateMedia({ media: 'print' });
  check(!(await page.isVisible('section.actions')) && !(await page.isVisible('header.top')), 'printing leaves out forms and navigation');
  check(await page.isVisible('.timeline'), 'and keeps the timeline');
  await shot(page, '11-case-print');
  await page.emulateMedia({ media: 'screen' });

  // another unit's case by URL
  await page.goto(`${URL}/ui/#/case/${OTHER}`);
  await page.waitForSelector('main [role=alert]');
  check((await page.textContent('main [role=alert]')).includes('Bạn không có quyền'), "another unit's case by URL is refused (403)");
  await head.close();

  // ——— the inspector: report with evidence, idempotent
  const insp = await browser();
  const ip = insp.pages()[0] || await insp.newPage();
  await signIn(ip, 'thanhtra-a', 'mat-khau-thanh-tra');
  await ip.waitForSelector('form select[name=rule]');
  check(ip.url().endsWith('#/report'), 'an inspector lands on the report form');
  await ip.fill('input[name=official]', 'CC-A3');
  await ip.click('form .row button');
  await until(ip, () => document.querySelector('form p.picked')?.textContent.includes('Phạm Văn Cường'));
  check(true, 'the official is looked up by code');
  // or found by name, typed without diacritics, and chosen with the keyboard
  await ip.fill('input[name=official]', '');
  await ip.focus('input[name=official]');
  await ip.keyboard.type('pham van c');
  await until(ip, () => !document.querySelector('ul[role=listbox]').hidden &&
    document.querySelector('ul[role=listbox]').getAttribute('aria-busy') === 'false');
  const combo = await ip.$eval('input[name=official]', (i) => ({ role: i.getAttribute('role'),
    expanded: i.getAttribute('aria-expanded'), controls: i.getAttribute('aria-controls'),
    label: document.querySelector(`label[for="${i.id}"]`)?.textContent }));
  check(combo.role === 'combobox' && combo.expanded === 'true' && combo.label === 'Cán bộ (mã hoặc họ tên)',
    'the official field is a labelled combobox, expanded when officials are found', combo);
  const found = await ip.$$eval('ul[role=listbox] [role=option]', (os) => os.map((o) => o.textContent));
  check(found.length === 1 && found[0].includes('Phạm Văn Cường') && found[0].includes('CC-A3') && found[0].includes('UBND huyện A'),
    'a name typed without diacritics finds the official, with code and unit', found);
  await shot(ip, '12a-report-official-search');
  await ip.keyboard.press('ArrowDown');
  check(await ip.$eval('input[name=official]', (i) => i.getAttribute('aria-activedescendant')) ===
    await ip.$eval('ul[role=listbox] [role=option]', (o) => o.id), 'Down makes the first official the active option');
  await ip.keyboard.press('Enter');
  check(await ip.inputValue('input[name=official]') === 'CC-A3', 'Enter chooses it: its code fills the field');
  check(await ip.$eval('ul[role=listbox]', (l) => l.hidden) &&
    (await ip.textContent('form p.picked')).includes('Phạm Văn Cường'), 'the list closes and the chosen official is named');
  // an official of another unit is not offered
  await ip.fill('input[name=official]', '');
  await ip.keyboard.type('hoang van');
  await until(ip, () => /Không tìm thấy/.test(document.querySelector('main form p.sr[aria-live]')?.textContent || '') &&
    document.querySelector('ul[role=listbox]').getAttribute('aria-busy') === 'false');
  check(await ip.$eval('ul[role=listbox]', (l) => l.hidden), "another unit's official (Hoàng Văn Dũng) is not offered");
  await ip.fill('input[name=official]', '');
  await ip.keyboard.type('pham');
  await until(ip, () => !document.querySelector('ul[role=listbox]').hidden &&
    document.querySelector('ul[role=listbox]').getAttribute('aria-busy') === 'false');
  await ip.keyboard.press('ArrowDown');
  await ip.keyboard.press('Enter');
  check(await ip.inputValue('input[name=official]') === 'CC-A3', 'chosen again for the report');
  await ip.selectOption('select[name=rule]', 'TD-01');
  const occ = new Date(Date.now() - 3 * 86400000);
  const dd = (n) => String(n).padStart(2, '0');
  const occText = `${dd(occ.getDate())}/${dd(occ.getMonth() + 1)}/${occ.getFullYear()}`;
  await ip.fill('input[name=occurred_on]', occText);
  await ip.selectOption('select[name=source]', 'inspection');
  // Vietnamese typed in decomposed form (NFD) is the same text
  await ip.fill('textarea[name=description]', 'Không đeo thẻ công chức'.normalize('NFD'));
  await ip.setInputFiles('input[name=evidence]', { name: 'bien-ban.txt', mimeType: 'text/plain', buffer: Buffer.from('Biên bản kiểm tra\n') });
  // the form filled, before any refusal: no alert, the list closed, the official named
  check(await ip.$$eval('main form [role=alert]', (a) => a.length) === 0 &&
    await ip.$eval('ul[role=listbox]', (l) => l.hidden), 'the filled form shows no alert and no open list');
  await shot(ip, '12-report-form');
  // a day that does not exist is named as such, not as a format error
  await ip.fill('input[name=occurred_on]', '30/02/2026');
  await ip.click('main form button[type=submit]');
  await ip.waitForSelector('main form [role=alert]');
  check((await ip.textContent('main form [role=alert]')).includes('Không có ngày 30/02/2026'),
    'a day that does not exist is refused as such', await ip.textContent('main form [role=alert]'));
  await ip.fill('input[name=occurred_on]', occText);
  // a code nobody has: the daemon's 404 on the field, told from the catalogue in Vietnamese
  await ip.fill('input[name=official]', 'KHONG-CO');
  await ip.click('main form button[type=submit]');
  await until(ip, () => /cán bộ/.test(document.querySelector('main form [role=alert]')?.textContent || ''));
  const no = await ip.textContent('main form [role=alert]');
  check(no.includes('Không tìm thấy') && no.includes('không có cán bộ với mã này') && !/no official/.test(no),
    "an unknown official's 404 is told in Vietnamese, naming the field", no);
  await ip.fill('input[name=official]', 'CC-A3');
  // a double click sends twice: the key makes it one case
  await ip.evaluate(() => {
    const f = document.querySelector('main form');
    f.requestSubmit();
    f.requestSubmit();
  });
  await ip.waitForSelector('.timeline', { timeout: 15000 });
  check((await ip.textContent('main')).includes('bien-ban.txt'), 'the new case shows the evidence');
  check((await ip.textContent('section[aria-labelledby=facts-h]')).includes('Không đeo thẻ công chức'.normalize('NFC')), 'the description reads back in NFC');
  await shot(ip, '13-inspector-case');
  await ip.goto(`${URL}/ui/#/case/${OTHER}`);
  await ip.waitForSelector('main [role=alert]');
  check((await ip.textContent('main [role=alert]')).includes('Bạn không có quyền'), "the inspector cannot see another unit's case");
  await shot(ip, '14-inspector-forbidden');
  await insp.close();

  // ——— the auditor
  const aud = await browser();
  const ap = aud.pages()[0] || await aud.newPage();
  await signIn(ap, 'kiemtoan', 'mat-khau-kiem-toan');
  await ap.waitForSelector('table.cases');
  check((await ap.textContent('main')).includes(FRESH), 'the auditor reads the cases of every unit');
  check(!(await ap.$('a[href="#/report"]')), 'and is not offered the report form');
  await ap.goto(`${URL}/ui/#/case/${FRESH}`);
  await ap.waitForSelector('.timeline');
  check(!(await ap.$('section.actions form[data-action]')), 'and has no action on a case');
  await shot(ap, '15-auditor-case');
  // statistics, with charts the page draws as SVG
  await ap.click('a[href="#/stats"]');
  await ap.waitForSelector('svg.chart rect.bar');
  const totals = await ap.textContent('dl.totals');
  check(/Số quyết định\s*1(?!\d)/.test(totals), 'the auditor reads statistics: one decision this year', totals);
  check((await ap.$$('figure.chart svg[role=img] title')).length >= 2, 'charts are SVG images with titles');
  // a long label (Phản ánh của người dân) wraps onto lines that stay inside the chart
  const lab = await ap.evaluate(() => {
    const t = [...document.querySelectorAll('svg.chart text.label')].find((x) => x.textContent.startsWith('Phản ánh'));
    if (!t) return null;
    const svgEl = t.ownerSVGElement, box = t.getBBox();
    return { lines: t.querySelectorAll('tspan').length, text: [...t.querySelectorAll('tspan')].map((s) => s.textContent).join(' '),
      left: box.x, top: box.y, bottom: box.y + box.height, height: svgEl.viewBox.baseVal.height };
  });
  check(lab && lab.text === 'Phản ánh của người dân' && lab.left >= 0 && lab.top >= 0 && lab.bottom <= lab.height,
    'the long source label is whole, inside the chart', lab);
  check(await ap.evaluate(() => [...document.querySelectorAll('svg.chart text.label')].some((x) => x.textContent === 'khiển trách')),
    'the sanction forms of the chart are named, not coded');
  await shot(ap, '16-stats');
  // eligibility of a unit for the year, printable, with its CSV
  await ap.click('a[href="#/eligibility"]');
  await ap.waitForSelector('table.eligibility tbody tr');
  const elig = await ap.textContent('table.eligibility');
  check(/Trần Thị Bình \(CC-A2\)UBND-AKhông đủ điều kiện/.test(elig), 'the sanctioned official is not eligible this year', elig.slice(0, 300));
  check((await ap.getAttribute('a[download="eligibility.csv"]', 'href')).startsWith('/v1/export/eligibility?year='), 'with a CSV download');
  await shot(ap, '17-eligibility');
  await ap.emulateMedia({ media: 'print' });
  check(!(await ap.isVisible('form.filters')) && await ap.isVisible('table.eligibility'), 'the eligibility list prints without its form');
  await shot(ap, '18-eligibility-print');
  await ap.emulateMedia({ media: 'screen' });
  await ap.click('a[href="#/warnings"]');
  await ap.waitForSelector('main h1');
  check((await ap.textContent('main h1')) === 'Cảnh báo sớm', 'the early warnings page opens');
  await shot(ap, '19-warnings');
  // sign out: the session is over
  await ap.click('#signout');
  await ap.waitForSelector('form input[name=name]');
  await ap.goto(`${URL}/ui/#/inbox`);
  await ap.waitForSelector('form input[name=name]');
  check(true, 'after sign-out the pages ask to sign in again');
  await aud.close();
};

try {
  await main();
} catch (e) {
  fails++;
  console.error('FAIL: the scenario stopped: ' + (e.stack || e));
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
console.log(fails ? `${fails} browser check(s) failed` : 'all browser checks passed');
process.exit(fails ? 1 : 0);
