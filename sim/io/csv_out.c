/*
 * csv_out.c - whole-file CSV output with libcsv (see csv_out.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "io/csv_out.h"

/*
 * The temporary files open now, for the signal handler. A run has two or
 * three open at once; a file that finds no free slot is only unprotected.
 */
#define NR_LIVE 16
static char *volatile live[NR_LIVE];

static void live_add(char *path)
{
	for (unsigned i = 0; i < NR_LIVE; i++) {
		if (!live[i]) {
			live[i] = path;
			return;
		}
	}
}

static void live_del(const char *path)
{
	for (unsigned i = 0; i < NR_LIVE; i++)
		if (live[i] == path)
			live[i] = NULL;
}

static void on_signal(int sig)
{
	for (unsigned i = 0; i < NR_LIVE; i++)
		if (live[i])
			unlink(live[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

void csv_remove_on_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

int csv_open(struct csv_file *c, const char *dir, const char *name)
{
	memset(c, 0, sizeof(*c));
	if (asprintf(&c->final_path, "%s/%s", dir, name) < 0) {
		c->final_path = NULL;
		return -ENOMEM;
	}
	if (asprintf(&c->tmp_path, "%s/.%s.tmp", dir, name) < 0) {
		c->tmp_path = NULL;
		free(c->final_path);
		return -ENOMEM;
	}
	c->f = fopen(c->tmp_path, "w");
	if (!c->f) {
		int err = -errno;

		free(c->tmp_path);
		free(c->final_path);
		return err;
	}
	live_add(c->tmp_path);
	return 0;
}

static void sep(struct csv_file *c)
{
	if (c->row_open)
		fputc(',', c->f);
	c->row_open = true;
}

void csv_str(struct csv_file *c, const char *s)
{
	sep(c);
	if (strpbrk(s, ",\"\r\n") || (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' '))) {
		if (csv_fwrite(c->f, s, strlen(s)))
			c->failed = true;
	} else {
		fputs(s, c->f);
	}
}

void csv_u64(struct csv_file *c, uint64_t v)
{
	sep(c);
	fprintf(c->f, "%" PRIu64, v);
}

void csv_i64(struct csv_file *c, int64_t v)
{
	sep(c);
	fprintf(c->f, "%" PRId64, v);
}

void csv_hex(struct csv_file *c, uint64_t v)
{
	sep(c);
	fprintf(c->f, "0x%" PRIx64, v);
}

void csv_double(struct csv_file *c, double v, int decimals)
{
	sep(c);
	fprintf(c->f, "%.*f", decimals, v);
}

void csv_raw_fields(struct csv_file *c, const char *text, size_t len)
{
	sep(c);
	if (fwrite(text, 1, len, c->f) != len)
		c->failed = true;
}

void csv_end_row(struct csv_file *c)
{
	fputc('\n', c->f);
	c->row_open = false;
}

static void csv_release(struct csv_file *c)
{
	live_del(c->tmp_path);
	free(c->tmp_path);
	free(c->final_path);
	memset(c, 0, sizeof(*c));
}

int csv_commit(struct csv_file *c)
{
	int err = 0;

	if (!c->f)
		return 0;
	if (ferror(c->f) || c->failed)
		err = -EIO;
	if (fclose(c->f) && !err)
		err = -errno;
	if (!err && rename(c->tmp_path, c->final_path))
		err = -errno;
	if (err)
		unlink(c->tmp_path);
	csv_release(c);
	return err;
}

void csv_abort(struct csv_file *c)
{
	if (!c->f)
		return;
	fclose(c->f);
	unlink(c->tmp_path);
	csv_release(c);
}
