#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"
#include "vhcvd.h"

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vhd_lawset *current;

int
vhd_lawset_load(struct vhd_lawset **out, const char *rules_path,
		const char *legal_path, struct vh_diag *d)
{
	struct vhd_lawset *ls;
	struct vh_vocab vocab = { NULL, NULL };
	char both[2 * VH_SHA256_HEX];
	size_t before = vh_diag_count(d);

	*out = NULL;
	if ((ls = calloc(1, sizeof(*ls))) == NULL)
		return -1;
	atomic_init(&ls->refs, 1);
	if (vh_legal_load_path(&ls->legal, legal_path, d) < 0)
		ls->legal = NULL;
	/* check the rules even when the tables failed, to report every error */
	if (ls->legal)
		vh_legal_vocab(ls->legal, &vocab);
	if (vh_rules_load_path(&ls->rules, rules_path, ls->legal ? &vocab : NULL, d) < 0)
		ls->rules = NULL;
	if (vh_diag_count(d) != before || ls->legal == NULL || ls->rules == NULL) {
		vhd_lawset_release(ls);
		return -1;
	}
	snprintf(both, sizeof(both), "%s%s", vh_rules_hash(ls->rules),
		 vh_legal_hash(ls->legal));
	vh_sha256_hex(ls->version, both, strlen(both));
	ls->loaded_at = (long long)time(NULL);
	*out = ls;
	return 0;
}

struct vhd_lawset *
vhd_lawset_acquire(void)
{
	struct vhd_lawset *ls;

	pthread_mutex_lock(&current_lock);
	if ((ls = current) != NULL)
		atomic_fetch_add(&ls->refs, 1);
	pthread_mutex_unlock(&current_lock);
	return ls;
}

void
vhd_lawset_release(struct vhd_lawset *ls)
{
	if (ls == NULL || atomic_fetch_sub(&ls->refs, 1) != 1)
		return;
	vh_rules_free(ls->rules);
	vh_legal_free(ls->legal);
	free(ls);
}

void
vhd_lawset_install(struct vhd_lawset *ls)
{
	struct vhd_lawset *old;

	pthread_mutex_lock(&current_lock);
	old = current;
	current = ls;
	pthread_mutex_unlock(&current_lock);
	vhd_lawset_release(old);
}
