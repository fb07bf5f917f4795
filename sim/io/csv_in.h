/*
 * csv_in.h - reading a whole CSV file into memory with libcsv, for
 * combining the results of many runs (vmsim sweep, vmsim merge).
 */
#ifndef SIM_IO_CSV_IN_H
#define SIM_IO_CSV_IN_H

#include <stddef.h>

struct csv_row {
	char **fields;      /* owned strings */
	size_t nr_fields;
};

struct csv_table {
	struct csv_row *rows;  /* rows[0] is the header */
	size_t nr_rows, cap_rows;
};

/*
 * Reads path into t. Returns 0, or -1 after printing "path: error: ..."
 * (unreadable, malformed quoting, a row whose width differs from the
 * header's).
 */
int csv_read(const char *path, struct csv_table *t);

/* Index of column name in the header, or -1. */
long csv_column(const struct csv_table *t, const char *name);

void csv_table_free(struct csv_table *t);

#endif
