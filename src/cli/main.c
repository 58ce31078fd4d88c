/* vhcv: the command-line client of the conduct register. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "rules", N_("list the rules of the conduct code"), cmd_rules },
	{ "rule", N_("show one rule with its versions"), cmd_rule },
	{ "unit", N_("add, list, show, merge units"), cmd_unit },
	{ "official", N_("add or show officials"), cmd_official },
	{ "report", N_("report a violation"), cmd_report },
	{ "case", N_("list, show and move cases through the workflow"), cmd_case },
	{ "evidence", N_("attach or fetch evidence"), cmd_evidence },
	{ "audit", N_("verify or seal the event log"), cmd_audit },
	{ "account", N_("add, list, disable accounts; set passwords"), cmd_account },
	{ "health", N_("show whether vhcvd and its database answer"), cmd_health },
	{ "eligibility", N_("commendation eligibility of a year"), cmd_eligibility },
	{ "stats", N_("statistics for monitoring the plan"), cmd_stats },
	{ "warnings", N_("early warnings: many cases of one group"), cmd_warnings },
	{ "export", N_("export cases, decisions or eligibility as CSV"), cmd_export },
	{ "changes", N_("the change feed for HR"), cmd_changes },
};

static void
usage(FILE *f)
{
	fprintf(f, "%s", _("usage: vhcv [-s ENDPOINT] [--json] COMMAND [ARGS...]\n\n"
			   "ENDPOINT is unix:PATH, https://HOST:PORT or http://127.0.0.1:PORT\n"
			   "(default: $VHCV_ENDPOINT, else the local socket); token: $VHCV_TOKEN;\n"
			   "CA file for https: $VHCV_CA_FILE\n\n"
			   "commands:\n"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
	fprintf(f, "%s", _("\nvhcv COMMAND --help shows the options of a command.\n"
			   "exit status: 0 ok, 2 usage, 3 not found, 4 forbidden, 5 conflict,\n"
			   "6 refused by the law or validation, 7 unavailable, 1 other\n"));
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli cli = { NULL, false, NULL, NULL };
	int ch, r;

	cli_i18n_init();
	/* options before the command only; the command parses the rest */
	while ((ch = getopt_long(argc, argv, "+s:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			cli.endpoint = optarg;
			break;
		case 'j':
			cli.json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("vhcv %d.%d.%d\n", VHCV_VERSION_NUMBER / 10000,
			       VHCV_VERSION_NUMBER / 100 % 100, VHCV_VERSION_NUMBER % 100);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, argv[optind]) != 0)
			continue;
		r = commands[i].run(&cli, argc - optind, argv + optind);
		vhcv_client_close(cli.client);
		return r;
	}
	fprintf(stderr, "vhcv: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return EXIT_USAGE;
}
