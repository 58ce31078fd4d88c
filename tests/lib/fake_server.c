#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fake_server.h"

static char *
read_request(int fd, char **body)
{
	size_t cap = 65536, len = 0, need = 0;
	char *buf = malloc(cap + 1), *end = NULL;
	ssize_t n;

	*body = NULL;
	while (buf && len < cap) {
		if ((n = read(fd, buf + len, cap - len)) <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (end == NULL && (end = strstr(buf, "\r\n\r\n")) != NULL) {
			const char *cl = strcasestr(buf, "\r\nContent-Length:");
			need = (size_t)(end + 4 - buf) + (cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0);
		}
		if (end && len >= need)
			break;
	}
	if (buf == NULL)
		return NULL;
	buf[len] = '\0';
	if (end) {
		*body = strdup(end + 4);
		end[2] = '\0';
	}
	return buf;
}

static void *
serve(void *arg)
{
	struct fake *f = arg;

	for (size_t i = 0; i < f->nanswers; i++) {
		int fd = accept(f->lfd, NULL, NULL);
		if (fd < 0)
			break;
		f->heads[i] = read_request(fd, &f->bodies[i]);
		f->nreqs++;
		if (f->answers[i]) {
			/* the body may hold NUL bytes: its length is in the head */
			const char *end = strstr(f->answers[i], "\r\n\r\n");
			const char *cl = strcasestr(f->answers[i], "Content-Length:");
			size_t off = 0, len = strlen(f->answers[i]);
			if (end && cl && cl < end)
				len = (size_t)(end + 4 - f->answers[i]) + strtoul(cl + 15, NULL, 10);
			while (off < len) {
				ssize_t n = write(fd, f->answers[i] + off, len - off);
				if (n <= 0)
					break;
				off += (size_t)n;
			}
		}
		close(fd);
	}
	return NULL;
}

void
fake_start(struct fake *f, const char *const *answers, size_t n)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static int seq;

	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "/tmp/vhcv-fake-%d-%d.sock", (int)getpid(), seq++);
	unlink(f->path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f->path);
	f->lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (f->lfd < 0 || bind(f->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(f->lfd, 8) < 0) {
		perror("fake server");
		exit(1);
	}
	for (size_t i = 0; i < n && i < FAKE_MAX; i++)
		f->answers[i] = answers[i];
	f->nanswers = n < FAKE_MAX ? n : FAKE_MAX;
	pthread_create(&f->thread, NULL, serve, f);
}

void
fake_stop(struct fake *f)
{
	pthread_join(f->thread, NULL);
	close(f->lfd);
	unlink(f->path);
	for (size_t i = 0; i < f->nreqs; i++) {
		free(f->heads[i]);
		free(f->bodies[i]);
	}
}

char *
fake_answer(int status, const char *extra, const char *body, size_t len)
{
	size_t cap = len + 512;
	char *s = malloc(cap);
	int n;

	if (s == NULL)
		return NULL;
	n = snprintf(s, cap,
		     "HTTP/1.1 %d X\r\nContent-Length: %zu\r\nConnection: close\r\n%s%s\r\n", status,
		     len, extra ? extra : "Content-Type: application/json\r\n", "");
	memcpy(s + n, body, len);
	s[n + (int)len] = '\0';
	return s;
}
