/*
 * bench_lackey.c - valgrind lackey traces: parsing alone
 * (lackey_parse_mrec_s) and a whole `vmsim replay --lackey`
 * (lackey_replay_mrec_s: read, parse, and every access through TLB, walk
 * and faults), in million records per second, over a synthetic trace of
 * N records shaped like a real one (7 in 10 instruction fetches walking a
 * 64K text, loads and stores over a 1M heap and a stack page).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"
#include "io/diag.h"
#include "io/lackey.h"
#include "io/run.h"

#define N 2000000
#define ROUNDS 3

static int count(void *arg, const struct lackey_rec *r)
{
	*(uint64_t *)arg += r->addr;
	return 0;
}

BENCH(lackey)
{
	char path[] = "/tmp/vmsim-bench-lackey-XXXXXX";
	uint64_t rng = 7, sink = 0, best = UINT64_MAX, best_run = UINT64_MAX;
	char *buf = malloc((size_t)N * 24);
	size_t len = 0;
	int fd = mkstemp(path);
	FILE *f;

	if (!buf || fd < 0) {
		free(buf);
		return;
	}
	for (uint64_t i = 0, pc = 0x401000; i < N; i++) {
		uint64_t r = bench_rand(&rng), k = r % 10;

		if (k < 7) {
			pc = 0x401000 + ((pc - 0x401000 + 1 + (r >> 60)) & 0xffff);
			len += (size_t)sprintf(buf + len, "I  %08llx,%u\n",
					       (unsigned long long)pc, (unsigned)(1 + (r >> 61)));
		} else if (k < 9) {
			len += (size_t)sprintf(buf + len, " L %08llx,8\n",
					       (unsigned long long)(0x4b0000 + ((r >> 20) & 0xffff8)));
		} else {
			len += (size_t)sprintf(buf + len, " S %llx,8\n",
					       (unsigned long long)(0x1fff000000 + ((r >> 20) & 0xff8)));
		}
	}
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = bench_now_ns();

		lackey_parse("bench", buf, len, count, &sink, NULL);
		if (bench_now_ns() - t0 < best)
			best = bench_now_ns() - t0;
	}
	f = fdopen(fd, "w");
	if (f && fwrite(buf, 1, len, f) == len && fclose(f) == 0) {
		const char *sets[] = { "memory_size=256M" };
		struct replay_cli c = { .sets = sets, .nr_sets = 1,
					.lackey_path = path };

		for (int i = 0; i < ROUNDS; i++) {
			uint64_t t0 = bench_now_ns();

			if (run_lackey(&c))
				fprintf(stderr, "lackey: replay failed\n");
			if (bench_now_ns() - t0 < best_run)
				best_run = bench_now_ns() - t0;
		}
	}
	unlink(path);
	free(buf);
	bench_report("lackey_parse_mrec_s", N / ((double)best / 1e3), "Mrec/s");
	bench_report("lackey_replay_mrec_s", N / ((double)best_run / 1e3), "Mrec/s");
	if (sink == 42)
		printf("#\n");
}
