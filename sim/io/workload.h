/*
 * workload.h - the workload language: text in, struct program out.
 *
 * A workload is line-oriented; README.md documents the language. The
 * operations come from one table in workload.c (name, kind, arguments),
 * so a new operation is one table row plus its executor in core/.
 * Every error is "file:line:col: error: ...", and nothing runs.
 */
#ifndef SIM_IO_WORKLOAD_H
#define SIM_IO_WORKLOAD_H

#include <stddef.h>

#include "core/program.h"

/* One `set KEY=VALUE` line of a workload, applied over the config. */
struct wl_setting {
	char *assignment;     /* "page_size=8K" */
	char *where;          /* "file:line:col", for messages */
};

/* What a workload says about how it is to be run. */
struct wl_header {
	char *config;                 /* `config PATH`, resolved, or NULL */
	struct wl_setting *settings;  /* `set` lines in order */
	size_t nr_settings;
	char *lackey;                 /* `lackey PATH`, resolved: a trace workload */
	char *maps;                   /* `maps PATH`, resolved: its address space */
};

/*
 * Parses the workload at path into prog (initialised here) and hdr.
 * Returns 0, or -1 after printing every error found (at most 20);
 * on error prog and hdr are left empty.
 */
int wl_parse_file(const char *path, struct program *prog, struct wl_header *hdr);

/* Same, from a string (tests); name is used in messages. */
int wl_parse_string(const char *name, const char *text, struct program *prog,
		    struct wl_header *hdr);

void wl_header_free(struct wl_header *hdr);

#endif
