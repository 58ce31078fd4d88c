/*
 * vhcvd: the daemon of the public-service conduct register.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "db.h"
#include "events.h"
#include "http.h"
#include "lease.h"
#include "log.h"
#include "metrics.h"
#include "pool.h"
#include "reports.h"
#include "vhcv_build.h"
#include "vhcvd.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: vhcvd [-n] [-c FILE] [--rules PATH] [--legal PATH]\n"
		"       vhcvd --migrate [-c FILE]\n"
		"  -c, --config FILE  service configuration (default %s/vhcvd.yaml)\n"
		"  -n, --check        check the configuration, rules and legal tables, then exit\n"
		"      --rules PATH   with -n: check only this rules file or folder\n"
		"      --legal PATH   with -n: check only this legal file or folder\n"
		"      --migrate      apply pending database migrations, then exit\n"
		"  -V, --version      print the version\n",
		VHCV_SYSCONFDIR);
}

static void
print_diag(const struct vh_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "%s\n", d->msgs[i]);
	if (d->dropped)
		fprintf(stderr, "(%zu more errors)\n", d->dropped);
}

/* -n with --rules/--legal: check just those, with the config's legal
 * tables as vocabulary for the rules when available */
static int
check_only(const char *cfgpath, const char *rules, const char *legal)
{
	struct vhd_config *cfg = NULL;
	struct vh_legal *l = NULL;
	struct vh_ruleset *rs = NULL;
	struct vh_vocab vocab = { NULL, NULL };
	struct vh_diag d;
	int r = 1;

	vh_diag_init(&d);
	if (legal) {
		if (vh_legal_load_path(&l, legal, &d) < 0)
			goto out;
	} else if (rules) {
		/* vocabulary from the configured tables, if they load */
		struct vh_diag quiet;
		vh_diag_init(&quiet);
		if (vhd_config_load(&cfg, cfgpath, &quiet) == 0)
			vh_legal_load_path(&l, cfg->legal_path, &quiet);
		vh_diag_free(&quiet);
	}
	if (l)
		vh_legal_vocab(l, &vocab);
	if (rules && vh_rules_load_path(&rs, rules, l ? &vocab : NULL, &d) < 0)
		goto out;
	printf("%s%s%s OK\n", legal ? "legal tables" : "",
	       legal && rules ? " and " : "", rules ? "rules" : "");
	r = 0;
out:
	print_diag(&d);
	vh_diag_free(&d);
	vh_rules_free(rs);
	vh_legal_free(l);
	vhd_config_free(cfg);
	return r;
}

static int
check_all(const char *cfgpath, struct vhd_config **cfgout, struct vhd_lawset **lsout)
{
	struct vhd_config *cfg = NULL;
	struct vhd_lawset *ls = NULL;
	struct vh_diag d;
	int r = -1;

	vh_diag_init(&d);
	if (vhd_config_load(&cfg, cfgpath, &d) < 0)
		goto out;
	if (vhd_lawset_load(&ls, cfg->rules_path, cfg->legal_path, &d) < 0)
		goto out;
	if (cfg->seal_key_path) {
		/* read before dropping root: the key file may be root's alone */
		char err[512];
		vh_signer *s = vh_signer_load(cfg->seal_key_path, err, sizeof(err));
		if (s == NULL) {
			vh_diag_add(&d, cfg->file, 0, 0, "seal_key: %s", err);
			goto out;
		}
		if (cfgout)
			vhd_audit_set_signer(s);
		else
			vh_signer_free(s);
	}
	r = 0;
out:
	print_diag(&d);
	vh_diag_free(&d);
	if (r == 0 && cfgout) {
		*cfgout = cfg;
		cfg = NULL;
	}
	if (r == 0 && lsout) {
		*lsout = ls;
		ls = NULL;
	}
	vhd_config_free(cfg);
	vhd_lawset_release(ls);
	return r;
}

static int
migrate(const char *cfgpath)
{
	struct vhd_config *cfg = NULL;
	struct vh_diag d;
	PGconn *conn;
	char *err = NULL;
	int r;

	vh_diag_init(&d);
	if (vhd_config_load(&cfg, cfgpath, &d) < 0) {
		print_diag(&d);
		vh_diag_free(&d);
		return 1;
	}
	vh_diag_free(&d);
	if (cfg->migrations_path == NULL)
		cfg->migrations_path = vh_strdup(VHCV_DATADIR "/migrations");
	/* migrations may take long: no statement timeout */
	if ((conn = vhd_db_connect(cfg->migrate_dsn, 0, &err)) == NULL) {
		log_warnx("database: %s", err);
		free(err);
		vhd_config_free(cfg);
		return 1;
	}
	r = vhd_db_migrate(conn, cfg->migrations_path);
	PQfinish(conn);
	vhd_config_free(cfg);
	return r == 0 ? 0 : 1;
}

/* Refuse a database whose schema this vhcvd does not know. */
static void
check_schema(const struct vhd_config *cfg)
{
	PGconn *conn;
	char *err = NULL;
	int v;

	if ((conn = vhd_db_connect(cfg->dsn, cfg->statement_timeout_ms, &err)) == NULL) {
		/* the database may come later: requests answer 503 until then */
		log_warnx("database unavailable at start: %s", err);
		free(err);
		return;
	}
	v = vhd_db_schema_version(conn, &err);
	PQfinish(conn);
	if (v < 0)
		fatalx("database: %s", err ? err : "cannot read the schema version");
	if (v > VHD_SCHEMA_VERSION)
		fatalx("the database schema is at version %d, newer than this vhcvd"
		       " knows (%d): upgrade vhcvd", v, VHD_SCHEMA_VERSION);
	if (v < VHD_SCHEMA_VERSION)
		fatalx("the database schema is at version %d, this vhcvd needs %d:"
		       " run vhcvd --migrate", v, VHD_SCHEMA_VERSION);
}

static double
ms_since_on(clockid_t clock, const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static double
ms_since(const struct timespec *t0)
{
	return ms_since_on(CLOCK_MONOTONIC, t0);
}

/* the reload's connection, taken while the files are read */
struct reload_conn {
	const struct vhd_config *cfg;
	PGconn *conn, *own;
};

static void *
reload_connect(void *arg)
{
	struct reload_conn *rc = arg;
	char *err = NULL;

	/* a free one of the pool (a new connection cost 5-15 ms of a
	 * reload), else one of its own at once (NULL: each says it is
	 * unreachable) */
	if ((rc->conn = vhd_pool_try_get()) == NULL &&
	    (rc->conn = rc->own = vhd_db_connect(rc->cfg->dsn, rc->cfg->statement_timeout_ms,
						  &err)) == NULL)
		free(err);
	return NULL;
}

static void
reload_conn_put(struct reload_conn *rc)
{
	if (rc->own)
		PQfinish(rc->own);
	else if (rc->conn)
		vhd_pool_put(rc->conn);
	rc->conn = rc->own = NULL;
}

/*
 * SIGHUP: read and check the files, compare them with the stored rule
 * versions, store the new ones, swap the set in. The log line gives each
 * phase's time (docs/performance.md, "Session 5: reload"; "connect" is
 * now the wait for the connection after the read, which it overlaps).
 */
static void
reload(const struct vhd_config *cfg)
{
	struct vhd_lawset *ls = NULL;
	struct vhd_rules_stored st = { NULL, 0 };
	struct vh_diag d;
	struct timespec t0, cpu0;
	double ms[4] = { 0 };
	PGconn *conn = NULL;
	struct reload_conn rc = { cfg, NULL, NULL };
	pthread_t th;
	bool connecting;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
	vh_diag_init(&d);
	/* one connection compares and stores, taken (or opened: a slot of the
	 * pool not yet connected, or none free) while the files are read: the
	 * new connection's 5-40 ms (more on a server just started) no longer
	 * add to the reload's */
	connecting = pthread_create(&th, NULL, reload_connect, &rc) == 0;
	if (vhd_lawset_load(&ls, cfg->rules_path, cfg->legal_path, &d) < 0) {
		for (size_t i = 0; i < d.n; i++)
			log_warnx("reload: %s", d.msgs[i]);
		log_warnx("reload failed: %zu errors; keeping the loaded rules",
			  vh_diag_count(&d));
		vhd_metrics_reload(0);
		vh_diag_free(&d);
		if (connecting)
			pthread_join(th, NULL);
		reload_conn_put(&rc);
		return;
	}
	ms[0] = ms_since(&t0);
	if (connecting)
		pthread_join(th, NULL);
	else
		reload_connect(&rc);
	conn = rc.conn;
	ms[1] = ms_since(&t0);
	if (vhd_rules_check_stored(cfg, conn, ls, &d, &st) < 0) {
		/* a rule edited in place would judge old acts by the new text */
		for (size_t i = 0; i < d.n; i++)
			log_warnx("reload: %s", d.msgs[i]);
		log_warnx("reload failed: %zu errors; keeping the loaded rules",
			  vh_diag_count(&d));
		vhd_lawset_release(ls);
		vhd_metrics_reload(0);
	} else {
		ms[2] = ms_since(&t0);
		if (vhd_rules_sync(cfg, conn, ls, &st) < 0)
			log_warnx("reload: rule versions not stored; they will be on the next reload");
		ms[3] = ms_since(&t0);
		/* and vhcvd's own CPU time: on a busy machine the rest is waiting */
		log_info("reload: rules version %s (%zu rules) in %.0f ms (read %.1f, connect %.1f,"
			 " compare %.1f, store %.1f; CPU %.1f)", ls->version,
			 vh_rules_count(ls->rules), ms[3], ms[0], ms[1] - ms[0], ms[2] - ms[1],
			 ms[3] - ms[2], ms_since_on(CLOCK_THREAD_CPUTIME_ID, &cpu0));
		vhd_lawset_install(ls);
		vhd_metrics_reload(1);
	}
	reload_conn_put(&rc);
	vhd_rules_stored_free(&st);
	vh_diag_free(&d);
}

/*
 * Started as root with a 'user' configured: the sockets are bound, so give
 * up root for good (every thread: glibc applies set*id to all of them).
 * The sockets are handed to the user, who unlinks them on exit.
 */
static void
drop_privileges(const struct vhd_config *cfg)
{
	struct passwd pw, *pwp = NULL;
	char buf[4096];

	if (cfg->user == NULL || geteuid() != 0)
		return;
	if (getpwnam_r(cfg->user, &pw, buf, sizeof(buf), &pwp) != 0 || pwp == NULL)
		fatalx("user %s: no such user", cfg->user);
	for (size_t i = 0; i < cfg->nlisten; i++)
		if (cfg->listen[i].kind == VHD_LISTEN_UNIX &&
		    chown(cfg->listen[i].path, pw.pw_uid, pw.pw_gid) < 0)
			fatal("chown %s", cfg->listen[i].path);
	if (initgroups(pw.pw_name, pw.pw_gid) < 0 || setgid(pw.pw_gid) < 0 ||
	    setuid(pw.pw_uid) < 0)
		fatal("cannot become %s", cfg->user);
	if (setuid(0) == 0)
		fatalx("could regain root after dropping it");
#if defined(__SANITIZE_ADDRESS__)
	/* LeakSanitizer reads the process at exit, which setuid forbade */
	prctl(PR_SET_DUMPABLE, 1);
#endif
	log_info("running as %s (uid %u)", pw.pw_name, (unsigned)pw.pw_uid);
}

/* the periodic seal over every case head (docs/audit.md), on the lease's
 * connection: one "do one seal" call */
static void
seal(PGconn *conn)
{
	struct vhd_response resp = { .status = 500 };
	json_t *s = vhd_audit_seal(conn, &resp, "vhcvd");

	if (s != NULL && json_is_true(json_object_get(s, "unchanged")))
		log_debug("nothing new to seal");
	else if (s != NULL)
		log_info("sealed seal=%lld tree_size=%lld events=%lld",
			 (long long)json_integer_value(json_object_get(s, "seal")),
			 (long long)json_integer_value(json_object_get(s, "tree_size")),
			 (long long)json_integer_value(json_object_get(s, "events")));
	else
		log_warnx("seal failed: %s",
			  json_string_value(json_object_get(resp.json, "message")));
	json_decref(s);
	json_decref(resp.json);
}

/*
 * The work that must happen once whatever the number of vhcvd: run only
 * by the holder of the lease (lease.c), each job on the lease's connection.
 */
/* the endings of effects and career freezes, and the feed's stamps
 * (reports.h): idempotent, caught up as soon as the lease is taken */
static void
effects(PGconn *conn)
{
	vhd_effects_tick(conn, vh_date_today());
}

static struct vhd_job jobs[] = {
	{ "seal", 0, seal, false, 0 },
	{ "effects", 0, effects, true, 0 },
};

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'n' },
		{ "rules", required_argument, NULL, 'r' },
		{ "legal", required_argument, NULL, 'l' },
		{ "migrate", no_argument, NULL, 'm' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cfgpath = VHCV_SYSCONFDIR "/vhcvd.yaml", *rules = NULL, *legal = NULL;
	struct vhd_config *cfg = NULL;
	struct vhd_lawset *ls = NULL;
	bool check = false, do_migrate = false;
	sigset_t set;
	int ch, sig;

	while ((ch = getopt_long(argc, argv, "c:nVh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cfgpath = optarg;
			break;
		case 'n':
			check = true;
			break;
		case 'r':
			rules = optarg;
			break;
		case 'l':
			legal = optarg;
			break;
		case 'm':
			do_migrate = true;
			break;
		case 'V':
			printf("vhcvd %s\n", VHCV_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || ((rules || legal) && !check) || (check && do_migrate)) {
		usage(stderr);
		return 2;
	}
	if (check && (rules || legal))
		return check_only(cfgpath, rules, legal);
	if (check) {
		struct vh_diag d;
		int r;

		if (check_all(cfgpath, &cfg, &ls) < 0)
			return 1;
		/* the rules against the versions stored, when the database answers */
		vh_diag_init(&d);
		r = vhd_rules_check_stored(cfg, NULL, ls, &d, NULL);
		print_diag(&d);
		vh_diag_free(&d);
		vhd_lawset_release(ls);
		vhd_config_free(cfg);
		if (r < 0)
			return 1;
		printf("configuration OK\n");
		return 0;
	}
	if (do_migrate)
		return migrate(cfgpath);

	if (check_all(cfgpath, &cfg, &ls) < 0)
		return 1;
	log_init((enum vhd_loglevel)cfg->log_level);
	/* the register's calendar, before any thread starts */
	if (vh_date_set_zone(cfg->timezone) < 0)
		fatalx("timezone %s: cannot use it", cfg->timezone);
	check_schema(cfg);
	{
		struct vhd_rules_stored st;
		struct vh_diag d;

		vh_diag_init(&d);
		if (vhd_rules_check_stored(cfg, NULL, ls, &d, &st) < 0) {
			for (size_t i = 0; i < d.n; i++)
				log_warnx("%s", d.msgs[i]);
			fatalx("the rules contradict the stored rule versions");
		}
		vh_diag_free(&d);
		if (vhd_rules_sync(cfg, NULL, ls, &st) < 0)
			log_warnx("rule versions not stored now; they will be on the next reload");
		vhd_rules_stored_free(&st);
	}
	if (vhd_pool_init(cfg) < 0)
		fatalx("out of memory");
	vhd_lawset_install(ls);

	/* signals go to this thread only; MHD's threads inherit the mask */
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* the first tick before serving: endings missed while down are written */
	if (cfg->scheduler_interval_s > 0)
		vhd_effects_catch_up();
	if (vhd_http_start(cfg) < 0)
		fatalx("cannot listen");
	drop_privileges(cfg);
	log_info("vhcvd %s ready (pid %d)", VHCV_VERSION, (int)getpid());
	jobs[0].interval_s = cfg->seal_interval_s;
	jobs[1].interval_s = cfg->scheduler_interval_s;
	vhd_lease_init(cfg, jobs, VH_NELEM(jobs));
	if (vhd_lease_start() < 0)
		fatalx("cannot start the periodic jobs' thread");
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			reload(cfg);
			continue;
		}
		log_info("signal %d: finishing requests in flight", sig);
		break;
	}
	vhd_http_stop();
	vhd_lease_shutdown();
	vhd_lawset_install(NULL);
	vhd_pool_shutdown();
	vhd_config_free(cfg);
	log_info("stopped");
	return 0;
}
