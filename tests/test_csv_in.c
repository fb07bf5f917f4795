/*
 * test_csv_in.c - the whole-file CSV reader (io/csv_in.c) that combining
 * many runs' results will use: quoting, column lookup, ragged rows,
 * malformed quoting, missing files, and a summary.csv that vmsim wrote.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "diag_capture.h"
#include "io/csv_in.h"
#include "io/diag.h"
#include "io/run.h"

static char *temp_csv(const char *text)
{
	char *path = strdup("/tmp/vmsim-csv-XXXXXX");
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static const char *read_bad(const char *text)
{
	char *path = temp_csv(text);
	struct csv_table t;
	static char msg[512];

	diag_capture();
	cr_assert_eq(csv_read(path, &t), -1, "%s read", text);
	cr_assert_eq(t.nr_rows, 0);
	cr_assert(!strncmp(diag_text(), path, strlen(path)), "%s", diag_text());
	snprintf(msg, sizeof(msg), "%s", diag_text() + strlen(path));
	diag_reset();
	unlink(path);
	free(path);
	return msg;
}

Test(csv_in, quoted_fields_and_columns)
{
	char *path = temp_csv("page_size,workload,note\n"
			      "4096,\"a,b\",\"say \"\"hi\"\"\"\n"
			      "8192,c,\n");
	struct csv_table t;

	cr_assert_eq(csv_read(path, &t), 0);
	cr_assert_eq(t.nr_rows, 3);
	cr_expect_eq(csv_column(&t, "workload"), 1);
	cr_expect_eq(csv_column(&t, "note"), 2);
	cr_expect_eq(csv_column(&t, "nope"), -1);
	cr_expect_str_eq(t.rows[1].fields[1], "a,b");
	cr_expect_str_eq(t.rows[1].fields[2], "say \"hi\"");
	cr_expect_str_eq(t.rows[2].fields[2], "");
	csv_table_free(&t);
	cr_expect_eq(t.nr_rows, 0);
	unlink(path);
	free(path);
}

Test(csv_in, ragged_rows_malformed_quotes_and_missing_files)
{
	struct csv_table t;

	cr_expect(strstr(read_bad("a,b\n1,2\n3\n"),
			 ":3: error: row has 1 fields, the header 2\n"));
	cr_expect(strstr(read_bad("a,b\n1,\"2\"x\n"), "error: malformed CSV"));
	diag_capture();
	cr_assert_eq(csv_read("/nonexistent/x.csv", &t), -1);
	assert_diag("/nonexistent/x.csv: error: cannot read: "
		    "No such file or directory\n");
}

/* What vmsim writes, it reads back: one header, one row, same width. */
Test(csv_in, reads_a_summary_vmsim_wrote)
{
	struct replay_cli c = {
		.config_path = "config/x86_64.ini",
		.lackey_path = "tests/fixtures/ok/small.lackey",
		.out_dir = "build/test-csv-in",
	};
	struct csv_table t;
	long col;

	cr_assert_eq(run_lackey(&c), 0);
	cr_assert_eq(csv_read("build/test-csv-in/summary.csv", &t), 0);
	cr_assert_eq(t.nr_rows, 2);
	cr_expect_str_eq(t.rows[0].fields[0], "page_size");
	col = csv_column(&t, "trace_records");
	cr_assert_geq(col, 0);
	cr_expect_str_eq(t.rows[1].fields[col], "5");
	csv_table_free(&t);
}
