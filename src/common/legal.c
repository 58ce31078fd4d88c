/* placeholder until the conduct-code issue (#3) lands the legal engine */
#include "legal.h"
