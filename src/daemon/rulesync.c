/* Rule versions in the database. */
#include "log.h"
#include "vhcvd.h"

int
vhd_rules_sync(const struct vhd_config *cfg, const struct vhd_lawset *ls)
{
	(void)cfg, (void)ls;
	return 0;
}
