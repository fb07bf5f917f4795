/*
 * diag.c - file:line:col error messages (see diag.h).
 */
#include <stdarg.h>

#include "io/diag.h"

FILE *diag_stream;

void diag_error(const char *file, unsigned line, unsigned col,
		const char *fmt, ...)
{
	FILE *out = diag_stream ? diag_stream : stderr;
	va_list ap;

	fputs(file ? file : "<input>", out);
	if (line)
		fprintf(out, ":%u", line);
	if (line && col)
		fprintf(out, ":%u", col);
	fputs(": error: ", out);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	fflush(out);
}
