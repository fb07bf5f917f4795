/*
 * csv_out.h - CSV files that appear whole or not at all.
 *
 * A csv_file writes to ".NAME.tmp" beside its final name and renames it
 * into place on csv_commit(), so an interrupted or failed run never leaves
 * a half-written CSV in results/. Fields are written with libcsv, which
 * quotes text when it must; numbers are written bare so every tool
 * (pandas, R, gnuplot) reads them as numbers.
 */
#ifndef SIM_IO_CSV_OUT_H
#define SIM_IO_CSV_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct csv_file {
	FILE *f;             /* the temporary file */
	char *tmp_path;      /* where it is written */
	char *final_path;    /* where csv_commit() puts it */
	bool row_open;       /* a field was written on this row */
	bool failed;         /* a write failed */
};

/* Opens dir/name for writing (as dir/.name.tmp). Returns 0 or -errno. */
int csv_open(struct csv_file *c, const char *dir, const char *name);

void csv_str(struct csv_file *c, const char *s);
void csv_u64(struct csv_file *c, uint64_t v);
void csv_i64(struct csv_file *c, int64_t v);
void csv_hex(struct csv_file *c, uint64_t v);       /* 0x1f000 */
void csv_double(struct csv_file *c, double v, int decimals);
/*
 * Appends fields that are already CSV text ("1,2,\"a,b\"", no line end),
 * as read from another CSV file, to the current row.
 */
void csv_raw_fields(struct csv_file *c, const char *text, size_t len);
void csv_end_row(struct csv_file *c);

/* Closes and renames into place. Returns 0, or -errno (file removed). */
int csv_commit(struct csv_file *c);

/* Closes and removes the temporary file. */
void csv_abort(struct csv_file *c);

/*
 * Makes SIGINT, SIGTERM and SIGHUP remove every temporary file still open
 * before the process dies of the signal, so an interrupted run or sweep
 * leaves only whole files. The program calls it once at start.
 */
void csv_remove_on_signals(void);

#endif
