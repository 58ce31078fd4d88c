/* The vhcv command-line client: built only on the public libvhcv API. */
#ifndef VHCV_CLI_H
#define VHCV_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <libintl.h>
#include <vhcv.h>

/* human output through gettext (po/vi.po); JSON is never translated */
#define _(s) gettext(s)
#define N_(s) (s)
/* the locale and the message catalogue: LANG=vi_VN.UTF-8 → Vietnamese */
void cli_i18n_init(void);

/* exit statuses of DESIGN.md */
enum {
	EXIT_OK = 0,
	EXIT_OTHER = 1,
	EXIT_USAGE = 2,
	EXIT_NOTFOUND = 3,
	EXIT_FORBIDDEN = 4,
	EXIT_CONFLICT = 5,
	EXIT_REFUSED = 6,
	EXIT_UNAVAILABLE = 7,
};

struct cli {
	const char *endpoint;
	bool json;
	vhcv_client *client;
	const struct cli_spec *spec; /* the command being run, for messages */
};

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(struct cli *cli, int argc, char **argv);
};

/* A command's arguments: positionals (all required) and long options. */
#define CLI_MAX_POS 3
#define CLI_MAX_OPTS 12
struct cli_opt {
	const char *name;    /* "note" for --note */
	const char *meta;    /* "TEXT"; NULL for a flag */
	bool required;
	const char *help;
};
struct cli_spec {
	const char *name;    /* "case accept" */
	const char *summary; /* one line for the help */
	const char *pos[CLI_MAX_POS];
	struct cli_opt opts[CLI_MAX_OPTS];
};
struct cli_args {
	const struct cli_spec *spec;
	const char *pos[CLI_MAX_POS];
	const char *val[CLI_MAX_OPTS]; /* the value, "" for a set flag, NULL unset */
};

/* go on after cli_parse(); anything else is the exit status */
#define CLI_CONTINUE (-1)

/*
 * Parse argv (argv[0] is the command's last word) by the spec; handles
 * --help and --json. Returns CLI_CONTINUE, EXIT_OK after --help, or
 * EXIT_USAGE after printing the usage.
 */
int cli_parse(struct cli *cli, const struct cli_spec *spec, int argc, char **argv,
	      struct cli_args *a);
/* the value of --NAME, or NULL */
const char *cli_val(const struct cli_args *a, const char *name);
bool cli_flag(const struct cli_args *a, const char *name);
/* print a usage error about the spec; returns EXIT_USAGE */
int cli_usage_error(struct cli *cli, const struct cli_spec *spec, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* dispatch "vhcv NOUN VERB ...": argv[0] is NOUN */
int cli_dispatch(struct cli *cli, const char *noun, const struct cli_command *cmds,
		 size_t n, int argc, char **argv);

/* open the client on first use; reports and returns an exit status */
int cli_connect(struct cli *cli);
/* print the last library error (its JSON with --json); returns the exit status */
int cli_fail(struct cli *cli, int code);
int cli_exit_status(int code);
/* with --json, a result's JSON text on one line */
void cli_print_json(const char *json);
/* a JSON string literal on f */
void cli_json_string(FILE *f, const char *s);

/* Tables aligned by display width (UTF-8, combining marks take no room). */
struct cli_table {
	size_t ncols;
	const char *const *heads;
	char **cells;        /* nrows * ncols, owned */
	size_t nrows, cap;
	size_t maxw;         /* cells wider than this are cut with "…"; 0: 60 */
};
void cli_table_init(struct cli_table *t, size_t ncols, const char *const *heads);
/* ncols strings; NULL prints as "-" */
void cli_table_add(struct cli_table *t, ...);
void cli_table_print(const struct cli_table *t, FILE *f, const char *indent);
void cli_table_free(struct cli_table *t);
/* display columns of a UTF-8 string */
size_t cli_width(const char *s);

/* "label      value" lines; NULL values print "-" */
void cli_kv(const char *label, const char *value);
void cli_kvf(const char *label, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* RFC 3339 time to "YYYY-MM-DD HH:MM:SS" in buf */
const char *cli_time(char buf[32], const char *rfc3339);
/* NULL to "-" */
const char *cli_s(const char *s);

/* human output of the objects */
void cli_print_case(const vhcv_case *k);
void cli_print_official(const vhcv_official *f);
void cli_print_unit(const vhcv_unit *u);
/* print a result (its JSON with --json), free it; EXIT_OK */
int cli_case_out(struct cli *cli, vhcv_case *k);
int cli_official_out(struct cli *cli, vhcv_official *f);
void cli_print_decisions(vhcv_decision *const *d, size_t n, const char *indent);

int cmd_health(struct cli *cli, int argc, char **argv);
int cmd_rules(struct cli *cli, int argc, char **argv);
int cmd_rule(struct cli *cli, int argc, char **argv);
int cmd_unit(struct cli *cli, int argc, char **argv);
int cmd_official(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);
int cmd_case(struct cli *cli, int argc, char **argv);
int cmd_evidence(struct cli *cli, int argc, char **argv);
int cmd_audit(struct cli *cli, int argc, char **argv);
int cmd_eligibility(struct cli *cli, int argc, char **argv);
int cmd_stats(struct cli *cli, int argc, char **argv);
int cmd_warnings(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_changes(struct cli *cli, int argc, char **argv);
/* official show (the record), import, export (cmd_reports.c) */
int cli_official_record(struct cli *cli, const char *code, const char *on);
int cli_official_import(struct cli *cli, int argc, char **argv);
int cli_unit_import(struct cli *cli, int argc, char **argv);
int cli_official_export(struct cli *cli, int argc, char **argv);
/* a JSON answer (freed): printed with --json (NULL returned), else parsed */
struct cj *doc_or_json(struct cli *cli, char *json);

/* A small JSON reader (json.c) for the documents of vhcv/reports.h. */
struct cj {
	enum { CJ_NULL, CJ_BOOL, CJ_NUM, CJ_STR, CJ_ARR, CJ_OBJ } t;
	char *s;             /* string, or the text of a number or boolean */
	struct cj *kids;     /* array elements or object members */
	char **keys;         /* object member names */
	size_t n, cap;
};
struct cj *cj_parse(const char *text);
void cj_free(struct cj *v);
const struct cj *cj_get(const struct cj *o, const char *key);
const struct cj *cj_at(const struct cj *a, size_t i);
size_t cj_len(const struct cj *a);
/* the text of member key (or of o itself when key is NULL); NULL for null */
const char *cj_str(const struct cj *o, const char *key);
int cmd_account(struct cli *cli, int argc, char **argv);

#endif
