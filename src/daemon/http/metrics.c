#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "common.h"
#include "metrics.h"

/* upper bounds of the latency histogram, in seconds */
static const double buckets[] = { 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
				  0.5, 1, 2.5, 5 };
#define NBUCKETS VH_NELEM(buckets)

struct counter {
	char *route;
	char method[8];
	int status;
	unsigned long long n;
	struct counter *next;
};

static struct {
	pthread_mutex_t lock;
	struct counter *counters;
	unsigned long long hist[NBUCKETS + 1];
	double sum;
	unsigned long long count;
	unsigned long long db_errors;
	unsigned long long reloads_ok, reloads_failed;
} m = { .lock = PTHREAD_MUTEX_INITIALIZER };

void
vhd_metrics_request(const char *route, const char *method, int status, double ms)
{
	struct counter *c;
	size_t b;

	/* the method comes from the client: only known ones get a series */
	if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0 &&
	    strcmp(method, "PUT") != 0 && strcmp(method, "DELETE") != 0 &&
	    strcmp(method, "HEAD") != 0)
		method = "other";
	pthread_mutex_lock(&m.lock);
	for (c = m.counters; c; c = c->next)
		if (c->status == status && strcmp(c->route, route) == 0 &&
		    strcmp(c->method, method) == 0)
			break;
	if (c == NULL && (c = calloc(1, sizeof(*c))) != NULL) {
		c->route = vh_strdup(route);
		snprintf(c->method, sizeof(c->method), "%s", method);
		c->status = status;
		c->next = m.counters;
		m.counters = c;
	}
	if (c)
		c->n++;
	for (b = 0; b < NBUCKETS && ms / 1000.0 > buckets[b]; b++)
		;
	m.hist[b]++;
	m.sum += ms / 1000.0;
	m.count++;
	pthread_mutex_unlock(&m.lock);
}

void
vhd_metrics_db_error(void)
{
	pthread_mutex_lock(&m.lock);
	m.db_errors++;
	pthread_mutex_unlock(&m.lock);
}

void
vhd_metrics_reload(int ok)
{
	pthread_mutex_lock(&m.lock);
	if (ok)
		m.reloads_ok++;
	else
		m.reloads_failed++;
	pthread_mutex_unlock(&m.lock);
}

char *
vhd_metrics_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	unsigned long long cum = 0;

	if (f == NULL)
		return NULL;
	pthread_mutex_lock(&m.lock);
	fprintf(f, "# HELP vhcvd_requests_total HTTP requests by route, method and status.\n"
		   "# TYPE vhcvd_requests_total counter\n");
	for (struct counter *c = m.counters; c; c = c->next)
		fprintf(f, "vhcvd_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n",
			c->route, c->method, c->status, c->n);
	fprintf(f, "# HELP vhcvd_request_duration_seconds Request latency.\n"
		   "# TYPE vhcvd_request_duration_seconds histogram\n");
	for (size_t b = 0; b < NBUCKETS; b++) {
		cum += m.hist[b];
		fprintf(f, "vhcvd_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			buckets[b], cum);
	}
	cum += m.hist[NBUCKETS];
	fprintf(f, "vhcvd_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
	fprintf(f, "vhcvd_request_duration_seconds_sum %.6f\n", m.sum);
	fprintf(f, "vhcvd_request_duration_seconds_count %llu\n", m.count);
	fprintf(f, "# HELP vhcvd_db_errors_total Database errors.\n"
		   "# TYPE vhcvd_db_errors_total counter\nvhcvd_db_errors_total %llu\n",
		m.db_errors);
	fprintf(f, "# HELP vhcvd_rules_reloads_total Reloads of rules and legal tables.\n"
		   "# TYPE vhcvd_rules_reloads_total counter\n"
		   "vhcvd_rules_reloads_total{result=\"ok\"} %llu\n"
		   "vhcvd_rules_reloads_total{result=\"failed\"} %llu\n",
		m.reloads_ok, m.reloads_failed);
	pthread_mutex_unlock(&m.lock);
	fclose(f);
	return buf;
}
