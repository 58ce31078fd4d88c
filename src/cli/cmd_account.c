/* vhcv account add|list|disable|passwd (issue #12; admin only) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

static void
print_account(const vhcv_account *a)
{
	char t[32];
	char units[512] = "";

	cli_kv("Name", a->name);
	cli_kv("Display name", a->display_name);
	cli_kv("Role", a->role);
	for (size_t i = 0; i < a->nunits; i++)
		snprintf(units + strlen(units), sizeof(units) - strlen(units), "%s%s",
			 i ? ", " : "", a->units[i]);
	cli_kv("Units", units);
	cli_kv("Official", a->official);
	cli_kv("Disabled", a->disabled ? _("yes") : _("no"));
	cli_kv("Password set", a->has_password ? _("yes") : _("no"));
	cli_kv("Created", cli_time(t, a->created_at));
	cli_kv("Created by", a->created_by);
}

static int
account_out(struct cli *cli, vhcv_account *a)
{
	if (cli->json)
		cli_print_json(a->json);
	else
		print_account(a);
	vhcv_account_free(a);
	return EXIT_OK;
}

/*
 * The password from standard input, never from the command line (where
 * ps and the shell history would show it): one line; on a terminal it is
 * asked for without echo.
 */
static char *
read_password(void)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (tty) {
		fprintf(stderr, "%s", _("Password: "));
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	if (n <= 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static const struct cli_spec add_spec = {
	"account add", "Add an account of a person who signs in to the pages (admin).",
	{ "NAME" },
	{ { "role", "ROLE", true, "inspector, unit_head, hr, auditor or admin" },
	  { "units", "U,V", true, "unit codes separated by commas, or *" },
	  { "official", "CODE", false, "the person's personnel code" },
	  { "display-name", "TEXT", false, "the person's name as shown (default: NAME)" },
	  { "password-stdin", NULL, false, "read the first password from standard input" } },
};

static int
account_add(struct cli *cli, int argc, char **argv)
{
	vhcv_account *a = NULL;
	struct cli_args ar;
	char *units, *save = NULL, *pw = NULL;
	const char *list[64];
	size_t n = 0;
	int r;

	if ((r = cli_parse(cli, &add_spec, argc, argv, &ar)) != CLI_CONTINUE)
		return r;
	if ((units = strdup(cli_val(&ar, "units"))) == NULL)
		return EXIT_OTHER;
	for (char *t = strtok_r(units, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (n == 64) {
			free(units);
			return cli_usage_error(cli, &add_spec, "--units: at most 64 units");
		}
		list[n++] = t;
	}
	if (n == 0) {
		free(units);
		return cli_usage_error(cli, &add_spec, "--units: give at least one unit code");
	}
	if (cli_flag(&ar, "password-stdin") && (pw = read_password()) == NULL) {
		free(units);
		return cli_usage_error(cli, &add_spec, "--password-stdin: no password on standard input");
	}
	if ((r = cli_connect(cli)) != EXIT_OK) {
		free(units);
		free(pw);
		return r;
	}
	r = vhcv_account_add(&a, cli->client, ar.pos[0], cli_val(&ar, "role"), list, n,
			     cli_val(&ar, "official"), cli_val(&ar, "display-name"), pw);
	free(units);
	free(pw);
	if (r < 0)
		return cli_fail(cli, r);
	return account_out(cli, a);
}

static const struct cli_spec list_spec = {
	"account list", "List the accounts (admin).", { NULL }, { { NULL, NULL, false, NULL } },
};

static int
account_list(struct cli *cli, int argc, char **argv)
{
	static const char *const heads[] = { N_("NAME"), N_("DISPLAY NAME"), N_("ROLE"),
					     N_("UNITS"), N_("OFFICIAL"), N_("DISABLED") };
	vhcv_account_page *p = NULL;
	struct cli_table t;
	struct cli_args a;
	int r;

	if ((r = cli_parse(cli, &list_spec, argc, argv, &a)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_account_list(&p, cli->client)) < 0)
		return cli_fail(cli, r);
	if (cli->json) {
		cli_print_json(p->json);
	} else {
		cli_table_init(&t, 6, heads);
		for (size_t i = 0; i < p->count; i++) {
			const vhcv_account *x = p->items[i];
			char units[512] = "";
			for (size_t k = 0; k < x->nunits; k++)
				snprintf(units + strlen(units), sizeof(units) - strlen(units), "%s%s",
					 k ? "," : "", x->units[k]);
			cli_table_add(&t, x->name, x->display_name, x->role, units, x->official,
				      x->disabled ? _("yes") : _("no"));
		}
		cli_table_print(&t, stdout, "");
		cli_table_free(&t);
	}
	vhcv_account_page_free(p);
	return EXIT_OK;
}

static const struct cli_spec disable_spec = {
	"account disable", "Disable an account: no sign-in, its sessions end (admin).",
	{ "NAME" }, { { NULL, NULL, false, NULL } },
};

static int
account_disable(struct cli *cli, int argc, char **argv)
{
	vhcv_account *a = NULL;
	struct cli_args ar;
	int r;

	if ((r = cli_parse(cli, &disable_spec, argc, argv, &ar)) != CLI_CONTINUE ||
	    (r = cli_connect(cli)) != EXIT_OK)
		return r;
	if ((r = vhcv_account_disable(&a, cli->client, ar.pos[0])) < 0)
		return cli_fail(cli, r);
	return account_out(cli, a);
}

static const struct cli_spec passwd_spec = {
	"account passwd",
	"Set an account's password, read from standard input (admin); its sessions end.",
	{ "NAME" }, { { NULL, NULL, false, NULL } },
};

static int
account_passwd(struct cli *cli, int argc, char **argv)
{
	vhcv_account *a = NULL;
	struct cli_args ar;
	char *pw;
	int r;

	if ((r = cli_parse(cli, &passwd_spec, argc, argv, &ar)) != CLI_CONTINUE)
		return r;
	if ((pw = read_password()) == NULL)
		return cli_usage_error(cli, &passwd_spec, "no password on standard input");
	if ((r = cli_connect(cli)) == EXIT_OK) {
		r = vhcv_account_passwd(&a, cli->client, ar.pos[0], pw);
		r = r < 0 ? cli_fail(cli, r) : account_out(cli, a);
	}
	free(pw);
	return r;
}

int
cmd_account(struct cli *cli, int argc, char **argv)
{
	static const struct cli_command cmds[] = {
		{ "add", "add an account", account_add },
		{ "list", "list accounts", account_list },
		{ "disable", "disable an account", account_disable },
		{ "passwd", "set an account's password from standard input", account_passwd },
	};
	return cli_dispatch(cli, "account", cmds, sizeof(cmds) / sizeof(cmds[0]), argc, argv);
}
