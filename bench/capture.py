#!/usr/bin/env python3
"""pgbench scripts from the SQL vhcvd sent for one report.

    capture.py LOG CASE_ID OUTDIR

LOG is the PostgreSQL server log (log_statement = all, log_line_prefix with
[%p]) while vhcvd answered one POST /v1/cases; CASE_ID the id of the case it
wrote. Writes OUTDIR/report.sql (every statement of that report, in order,
with the parameters vhcvd sent written in place), OUTDIR/bare.sql (only the
two inserts, case and event: the database's own limit, for a random official
as the report is), OUTDIR/bare_one.sql (the same for the captured official
every time: the baseline until session 5), OUTDIR/show.sql
(the case row and its events by a random id) and OUTDIR/report.txt (the
statements as captured, for the record).

The only changes to the captured SQL are those a repeat needs: each
transaction reports a random official of the dataset (vhgen's codes
CB-nnnnnnn, ids n), whose id and unit come from the official's query (\\gset;
the report's one statement reads them itself),
so that repeats are not all probable duplicates of one another; the new
case's id comes from the INSERT's RETURNING (\\gset); and the event hash,
which is unique, is made from that id.
"""
import json
import re
import sys

log, case_id, out = sys.argv[1], sys.argv[2], sys.argv[3]
line_re = re.compile(r'^\S+ \S+ \S+ \[(\d+)\] (LOG|DETAIL):  (.*)$')
param_re = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')")

stmts = {}  # pid -> [[sql, {n: literal}]]
last = None
with open(log, encoding='utf-8', errors='replace') as f:
    for line in f:
        m = line_re.match(line.rstrip('\n'))
        if not m:
            continue
        pid, kind, text = m.groups()
        if kind == 'LOG':
            s = re.match(r'(?:statement|execute [^:]*): (.*)$', text)
            if s:
                stmts.setdefault(pid, []).append([s.group(1), {}])
                last = pid
            else:  # (e.g. a duration line: its parameters are not a statement's)
                last = None
        elif kind == 'DETAIL' and text.startswith('parameters: ') and last == pid:
            stmts[pid][-1][1] = {int(n): v for n, v in param_re.findall(text)}

pid = next((p for p, l in stmts.items() if any('INSERT INTO cases' in s for s, _ in l)), None)
if pid is None:
    sys.exit('capture.py: no INSERT INTO cases in ' + log)
report = stmts[pid]
# the report's statements end with the answer read after COMMIT
with open(f'{out}/report.txt', 'w') as f:
    for sql, params in report:
        f.write(sql + '\n')
        if params:
            f.write('  -- ' + ', '.join(f'${n} = {v}' for n, v in sorted(params.items())) + '\n')

id_lit = "'" + case_id + "'"
hash_expr = "(md5(:id::text) || md5(:id::text || 'h'))"


def split_top(text):
    """comma-separated items at parenthesis depth 0"""
    items, depth, cur = [], 0, ''
    for ch in text:
        if ch == ',' and depth == 0:
            items.append(cur.strip())
            cur = ''
            continue
        depth += (ch == '(') - (ch == ')')
        cur += ch
    return items + [cur.strip()]


def balanced(text, i):
    """the text inside the parentheses opening at text[i], and the index after them"""
    depth = 0
    for k in range(i, len(text)):
        depth += (text[k] == '(') - (text[k] == ')')
        if depth == 0:
            return text[i + 1:k], k + 1
    return text[i + 1:], len(text)


def insert_columns(sql, table='cases'):
    """{parameter number: column} of the INSERT INTO table in sql (maybe in a WITH)"""
    i = sql.find('INSERT INTO ' + table + ' (')
    if i < 0:
        return {}
    cols, j = balanced(sql, i + len('INSERT INTO ' + table + ' '))
    vals = insert_select(sql, j)
    if vals is None:
        if not sql.startswith(' VALUES (', j):
            return {}
        vals, _ = balanced(sql, j + len(' VALUES '))
    out = {}
    for col, val in zip(split_top(cols), split_top(vals)):
        p = re.match(r'^\$(\d+)(::\w+)?$', val)
        if p:
            out[int(p.group(1))] = col
    return out


def insert_select(sql, j):
    """the select list of an INSERT ... SELECT list FROM (the report's one
    statement) whose column list ends at sql[j], or None"""
    if not sql.startswith(' SELECT ', j):
        return None
    depth, k = 0, j + len(' SELECT ')
    while k < len(sql) and not (depth == 0 and sql.startswith(' FROM ', k)):
        depth += (sql[k] == '(') - (sql[k] == ')')
        k += 1
    return sql[j + len(' SELECT '):k]


def plain_case_insert(sql, official=None, unit=None):
    """the case's INSERT alone, from the report's statement that also links
    duplicates and returns the state (WITH new_case AS (INSERT ...) ...)"""
    if sql.startswith(FAST):
        # the report's one statement: its INSERT ... SELECT FROM the
        # official's row, as the INSERT ... VALUES of the two-statement way
        i = sql.index('new_case AS (')
        inner, _ = balanced(sql, i + len('new_case AS '))
        j = inner.index(') SELECT ') + 1
        vals = insert_select(inner, j)
        rest = inner[j + len(' SELECT ') + len(vals) + len(' FROM ok'):]
        for a, b in (('ok.id', official or "'%s'::bigint" % case_state['official_id']),
                     ('ok.unit_id', unit or "'%s'::bigint" % case_state['unit_id']),
                     ('($13::date[])[ok.k]', limitation_lit + '::date')):
            vals = vals.replace(a, b)
        inner = inner[:j] + ' VALUES (' + vals + ')' + rest
    elif sql.startswith('WITH new_case AS ('):
        inner, _ = balanced(sql, len('WITH new_case AS '))
    else:
        return sql
    return re.sub(r' RETURNING .*$', ' RETURNING id, number', inner, flags=re.S)


# the report's one statement (api_cases.c, report_fast_sql): the official's
# query that writes the case; $2 is the official's code
FAST = 'WITH o AS (SELECT o.id, o.unit_id'
# the official of the bare inserts: random, as the report's (the id of
# vhgen's CB-nnnnnnn is n), and their unit
OFFICIAL_ID = ':oid::bigint'
OFFICIAL_UNIT = '(SELECT unit_id FROM vhcv.officials WHERE id = :oid)'

# the event's hash, by its column (the INSERT's parameters change with the
# schema); the case's state as the event records it
event_hash, case_state = None, {}
for sql, params in report:
    if 'INSERT INTO case_events' in sql:
        n = {c: k for k, c in insert_columns(sql, 'case_events').items()}
        # (the new case's event: a report may also restart the limitation
        # of the official's earlier cases, each with an event of its own)
        if 'case_id' in n and params.get(n['case_id']) not in (None, "'%s'" % case_id):
            continue
        event_hash = params.get(n['hash']) if 'hash' in n else None
        if 'state' in n and params.get(n['state'], 'NULL') != 'NULL':
            case_state = json.loads(params[n['state']][1:-1].replace("''", "'")).get('case', {})
if event_hash is None:
    sys.exit('capture.py: no event hash parameter in the captured INSERT INTO case_events')
if (any(sql.startswith(FAST) for sql, _ in report)
        and any(sql.startswith('WITH new_case AS') for sql, _ in report)):
    # the one statement wrote nothing (the official had a later act): its
    # replay for random officials would write a case, and the insert after
    # it another
    sys.exit('capture.py: the captured report took the two-statement way'
             ' (its official has an act reported after it); capture another')
limitation_lit = ("'" + case_state['limitation_expires_on'] + "'"
                  if case_state.get('limitation_expires_on') else 'NULL')


# the official's id as vhcvd sent it (the INSERT's official_id)
official_lit = next((p.get(n) for sql, p in stmts.get(pid, []) for n, c in
                     insert_columns(sql).items() if c == 'official_id'), None)


def literal(sql, params, random_official):
    fast = sql.startswith(FAST)
    official = random_official and (sql.startswith('SELECT o.id, o.unit_id') or fast)
    code = 2 if fast else 1  # the official's code parameter
    cols = insert_columns(sql)
    counter = sql.startswith('INSERT INTO case_counters')
    # the parameters that are the official's id: from the official's query
    off_params = {int(n) for n in re.findall(r'official_id = \$(\d+)::bigint', sql)}

    def sub(m):
        n = int(m.group(1))
        v = params.get(n, 'NULL')
        if official and n == code:
            return "'CB-' || lpad(:oid::text, 7, '0')"
        if random_official and cols.get(n) == 'official_id':
            return ':off_id'
        if random_official and cols.get(n) == 'unit_id':
            return ':off_unit_id'
        if random_official and n in off_params and v == official_lit:
            return ':off_id'
        if cols.get(n) == 'seq':  # the number from the counter row (before 0050)
            return ':last'
        if v == id_lit:
            return ':id'
        if event_hash is not None and v == event_hash:
            return hash_expr
        return v
    sql = re.sub(r'\$(\d+)(?!\d)', sub, sql)
    if official and not fast:
        return sql + ' \\gset off_'
    if counter or fast or sql.startswith('INSERT INTO cases') or sql.startswith('WITH new_case AS'):
        return sql + ' \\gset'
    return sql + ';'


def prepared_safe(sql):
    """the statement as pgbench's prepared mode can take it: that mode makes
    every ':name' a parameter, even inside a literal, and the only ones in
    vhcvd's SQL are the minutes of to_char's format (VHD_SQL_TIME); a quoted
    colon ('":"') is the same format and prints the same text"""
    return sql.replace('HH24:MI:SS', 'HH24":"MI":"SS')


def script(name, keep, random_official, alter=lambda s: s, head=''):
    """the kept statements in order; the statement before COMMIT, COMMIT
    and any statements after it go in one pipeline, as vhcvd sends them
    (vhd_commit_lazy: a report's last statement, its event, carries the
    COMMIT; vhd_commit_then: an answer read in the COMMIT's round trip),
    unless that statement sets variables. BEGIN is sent alone: pgbench
    allows no \\gset in a pipeline, and the statement after BEGIN sets
    variables."""
    with open(f'{out}/{name}', 'w') as f:
        if random_official or head:
            f.write('\\set oid random(1, :nofficials)\n')
        lines = [prepared_safe(literal(alter(sql), params, random_official))
                 for sql, params in report if keep(sql)]
        start = next((k for k, line in enumerate(lines) if line in ('COMMIT', 'COMMIT;')), None)
        if start is not None and start > 0 and not lines[start - 1].endswith('\\gset'):
            start -= 1
        if start is not None and start + 1 < len(lines):
            lines = lines[:start] + ['\\startpipeline'] + lines[start:] + ['\\endpipeline']
        f.write(''.join(line + '\n' for line in lines))


script('report.sql', lambda s: True, True)


# the bare write: the case, its event, and the case's head that names the event
# (migration 0020 refuses at COMMIT a case whose last event is not this transaction's)
def bare(s):
    return (s in ('BEGIN', 'COMMIT') or s.startswith('INSERT INTO cases')
            or s.startswith('WITH new_case AS') or s.startswith(FAST)
            or 'INSERT INTO case_events' in s or s.startswith('INSERT INTO case_counters')
            or s.startswith('UPDATE cases SET event_count'))


def random_row(sql):
    """the case's INSERT for a random official and their unit, as the
    report's are: the same official each time keeps the same index pages
    hot (cases by official, by unit) and the same official's row locked by
    the foreign key's check, which reports about many officials cannot"""
    sql = plain_case_insert(sql, OFFICIAL_ID, OFFICIAL_UNIT)
    cols = insert_columns(sql)
    for n, c in cols.items():
        if c in ('official_id', 'unit_id'):
            sql = re.sub(r'\$%d::bigint(?!\d)' % n,
                         OFFICIAL_ID if c == 'official_id' else OFFICIAL_UNIT, sql)
    return sql


script('bare.sql', bare, False, random_row, head=True)
script('bare_one.sql', bare, False, plain_case_insert)
with open(f'{out}/show.sql', 'w') as f:
    f.write('\\set cid random(1, :ncases)\n'
            'SELECT * FROM vhcv.cases WHERE id = :cid;\n'
            'SELECT * FROM vhcv.case_events WHERE case_id = :cid ORDER BY seq;\n')
print(f'captured {len(report)} statements of one report (backend {pid}): {out}/report.txt')
