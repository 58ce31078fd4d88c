/*
 * libFuzzer target for the rules loader: any bytes, as one rules file,
 * must load or fail with errors, never crash, leak or trip a sanitizer.
 * A set that loads must answer its own lookups.
 */
#include <stdint.h>
#include <stdlib.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const categories[] = {
	"can_bo", "cong_chuc", "vien_chuc", "nguoi_lao_dong", NULL,
};
static const char *const severities[] = {
	"it_nghiem_trong", "nghiem_trong", "rat_nghiem_trong",
	"dac_biet_nghiem_trong", NULL,
};

/* what a loaded set promises; abort() makes a broken promise a finding */
static void
check_set(const struct vh_ruleset *rs)
{
	for (size_t i = 0; i < vh_rules_count(rs); i++) {
		const struct vh_rule *r = vh_rules_get(rs, i);
		if (vh_rules_find(rs, r->code, r->valid_from) != r ||
		    vh_rules_find(rs, r->code, r->valid_to) != r ||
		    vh_rules_group_find(rs, r->group) == NULL ||
		    r->canonical == NULL || strlen(r->content_hash) != 64 ||
		    r->valid_to < r->valid_from || vh_rules_latest(rs, r->code) == NULL)
			abort();
	}
	if (strlen(vh_rules_hash(rs)) != 64)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct vh_vocab vocab = { categories, severities };
	struct vh_ruleset *rs = NULL;
	struct vh_diag d;
	const char *name = "fuzz.yaml";
	const char *buf = (const char *)data;

	vh_diag_init(&d);
	if (vh_rules_load_buffers(&rs, 1, &name, &buf, &size, &vocab, &d) == 0) {
		if (rs == NULL || vh_diag_count(&d) != 0)
			abort();
		check_set(rs);
	} else if (rs != NULL || vh_diag_count(&d) == 0) {
		abort();
	}
	vh_rules_free(rs);
	vh_diag_free(&d);
	return 0;
}
