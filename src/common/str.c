#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

char *
vh_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *
vh_strndup(const char *s, size_t n)
{
	return s ? strndup(s, n) : NULL;
}

char *
vh_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	return r < 0 ? NULL : s;
}

/*
 * Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF, no NUL.
 * Returns the length of the longest valid prefix.
 */
size_t
vh_utf8_prefix(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;

		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (len - i <= n)
			return i;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

bool
vh_utf8_valid(const char *s, size_t len)
{
	return vh_utf8_prefix(s, len) == len;
}

int
vh_file_read(const char *path, size_t max, char **out, size_t *outlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap;
	int fd, r = 0;

	*out = NULL;
	*outlen = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -EISDIR;
		goto out;
	}
	if ((size_t)st.st_size > max) {
		r = -EFBIG;
		goto out;
	}
	cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap + 1)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	/* read until EOF: the file may grow, and the limit still holds */
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			r = -EFBIG;
			goto out;
		}
		if (len == cap) {
			char *nb = realloc(buf, cap * 2 + 1);
			if (nb == NULL) {
				r = -ENOMEM;
				goto out;
			}
			buf = nb;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return r;
}

char *
vh_path_relative_to(const char *base, const char *path)
{
	const char *slash;

	if (path == NULL)
		return NULL;
	if (path[0] == '/' || base == NULL || (slash = strrchr(base, '/')) == NULL)
		return vh_strdup(path);
	return vh_asprintf("%.*s/%s", (int)(slash - base), base, path);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_yaml_name(const char *s)
{
	size_t len = strlen(s);

	return s[0] != '.' && len > 5 && strcmp(s + len - 5, ".yaml") == 0;
}

static int
files_push(struct vh_files *f, char *name, char *buf, size_t len)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		char **nn = realloc(f->names, cap * sizeof(*nn));
		char **nb = nn ? realloc(f->bufs, cap * sizeof(*nb)) : NULL;
		size_t *nl = nb ? realloc(f->lens, cap * sizeof(*nl)) : NULL;

		if (nn)
			f->names = nn;
		if (nb)
			f->bufs = nb;
		if (nl == NULL)
			return -1;
		f->lens = nl;
		f->cap = cap;
	}
	f->names[f->n] = name;
	f->bufs[f->n] = buf;
	f->lens[f->n++] = len;
	return 0;
}

int
vh_files_read(struct vh_files *f, const char *path, size_t max, struct vh_diag *d)
{
	struct stat st;
	struct dirent *de;
	char **list = NULL;
	size_t nlist = 0, before = vh_diag_count(d);
	DIR *dp;

	memset(f, 0, sizeof(*f));
	if (stat(path, &st) < 0) {
		vh_diag_add(d, path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if ((list = malloc(sizeof(*list))) == NULL || (list[0] = vh_strdup(path)) == NULL)
			goto oom;
		nlist = 1;
	} else {
		if ((dp = opendir(path)) == NULL) {
			vh_diag_add(d, path, 0, 0, "cannot read the folder: %s", strerror(errno));
			return -1;
		}
		while ((de = readdir(dp)) != NULL) {
			char **nl;
			if (!is_yaml_name(de->d_name))
				continue;
			if ((nl = realloc(list, (nlist + 1) * sizeof(*nl))) == NULL ||
			    (nl[nlist] = vh_asprintf("%s/%s", path, de->d_name)) == NULL) {
				if (nl)
					list = nl;
				closedir(dp);
				goto oom;
			}
			list = nl;
			nlist++;
		}
		closedir(dp);
		if (nlist == 0) {
			vh_diag_add(d, path, 0, 0, "no *.yaml file in the folder");
			return -1;
		}
		/* name order with strcmp, not the locale */
		qsort(list, nlist, sizeof(*list), cmp_name);
	}
	for (size_t i = 0; i < nlist; i++) {
		char *buf = NULL;
		size_t len = 0;
		int e = vh_file_read(list[i], max, &buf, &len);

		if (e == -EFBIG)
			vh_diag_add(d, list[i], 1, 1, "file is larger than %zu bytes", max);
		else if (e < 0)
			vh_diag_add(d, list[i], 0, 0, "cannot read: %s", strerror(-e));
		if (e < 0) {
			free(list[i]);
			list[i] = NULL;
			continue;
		}
		if (files_push(f, list[i], buf, len) < 0) {
			free(buf);
			goto oom;
		}
		list[i] = NULL;
	}
	free(list);
	return vh_diag_count(d) == before ? 0 : -1;
oom:
	vh_diag_add(d, path, 0, 0, "out of memory");
	for (size_t i = 0; i < nlist; i++)
		free(list[i]);
	free(list);
	vh_files_free(f);
	return -1;
}

void
vh_files_free(struct vh_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->names[i]);
		free(f->bufs[i]);
	}
	free(f->names);
	free(f->bufs);
	free(f->lens);
	memset(f, 0, sizeof(*f));
}

void
vh_utf8_fix(char *s)
{
	size_t len = strlen(s), i = 0;

	while ((i += vh_utf8_prefix(s + i, len - i)) < len) {
		unsigned char c = (unsigned char)s[i];
		size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0, k = 1;

		/* a character cut by the end of the buffer: drop it */
		while (i + k < len && k < need && ((unsigned char)s[i + k] & 0xc0) == 0x80)
			k++;
		if (need && i + k == len && k < need) {
			s[i] = '\0';
			return;
		}
		s[i++] = '?';
	}
}

void
vh_buf_put(struct vh_buf *b, const char *s, size_t n)
{
	if (b->nomem)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *np;

		while (cap < b->len + n + 1)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL) {
			b->nomem = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
vh_buf_puts(struct vh_buf *b, const char *s)
{
	vh_buf_put(b, s, strlen(s));
}

void
vh_buf_free(struct vh_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
