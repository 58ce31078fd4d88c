/*
 * Fails when a public struct changed size without a version bump. sizes.txt
 * holds "VERSION SOVERSION POINTER_BITS STRUCT SIZE" rows; the rows of the
 * current VHCV_VERSION_NUMBER and soversion must all match. After a
 * deliberate change: bump VHCV_VERSION_NUMBER (and the soversion when a
 * caller-allocated options struct shrank or moved a member), then append
 * the output of "abi_sizes --print".
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vhcv.h>

#ifndef VHCV_SOVERSION
#error "build with -DVHCV_SOVERSION=N"
#endif

#define S(t) { #t, sizeof(t) }
static const struct {
	const char *name;
	size_t size;
} structs[] = {
	S(vhcv_client_options), S(vhcv_health), S(vhcv_rule_version), S(vhcv_rule),
	S(vhcv_rule_page), S(vhcv_unit), S(vhcv_unit_page), S(vhcv_decision),
	S(vhcv_official), S(vhcv_official_spec), S(vhcv_evidence), S(vhcv_evidence_data),
	S(vhcv_event), S(vhcv_case), S(vhcv_case_page), S(vhcv_case_filter),
	S(vhcv_report_options), S(vhcv_decide_options), S(vhcv_reject_options),
	S(vhcv_audit_problem), S(vhcv_audit_report), S(vhcv_seal),
	S(vhcv_account), S(vhcv_account_page),
	S(vhcv_appeal_options),
};
#define NSTRUCTS (sizeof(structs) / sizeof(structs[0]))

int
main(int argc, char **argv)
{
	const int bits = (int)(sizeof(void *) * 8);
	bool seen[NSTRUCTS] = { false };
	int failures = 0, any_for_bits = 0, rows = 0;
	char line[256], name[128];
	int version, soversion, pbits;
	size_t size;
	FILE *f;

	if (argc == 2 && strcmp(argv[1], "--print") == 0) {
		for (size_t i = 0; i < NSTRUCTS; i++)
			printf("%d %d %d %s %zu\n", VHCV_VERSION_NUMBER, VHCV_SOVERSION, bits,
			       structs[i].name, structs[i].size);
		return 0;
	}
	if (argc != 2 || (f = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: abi_sizes sizes.txt | --print\n");
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%d %d %d %127s %zu", &version, &soversion, &pbits, name, &size) != 5) {
			fprintf(stderr, "FAIL: bad row in sizes.txt: %s", line);
			failures++;
			continue;
		}
		if (pbits != bits)
			continue;
		any_for_bits = 1;
		if (version != VHCV_VERSION_NUMBER || soversion != VHCV_SOVERSION)
			continue;
		rows++;
		for (size_t i = 0; i < NSTRUCTS; i++) {
			if (strcmp(structs[i].name, name) != 0)
				continue;
			seen[i] = true;
			if (structs[i].size != size) {
				fprintf(stderr,
					"FAIL: %s is %zu bytes, recorded as %zu for version %d "
					"(soversion %d): bump VHCV_VERSION_NUMBER in vhcv/common.h "
					"and add rows (abi_sizes --print)\n",
					name, structs[i].size, size, version, soversion);
				failures++;
			}
		}
	}
	fclose(f);
	if (!any_for_bits) {
		printf("no sizes recorded for %d-bit pointers; skipping\n", bits);
		return 77;
	}
	for (size_t i = 0; i < NSTRUCTS; i++)
		if (!seen[i]) {
			fprintf(stderr,
				"FAIL: no size recorded for %s at version %d (soversion %d): "
				"a new struct or an unrecorded version; add rows (abi_sizes --print)\n",
				structs[i].name, VHCV_VERSION_NUMBER, VHCV_SOVERSION);
			failures++;
		}
	if (failures)
		return 1;
	printf("ok: %d struct sizes match version %d (soversion %d)\n", rows,
	       VHCV_VERSION_NUMBER, VHCV_SOVERSION);
	return 0;
}
