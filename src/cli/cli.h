/* The vhcv command-line client: built only on the public libvhcv API. */
#ifndef VHCV_CLI_H
#define VHCV_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <vhcv.h>

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
};

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(struct cli *cli, int argc, char **argv);
};

/* open the client on first use; reports and returns an exit status */
int cli_connect(struct cli *cli);
/* print an error of the library (JSON with --json) and map it to an exit status */
int cli_fail(struct cli *cli, int code);
int cli_exit_status(int code);

int cmd_health(struct cli *cli, int argc, char **argv);

#endif
