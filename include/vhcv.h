/**
 * @file vhcv.h
 * @brief libvhcv, the client library of the public-service conduct register.
 *
 * Include this header; it includes every module header of the public API.
 * Link with `pkg-config --cflags --libs libvhcv`.
 */
#ifndef VHCV_H
#define VHCV_H

#include "vhcv/common.h"
#include "vhcv/errors.h"
#include "vhcv/client.h"
#include "vhcv/rules.h"
#include "vhcv/units.h"
#include "vhcv/decisions.h"
#include "vhcv/officials.h"
#include "vhcv/evidence.h"
#include "vhcv/cases.h"
#include "vhcv/audit.h"
#include "vhcv/reports.h"
#include "vhcv/accounts.h"

#endif
