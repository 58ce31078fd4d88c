/**
 * @file vhcv/common.h
 * @brief Export macro and version of libvhcv.
 */
#ifndef VHCV_COMMON_H
#define VHCV_COMMON_H

#if defined(__GNUC__) && __GNUC__ >= 4
#define VHCV_EXTERN __attribute__((visibility("default")))
#else
#define VHCV_EXTERN
#endif

/** Version of the headers: major * 10000 + minor * 100 + patch. */
#define VHCV_VERSION_NUMBER 101

#endif
