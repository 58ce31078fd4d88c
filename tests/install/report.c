/*
 * An external program built only with pkg-config against the installed
 * libvhcv: adds a unit and an official, reports a violation, reads it back.
 *   report ENDPOINT
 */
#include <stdio.h>
#include <string.h>

#include <vhcv.h>

int
main(int argc, char **argv)
{
	vhcv_official_spec who = VHCV_OFFICIAL_SPEC_INIT;
	vhcv_report_options r = VHCV_REPORT_OPTIONS_INIT;
	vhcv_client *c = NULL;
	vhcv_case *k = NULL, *again = NULL;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: report ENDPOINT\n");
		return 2;
	}
	if ((rc = vhcv_client_open(&c, argv[1], NULL)) != 0) {
		fprintf(stderr, "open: %s\n", vhcv_strerror(rc));
		return 1;
	}
	who.code = "CC-7";
	who.full_name = "Vũ Thị Hà";
	who.category = "vien_chuc";
	who.unit = "BV";
	if ((rc = vhcv_unit_add(NULL, c, "BV", "Bệnh viện đa khoa", NULL, NULL)) != 0 ||
	    (rc = vhcv_official_put(NULL, c, &who)) != 0)
		goto fail;
	r.official = "CC-7";
	r.rule = "TD-01";
	r.occurred_on = "2026-10-02";
	r.source = "citizen";
	r.description = "Đi muộn";
	r.idempotency_key = "install-test-1";
	if ((rc = vhcv_case_report(&k, c, &r)) != 0 || (rc = vhcv_case_get(&again, c, k->number)) != 0)
		goto fail;
	printf("%s %s %s\n", again->number, again->status, again->official_name);
	vhcv_case_free(k);
	vhcv_case_free(again);
	vhcv_client_close(c);
	return 0;
fail:
	fprintf(stderr, "%s: %s\n", vhcv_strerror(rc), vhcv_client_errmsg(c));
	vhcv_case_free(k);
	vhcv_client_close(c);
	return 1;
}
