/*
 * test_replay.c - `vmsim replay` against address spaces recorded on Linux.
 *
 * The conformance cases (tests/fixtures/conformance, see its README) are
 * the acceptance test: replaying each strace.log from start.smaps must
 * give end.maps, VMA by VMA, on start, end, perms, offset and name
 * (device and inode ignored, shared anonymous names compared as one
 * class: what compare_maps.py --names checks), with no call whose result
 * differs from the kernel's. On a failure the test logs every diverging
 * call and the missing/extra VMAs.
 *
 * Smaller tests pin the process model (threads share, forks copy, execve
 * makes an address space unknown), the adoption of the kernel's outcome
 * after a mismatch, and bad input.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "io/config.h"
#include "io/diag.h"
#include "io/maps_import.h"
#include "io/replay.h"

#define CONF "tests/fixtures/conformance/"

TestSuite(replay);

/* Runs a replay into a string; the caller frees *maps and the result. */
static int run_replay(const char *maps, const char *log, int pid,
		      const struct sim_config *cfg, char **out,
		      struct replay_result *r)
{
	size_t len = 0;
	FILE *f = open_memstream(out, &len);
	struct replay_opts o = {
		.maps_path = maps, .strace_path = log, .pid = pid,
		.cfg = cfg, .out = f, .events = true,
	};
	int ret;

	cr_assert_not_null(f);
	ret = replay_run(&o, r);
	fclose(f);
	return ret;
}

static const char *norm_name(const char *n)
{
	if (!strncmp(n, "/dev/zero", 9) || !strncmp(n, "/SYSV", 5))
		return "<shared-anon>";
	return n;
}

static bool same_vma(const struct maps_vma *a, const struct maps_vma *b)
{
	return a->start == b->start && a->end == b->end &&
	       a->prot == b->prot && a->shared == b->shared &&
	       a->offset == b->offset &&
	       !strcmp(norm_name(a->name), norm_name(b->name));
}

static void log_vma(const char *what, const struct maps_vma *v)
{
	cr_log_warn("  %s %llx-%llx %c%c%c%c %08llx %s", what,
		    (unsigned long long)v->start, (unsigned long long)v->end,
		    v->prot & MAPS_PROT_READ ? 'r' : '-',
		    v->prot & MAPS_PROT_WRITE ? 'w' : '-',
		    v->prot & MAPS_PROT_EXEC ? 'x' : '-',
		    v->shared ? 's' : 'p', (unsigned long long)v->offset,
		    v->name);
}

/* compare_maps.py --names: same VMAs in the same order. */
static bool maps_equal(const char *expected_path, const char *actual)
{
	struct maps_snapshot exp, act;
	bool ok;
	size_t i, j;

	cr_assert_eq(maps_parse_file(expected_path, &exp), 0);
	cr_assert_eq(maps_parse_buf("<replay output>", actual, strlen(actual),
				    &act), 0, "replay printed no valid maps");
	ok = exp.nr == act.nr;
	for (i = 0; ok && i < exp.nr; i++)
		ok = same_vma(&exp.vmas[i], &act.vmas[i]);
	if (!ok) {
		cr_log_warn("%s: %zu VMAs expected, %zu printed", expected_path,
			    exp.nr, act.nr);
		for (i = 0; i < exp.nr; i++) {
			for (j = 0; j < act.nr; j++)
				if (same_vma(&exp.vmas[i], &act.vmas[j]))
					break;
			if (j == act.nr)
				log_vma("missing:", &exp.vmas[i]);
		}
		for (j = 0; j < act.nr; j++) {
			for (i = 0; i < exp.nr; i++)
				if (same_vma(&exp.vmas[i], &act.vmas[j]))
					break;
			if (i == exp.nr)
				log_vma("extra:  ", &act.vmas[j]);
		}
	}
	maps_snapshot_free(&exp);
	maps_snapshot_free(&act);
	return ok;
}

static void log_mismatches(const struct replay_result *r)
{
	for (size_t i = 0; i < r->nr_events; i++) {
		const struct replay_event *e = &r->events[i];

		if (e->mismatch)
			cr_log_warn("  line %u: %s(%s): vmsim %#llx (%lld), kernel %#llx (%lld)",
				    e->line, strace_sys_name(e->sys), e->args,
				    (unsigned long long)e->vmsim_ret,
				    (long long)e->vmsim_ret,
				    (unsigned long long)e->kernel_ret,
				    (long long)e->kernel_ret);
	}
}

/*
 * One conformance case: replay, compare, no mismatch; skipped is the
 * number of calls of address spaces vmsim cannot know (after an execve).
 */
static void case_at(const char *base, const char *dir, const char *start,
		    uint64_t stack_rlimit, uint64_t skipped)
{
	char maps[256], log[256], end[256];
	struct sim_config cfg;
	struct replay_result r;
	char *out = NULL;
	bool same;

	cfg_defaults(&cfg);
	if (stack_rlimit)
		cfg.stack_rlimit = stack_rlimit;
	snprintf(maps, sizeof(maps), "%s%s/%s", base, dir, start);
	snprintf(log, sizeof(log), "%s%s/strace.log", base, dir);
	snprintf(end, sizeof(end), "%s%s/end.maps", base, dir);
	cr_assert_eq(run_replay(maps, log, 0, &cfg, &out, &r), 0);
	if (r.replay_mismatches)
		log_mismatches(&r);
	same = maps_equal(end, out);
	cr_expect(same, "%s: final maps differ from end.maps", dir);
	cr_expect_eq(r.replay_mismatches, 0,
		     "%s: %llu calls differ from the kernel's (first at line %u)",
		     dir, (unsigned long long)r.replay_mismatches,
		     r.first_mismatch_line);
	cr_expect_eq(r.replay_skipped, skipped);
	cr_expect_eq(r.unsupported, 0);
	free(out);
	replay_result_free(&r);
}

static void conformance_skipping(const char *dir, const char *start,
				 uint64_t stack_rlimit, uint64_t skipped)
{
	case_at(CONF, dir, start, stack_rlimit, skipped);
}

static void conformance(const char *dir, const char *start,
			uint64_t stack_rlimit)
{
	conformance_skipping(dir, start, stack_rlimit, 0);
}

/*
 * The bundled real-program workloads (workloads/traces/, recorded as
 * their record.sh says) are conformance cases too: their strace logs
 * replay from the start snapshot to the kernel's end maps.
 */
Test(replay, bundled_trace_ls)
{
	case_at("workloads/traces/", "ls", "start.smaps", 0, 0);
}

Test(replay, bundled_trace_sort)
{
	case_at("workloads/traces/", "sort", "start.smaps", 0, 0);
}

Test(replay, bundled_trace_gzip)
{
	case_at("workloads/traces/", "gzip", "start.smaps", 0, 0);
}

Test(replay, conformance_synthetic_1001)
{
	conformance("synthetic/1001", "start.smaps", 0);
}

Test(replay, conformance_synthetic_2002)
{
	conformance("synthetic/2002", "start.smaps", 0);
}

Test(replay, conformance_synthetic_2029_stack_1g)
{
	conformance("synthetic/2029", "start.smaps", 1ull << 30);
}

Test(replay, conformance_synthetic_3003)
{
	conformance("synthetic/3003", "start.smaps", 0);
}

Test(replay, conformance_directed_d01_merge_split)
{
	conformance("directed/d01_merge_split", "start.smaps", 0);
}

Test(replay, conformance_directed_d06_brk)
{
	conformance("directed/d06_brk", "start.smaps", 0);
}

Test(replay, conformance_real_ls)
{
	conformance("real/ls", "start.smaps", 0);
}

Test(replay, conformance_real_python3)
{
	conformance("real/python3", "start.smaps", 0);
}

/* Recorded here (see its README): a thread, a fork, a vfork + execve. */
Test(replay, conformance_local_threads_fork_vfork)
{
	conformance_skipping("local/threads_fork_vfork", "start.smaps", 0, 13);
}

/* Without smaps the anon_vma state is guessed; these cases need none. */
Test(replay, conformance_from_plain_maps_d06_brk)
{
	conformance("directed/d06_brk", "start.maps", 0);
}

Test(replay, conformance_from_plain_maps_real_ls)
{
	conformance("real/ls", "start.maps", 0);
}

Test(replay, conformance_from_plain_maps_real_python3)
{
	conformance("real/python3", "start.maps", 0);
}

Test(replay, conformance_from_plain_maps_synthetic_2002)
{
	conformance("synthetic/2002", "start.maps", 0);
}

Test(replay, conformance_from_plain_maps_directed_d01_merge_split)
{
	conformance("directed/d01_merge_split", "start.maps", 0);
}

/* ---- the process model, on small logs --------------------------------- */

/* Writes text to a new temporary file; returns its path (free it). */
static char *temp_file(const char *text)
{
	char *path = strdup("/tmp/vmsim-replay-XXXXXX");
	int fd;

	cr_assert_not_null(path);
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static const char start_maps[] =
	"555555554000-555555555000 r--p 00000000 fe:00 14450695                   /usr/local/bin/prog\n"
	"555555555000-555555556000 rw-p 00001000 fe:00 14450695                   /usr/local/bin/prog\n"
	"555555556000-555555557000 rw-p 00000000 00:00 0 \n"
	"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n";

Test(replay, thread_shares_and_fork_copies)
{
	/* 100 makes thread 101 (CLONE_VM) and child 102 (fork); the thread's
	 * mmap shows in 100's maps, the child's does not. */
	char *maps = temp_file(start_maps);
	char *log = temp_file(
		"100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, exit_signal=0, stack=0x7ffff7400000, stack_size=0x7fff00}, 88) = 101\n"
		"101 mmap(0x200000000, 4096, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x200000000\n"
		"100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7ffff7fb5a10) = 102\n"
		"102 mmap(0x300000000, 4096, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x300000000\n"
		"102 munmap(0x200000000, 4096) = 0\n"
		"102 +++ exited with 0 +++\n");
	struct replay_result r;
	char *out = NULL;

	cr_assert_eq(run_replay(maps, log, 0, NULL, &out, &r), 0);
	cr_expect_eq(r.pid, 100);
	cr_expect_eq(r.calls, 3);
	cr_expect_eq(r.replay_mismatches, 0);
	cr_expect_eq(r.processes, 3);
	cr_expect_str_eq(out,
		"200000000-200001000 r--p 00000000 00:00 0 \n"
		"555555554000-555555555000 r--p 00000000 fe:00 14450695                   /usr/local/bin/prog\n"
		"555555555000-555555556000 rw-p 00001000 fe:00 14450695                   /usr/local/bin/prog\n"
		"555555556000-555555557000 rw-p 00000000 00:00 0 \n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n");
	free(out);
	replay_result_free(&r);
	unlink(maps);
	unlink(log);
	free(maps);
	free(log);
}

Test(replay, child_seen_before_clone_returns_starts_as_copy)
{
	/* strace -f prints the child before "<... clone resumed> = 102" */
	char *maps = temp_file(start_maps);
	char *log = temp_file(
		"100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>\n"
		"102 munmap(0x555555556000, 4096) = 0\n"
		"100 <... clone resumed>, child_tidptr=0x7ffff7fb5a10) = 102\n");
	struct replay_result r;
	char *out = NULL;

	cr_assert_eq(run_replay(maps, log, 102, NULL, &out, &r), 0);
	cr_expect_eq(r.replay_skipped, 0);
	cr_expect_eq(r.replay_mismatches, 0);
	/* --pid 102 is the one printed; it started from the snapshot */
	cr_expect_eq(r.pid, 102);
	cr_expect(strstr(out, "555555556000-555555557000") == NULL);
	free(out);
	replay_result_free(&r);
	unlink(maps);
	unlink(log);
	free(maps);
	free(log);
}

Test(replay, execve_makes_later_calls_skipped)
{
	char *maps = temp_file(start_maps);
	char *log = temp_file(
		"100 brk(NULL) = 0x555555557000\n"
		"100 execve(\"/bin/true\", [\"true\"], 0x7fffffffe0d0 /* 5 vars */) = 0\n"
		"100 brk(NULL) = 0x555555559000\n"
		"100 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fc0000\n"
		"100 exit_group(0) = ?\n"
		"100 +++ exited with 0 +++\n");
	struct replay_result r;
	char *out = NULL;

	cr_assert_eq(run_replay(maps, log, 0, NULL, &out, &r), 0);
	cr_expect_eq(r.calls, 1);
	cr_expect_eq(r.replay_skipped, 2);
	cr_expect_eq(r.replay_mismatches, 0);
	cr_expect_eq(r.by_sys[STRACE_SYS_EXECVE], 1);
	cr_expect_eq(r.by_sys[STRACE_EV_EXITED], 1);
	/* the last address space vmsim knew is printed */
	cr_expect(strstr(out, "[stack]") != NULL);
	free(out);
	replay_result_free(&r);
	unlink(maps);
	unlink(log);
	free(maps);
	free(log);
}

Test(replay, mismatch_is_counted_and_kernel_placement_adopted)
{
	/* The kernel put the mapping at 0x7ffff7000000, not where vmsim's
	 * top-down search does: the call counts as a mismatch, the mapping
	 * moves to the kernel's address, and the munmap that follows (which
	 * depends on it) then agrees. */
	char *maps = temp_file(start_maps);
	char *log = temp_file(
		"100 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7000000\n"
		"100 munmap(0x7ffff7001000, 4096) = 0\n"
		"100 read(3, \"\\177ELF\"..., 832) = 832\n");
	struct replay_result r;
	char *out = NULL;

	cr_assert_eq(run_replay(maps, log, 0, NULL, &out, &r), 0);
	cr_expect_eq(r.replay_mismatches, 1);
	cr_expect_eq(r.first_mismatch_line, 1);
	cr_expect_eq(r.unknown_syscalls, 1);
	cr_assert_eq(r.nr_events, 2);
	cr_expect(r.events[0].mismatch);
	cr_expect_eq(r.events[0].kernel_ret, 0x7ffff7000000);
	cr_expect_str_eq(r.events[0].args,
			 "NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0");
	cr_expect(!r.events[1].mismatch);
	cr_expect(strstr(out, "7ffff7000000-7ffff7001000 r--p") != NULL);
	free(out);
	replay_result_free(&r);
	unlink(maps);
	unlink(log);
	free(maps);
	free(log);
}

Test(replay, refused_brk_is_forced_to_the_logged_break)
{
	/* a kernel that let the heap grow into where vmsim refuses it */
	char *maps = temp_file(start_maps);
	char *log = temp_file(
		"100 brk(NULL) = 0x555555557000\n"
		"100 mmap(0x555555559000, 4096, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x555555559000\n"
		"100 brk(0x555555559000) = 0x555555559000\n");
	struct replay_result r;
	char *out = NULL;

	cr_assert_eq(run_replay(maps, log, 0, NULL, &out, &r), 0);
	cr_expect_eq(r.replay_mismatches, 1);
	cr_expect_eq(r.first_mismatch_line, 3);
	/* the heap now ends at the logged break (whether the forced VMA
	 * merged with bss or not is vmsim's mmap rule, not brk's) */
	cr_expect(strstr(out, "-555555559000 rw-p 00000000 00:00 0                          [heap]\n") != NULL,
		  "%s", out);
	free(out);
	replay_result_free(&r);
	unlink(maps);
	unlink(log);
	free(maps);
	free(log);
}

Test(replay, mremap_and_madvise_run_through_mm)
{
	/* shrink and grow in place, a blocked growth that moves (top-down
	 * below the old VMA, which is still there while the kernel searches),
	 * then MADV_DONTFORK splitting the moved VMA */
	char *maps = temp_file(start_maps);
	char *log = temp_file(
		"100 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ffd000\n"
		"100 mremap(0x7ffff7ffd000, 8192, 4096, 0) = 0x7ffff7ffd000\n"
		"100 mremap(0x7ffff7ffd000, 4096, 8192, 0) = 0x7ffff7ffd000\n"
		"100 mmap(0x7ffff7fff000, 4096, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fff000\n"
		"100 mremap(0x7ffff7ffd000, 8192, 16384, 0) = -1 ENOMEM (Cannot allocate memory)\n"
		"100 mremap(0x7ffff7ffd000, 8192, 16384, MREMAP_MAYMOVE) = 0x7ffff7ff9000\n"
		"100 madvise(0x7ffff7ff9000, 4096, MADV_DONTFORK) = 0\n"
		"100 madvise(0x7ffff7ff9000, 4096, MADV_DONTNEED) = 0\n");
	struct replay_result r;
	char *out = NULL;

	cr_assert_eq(run_replay(maps, log, 0, NULL, &out, &r), 0);
	if (r.replay_mismatches)
		log_mismatches(&r);
	cr_expect_eq(r.replay_mismatches, 0);
	cr_expect_eq(r.by_sys[STRACE_SYS_MREMAP], 4);
	cr_expect_eq(r.by_sys[STRACE_SYS_MADVISE], 2);
	cr_expect_str_eq(out,
		"555555554000-555555555000 r--p 00000000 fe:00 14450695                   /usr/local/bin/prog\n"
		"555555555000-555555556000 rw-p 00001000 fe:00 14450695                   /usr/local/bin/prog\n"
		"555555556000-555555557000 rw-p 00000000 00:00 0 \n"
		"7ffff7ff9000-7ffff7ffa000 rw-p 00000000 00:00 0 \n"
		"7ffff7ffa000-7ffff7ffd000 rw-p 00000000 00:00 0 \n"
		"7ffff7fff000-7ffff8000000 r--p 00000000 00:00 0 \n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n");
	free(out);
	replay_result_free(&r);
	unlink(maps);
	unlink(log);
	free(maps);
	free(log);
}

/* ---- bad input --------------------------------------------------------- */

static char *diag_text;
static size_t diag_len;

static void capture(void)
{
	diag_stream = open_memstream(&diag_text, &diag_len);
	cr_assert_not_null(diag_stream);
}

static char *captured(void)
{
	fclose(diag_stream);
	diag_stream = NULL;
	return diag_text;
}

Test(replay, bad_log_fails_with_its_position)
{
	struct replay_opts o = {
		.maps_path = CONF "synthetic/1001/start.smaps",
		.strace_path = "tests/fixtures/bad/strace_unknown_flag.log",
	};
	struct replay_result r;
	char *msg;

	capture();
	cr_expect_eq(replay_run(&o, &r), -1);
	msg = captured();
	cr_expect_str_eq(msg, "tests/fixtures/bad/strace_unknown_flag.log:1:45: error: unknown flag 'MAP_ANONYMOS' in mmap flags\n");
	free(msg);
	replay_result_free(&r);
}

Test(replay, bad_snapshot_fails_with_its_position)
{
	struct replay_opts o = {
		.maps_path = "tests/fixtures/bad/maps_overlap.maps",
		.strace_path = CONF "synthetic/1001/strace.log",
	};
	struct replay_result r;
	char *msg;

	capture();
	cr_expect_eq(replay_run(&o, &r), -1);
	msg = captured();
	cr_expect_str_eq(msg, "tests/fixtures/bad/maps_overlap.maps:2:1: error: VMA 555555554800-55555555a000 overlaps the previous one (555555554000-555555555000, line 1)\n");
	free(msg);
	replay_result_free(&r);
}

Test(replay, missing_log_fails)
{
	struct replay_opts o = { .strace_path = "tests/fixtures/no-such.log" };
	struct replay_result r;
	char *msg;

	capture();
	cr_expect_eq(replay_run(&o, &r), -1);
	msg = captured();
	cr_expect_str_eq(msg, "tests/fixtures/no-such.log: error: cannot open: No such file or directory\n");
	free(msg);
	replay_result_free(&r);
}

/* ---- the layout the snapshot shows ------------------------------------- */

/*
 * 2029 ran with a 1 GiB stack limit: ld.so ends at 0x7fffbfeff000, not at
 * the 8 MiB default's 0x7ffff7fff000. Replayed with the default config,
 * the snapshot's layout is taken and no call differs; an explicit
 * mmap_base in the config wins over the snapshot (and then calls differ).
 */
Test(replay, mmap_base_is_taken_from_the_snapshot)
{
	struct sim_config cfg;
	struct replay_result r;
	char *out = NULL;

	conformance("synthetic/2029", "start.smaps", 0);
	cfg_defaults(&cfg);
	cfg.mmap_base = 0x7ffff7fff000ULL;
	cr_assert_eq(run_replay(CONF "synthetic/2029/start.smaps",
				CONF "synthetic/2029/strace.log", 0, &cfg, &out,
				&r), 0);
	cr_expect_gt(r.replay_mismatches, 0);
	free(out);
	replay_result_free(&r);
}

/*
 * A legacy (bottom-up) process: ld.so at the legacy base task_size/3
 * (0x2aaaaaaab000) and the vDSO right above it. Linux's unmapped_area then
 * gives the lowest gap above the base: right after [vdso].
 */
Test(replay, legacy_layout_is_taken_from_the_snapshot)
{
	char *maps = temp_file(
		"2aaaaaaab000-2aaaaaaac000 r--p 00000000 fe:00 332383                     /usr/lib/ld-linux-x86-64.so.2\n"
		"2aaaaaaac000-2aaaaaad2000 r-xp 00001000 fe:00 332383                     /usr/lib/ld-linux-x86-64.so.2\n"
		"2aaaaaad2000-2aaaaaad6000 rw-p 00027000 fe:00 332383                     /usr/lib/ld-linux-x86-64.so.2\n"
		"2aaaaaad6000-2aaaaaada000 r--p 00000000 00:00 0                          [vvar]\n"
		"2aaaaaada000-2aaaaaadc000 r--p 00000000 00:00 0                          [vvar_vclock]\n"
		"2aaaaaadc000-2aaaaaade000 r-xp 00000000 00:00 0                          [vdso]\n"
		"555555554000-555555555000 r--p 00000000 fe:00 14450695                   /usr/local/bin/prog\n"
		"555555555000-555555556000 rw-p 00001000 fe:00 14450695                   /usr/local/bin/prog\n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n");
	char *log = temp_file(
		"100 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x2aaaaaade000\n"
		"100 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x2aaaaaae0000\n");
	struct replay_result r;
	char *out = NULL;

	cr_assert_eq(run_replay(maps, log, 0, NULL, &out, &r), 0);
	cr_expect_eq(r.replay_mismatches, 0);
	cr_expect(strstr(out, "2aaaaaade000-2aaaaaae0000 rw-p 00000000 00:00 0 \n"
			      "2aaaaaae0000-2aaaaaae1000 r--p 00000000 00:00 0 \n"),
		  "got:\n%s", out);
	free(out);
	replay_result_free(&r);
	unlink(maps);
	unlink(log);
	free(maps);
	free(log);
}
