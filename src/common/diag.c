#include <stdio.h>
#include <stdlib.h>

#include "common.h"

void
vh_diag_init(struct vh_diag *d)
{
	memset(d, 0, sizeof(*d));
}

void
vh_diag_free(struct vh_diag *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	memset(d, 0, sizeof(*d));
}

size_t
vh_diag_count(const struct vh_diag *d)
{
	return d->n + d->dropped;
}

static void
diag_push(struct vh_diag *d, char *msg)
{
	size_t limit = d->limit ? d->limit : 1000;

	if (msg == NULL || d->n >= limit) {
		/* counted even when not stored, so a load still fails */
		free(msg);
		d->dropped++;
		return;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		char **m = realloc(d->msgs, cap * sizeof(*m));
		if (m == NULL) {
			free(msg);
			d->dropped++;
			return;
		}
		d->msgs = m;
		d->cap = cap;
	}
	d->msgs[d->n++] = msg;
}

void
vh_diag_vadd(struct vh_diag *d, const char *file, size_t line, size_t col,
	     const char *fmt, va_list ap)
{
	char *text = NULL, *msg = NULL;

	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	if (text == NULL) {
		diag_push(d, NULL);
		return;
	}
	if (line > 0 && col > 0)
		msg = vh_asprintf("%s:%zu:%zu: %s", file ? file : "-", line, col, text);
	else if (line > 0)
		msg = vh_asprintf("%s:%zu: %s", file ? file : "-", line, text);
	else if (file)
		msg = vh_asprintf("%s: %s", file, text);
	else
		msg = vh_strdup(text);
	free(text);
	diag_push(d, msg);
}

void
vh_diag_add(struct vh_diag *d, const char *file, size_t line, size_t col,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vh_diag_vadd(d, file, line, col, fmt, ap);
	va_end(ap);
}

void
vh_diag_move(struct vh_diag *dst, struct vh_diag *src)
{
	for (size_t i = 0; i < src->n; i++)
		diag_push(dst, src->msgs[i]);
	dst->dropped += src->dropped;
	free(src->msgs);
	memset(src, 0, sizeof(*src));
}
