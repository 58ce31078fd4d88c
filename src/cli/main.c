#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "health", "show whether vhcvd and its database answer", cmd_health },
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: vhcv [-s ENDPOINT] [--json] COMMAND [ARGS...]\n\n"
		   "ENDPOINT is unix:PATH, https://HOST:PORT or http://127.0.0.1:PORT\n"
		   "(default: $VHCV_ENDPOINT, else the local socket); token: $VHCV_TOKEN\n\n"
		   "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nvhcv COMMAND --help shows the options of a command.\n");
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

static void
json_string_out(FILE *f, const char *s)
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

int
cli_fail(struct cli *cli, int code)
{
	const char *msg = cli->client ? vhcv_client_errmsg(cli->client) : "";
	const char *field = cli->client ? vhcv_client_errfield(cli->client) : "";

	if (msg == NULL || *msg == '\0')
		msg = vhcv_strerror(code);
	if (cli->json) {
		printf("{\"error\": ");
		json_string_out(stdout, vhcv_error_id(code));
		printf(", \"message\": ");
		json_string_out(stdout, msg);
		if (field && *field) {
			printf(", \"field\": ");
			json_string_out(stdout, field);
		}
		printf("}\n");
	} else {
		fprintf(stderr, "vhcv: %s%s%s\n", msg, field && *field ? " (field: " : "",
			field && *field ? field : "");
		if (field && *field)
			fprintf(stderr, "\n");
	}
	return cli_exit_status(code);
}

int
cli_connect(struct cli *cli)
{
	vhcv_client_options opts = VHCV_CLIENT_OPTIONS_INIT;
	int r;

	if (cli->client)
		return EXIT_OK;
	if ((r = vhcv_client_open(&cli->client, cli->endpoint, &opts)) < 0) {
		if (cli->json)
			printf("{\"error\": \"%s\", \"message\": \"bad endpoint\"}\n",
			       vhcv_error_id(r));
		else
			fprintf(stderr, "vhcv: cannot use endpoint %s: %s\n",
				cli->endpoint ? cli->endpoint : "(default)", vhcv_strerror(r));
		return r == VHCV_EINVALID ? EXIT_USAGE : cli_exit_status(r);
	}
	return EXIT_OK;
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
	struct cli cli = { NULL, false, NULL };
	int ch, r;

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
			printf("vhcv %d\n", VHCV_VERSION_NUMBER);
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
		argc -= optind;
		argv += optind;
		optind = 0; /* reset getopt for the command */
		r = commands[i].run(&cli, argc, argv);
		vhcv_client_close(cli.client);
		return r;
	}
	fprintf(stderr, "vhcv: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return EXIT_USAGE;
}
