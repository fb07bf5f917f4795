/*
 * test_strace.c - the strace -f -y log parser.
 *
 * Every line form a log can hold, decoded to exact records: memory calls
 * with symbolic and numeric flags, -y fd annotations, errors, split
 * (<unfinished ...> / <... resumed>) calls joined per pid, lifecycle
 * calls and events, the optional prefixes and suffixes; then each kind of
 * bad input with its exact "file:line:col: error: ..." message.
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "io/diag.h"
#include "io/strace.h"
#include "lib/compiler.h"

TestSuite(strace);

/* Parses text and returns its records (up to max); *n is their count. */
static int parse_all(const char *text, struct strace_parser *p,
		     struct strace_rec *recs, unsigned max, unsigned *n)
{
	int ret;

	strace_open_buf(p, "t.log", text, strlen(text));
	*n = 0;
	while (*n < max && (ret = strace_next(p, &recs[*n])) == 1)
		(*n)++;
	return *n == max ? 1 : ret;
}

/* One record from one line; the parser stays open for its strings. */
static struct strace_rec one(struct strace_parser *p, const char *line)
{
	struct strace_rec r;

	strace_open_buf(p, "t.log", line, strlen(line));
	cr_assert_eq(strace_next(p, &r), 1, "no record from: %s", line);
	return r;
}

static bool str_is(const char *s, size_t len, const char *want)
{
	return s && len == strlen(want) && !memcmp(s, want, len);
}

Test(strace, mmap_anonymous_with_pid_column)
{
	struct strace_parser p;
	struct strace_rec r = one(&p,
		"1788 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fc0000\n");

	cr_expect_eq(r.sys, STRACE_SYS_MMAP);
	cr_expect_eq(r.pid, 1788);
	cr_expect_eq(r.line, 1);
	cr_expect_eq(r.nr_args, 6);
	cr_expect_eq(r.arg[0], 0);
	cr_expect_eq(r.arg[1], 8192);
	cr_expect_eq(r.arg[2], 0x3);
	cr_expect_eq(r.arg[3], 0x22);
	cr_expect_eq((int64_t)r.arg[4], -1);
	cr_expect_eq(r.arg[5], 0);
	cr_expect(r.has_ret);
	cr_expect_eq(r.ret, 0x7ffff7fc0000);
	cr_expect_null(r.path);
	cr_expect(str_is(r.name, r.name_len, "mmap"));
	cr_expect(str_is(r.args, r.args_len,
			 "NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0"));
	strace_close(&p);
}

Test(strace, mmap_file_takes_path_from_fd_annotation)
{
	struct strace_parser p;
	struct strace_rec r = one(&p,
		"2002 mmap(0x7ffff7dcb000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3</usr/lib/x86_64-linux-gnu/libc.so.6>, 0x26000) = 0x7ffff7dcb000");

	cr_expect_eq(r.arg[0], 0x7ffff7dcb000);
	cr_expect_eq(r.arg[1], 1400832);
	cr_expect_eq(r.arg[2], 0x5);
	cr_expect_eq(r.arg[3], 0x812);
	cr_expect_eq(r.arg[4], 3);
	cr_expect_eq(r.arg[5], 0x26000);
	cr_expect(str_is(r.path, r.path_len, "/usr/lib/x86_64-linux-gnu/libc.so.6"));
	strace_close(&p);
}

Test(strace, mmap2_offset_is_in_pages_and_yy_device_is_dropped)
{
	struct strace_parser p;
	struct strace_rec r = one(&p,
		"77 mmap2(NULL, 8192, PROT_READ, MAP_SHARED, 4</dev/zero<char 1:5>>, 0x3) = 0xf7f00000");

	cr_expect_eq(r.sys, STRACE_SYS_MMAP);
	cr_expect_eq(r.arg[5], 0x3000);
	cr_expect(str_is(r.path, r.path_len, "/dev/zero"));
	cr_expect_eq(r.ret, 0xf7f00000);
	strace_close(&p);

	/* raw (-X raw) flags are plain numbers */
	r = one(&p, "77 mmap(NULL, 8192, 0x3, 0x22, -1, 0) = 0x7ffff7fbe000");
	cr_expect_eq(r.arg[2], 3);
	cr_expect_eq(r.arg[3], 0x22);
	strace_close(&p);
}

Test(strace, flag_sets_with_numbers_huge_pages_and_none)
{
	struct strace_parser p;
	struct strace_rec r = one(&p,
		"7 mmap(NULL, 2097152, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_2MB|0x8000000, -1, 0) = -1 ENOMEM (Cannot allocate memory)\n");

	cr_expect_eq(r.arg[2], 0);
	cr_expect_eq(r.arg[3], 0x02 | 0x20 | 0x40000 | (21ull << 26) | 0x8000000);
	cr_expect_eq(r.ret, -12);
	strace_close(&p);

	r = one(&p, "7 mmap(0x300000000, 4096, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EEXIST (File exists)");
	cr_expect_eq(r.arg[3], 0x01 | 0x20 | 0x100000);
	cr_expect_eq(r.ret, -17);
	strace_close(&p);

	r = one(&p, "7 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_GROWSDOWN|MAP_STACK|MAP_NORESERVE, -1, 0) = 0x7ffff7fbf000");
	cr_expect_eq(r.arg[3], 0x02 | 0x20 | 0x100 | 0x20000 | 0x4000);
	strace_close(&p);
}

Test(strace, munmap_mprotect_brk_mremap_madvise)
{
	struct strace_parser p;
	struct strace_rec r;

	r = one(&p, "1083  munmap(0x300001800, 0)            = -1 EINVAL (Invalid argument)");
	cr_expect_eq(r.sys, STRACE_SYS_MUNMAP);
	cr_expect_eq(r.pid, 1083);
	cr_expect_eq(r.arg[0], 0x300001800);
	cr_expect_eq(r.arg[1], 0);
	cr_expect_eq(r.ret, -22);
	strace_close(&p);

	r = one(&p, "1083  mprotect(0x300013000, 8192, PROT_NONE) = 0");
	cr_expect_eq(r.sys, STRACE_SYS_MPROTECT);
	cr_expect_eq(r.arg[1], 8192);
	cr_expect_eq(r.arg[2], 0);
	cr_expect_eq(r.ret, 0);
	strace_close(&p);

	r = one(&p, "1385  brk(NULL)                         = 0x555555b3e000");
	cr_expect_eq(r.sys, STRACE_SYS_BRK);
	cr_expect_eq(r.arg[0], 0);
	cr_expect_eq(r.ret, 0x555555b3e000);
	strace_close(&p);

	r = one(&p, "1385  brk(0x555555b3f005)               = 0x555555b3f005");
	cr_expect_eq(r.arg[0], 0x555555b3f005);
	strace_close(&p);

	r = one(&p, "9 mremap(0x7ffff7fb0000, 4096, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, 0x7ffff7000000) = 0x7ffff7000000");
	cr_expect_eq(r.sys, STRACE_SYS_MREMAP);
	cr_expect_eq(r.nr_args, 5);
	cr_expect_eq(r.arg[1], 4096);
	cr_expect_eq(r.arg[2], 8192);
	cr_expect_eq(r.arg[3], 3);
	cr_expect_eq(r.arg[4], 0x7ffff7000000);
	strace_close(&p);

	r = one(&p, "9 mremap(0x7ffff7fb0000, 4096, 8192, 0) = -1 ENOMEM (Cannot allocate memory)");
	cr_expect_eq(r.nr_args, 4);
	cr_expect_eq(r.arg[3], 0);
	cr_expect_eq(r.ret, -12);
	strace_close(&p);

	r = one(&p, "9 madvise(0x7ffff7fb0000, 8192, MADV_DONTFORK) = 0");
	cr_expect_eq(r.sys, STRACE_SYS_MADVISE);
	cr_expect_eq(r.arg[2], 10);
	strace_close(&p);
}

Test(strace, prefixes_and_suffixes)
{
	struct strace_parser p;
	struct strace_rec r;

	/* no pid column (strace without -f) */
	r = one(&p, "munmap(0x7ffff7fb5000, 44887) = 0\n");
	cr_expect_eq(r.pid, 0);
	cr_expect_eq(r.arg[1], 44887);
	strace_close(&p);

	/* [pid N] prefix, -tt timestamp, -T duration */
	r = one(&p, "[pid  4242] 12:00:01.123456 brk(NULL) = 0x555555559000 <0.000012>\n");
	cr_expect_eq(r.pid, 4242);
	cr_expect_eq(r.ret, 0x555555559000);
	strace_close(&p);

	/* -ttt timestamp without pid, CRLF line end */
	r = one(&p, "1700000000.123456 munmap(0x1000, 4096) = 0\r\n");
	cr_expect_eq(r.pid, 0);
	cr_expect_eq(r.arg[0], 0x1000);
	cr_expect_eq(r.ret, 0);
	strace_close(&p);
}

Test(strace, unfinished_and_resumed_are_joined_per_pid)
{
	struct strace_parser p;
	struct strace_rec recs[4];
	unsigned n;

	cr_assert_eq(parse_all(
		"100  mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0 <unfinished ...>\n"
		"101  munmap(0x7ffff7fb5000, 4096 <unfinished ...>\n"
		"102  brk(NULL) = 0x555555559000\n"
		"101  <... munmap resumed>) = 0\n"
		"100  <... mmap resumed>)     = 0x7ffff7fbf000\n",
		&p, recs, 4, &n), 0);
	cr_assert_eq(n, 3);
	cr_expect_eq(recs[0].sys, STRACE_SYS_BRK);
	cr_expect_eq(recs[0].pid, 102);
	cr_expect_eq(recs[1].sys, STRACE_SYS_MUNMAP);
	cr_expect_eq(recs[1].pid, 101);
	cr_expect_eq(recs[1].line, 4);
	cr_expect_eq(recs[1].first_line, 2);
	cr_expect_eq(recs[1].arg[1], 4096);
	cr_expect_eq(recs[1].ret, 0);
	cr_expect_eq(recs[2].sys, STRACE_SYS_MMAP);
	cr_expect_eq(recs[2].pid, 100);
	cr_expect_eq(recs[2].line, 5);
	cr_expect_eq(recs[2].first_line, 1);
	cr_expect_eq(recs[2].arg[3], 0x22);
	cr_expect_eq(recs[2].ret, 0x7ffff7fbf000);
	strace_close(&p);
}

Test(strace, split_inside_the_arguments)
{
	/* a call split after a comma, as strace does for output arguments */
	struct strace_parser p;
	struct strace_rec recs[2];
	unsigned n;

	cr_assert_eq(parse_all(
		"5 clone(child_stack=NULL, <unfinished ...>\n"
		"6 brk(NULL) = 0x1000\n"
		"5 <... clone resumed>flags=CLONE_VM|CLONE_VFORK|SIGCHLD) = 6\n",
		&p, recs, 2, &n), 1);
	cr_expect_eq(recs[1].sys, STRACE_SYS_CLONE);
	cr_expect_eq(recs[1].clone_flags, STRACE_CLONE_VM | STRACE_CLONE_VFORK);
	cr_expect_eq(recs[1].ret, 6);
	cr_expect(str_is(recs[1].args, recs[1].args_len,
			 "child_stack=NULL, flags=CLONE_VM|CLONE_VFORK|SIGCHLD"));
	strace_close(&p);
}

Test(strace, unfinished_call_at_end_of_log_is_dropped)
{
	struct strace_parser p;
	struct strace_rec recs[2];
	unsigned n;

	cr_assert_eq(parse_all(
		"5 brk(NULL) = 0x1000\n"
		"5 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0 <unfinished ...>\n"
		"5 +++ killed by SIGKILL +++\n",
		&p, recs, 2, &n), 1);
	cr_expect_eq(recs[0].sys, STRACE_SYS_BRK);
	cr_expect_eq(recs[1].sys, STRACE_EV_KILLED);
	cr_expect_eq(strace_next(&p, &recs[0]), 0);
	strace_close(&p);
}

Test(strace, lifecycle_calls_and_events)
{
	struct strace_parser p;
	struct strace_rec r;

	r = one(&p, "2002 execve(\"/usr/bin/ls\", [\"/usr/bin/ls\", \"-la\", \"/\"], 0x7fffffffecb0 /* 5 vars */) = 0");
	cr_expect_eq(r.sys, STRACE_SYS_EXECVE);
	cr_expect(str_is(r.path, r.path_len, "/usr/bin/ls"));
	cr_expect_eq(r.ret, 0);
	strace_close(&p);

	r = one(&p, "300 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7ffff77ff990, parent_tid=0x7ffff77ff990, exit_signal=0, stack=0x7ffff6fff000, stack_size=0x7fff00, tls=0x7ffff77ff6c0} => {parent_tid=[301]}, 88) = 301");
	cr_expect_eq(r.sys, STRACE_SYS_CLONE3);
	cr_expect_eq(r.clone_flags, STRACE_CLONE_VM | STRACE_CLONE_FILES |
				     STRACE_CLONE_THREAD);
	cr_expect_eq(r.ret, 301);
	strace_close(&p);

	r = one(&p, "300 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7ffff7d8ea10) = 302");
	cr_expect_eq(r.sys, STRACE_SYS_CLONE);
	cr_expect_eq(r.clone_flags, 0);
	cr_expect_eq(r.ret, 302);
	strace_close(&p);

	r = one(&p, "300 vfork() = 303");
	cr_expect_eq(r.sys, STRACE_SYS_VFORK);
	cr_expect_eq(r.ret, 303);
	strace_close(&p);

	r = one(&p, "300 fork() = 304");
	cr_expect_eq(r.sys, STRACE_SYS_FORK);
	strace_close(&p);

	r = one(&p, "2002 exit_group(0)   = ?");
	cr_expect_eq(r.sys, STRACE_SYS_EXIT_GROUP);
	cr_expect(!r.has_ret);
	strace_close(&p);

	r = one(&p, "2002 +++ exited with 3 +++");
	cr_expect_eq(r.sys, STRACE_EV_EXITED);
	cr_expect_eq(r.pid, 2002);
	cr_expect_eq(r.arg[0], 3);
	strace_close(&p);

	r = one(&p, "301 +++ killed by SIGSEGV (core dumped) +++");
	cr_expect_eq(r.sys, STRACE_EV_KILLED);
	strace_close(&p);

	r = one(&p, "300 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=304, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---");
	cr_expect_eq(r.sys, STRACE_EV_SIGNAL);
	strace_close(&p);
}

Test(strace, open_and_close_give_the_fd_table)
{
	struct strace_parser p;
	struct strace_rec r;

	/* with -y the result names the file it resolved to */
	r = one(&p, "2002 openat(AT_FDCWD</srv/vmacase>, \"/lib/x86_64-linux-gnu/libc.so.6\", O_RDONLY|O_CLOEXEC) = 3</usr/lib/x86_64-linux-gnu/libc.so.6>");
	cr_expect_eq(r.sys, STRACE_SYS_OPENAT);
	cr_expect_eq((int64_t)r.arg[0], -100);
	cr_expect_eq(r.ret, 3);
	cr_expect(str_is(r.path, r.path_len, "/usr/lib/x86_64-linux-gnu/libc.so.6"));
	strace_close(&p);

	/* without -y, the path argument, unescaped */
	r = one(&p, "9 openat(AT_FDCWD, \"/tmp/a \\\"b\\\"\\x41\", O_RDWR) = 4");
	cr_expect_eq(r.ret, 4);
	cr_expect(str_is(r.path, r.path_len, "/tmp/a \"b\"A"));
	strace_close(&p);

	r = one(&p, "2002 openat(AT_FDCWD</srv/vmacase>, \"/usr/lib/locale/locale-archive\", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)");
	cr_expect_eq(r.ret, -2);
	strace_close(&p);

	r = one(&p, "2002 close(3</usr/lib/x86_64-linux-gnu/libc.so.6>) = 0");
	cr_expect_eq(r.sys, STRACE_SYS_CLOSE);
	cr_expect_eq(r.arg[0], 3);
	strace_close(&p);

	r = one(&p, "2002 close(3<socket:[255456]>) = 0");
	cr_expect_eq(r.arg[0], 3);
	strace_close(&p);
}

Test(strace, other_syscalls_come_back_by_name)
{
	struct strace_parser p;
	struct strace_rec recs[3];
	unsigned n;

	cr_assert_eq(parse_all(
		"7 read(3, \"\\177ELF\\2\\1\\1\\3\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0>\\0\\1\"..., 832) = 832\n"
		"7 fstat(3, {st_mode=S_IFREG|0644, st_size=1922136, ...}) = 0\n"
		"7 write(1, \"a) = b\\n\", 7 <unfinished ...>\n",
		&p, recs, 3, &n), 0);
	cr_assert_eq(n, 2);
	cr_expect_eq(recs[0].sys, STRACE_SYS_OTHER);
	cr_expect(str_is(recs[0].name, recs[0].name_len, "read"));
	cr_expect_eq(recs[1].sys, STRACE_SYS_OTHER);
	cr_expect(str_is(recs[1].name, recs[1].name_len, "fstat"));
	strace_close(&p);
}

Test(strace, every_conformance_log_parses)
{
	static const char *const logs[] = {
		"synthetic/1001", "synthetic/2002", "synthetic/2029",
		"synthetic/3003", "directed/d01_merge_split",
		"directed/d06_brk", "real/ls", "real/python3",
	};
	static const unsigned mem_calls[] = { 20, 200, 200, 2000, 19, 25, 39, 66 };

	for (size_t i = 0; i < ARRAY_SIZE(logs); i++) {
		char path[256];
		struct strace_parser p;
		struct strace_rec r;
		unsigned mem = 0;
		int ret;

		snprintf(path, sizeof(path),
			 "tests/fixtures/conformance/%s/strace.log", logs[i]);
		cr_assert_eq(strace_open_file(&p, path), 0);
		while ((ret = strace_next(&p, &r)) == 1)
			mem += strace_is_mem(r.sys);
		cr_expect_eq(ret, 0, "%s", path);
		cr_expect_eq(mem, mem_calls[i], "%s: %u memory calls", path, mem);
		strace_close(&p);
	}
}

/* ---- bad input --------------------------------------------------------- */

static void expect_error(const char *name, const char *msg)
{
	char path[256], *text = NULL;
	size_t len = 0;
	struct strace_parser p;
	struct strace_rec r;
	int ret;

	snprintf(path, sizeof(path), "tests/fixtures/bad/%s", name);
	diag_stream = open_memstream(&text, &len);
	cr_assert_not_null(diag_stream);
	ret = strace_open_file(&p, path);
	while (ret == 0 && (ret = strace_next(&p, &r)) == 1)
		ret = 0;
	strace_close(&p);
	fclose(diag_stream);
	diag_stream = NULL;
	cr_expect_eq(ret, -1, "%s parsed without error", name);
	cr_expect_str_eq(text, msg);
	free(text);
}

Test(strace, unknown_mmap_flag_is_an_error)
{
	expect_error("strace_unknown_flag.log",
		     "tests/fixtures/bad/strace_unknown_flag.log:1:45: error: unknown flag 'MAP_ANONYMOS' in mmap flags\n");
}

Test(strace, unknown_prot_is_an_error)
{
	expect_error("strace_unknown_prot.log",
		     "tests/fixtures/bad/strace_unknown_prot.log:1:36: error: unknown flag 'PROT_RAED' in mprotect prot\n");
}

Test(strace, unknown_mremap_flag_is_an_error)
{
	expect_error("strace_unknown_mremap_flag.log",
		     "tests/fixtures/bad/strace_unknown_mremap_flag.log:1:40: error: unknown flag 'MREMAP_MAYBE' in mremap flags\n");
}

Test(strace, unknown_madvise_advice_is_an_error)
{
	expect_error("strace_unknown_advice.log",
		     "tests/fixtures/bad/strace_unknown_advice.log:1:35: error: unknown flag 'MADV_DONTNEEDED' in madvise advice\n");
}

Test(strace, garbage_number_is_an_error)
{
	expect_error("strace_bad_number.log",
		     "tests/fixtures/bad/strace_bad_number.log:1:12: error: bad address '0x7ffzz7fc0000'\n");
}

Test(strace, truncated_arguments_are_an_error)
{
	expect_error("strace_truncated_args.log",
		     "tests/fixtures/bad/strace_truncated_args.log:2:31: error: truncated line: expected ')' and '= result' after the arguments of mmap\n");
}

Test(strace, missing_result_is_an_error)
{
	expect_error("strace_missing_result.log",
		     "tests/fixtures/bad/strace_missing_result.log:1:33: error: truncated line: expected '= result' after munmap(...)\n");
}

Test(strace, empty_result_is_an_error)
{
	expect_error("strace_empty_result.log",
		     "tests/fixtures/bad/strace_empty_result.log:1:16: error: truncated line: missing the result after '='\n");
}

Test(strace, garbage_result_is_an_error)
{
	expect_error("strace_bad_result.log",
		     "tests/fixtures/bad/strace_bad_result.log:1:17: error: bad result '0x55zz'\n");
}

Test(strace, unknown_errno_is_an_error)
{
	expect_error("strace_unknown_errno.log",
		     "tests/fixtures/bad/strace_unknown_errno.log:1:36: error: unknown error name 'EFOOBAR'\n");
}

Test(strace, resumed_without_unfinished_is_an_error)
{
	expect_error("strace_orphan_resumed.log",
		     "tests/fixtures/bad/strace_orphan_resumed.log:1:5: error: resumed mmap with no unfinished mmap call of pid 100\n");
}

Test(strace, line_that_is_no_call_is_an_error)
{
	expect_error("strace_not_a_call.log",
		     "tests/fixtures/bad/strace_not_a_call.log:3:1: error: expected a system call: name(arguments) = result\n");
}

Test(strace, wrong_argument_count_is_an_error)
{
	expect_error("strace_arg_count.log",
		     "tests/fixtures/bad/strace_arg_count.log:1:26: error: munmap takes 2 arguments, found 1\n");
}

Test(strace, error_in_a_resumed_half_points_at_that_line)
{
	expect_error("strace_bad_resumed_result.log",
		     "tests/fixtures/bad/strace_bad_resumed_result.log:3:27: error: bad result '0xfoo'\n");
}

Test(strace, unknown_exit_line_is_an_error)
{
	expect_error("strace_bad_exit.log",
		     "tests/fixtures/bad/strace_bad_exit.log:1:9: error: unknown '+++' line\n");
}

Test(strace, unclosed_fd_annotation_is_an_error)
{
	expect_error("strace_bad_fd.log",
		     "tests/fixtures/bad/strace_bad_fd.log:1:47: error: bad fd annotation '<x'\n");
}

Test(strace, missing_file_is_an_error)
{
	expect_error("no-such.log",
		     "tests/fixtures/bad/no-such.log: error: cannot open: No such file or directory\n");
}

/*
 * Random corruptions of a real log (fixed seed): the parser never crashes
 * or reads out of bounds (ASan), and every failure is one diagnostic line
 * naming the file, a line and a column.
 */
Test(strace, corrupted_logs_fail_cleanly)
{
	static const char path[] = "tests/fixtures/conformance/real/ls/strace.log";
	static const char junk[] = "()<>\",|=?- 0x9zAMP_\n";
	uint64_t seed = 0x5eed5eedULL, st = seed;
	FILE *f = fopen(path, "rb");
	char *orig, *buf;
	long len;

	TEST_SEED(seed);
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	orig = malloc((size_t)len);
	buf = malloc((size_t)len);
	cr_assert_eq(fread(orig, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	for (int round = 0; round < 300; round++) {
		struct strace_parser p;
		struct strace_rec r;
		char *text = NULL;
		size_t tlen = 0, cut = (size_t)len;
		int ret;

		memcpy(buf, orig, (size_t)len);
		for (int k = 0; k < 3; k++)
			buf[test_rand_below(&st, (uint64_t)len)] =
				junk[test_rand_below(&st, sizeof(junk) - 1)];
		if (round % 3 == 0)  /* and sometimes cut it short */
			cut = (size_t)test_rand_below(&st, (uint64_t)len);
		diag_stream = open_memstream(&text, &tlen);
		strace_open_buf(&p, "fuzz.log", buf, cut);
		while ((ret = strace_next(&p, &r)) == 1)
			;
		strace_close(&p);
		fclose(diag_stream);
		diag_stream = NULL;
		if (ret == -1) {
			cr_expect(!strncmp(text, "fuzz.log:", 9), "round %d: %s", round, text);
			cr_expect(strstr(text, ": error: ") != NULL, "round %d: %s", round, text);
			cr_expect_eq(strchr(text, '\n'), text + tlen - 1, "round %d: %s", round, text);
		} else {
			cr_expect_eq(ret, 0);
			cr_expect_eq(tlen, 0, "round %d: %s", round, text);
		}
		free(text);
	}
	free(orig);
	free(buf);
}
