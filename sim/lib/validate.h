/*
 * validate.h - the one helper every full validator (buddy_validate,
 * mm_validate, pt_validate, tlb_validate) reports through.
 */
#ifndef SIM_LIB_VALIDATE_H
#define SIM_LIB_VALIDATE_H

#include <stddef.h>

/*
 * Writes the broken rule, printf-style, into why (len bytes; nothing when
 * why is NULL or len is 0) and returns -EINVAL, so a validator can
 * `return validate_fail(why, len, "...", ...);`.
 */
__attribute__((format(printf, 3, 4)))
int validate_fail(char *why, size_t len, const char *fmt, ...);

#endif
