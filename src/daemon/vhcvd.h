/* State shared by the parts of vhcvd. */
#ifndef VHD_VHCVD_H
#define VHD_VHCVD_H

#include <pthread.h>
#include <stdatomic.h>

#include <libpq-fe.h>

#include "config.h"
#include "legal.h"
#include "rules.h"

/*
 * The loaded conduct code and legal tables. Requests take a reference for
 * their whole duration, so a reload swaps in a new set atomically while
 * requests in flight finish on the old one.
 */
struct vhd_lawset {
	atomic_int refs;
	struct vh_legal *legal;
	struct vh_ruleset *rules;
	char version[VH_SHA256_HEX]; /* over rules and legal hashes */
	long long loaded_at;         /* unix time */
};

/* Load rules and legal tables named by cfg (or the override paths). */
int vhd_lawset_load(struct vhd_lawset **out, const char *rules_path,
		    const char *legal_path, struct vh_diag *d);
struct vhd_lawset *vhd_lawset_acquire(void);
void vhd_lawset_release(struct vhd_lawset *ls);
/* install ls as current (takes over the reference) */
void vhd_lawset_install(struct vhd_lawset *ls);

/*
 * What a comparison found stored: the loaded versions stored as they are
 * (the same code, text and valid_to), which vhd_rules_sync then does not
 * send again. Addresses of rules of the compared lawset, sorted.
 */
struct vhd_rules_stored {
	const struct vh_rule **same;
	size_t n;
};
void vhd_rules_stored_free(struct vhd_rules_stored *st);

/*
 * Store each new or changed rule of ls as a new rule version in the
 * database (unchanged rules are not stored again). 0 or -1 (logged).
 * conn: a connection to use (a reload checks and stores on one), or NULL
 * for a connection of its own; likewise below. st: what the comparison
 * found stored as it is (not sent), or NULL to send every version (the
 * statement itself skips those stored, so both store the same).
 */
int vhd_rules_sync(const struct vhd_config *cfg, PGconn *conn, const struct vhd_lawset *ls,
		   const struct vhd_rules_stored *st);
/*
 * Compare ls with the rule versions stored in the database: a stored
 * version whose text changed while keeping its valid_from, or that the
 * files no longer hold while a version of its code overlaps its period, is
 * an error at the rule's file:line:col (a changed rule is a new version
 * with a later valid_from, the old one closing the day before). Only the
 * stored versions of the loaded codes are read (by the index on code): a
 * code no longer in the files cannot clash, and the versions ever stored
 * grow with every change. 0 when consistent, -1 with errors in d, 1 when
 * the database is unreachable (nothing compared; a note in d). st (or
 * NULL): receives the loaded versions found stored as they are.
 */
int vhd_rules_check_stored(const struct vhd_config *cfg, PGconn *conn,
			   const struct vhd_lawset *ls, struct vh_diag *d,
			   struct vhd_rules_stored *st);

#endif
