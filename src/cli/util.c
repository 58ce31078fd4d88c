/* Argument parsing, errors, JSON and table output shared by the commands. */
#include <locale.h>
#include <unistd.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static void
print_usage_line(FILE *f, const struct cli_spec *spec)
{
	fprintf(f, "usage: vhcv %s", spec->name);
	for (size_t i = 0; i < CLI_MAX_POS && spec->pos[i]; i++)
		fprintf(f, " %s", spec->pos[i]);
	for (size_t i = 0; i < CLI_MAX_OPTS && spec->opts[i].name; i++) {
		const struct cli_opt *o = &spec->opts[i];
		fprintf(f, " %s--%s%s%s%s", o->required ? "" : "[", o->name, o->meta ? " " : "",
			o->meta ? o->meta : "", o->required ? "" : "]");
	}
	fprintf(f, "\n");
}

static void
print_help(const struct cli_spec *spec)
{
	print_usage_line(stdout, spec);
	printf("\n%s\n", spec->summary);
	if (spec->opts[0].name)
		printf("\noptions:\n");
	for (size_t i = 0; i < CLI_MAX_OPTS && spec->opts[i].name; i++) {
		const struct cli_opt *o = &spec->opts[i];
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->meta ? " " : "",
			 o->meta ? o->meta : "");
		printf("  %-22s %s%s\n", left, o->help, o->required ? " (required)" : "");
	}
	printf("  %-22s %s\n  %-22s %s\n", "--json", "print one JSON document", "--help",
	       "show this help");
	printf("\nexit status: 0 ok, 2 usage, 3 not found, 4 forbidden, 5 conflict,\n"
	       "6 refused by the law or validation, 7 unavailable, 1 other\n");
}

int
cli_usage_error(struct cli *cli, const struct cli_spec *spec, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cli->json) {
		printf("{\"error\": \"usage\", \"message\": ");
		cli_json_string(stdout, msg);
		printf("}\n");
	}
	fprintf(stderr, "vhcv: %s\n", msg);
	if (spec)
		print_usage_line(stderr, spec);
	return EXIT_USAGE;
}

int
cli_parse(struct cli *cli, const struct cli_spec *spec, int argc, char **argv,
	  struct cli_args *a)
{
	struct option longopts[CLI_MAX_OPTS + 3];
	size_t nopts = 0, npos = 0;
	int ch, out_opt = -1;

	memset(a, 0, sizeof(*a));
	a->spec = spec;
	cli->spec = spec;
	for (; nopts < CLI_MAX_OPTS && spec->opts[nopts].name; nopts++)
		longopts[nopts] = (struct option){ spec->opts[nopts].name,
						   spec->opts[nopts].meta ? required_argument
									  : no_argument,
						   NULL, 1000 + (int)nopts };
	longopts[nopts] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[nopts + 1] = (struct option){ "json", no_argument, NULL, 'j' };
	longopts[nopts + 2] = (struct option){ NULL, 0, NULL, 0 };
	optind = 0; /* a fresh scan for every command */
	opterr = 0;
	/* -o FILE is --output FILE wherever a command writes a file */
	for (size_t i = 0; i < nopts; i++)
		if (strcmp(spec->opts[i].name, "output") == 0)
			out_opt = (int)i;
	while ((ch = getopt_long(argc, argv, out_opt >= 0 ? ":ho:" : ":h", longopts, NULL)) != -1) {
		if (ch == 'o')
			ch = 1000 + out_opt;
		if (ch == 'h') {
			print_help(spec);
			return EXIT_OK;
		} else if (ch == 'j') {
			cli->json = true;
		} else if (ch >= 1000 && ch < 1000 + (int)nopts) {
			a->val[ch - 1000] = optarg ? optarg : "";
		} else if (ch == ':') {
			return cli_usage_error(cli, spec, "%s needs a value", argv[optind - 1]);
		} else {
			if (optopt > 0 && optopt < 1000)
				return cli_usage_error(cli, spec, "unknown option -%c", optopt);
			return cli_usage_error(cli, spec, "unknown option %s", argv[optind - 1]);
		}
	}
	for (int i = optind; i < argc; i++) {
		if (npos == CLI_MAX_POS || spec->pos[npos] == NULL)
			return cli_usage_error(cli, spec, "unexpected argument '%s'", argv[i]);
		a->pos[npos++] = argv[i];
	}
	if (npos < CLI_MAX_POS && spec->pos[npos])
		return cli_usage_error(cli, spec, "%s is missing", spec->pos[npos]);
	for (size_t i = 0; i < nopts; i++)
		if (spec->opts[i].required && a->val[i] == NULL)
			return cli_usage_error(cli, spec, "--%s is required", spec->opts[i].name);
	return CLI_CONTINUE;
}

const char *
cli_val(const struct cli_args *a, const char *name)
{
	for (size_t i = 0; i < CLI_MAX_OPTS && a->spec->opts[i].name; i++)
		if (strcmp(a->spec->opts[i].name, name) == 0)
			return a->val[i];
	return NULL;
}

bool
cli_flag(const struct cli_args *a, const char *name)
{
	return cli_val(a, name) != NULL;
}

int
cli_dispatch(struct cli *cli, const char *noun, const struct cli_command *cmds, size_t n,
	     int argc, char **argv)
{
	FILE *f = stderr;

	if (argc >= 2 && strcmp(argv[1], "--json") == 0) {
		/* "vhcv case --json show X": accept the flag before the verb too */
		cli->json = true;
		argc--;
		argv++;
	}
	if (argc >= 2) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(cmds[i].name, argv[1]) == 0)
				return cmds[i].run(cli, argc - 1, argv + 1);
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
			f = stdout;
		else
			fprintf(stderr, "vhcv: unknown command '%s %s'\n", noun, argv[1]);
	}
	fprintf(f, "usage: vhcv %s COMMAND ...\n\ncommands:\n", noun);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nvhcv %s COMMAND --help shows its options.\n", noun);
	return f == stdout ? EXIT_OK : EXIT_USAGE;
}

int
cli_exit_status(int code)
{
	switch (code) {
	case VHCV_OK:
		return EXIT_OK;
	case VHCV_ENOTFOUND:
		return EXIT_NOTFOUND;
	case VHCV_EFORBIDDEN:
	case VHCV_EUNAUTHORIZED:
		return EXIT_FORBIDDEN;
	case VHCV_ECONFLICT:
		return EXIT_CONFLICT;
	case VHCV_EREFUSED:
	case VHCV_EINVALID:
	case VHCV_ETOOLARGE:
		return EXIT_REFUSED;
	case VHCV_EUNAVAILABLE:
	case VHCV_ETIMEOUT:
		return EXIT_UNAVAILABLE;
	default:
		return EXIT_OTHER;
	}
}

void
cli_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

void
cli_print_json(const char *json)
{
	printf("%s\n", json ? json : "null");
}

/*
 * The option of the running command that sets API field `field`, as
 * "--name", or NULL: messages name both, since the user typed --occurred
 * and the daemon speaks of occurred_on.
 */
static const char *
field_option(const struct cli *cli, const char *field, char buf[72])
{
	static const char *const alias[][2] = {
		{ "description", "text" }, { "idempotency_key", "key" },
		{ "full_name", "name" },   { "members", "members" },
	};
	char name[64];
	size_t n;

	if (cli->spec == NULL || field == NULL || *field == '\0')
		return NULL;
	snprintf(name, sizeof(name), "%s", field);
	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (strcmp(alias[i][0], field) == 0)
			snprintf(name, sizeof(name), "%s", alias[i][1]);
	/* occurred_on -> occurred, valid_from -> valid-from */
	n = strlen(name);
	if (n > 3 && strcmp(name + n - 3, "_on") == 0)
		name[n - 3] = '\0';
	for (char *p = name; *p; p++)
		if (*p == '_')
			*p = '-';
	for (size_t i = 0; i < CLI_MAX_OPTS && cli->spec->opts[i].name; i++)
		if (strcmp(cli->spec->opts[i].name, name) == 0) {
			snprintf(buf, 72, "--%s", name);
			return buf;
		}
	return NULL;
}

/*
 * The kinds of error (vhcv_strerror's texts) in the catalogue: a user of
 * LANG=vi_VN.UTF-8 reads what went wrong in Vietnamese before the daemon's
 * own words, which name the thing (a code, a date) and stay as vhcvd wrote
 * them; in English the line is the daemon's words alone, as before.
 */
static const char *const error_kinds[] = {
	N_("internal error"), N_("invalid input"), N_("not found"), N_("forbidden"),
	N_("not authenticated"), N_("conflict with the current state"), N_("refused by the law"),
	N_("request too large"), N_("service unavailable, retry later"), N_("out of memory"),
	N_("timed out"), N_("malformed answer from the peer"),
};

/* "KIND — message" where the catalogue translates the kind, else message */
static const char *
translated_error(int code, const char *msg, char *buf, size_t len)
{
	const char *kind = vhcv_strerror(code);

	for (size_t i = 0; i < sizeof(error_kinds) / sizeof(error_kinds[0]); i++)
		if (strcmp(error_kinds[i], kind) == 0 && strcmp(_(kind), kind) != 0) {
			if (strcmp(msg, kind) == 0)
				return _(kind);
			snprintf(buf, len, "%s — %s", _(kind), msg);
			return buf;
		}
	return msg;
}

int
cli_fail(struct cli *cli, int code)
{
	char ob[72], tb[1024];
	const char *opt;
	const char *msg = cli->client ? vhcv_client_errmsg(cli->client) : "";
	const char *field = cli->client ? vhcv_client_errfield(cli->client) : "";
	const char *doc = cli->client ? vhcv_client_errjson(cli->client) : "";

	if (msg == NULL || *msg == '\0')
		msg = vhcv_strerror(code);
	if (cli->json) {
		if (doc && *doc) {
			printf("%s\n", doc);
		} else {
			printf("{\"error\": ");
			cli_json_string(stdout, vhcv_error_id(code));
			printf(", \"message\": ");
			cli_json_string(stdout, msg);
			printf("}\n");
		}
	}
	if (code == VHCV_EUNAVAILABLE && cli->endpoint == NULL &&
	    (getenv("VHCV_ENDPOINT") == NULL || *getenv("VHCV_ENDPOINT") == '\0') &&
	    strncmp(msg, "cannot reach", 12) == 0) {
		/* the default endpoint: say where vhcv looked */
		fprintf(stderr, "vhcv: %s\n", msg);
		if (access("var/run/vhcvd.sock", F_OK) == 0)
			fprintf(stderr, "vhcv: ./var/run/vhcvd.sock is there but no vhcvd answers on"
					" it (./scripts/run status); or set VHCV_ENDPOINT or -s\n");
		else
			fprintf(stderr, "vhcv: looked for ./var/run/vhcvd.sock (./scripts/run) and"
					" then /run/vhcvd/vhcvd.sock; set VHCV_ENDPOINT or -s\n");
		return cli_exit_status(code);
	}
	msg = translated_error(code, msg, tb, sizeof(tb));
	if (field && *field && (opt = field_option(cli, field, ob)) != NULL)
		fprintf(stderr, _("vhcv: %s (option %s, field: %s)\n"), msg, opt, field);
	else if (field && *field)
		fprintf(stderr, _("vhcv: %s (field: %s)\n"), msg, field);
	else
		fprintf(stderr, "vhcv: %s\n", msg);
	return cli_exit_status(code);
}

int
cli_connect(struct cli *cli)
{
	vhcv_client_options opts = VHCV_CLIENT_OPTIONS_INIT;
	int r;

	if (cli->client)
		return EXIT_OK;
	/* a private CA for https endpoints (the system's otherwise) */
	opts.ca_file = getenv("VHCV_CA_FILE");
	if ((r = vhcv_client_open(&cli->client, cli->endpoint, &opts)) < 0) {
		char msg[512];
		const char *env = getenv("VHCV_ENDPOINT");
		/* name where the endpoint came from: -s, or the variable */
		if (cli->endpoint == NULL && env && *env)
			snprintf(msg, sizeof(msg), "VHCV_ENDPOINT=%s: not an endpoint: %s", env,
				 vhcv_strerror(r));
		else
			snprintf(msg, sizeof(msg), "cannot use endpoint %s: %s",
				 cli->endpoint ? cli->endpoint : "(default)", vhcv_strerror(r));
		if (cli->json) {
			printf("{\"error\": ");
			cli_json_string(stdout, r == VHCV_EINVALID ? "usage" : vhcv_error_id(r));
			printf(", \"message\": ");
			cli_json_string(stdout, msg);
			printf("}\n");
		}
		fprintf(stderr, "vhcv: %s\n", msg);
		if (r == VHCV_EINVALID)
			fprintf(stderr, "ENDPOINT is unix:PATH, https://HOST:PORT or "
					"http://127.0.0.1:PORT\n");
		return r == VHCV_EINVALID ? EXIT_USAGE : cli_exit_status(r);
	}
	return EXIT_OK;
}

/* --- display width ------------------------------------------------------ */

/* decode one UTF-8 sequence; invalid bytes count as one column each */
static uint32_t
next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t cp;
	int n;

	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		cp = s[0] & 0x1f;
		n = 1;
	} else if ((s[0] & 0xf0) == 0xe0) {
		cp = s[0] & 0x0f;
		n = 2;
	} else if ((s[0] & 0xf8) == 0xf0) {
		cp = s[0] & 0x07;
		n = 3;
	} else {
		*p = s + 1;
		return 0xfffd;
	}
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p = s + 1;
			return 0xfffd;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*p = s + n + 1;
	return cp;
}

static int
cp_width(uint32_t cp)
{
	/* combining marks: Vietnamese tone marks when text is decomposed */
	if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
	    (cp >= 0x1dc0 && cp <= 0x1dff) || (cp >= 0x20d0 && cp <= 0x20ff) ||
	    (cp >= 0xfe20 && cp <= 0xfe2f) || cp == 0x200b || cp == 0x200d)
		return 0;
	/* East Asian wide: CJK, Hangul, full-width forms */
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) ||
	    (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

size_t
cli_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;

	while (*p)
		w += (size_t)cp_width(next_cp(&p));
	return w;
}

/*
 * Text from the daemon may hold tabs, line breaks or terminal controls
 * (C0, DEL, C1): in a table cell each becomes one space, so rows stay rows.
 */
static void
clean_controls(char *s)
{
	unsigned char *p = (unsigned char *)s, *o = p;

	while (*p) {
		if (*p < 0x20 || *p == 0x7f) {
			*o++ = ' ';
			p++;
		} else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			*o++ = ' ';
			p += 2;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
}

/* a copy of s cut to at most maxw columns, "…" marking the cut */
static char *
cut(const char *text, size_t maxw)
{
	const unsigned char *p, *prev;
	char *s = strdup(text), *r;
	size_t w = 0;

	if (s == NULL)
		return NULL;
	clean_controls(s);
	if (cli_width(s) <= maxw)
		return s;
	p = (const unsigned char *)s;
	while (*p) {
		prev = p;
		int cw = cp_width(next_cp(&p));
		if (w + (size_t)cw > maxw - 1) {
			p = prev;
			break;
		}
		w += (size_t)cw;
	}
	/* keep combining marks that belong to the last letter kept */
	while (*p) {
		const unsigned char *q = p;
		if (cp_width(next_cp(&q)) != 0)
			break;
		p = q;
	}
	if ((r = malloc((size_t)(p - (const unsigned char *)s) + 4)) != NULL) {
		memcpy(r, s, (size_t)(p - (const unsigned char *)s));
		memcpy(r + (p - (const unsigned char *)s), "\xe2\x80\xa6", 4);
	}
	free(s);
	return r;
}

void
cli_table_init(struct cli_table *t, size_t ncols, const char *const *heads)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->heads = heads;
}

void
cli_table_add(struct cli_table *t, ...)
{
	va_list ap;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **nc = realloc(t->cells, cap * t->ncols * sizeof(char *));
		if (nc == NULL)
			return;
		t->cells = nc;
		t->cap = cap;
	}
	va_start(ap, t);
	for (size_t i = 0; i < t->ncols; i++) {
		const char *s = va_arg(ap, const char *);
		t->cells[t->nrows * t->ncols + i] = cut(s ? s : "-", t->maxw ? t->maxw : 60);
	}
	va_end(ap);
	t->nrows++;
}

static void
pad(FILE *f, const char *s, size_t width, bool last)
{
	fputs(s ? s : "", f);
	if (last)
		return;
	for (size_t w = cli_width(s ? s : ""); w < width + 2; w++)
		fputc(' ', f);
}

void
cli_table_print(const struct cli_table *t, FILE *f, const char *indent)
{
	size_t *w = calloc(t->ncols, sizeof(*w));

	if (w == NULL)
		return;
	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = cli_width(_(t->heads[c]));
		for (size_t r = 0; r < t->nrows; r++) {
			const char *s = t->cells[r * t->ncols + c];
			size_t cw = s ? cli_width(s) : 0;
			if (cw > w[c])
				w[c] = cw;
		}
	}
	fputs(indent, f);
	for (size_t c = 0; c < t->ncols; c++)
		pad(f, _(t->heads[c]), w[c], c + 1 == t->ncols);
	fputc('\n', f);
	for (size_t r = 0; r < t->nrows; r++) {
		fputs(indent, f);
		for (size_t c = 0; c < t->ncols; c++)
			pad(f, t->cells[r * t->ncols + c], w[c], c + 1 == t->ncols);
		fputc('\n', f);
	}
	free(w);
}

void
cli_table_free(struct cli_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

const char *
cli_s(const char *s)
{
	return s && *s ? s : "-";
}

/* a translated label padded to 16 columns (not bytes: Vietnamese) */
static void
kv_label(const char *label)
{
	/* gettext("") is the catalogue's header, not an empty label */
	const char *t = *label ? _(label) : "";
	size_t w = cli_width(t);

	fputs(t, stdout);
	for (; w < 17; w++)
		putchar(' ');
}

void
cli_kv(const char *label, const char *value)
{
	kv_label(label);
	printf("%s\n", cli_s(value));
}

void
cli_kvf(const char *label, const char *fmt, ...)
{
	va_list ap;

	kv_label(label);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void
cli_i18n_init(void)
{
	const char *dir = getenv("VHCV_LOCALEDIR");

	if (setlocale(LC_ALL, "") == NULL) {
		/*
		 * The asked locale is not generated on this machine (Debian
		 * installs only C.UTF-8 by default): the messages still
		 * follow it, in UTF-8.
		 */
		const char *l = getenv("LC_ALL");
		if (l == NULL || *l == '\0')
			l = getenv("LC_MESSAGES");
		if (l == NULL || *l == '\0')
			l = getenv("LANG");
		setlocale(LC_ALL, "C.UTF-8");
		if (l && strncmp(l, "vi", 2) == 0 && getenv("LANGUAGE") == NULL)
			setenv("LANGUAGE", "vi", 1);
	}
	setlocale(LC_NUMERIC, "C"); /* numbers stay as the API writes them */
	if (dir == NULL || *dir == '\0') {
		/* run from a build folder (scripts/run): its catalogue in po/ */
		static char exe[4096];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 64);
		char *slash;
		if (n > 0 && (exe[n] = '\0', slash = strstr(exe, "/src/cli/vhcv")) != NULL &&
		    slash[13] == '\0') {
			strcpy(slash, "/po/vi/LC_MESSAGES/vhcv.mo");
			if (access(exe, R_OK) == 0) {
				strcpy(slash, "/po");
				dir = exe;
			}
		}
	}
	bindtextdomain("vhcv", dir && *dir ? dir : VHCV_LOCALEDIR);
	bind_textdomain_codeset("vhcv", "UTF-8");
	textdomain("vhcv");
}

/* an RFC 3339 UTC time from the API, shown in the user's local zone */
const char *
cli_time(char buf[32], const char *t)
{
	struct tm tm = { 0 };
	const char *end;
	time_t secs;

	if (t == NULL)
		return "-";
	end = strptime(t, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end == NULL || (*end != 'Z' && *end != '.') || (secs = timegm(&tm)) == (time_t)-1 ||
	    localtime_r(&secs, &tm) == NULL || strftime(buf, 32, "%Y-%m-%d %H:%M:%S %z", &tm) == 0) {
		/* not a time we know how to read: as it came */
		snprintf(buf, 32, "%s", t);
		return buf;
	}
	return buf;
}
