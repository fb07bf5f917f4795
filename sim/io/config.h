/*
 * config.h - the machine a run simulates, read from INI files.
 *
 * The values live in struct sim_config (core/params.h), which the layers
 * below read. One table in config.c lists every key: its section, default, parser and
 * help text. Key names are unique across sections, so `--set page_size=8K`
 * needs no section, and summary.csv names its columns after the keys.
 * Values are validated as they are read (file:line: error: ...), and the
 * whole config once more by cfg_check() before anything is allocated.
 */
#ifndef SIM_IO_CONFIG_H
#define SIM_IO_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/params.h"

/* Fills *cfg with the documented defaults (an x86-64 machine, 4K pages). */
void cfg_defaults(struct sim_config *cfg);

/*
 * Reads an INI file over *cfg. Returns 0, or -1 after printing
 * "path:line: error: ..." (unknown key, bad value, unreadable file).
 */
int cfg_load(struct sim_config *cfg, const char *path);

/*
 * Applies one "key=value" (from --set or a workload's `set`). where names
 * the origin for messages ("--set", or "file:line:col"). Returns 0 or -1.
 */
int cfg_set(struct sim_config *cfg, const char *assignment, const char *where);

/*
 * Checks the whole config (page size a power of two, memory at least one
 * page, task_size within va_bits, ...) and fills in derived values
 * (task_size 0 -> 2^(va_bits-1) - page_size, or 3/4 of the space on 32
 * bits). Returns 0, or -1 after printing "where: error: ...".
 */
int cfg_check(struct sim_config *cfg, const char *where);

/* The mmap_base the layout rules give (Linux mmap_base()), when not set. */
uint64_t cfg_mmap_base(const struct sim_config *cfg);

/* Iterating the key table, for summary.csv columns and --help. */
unsigned cfg_nr_keys(void);
const char *cfg_key_name(unsigned i);
const char *cfg_key_help(unsigned i);
const char *cfg_key_default(unsigned i);
/* Formats key i's value in cfg for CSV and INI: numbers in decimal, sizes in bytes. */
void cfg_format(const struct sim_config *cfg, unsigned i, char *buf,
		size_t len);

/*
 * Parses a size: a decimal or 0x number with an optional K, M, G, T
 * suffix (binary: K = 1024). Returns 0 or -1 (garbage, overflow).
 */
int cfg_parse_size(const char *s, uint64_t *out);

/* Parses a duration: a number with ns, us, ms or s (bare: ns). */
int cfg_parse_time(const char *s, uint64_t *out);

#endif
