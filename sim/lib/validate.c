/*
 * validate.c - see validate.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "lib/validate.h"

int validate_fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why && len) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}
