/**
 * @file vhcv.h
 * @brief libvhcv, the client library of the public-service conduct register.
 *
 * Include this header; it includes every module header of the public API.
 */
#ifndef VHCV_H
#define VHCV_H

#include "vhcv/common.h"
#include "vhcv/errors.h"
#include "vhcv/client.h"

#endif
