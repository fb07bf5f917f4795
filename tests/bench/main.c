/*
 * vmsim-bench: runs every registered benchmark, or those named on the
 * command line, and prints `name,value,unit` lines. Speed is measured here,
 * never asserted in tests.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench.h"

static struct bench *bench_head, **bench_tail = &bench_head;

void bench_register(struct bench *b)
{
	*bench_tail = b;
	bench_tail = &b->next;
}

void bench_report(const char *name, double value, const char *unit)
{
	printf("%s,%.6g,%s\n", name, value, unit);
	fflush(stdout);
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t bench_rss_bytes(void)
{
	unsigned long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (uint64_t)resident * 4096u;
}

int main(int argc, char **argv)
{
	int ran = 0;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: vmsim-bench [NAME...]\nbenchmarks:");
		for (struct bench *b = bench_head; b; b = b->next)
			printf(" %s", b->name);
		printf("\n");
		return 0;
	}
	for (struct bench *b = bench_head; b; b = b->next) {
		int want = argc == 1;

		for (int i = 1; i < argc; i++)
			want |= !strcmp(argv[i], b->name);
		if (want) {
			b->fn();
			ran++;
		}
	}
	if (!ran) {
		fprintf(stderr, "vmsim-bench: no benchmark matched\n");
		return 2;
	}
	return 0;
}
