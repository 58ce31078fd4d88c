/* A scripted HTTP server on a Unix socket for the library's offline tests. */
#ifndef FAKE_SERVER_H
#define FAKE_SERVER_H

#include <pthread.h>
#include <stddef.h>

#define FAKE_MAX 8

struct fake {
	char path[108];
	int lfd;
	pthread_t thread;
	/* what to answer, one per connection; NULL: close without answering */
	const char *answers[FAKE_MAX];
	size_t nanswers;
	/* what arrived: the request head and body of each connection */
	char *heads[FAKE_MAX];
	char *bodies[FAKE_MAX];
	size_t nreqs;
};

/* listen on a fresh socket; answers are served by a thread, one each */
void fake_start(struct fake *f, const char *const *answers, size_t n);
/* wait until every answer was served, then close */
void fake_stop(struct fake *f);
/* an HTTP answer with a JSON (or any) body; the caller frees it */
char *fake_answer(int status, const char *extra_headers, const char *body, size_t len);

#endif
