/*
 * diag.h - how vmsim reports bad input.
 *
 * Every error in a user's file (workload, config, trace, maps snapshot)
 * is printed the way compilers print them, so editors can jump to it:
 *
 *     workloads/x.wl:12:7: error: unknown operation 'kallok'
 *
 * col 0 means "no column" (file:line: error: ...), line 0 means "no line"
 * (file: error: ...). The caller then fails with exit code 2 (VMSIM_EXIT_INPUT).
 */
#ifndef SIM_IO_DIAG_H
#define SIM_IO_DIAG_H

#include <stdio.h>

enum {
	VMSIM_EXIT_OK = 0,     /* success */
	VMSIM_EXIT_SIM = 1,    /* the simulation itself failed */
	VMSIM_EXIT_INPUT = 2,  /* bad input or usage */
};

/* Where diagnostics go: stderr unless a test points it elsewhere. */
extern FILE *diag_stream;

/* Prints "file:line:col: error: message\n" to diag_stream. */
void diag_error(const char *file, unsigned line, unsigned col,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
