#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

#include "yamldoc.h"

struct anchor {
	char *name;
	struct vh_ynode *node;
};

struct parser {
	yaml_parser_t yp;
	struct vh_ydoc *doc;
	struct vh_diag *diag;
	const char *file;
	size_t max_nodes, max_depth;
	struct anchor *anchors;
	size_t nanchors;
	bool failed;
	/* anchored nodes are kept here too, so that a node used only through
	 * an anchor that was then redefined is still freed */
};

static void ynode_free(struct vh_ynode *n);

static char *
bytes_dup(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

static void
perr(struct parser *p, size_t line, size_t col, const char *fmt, ...)
	VH_PRINTF(4, 5);

static void
perr(struct parser *p, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vh_diag_vadd(p->diag, p->file, line, col, fmt, ap);
	va_end(ap);
	p->failed = true;
}

static struct vh_ynode *
ynode_new(struct parser *p, enum vh_ytype t, const yaml_mark_t *m)
{
	struct vh_ynode *n;

	if (++p->doc->nodes > p->max_nodes) {
		perr(p, m->line + 1, m->column + 1,
		     "document has more than %zu nodes (aliases included)",
		     p->max_nodes);
		return NULL;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL) {
		perr(p, m->line + 1, m->column + 1, "out of memory");
		return NULL;
	}
	n->type = t;
	n->line = m->line + 1;
	n->col = m->column + 1;
	return n;
}

static int
ynode_push(struct vh_ynode *parent, struct vh_ynode *child)
{
	if ((parent->n & (parent->n - 1)) == 0) { /* grow at powers of two */
		size_t cap = parent->n ? parent->n * 2 : 4;
		struct vh_ynode **it = realloc(parent->items, cap * sizeof(*it));
		if (it == NULL)
			return -1;
		parent->items = it;
	}
	parent->items[parent->n++] = child;
	return 0;
}

static void
ynode_free(struct vh_ynode *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->n; i++)
		ynode_free(n->items[i]);
	free(n->items);
	free(n->value);
	free(n);
}

/* Deep copy of an anchored node for an alias, counted against the budget. */
static struct vh_ynode *
ynode_copy(struct parser *p, const struct vh_ynode *src, const yaml_mark_t *m)
{
	struct vh_ynode *n;

	if ((n = ynode_new(p, src->type, m)) == NULL)
		return NULL;
	n->line = src->line;
	n->col = src->col;
	n->quoted = src->quoted;
	n->len = src->len;
	if (src->value && (n->value = bytes_dup(src->value, src->len)) == NULL)
		goto fail;
	for (size_t i = 0; i < src->n; i++) {
		struct vh_ynode *c = ynode_copy(p, src->items[i], m);
		if (c == NULL || ynode_push(n, c) < 0) {
			ynode_free(c);
			goto fail;
		}
	}
	return n;
fail:
	p->failed = true;
	ynode_free(n);
	return NULL;
}

static int
anchor_set(struct parser *p, const char *name, struct vh_ynode *node)
{
	struct anchor *a;

	for (size_t i = 0; i < p->nanchors; i++)
		if (strcmp(p->anchors[i].name, name) == 0) {
			p->anchors[i].node = node;
			return 0;
		}
	a = realloc(p->anchors, (p->nanchors + 1) * sizeof(*a));
	if (a == NULL)
		return -1;
	p->anchors = a;
	if ((a[p->nanchors].name = vh_strdup(name)) == NULL)
		return -1;
	a[p->nanchors++].node = node;
	return 0;
}

static struct vh_ynode *
anchor_get(struct parser *p, const char *name)
{
	for (size_t i = 0; i < p->nanchors; i++)
		if (strcmp(p->anchors[i].name, name) == 0)
			return p->anchors[i].node;
	return NULL;
}

static bool
next_event(struct parser *p, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&p->yp, ev)) {
		const yaml_mark_t *m = &p->yp.problem_mark;
		perr(p, m->line + 1, m->column + 1, "%s%s%s",
		     p->yp.problem ? p->yp.problem : "syntax error",
		     p->yp.context ? " " : "",
		     p->yp.context ? p->yp.context : "");
		return false;
	}
	return true;
}

/* A mapping's keys must be unique scalars. */
static void
check_keys(struct parser *p, const struct vh_ynode *map)
{
	for (size_t i = 0; i < map->n; i += 2) {
		const struct vh_ynode *k = map->items[i];
		if (k->type != VH_YSCALAR) {
			perr(p, k->line, k->col, "a key must be a plain string, not a %s",
			     vh_ytype_name(k->type));
			continue;
		}
		if (strlen(k->value) != k->len) {
			perr(p, k->line, k->col, "a key must not hold a NUL byte");
			continue;
		}
		for (size_t j = 0; j < i; j += 2) {
			const struct vh_ynode *o = map->items[j];
			if (o->type == VH_YSCALAR && o->len == k->len &&
			    memcmp(o->value, k->value, k->len) == 0) {
				/* not fatal: decoding goes on to find
				 * the other errors; the caller's error
				 * count still fails the load */
				vh_diag_add(p->diag, p->file, k->line, k->col,
					    "duplicate key '%s' (first at line %zu)",
					    k->value, o->line);
				break;
			}
		}
	}
}

/*
 * Parse the node that starts with ev (already read). Returns the node, or
 * NULL on error (with p->failed set).
 */
static struct vh_ynode *
parse_node(struct parser *p, yaml_event_t *ev, size_t depth)
{
	struct vh_ynode *n = NULL;
	const char *anchor = NULL;

	if (depth > p->max_depth) {
		perr(p, ev->start_mark.line + 1, ev->start_mark.column + 1,
		     "nesting deeper than %zu levels", p->max_depth);
		return NULL;
	}
	switch (ev->type) {
	case YAML_ALIAS_EVENT: {
		struct vh_ynode *target =
			anchor_get(p, (const char *)ev->data.alias.anchor);
		if (target == NULL) {
			perr(p, ev->start_mark.line + 1, ev->start_mark.column + 1,
			     "unknown alias '*%s'", ev->data.alias.anchor);
			return NULL;
		}
		return ynode_copy(p, target, &ev->start_mark);
	}
	case YAML_SCALAR_EVENT:
		if ((n = ynode_new(p, VH_YSCALAR, &ev->start_mark)) == NULL)
			return NULL;
		n->len = ev->data.scalar.length;
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		/* all len bytes, NULs included ("\0" in a quoted scalar), so
		 * that value always holds len + 1 bytes; readers refuse NULs */
		if ((n->value = bytes_dup((const char *)ev->data.scalar.value,
					  n->len)) == NULL) {
			perr(p, n->line, n->col, "out of memory");
			ynode_free(n);
			return NULL;
		}
		anchor = (const char *)ev->data.scalar.anchor;
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		bool map = ev->type == YAML_MAPPING_START_EVENT;
		yaml_event_type_t end = map ? YAML_MAPPING_END_EVENT
					    : YAML_SEQUENCE_END_EVENT;
		if ((n = ynode_new(p, map ? VH_YMAP : VH_YSEQ, &ev->start_mark)) == NULL)
			return NULL;
		anchor = map ? (const char *)ev->data.mapping_start.anchor
			     : (const char *)ev->data.sequence_start.anchor;
		for (;;) {
			yaml_event_t cev;
			struct vh_ynode *c;
			if (!next_event(p, &cev))
				goto fail;
			if (cev.type == end) {
				yaml_event_delete(&cev);
				break;
			}
			c = parse_node(p, &cev, depth + 1);
			yaml_event_delete(&cev);
			if (c == NULL)
				goto fail;
			if (ynode_push(n, c) < 0) {
				ynode_free(c);
				perr(p, n->line, n->col, "out of memory");
				goto fail;
			}
		}
		if (map)
			check_keys(p, n);
		break;
	}
	default:
		perr(p, ev->start_mark.line + 1, ev->start_mark.column + 1,
		     "unexpected YAML event");
		return NULL;
	}
	/* An anchor names the node as parsed; aliases copy it later. The
	 * original stays owned by the tree. */
	if (anchor && anchor_set(p, anchor, n) < 0) {
		perr(p, n->line, n->col, "out of memory");
		goto fail;
	}
	return n;
fail:
	ynode_free(n);
	return NULL;
}

int
vh_ydoc_parse(struct vh_ydoc **out, const char *file, const char *buf,
	      size_t len, const struct vh_ylimits *lim, struct vh_diag *d)
{
	struct parser p;
	yaml_event_t ev;
	int ndocs = 0;
	bool done = false;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.diag = d;
	p.file = file;
	p.max_nodes = lim && lim->max_nodes ? lim->max_nodes : 100000;
	p.max_depth = lim && lim->max_depth ? lim->max_depth : 64;
	if ((p.doc = calloc(1, sizeof(*p.doc))) == NULL) {
		vh_diag_add(d, file, 0, 0, "out of memory");
		return -1;
	}
	p.doc->file = file;
	if (!vh_utf8_valid(buf, len)) {
		/* libyaml would say "invalid leading UTF-8 octet" too, but
		 * only at the first bad byte; find it ourselves for a
		 * position that also covers NUL bytes */
		size_t bad = vh_utf8_prefix(buf, len), line = 1, col = 1;
		for (size_t i = 0; i < bad; i++) {
			if (buf[i] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
				col++; /* count characters, not bytes */
			}
		}
		vh_diag_add(d, file, line, col, "invalid UTF-8 (or a NUL byte)");
		vh_ydoc_free(p.doc);
		return -1;
	}
	if (!yaml_parser_initialize(&p.yp)) {
		vh_diag_add(d, file, 0, 0, "out of memory");
		vh_ydoc_free(p.doc);
		return -1;
	}
	yaml_parser_set_input_string(&p.yp, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&p.yp, YAML_UTF8_ENCODING);
	while (!done && !p.failed) {
		if (!next_event(&p, &ev))
			break;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++ndocs > 1)
				perr(&p, ev.start_mark.line + 1, ev.start_mark.column + 1,
				     "more than one document in the file");
			break;
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		default:
			p.doc->root = parse_node(&p, &ev, 0);
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p.yp);
	for (size_t i = 0; i < p.nanchors; i++)
		free(p.anchors[i].name);
	free(p.anchors);
	if (p.failed) {
		vh_ydoc_free(p.doc);
		return -1;
	}
	*out = p.doc;
	return 0;
}

void
vh_ydoc_free(struct vh_ydoc *doc)
{
	if (doc == NULL)
		return;
	ynode_free(doc->root);
	free(doc);
}

const char *
vh_ytype_name(enum vh_ytype t)
{
	switch (t) {
	case VH_YSCALAR:
		return "scalar";
	case VH_YSEQ:
		return "list";
	case VH_YMAP:
		return "mapping";
	}
	return "node";
}

void
vh_yerr(struct vh_yctx *c, const struct vh_ynode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vh_diag_vadd(c->diag, c->file, n ? n->line : 0, n ? n->col : 0, fmt, ap);
	va_end(ap);
}

const struct vh_ynode *
vh_ymap_get(const struct vh_ynode *map, const char *key)
{
	if (map == NULL || map->type != VH_YMAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (map->items[i]->type == VH_YSCALAR &&
		    strcmp(map->items[i]->value, key) == 0)
			return map->items[i + 1];
	return NULL;
}

static bool
in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

int
vh_ymap_check(struct vh_yctx *c, const struct vh_ynode *map,
	      const char *const *known, const char *const *required)
{
	int errors = 0;

	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const struct vh_ynode *k = map->items[i];
		if (!in_list(known, k->value)) {
			vh_yerr(c, k, "unknown key '%s'", k->value);
			errors++;
		}
	}
	for (; required && *required; required++)
		if (vh_ymap_get(map, *required) == NULL) {
			vh_yerr(c, map, "missing key '%s'", *required);
			errors++;
		}
	return errors;
}

int
vh_yexpect(struct vh_yctx *c, const struct vh_ynode *n, enum vh_ytype t,
	   const char *what)
{
	if (n->type == t)
		return 0;
	vh_yerr(c, n, "%s: expected a %s, found a %s", what, vh_ytype_name(t),
		vh_ytype_name(n->type));
	return -1;
}

/* a plain scalar "null" or "~" or empty is YAML's null */
static bool
is_null(const struct vh_ynode *n)
{
	return !n->quoted && (n->len == 0 || strcmp(n->value, "~") == 0 ||
			      strcmp(n->value, "null") == 0 ||
			      strcmp(n->value, "Null") == 0 ||
			      strcmp(n->value, "NULL") == 0);
}

int
vh_ystr(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	const char **out)
{
	if (vh_yexpect(c, n, VH_YSCALAR, what) < 0)
		return -1;
	if (is_null(n)) {
		vh_yerr(c, n, "%s: must not be empty", what);
		return -1;
	}
	if (strlen(n->value) != n->len || !vh_utf8_valid(n->value, n->len)) {
		vh_yerr(c, n, "%s: invalid UTF-8 or NUL byte", what);
		return -1;
	}
	*out = n->value;
	return 0;
}

int
vh_ystrdup(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	   char **out)
{
	const char *s;

	if (vh_ystr(c, n, what, &s) < 0)
		return -1;
	if ((*out = vh_strdup(s)) == NULL) {
		vh_yerr(c, n, "out of memory");
		return -1;
	}
	return 0;
}

int
vh_ybool(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	 bool *out)
{
	if (vh_yexpect(c, n, VH_YSCALAR, what) < 0)
		return -1;
	if (!n->quoted && strcmp(n->value, "true") == 0) {
		*out = true;
		return 0;
	}
	if (!n->quoted && strcmp(n->value, "false") == 0) {
		*out = false;
		return 0;
	}
	vh_yerr(c, n, "%s: expected true or false, found '%s'", what, n->value);
	return -1;
}

int
vh_yint(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (vh_yexpect(c, n, VH_YSCALAR, what) < 0)
		return -1;
	errno = 0;
	v = strtoll(n->value, &end, 10);
	if (n->quoted || n->len == 0 || *end != '\0' || errno != 0 ||
	    !(n->value[0] == '-' || (n->value[0] >= '0' && n->value[0] <= '9'))) {
		vh_yerr(c, n, "%s: expected an integer, found '%s'", what, n->value);
		return -1;
	}
	if (v < min || v > max) {
		vh_yerr(c, n, "%s: %lld is out of range %lld..%lld", what, v, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int
vh_ydate(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	 vh_date *out)
{
	if (vh_yexpect(c, n, VH_YSCALAR, what) < 0)
		return -1;
	if (strlen(n->value) != n->len || vh_date_parse(out, n->value) < 0) {
		vh_yerr(c, n, "%s: '%s' is not a date YYYY-MM-DD between %d and %d",
			what, n->value, VH_DATE_MIN_YEAR, VH_DATE_MAX_YEAR);
		return -1;
	}
	return 0;
}

int
vh_yenum(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	 const char *const *names, int *out)
{
	if (vh_yexpect(c, n, VH_YSCALAR, what) < 0)
		return -1;
	if (strlen(n->value) != n->len) {
		vh_yerr(c, n, "%s: holds a NUL byte", what);
		return -1;
	}
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], n->value) == 0) {
			*out = i;
			return 0;
		}
	vh_yerr(c, n, "%s: unknown value '%s'", what, n->value);
	return -1;
}

int
vh_ycode(struct vh_yctx *c, const struct vh_ynode *n, const char *what,
	 const char **out)
{
	const char *s;

	if (vh_ystr(c, n, what, &s) < 0)
		return -1;
	if (n->len > 64) {
		vh_yerr(c, n, "%s: longer than 64 bytes", what);
		return -1;
	}
	for (const char *q = s; *q; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		      (*q >= '0' && *q <= '9') || *q == '_' || *q == '-' || *q == '.')) {
			vh_yerr(c, n, "%s: '%s' may hold only ASCII letters, digits, '_', '-' and '.'",
				what, s);
			return -1;
		}
	*out = s;
	return 0;
}
