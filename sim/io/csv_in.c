/*
 * csv_in.c - whole-file CSV reader on libcsv's push parser (see csv_in.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "io/csv_in.h"
#include "io/diag.h"

struct reader {
	struct csv_table *t;
	struct csv_row cur;     /* row being assembled */
	size_t cap_fields;
	int failed;
};

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	char *copy;

	if (r->failed)
		return;
	if (r->cur.nr_fields == r->cap_fields) {
		size_t cap = r->cap_fields ? r->cap_fields * 2 : 16;
		char **f = realloc(r->cur.fields, cap * sizeof(*f));

		if (!f) {
			r->failed = 1;
			return;
		}
		r->cur.fields = f;
		r->cap_fields = cap;
	}
	copy = malloc(len + 1);
	if (!copy) {
		r->failed = 1;
		return;
	}
	if (len)
		memcpy(copy, s, len);
	copy[len] = '\0';
	r->cur.fields[r->cur.nr_fields++] = copy;
}

static void on_row(int c, void *data)
{
	struct reader *r = data;
	struct csv_table *t = r->t;

	(void)c;
	if (r->failed)
		return;
	if (t->nr_rows == t->cap_rows) {
		size_t cap = t->cap_rows ? t->cap_rows * 2 : 64;
		struct csv_row *rows = realloc(t->rows, cap * sizeof(*rows));

		if (!rows) {
			r->failed = 1;
			return;
		}
		t->rows = rows;
		t->cap_rows = cap;
	}
	t->rows[t->nr_rows++] = r->cur;
	memset(&r->cur, 0, sizeof(r->cur));
	r->cap_fields = 0;
}

int csv_read(const char *path, struct csv_table *t)
{
	struct csv_parser p;
	struct reader r = { .t = t };
	char buf[65536];
	size_t n;
	FILE *f;

	memset(t, 0, sizeof(*t));
	f = fopen(path, "rb");
	if (!f) {
		diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
		fclose(f);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (csv_parse(&p, buf, n, on_field, on_row, &r) != n) {
			diag_error(path, 0, 0, "malformed CSV: %s",
				   csv_strerror(csv_error(&p)));
			r.failed = 2;
			break;
		}
	}
	if (r.failed != 2)
		csv_fini(&p, on_field, on_row, &r);
	csv_free(&p);
	fclose(f);
	for (size_t i = 0; i < r.cur.nr_fields; i++)
		free(r.cur.fields[i]);
	free(r.cur.fields);
	if (!r.failed) {
		for (size_t i = 1; i < t->nr_rows; i++) {
			if (t->rows[i].nr_fields != t->rows[0].nr_fields) {
				diag_error(path, (unsigned)i + 1, 0,
					   "row has %zu fields, the header %zu",
					   t->rows[i].nr_fields, t->rows[0].nr_fields);
				r.failed = 1;
				break;
			}
		}
	}
	if (r.failed) {
		if (r.failed == 1 && !t->nr_rows)
			diag_error(path, 0, 0, "out of memory");
		csv_table_free(t);
		return -1;
	}
	return 0;
}

long csv_column(const struct csv_table *t, const char *name)
{
	if (!t->nr_rows)
		return -1;
	for (size_t i = 0; i < t->rows[0].nr_fields; i++)
		if (!strcmp(t->rows[0].fields[i], name))
			return (long)i;
	return -1;
}

void csv_table_free(struct csv_table *t)
{
	for (size_t i = 0; i < t->nr_rows; i++) {
		for (size_t j = 0; j < t->rows[i].nr_fields; j++)
			free(t->rows[i].fields[j]);
		free(t->rows[i].fields);
	}
	free(t->rows);
	memset(t, 0, sizeof(*t));
}
