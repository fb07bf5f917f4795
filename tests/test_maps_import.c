/*
 * test_maps_import.c - /proc/<pid>/maps and smaps snapshots.
 *
 * Exact records for each line form (file, anonymous, special names,
 * shared anonymous, the gate), smaps VmFlags and Anonymous, the heap
 * inference rule, and each kind of bad input with its exact
 * "file:line:col: error: ..." message.
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "io/diag.h"
#include "io/maps_import.h"

TestSuite(maps_import);

static void parse_ok(const char *text, struct maps_snapshot *s)
{
	cr_assert_eq(maps_parse_buf("t.maps", text, strlen(text), s), 0,
		     "failed to parse: %s", text);
}

Test(maps_import, file_mapping_line_is_read_field_by_field)
{
	struct maps_snapshot s;
	const struct maps_vma *v;

	parse_ok("7ffff7df9000-7ffff7f4f000 r-xp 00026000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n", &s);
	cr_assert_eq(s.nr, 1);
	v = &s.vmas[0];
	cr_expect_eq(v->start, 0x7ffff7df9000);
	cr_expect_eq(v->end, 0x7ffff7f4f000);
	cr_expect_eq(v->prot, MAPS_PROT_READ | MAPS_PROT_EXEC);
	cr_expect(!v->shared);
	cr_expect_eq(v->offset, 0x26000);
	cr_expect_eq(v->dev_major, 0xfe);
	cr_expect_eq(v->dev_minor, 0);
	cr_expect_eq(v->inode, 332835);
	cr_expect_str_eq(v->name, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	cr_expect_eq(v->kind, MAPS_KIND_FILE);
	cr_expect(!v->has_smaps);
	cr_expect_eq(v->line, 1);
	cr_expect(!s.smaps);
	maps_snapshot_free(&s);
}

Test(maps_import, names_decide_the_kind)
{
	struct maps_snapshot s;

	parse_ok("08048000-08049000 r-xp 00000000 08:01 12          /bin/a b (deleted)\n"
		 "08049000-0804a000 rw-p 00000000 00:00 0 \n"
		 "0804a000-0806b000 rw-p 00000000 00:00 0          [heap]\n"
		 "7ffff7fb0000-7ffff7fb8000 rw-s 00002000 00:01 4242     /dev/zero (deleted)\n"
		 "7ffff7fb8000-7ffff7fb9000 rw-p 00000000 00:00 0        [anon:jit]\n"
		 "7ffff7fc8000-7ffff7fca000 r-xp 00000000 00:00 0        [vdso]\n"
		 "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0        [stack]\n"
		 "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n", &s);
	cr_assert_eq(s.nr, 8);
	cr_expect_str_eq(s.vmas[0].name, "/bin/a b (deleted)");
	cr_expect_eq(s.vmas[0].kind, MAPS_KIND_FILE);
	cr_expect_eq(s.vmas[0].dev_minor, 1);
	cr_expect_str_eq(s.vmas[1].name, "");
	cr_expect_eq(s.vmas[1].kind, MAPS_KIND_ANON);
	cr_expect_eq(s.vmas[2].kind, MAPS_KIND_HEAP);
	cr_expect_eq(s.vmas[3].kind, MAPS_KIND_SHARED_ANON);
	cr_expect(s.vmas[3].shared);
	cr_expect_eq(s.vmas[3].offset, 0x2000);
	cr_expect_eq(s.vmas[4].kind, MAPS_KIND_ANON);
	cr_expect_str_eq(s.vmas[4].name, "[anon:jit]");
	cr_expect_eq(s.vmas[5].kind, MAPS_KIND_SPECIAL);
	cr_expect_eq(s.vmas[6].kind, MAPS_KIND_STACK);
	cr_expect_eq(s.vmas[7].kind, MAPS_KIND_GATE);
	cr_expect_eq(s.vmas[7].prot, MAPS_PROT_EXEC);
	cr_expect_eq(s.vmas[7].start, 0xffffffffff600000);
	/* the heap is what [heap] shows */
	cr_expect(s.has_heap);
	cr_expect_eq(s.start_brk, 0x0804a000);
	cr_expect_eq(s.brk, 0x0806b000);
	maps_snapshot_free(&s);
}

Test(maps_import, smaps_fields_give_vmflags_and_anonymous)
{
	struct maps_snapshot s;
	const struct maps_vma *v;

	parse_ok("7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n"
		 "Size:                132 kB\n"
		 "KernelPageSize:        4 kB\n"
		 "Rss:                   8 kB\n"
		 "Anonymous:             8 kB\n"
		 "THPeligible:           0\n"
		 "VmFlags: rd wr mr mw me gd ac \n"
		 "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n"
		 "Anonymous:             0 kB\n"
		 "VmFlags: ex \n", &s);
	cr_assert_eq(s.nr, 2);
	cr_expect(s.smaps);
	v = &s.vmas[0];
	cr_expect(v->has_smaps);
	cr_expect_eq(v->anon_kb, 8);
	cr_expect_eq(v->vmflags,
		     MAPS_VM_BIT(MAPS_VM_RD) | MAPS_VM_BIT(MAPS_VM_WR) |
		     MAPS_VM_BIT(MAPS_VM_MR) | MAPS_VM_BIT(MAPS_VM_MW) |
		     MAPS_VM_BIT(MAPS_VM_ME) | MAPS_VM_BIT(MAPS_VM_GD) |
		     MAPS_VM_BIT(MAPS_VM_AC));
	cr_expect_eq(s.vmas[1].vmflags, MAPS_VM_BIT(MAPS_VM_EX));
	cr_expect_eq(s.vmas[1].anon_kb, 0);
	maps_snapshot_free(&s);
}

Test(maps_import, vmflag_codes_round_trip)
{
	for (int f = 0; f < MAPS_VM__COUNT; f++) {
		const char *n = maps_vmflag_name((enum maps_vmflag)f);

		cr_expect_eq(strlen(n), 2);
		cr_expect_eq(maps_vmflag_lookup(n, 2), f, "%s", n);
	}
	cr_expect_eq(maps_vmflag_lookup("zz", 2), -1);
	cr_expect_eq(maps_vmflag_lookup("rdx", 3), -1);
}

Test(maps_import, brk_without_heap_is_the_end_of_bss)
{
	struct maps_snapshot s;

	/* bss: the anonymous rw VMA right after the program's last file VMA */
	parse_ok("00400000-0041f000 r--p 00000000 fe:00 247970    /usr/bin/python3.11\n"
		 "00946000-00a85000 rw-p 00545000 fe:00 247970    /usr/bin/python3.11\n"
		 "00a85000-00aca000 rw-p 00000000 00:00 0 \n"
		 "7ffff7fc0000-7ffff7fc2000 rw-p 00000000 00:00 0 \n", &s);
	cr_expect(s.has_brk);
	cr_expect(!s.has_heap);
	cr_expect_eq(s.start_brk, 0xaca000);
	cr_expect_eq(s.brk, 0xaca000);
	maps_snapshot_free(&s);

	/* no bss: the end of the program's last file VMA */
	parse_ok("00400000-0041f000 r--p 00000000 fe:00 247970    /usr/bin/prog\n"
		 "0041f000-00420000 rw-p 0001f000 fe:00 247970    /usr/bin/prog\n"
		 "00500000-00501000 rw-p 00000000 00:00 0 \n", &s);
	cr_expect_eq(s.start_brk, 0x420000);
	cr_expect_eq(s.brk, 0x420000);
	maps_snapshot_free(&s);

	/* no file at all: unknown */
	parse_ok("00500000-00501000 rw-p 00000000 00:00 0 \n", &s);
	cr_expect(!s.has_brk);
	maps_snapshot_free(&s);
}

Test(maps_import, conformance_snapshots_parse)
{
	struct maps_snapshot m, sm;

	cr_assert_eq(maps_parse_file("tests/fixtures/conformance/synthetic/1001/start.maps", &m), 0);
	cr_assert_eq(maps_parse_file("tests/fixtures/conformance/synthetic/1001/start.smaps", &sm), 0);
	cr_expect_eq(m.nr, 24);
	cr_expect_eq(sm.nr, 24);
	cr_expect(!m.smaps);
	cr_expect(sm.smaps);
	for (size_t i = 0; i < m.nr; i++) {
		cr_expect_eq(m.vmas[i].start, sm.vmas[i].start);
		cr_expect_eq(m.vmas[i].end, sm.vmas[i].end);
		cr_expect_str_eq(m.vmas[i].name, sm.vmas[i].name);
		cr_expect(sm.vmas[i].has_smaps);
	}
	cr_expect_eq(sm.brk, 0x555555b3e000);
	cr_expect_eq(sm.start_brk, 0x555555b3e000);
	/* [vvar] is "rd mr pf io de dd"; the bss has 20 kB anonymous */
	cr_expect_eq(sm.vmas[14].vmflags,
		     MAPS_VM_BIT(MAPS_VM_RD) | MAPS_VM_BIT(MAPS_VM_MR) |
		     MAPS_VM_BIT(MAPS_VM_PF) | MAPS_VM_BIT(MAPS_VM_IO) |
		     MAPS_VM_BIT(MAPS_VM_DE) | MAPS_VM_BIT(MAPS_VM_DD));
	cr_expect_eq(sm.vmas[5].anon_kb, 20);
	maps_snapshot_free(&m);
	maps_snapshot_free(&sm);
}

/* ---- bad input --------------------------------------------------------- */

static void expect_error(const char *name, const char *msg)
{
	char path[256], *text = NULL;
	size_t len = 0;
	struct maps_snapshot s;
	int ret;

	snprintf(path, sizeof(path), "tests/fixtures/bad/%s", name);
	diag_stream = open_memstream(&text, &len);
	cr_assert_not_null(diag_stream);
	ret = maps_parse_file(path, &s);
	maps_snapshot_free(&s);
	fclose(diag_stream);
	diag_stream = NULL;
	cr_expect_eq(ret, -1, "%s parsed without error", name);
	cr_expect_str_eq(text, msg);
	free(text);
}

Test(maps_import, truncated_line_is_an_error)
{
	expect_error("maps_truncated.maps",
		     "tests/fixtures/bad/maps_truncated.maps:2:46: error: truncated line after device minor\n");
}

Test(maps_import, garbage_address_is_an_error)
{
	expect_error("maps_bad_start.maps",
		     "tests/fixtures/bad/maps_bad_start.maps:1:6: error: bad character 'z' in start address\n");
}

Test(maps_import, garbage_offset_is_an_error)
{
	expect_error("maps_bad_offset.maps",
		     "tests/fixtures/bad/maps_bad_offset.maps:1:36: error: bad character 'z' in offset\n");
}

Test(maps_import, garbage_inode_is_an_error)
{
	expect_error("maps_bad_inode.maps",
		     "tests/fixtures/bad/maps_bad_inode.maps:1:49: error: bad character 'x' in inode\n");
}

Test(maps_import, start_not_below_end_is_an_error)
{
	expect_error("maps_start_ge_end.maps",
		     "tests/fixtures/bad/maps_start_ge_end.maps:1:1: error: VMA start 0x555555556000 is not below its end 0x555555555000\n");
}

Test(maps_import, overlapping_vmas_are_an_error)
{
	expect_error("maps_overlap.maps",
		     "tests/fixtures/bad/maps_overlap.maps:2:1: error: VMA 555555554800-55555555a000 overlaps the previous one (555555554000-555555555000, line 1)\n");
}

Test(maps_import, unsorted_vmas_are_an_error)
{
	expect_error("maps_unsorted.maps",
		     "tests/fixtures/bad/maps_unsorted.maps:2:1: error: VMA 555555554000-555555555000 is out of order with the previous one (555555555000-55555555a000, line 1)\n");
}

Test(maps_import, unknown_permission_is_an_error)
{
	expect_error("maps_bad_perms.maps",
		     "tests/fixtures/bad/maps_bad_perms.maps:1:29: error: unknown permission character 'z' (expected 'x' or '-')\n");
}

Test(maps_import, short_permissions_are_an_error)
{
	expect_error("maps_short_perms.maps",
		     "tests/fixtures/bad/maps_short_perms.maps:1:29: error: truncated permissions: expected 4 characters\n");
}

Test(maps_import, garbage_line_is_an_error)
{
	expect_error("maps_garbage_line.maps",
		     "tests/fixtures/bad/maps_garbage_line.maps:2:1: error: expected a VMA line (start-end perms offset dev inode [name]) or an smaps field\n");
}

Test(maps_import, empty_snapshot_is_an_error)
{
	expect_error("maps_empty.maps",
		     "tests/fixtures/bad/maps_empty.maps: error: no VMA lines in the snapshot\n");
}

Test(maps_import, unknown_vmflags_code_is_an_error)
{
	expect_error("smaps_unknown_vmflag.smaps",
		     "tests/fixtures/bad/smaps_unknown_vmflag.smaps:4:16: error: unknown VmFlags code 'qq'\n");
}

Test(maps_import, smaps_field_before_any_vma_is_an_error)
{
	expect_error("smaps_field_first.smaps",
		     "tests/fixtures/bad/smaps_field_first.smaps:1:1: error: smaps field 'Size' before the first VMA line\n");
}

Test(maps_import, smaps_vma_without_vmflags_is_an_error)
{
	expect_error("smaps_no_vmflags.smaps",
		     "tests/fixtures/bad/smaps_no_vmflags.smaps:1: error: smaps VMA has no VmFlags line\n");
}

Test(maps_import, garbage_anonymous_size_is_an_error)
{
	expect_error("smaps_bad_anonymous.smaps",
		     "tests/fixtures/bad/smaps_bad_anonymous.smaps:2:24: error: bad character 'x' in Anonymous size\n");
}

Test(maps_import, missing_file_is_an_error)
{
	expect_error("no-such.maps",
		     "tests/fixtures/bad/no-such.maps: error: cannot open: No such file or directory\n");
}

/*
 * Random corruptions of a real smaps (fixed seed): never a crash or an
 * out-of-bounds read (ASan); a failure is one diagnostic line naming the
 * file; a success still has sorted, non-overlapping VMAs.
 */
Test(maps_import, corrupted_snapshots_fail_cleanly)
{
	static const char path[] = "tests/fixtures/conformance/real/ls/start.smaps";
	static const char junk[] = "-: \nrwxps0fz[]";
	uint64_t seed = 0xc0ffeeULL, st = seed;
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
		struct maps_snapshot s;
		char *text = NULL;
		size_t tlen = 0, cut = (size_t)len;
		int ret;

		memcpy(buf, orig, (size_t)len);
		for (int k = 0; k < 2; k++)
			buf[test_rand_below(&st, (uint64_t)len)] =
				junk[test_rand_below(&st, sizeof(junk) - 1)];
		if (round % 3 == 0)
			cut = (size_t)test_rand_below(&st, (uint64_t)len);
		diag_stream = open_memstream(&text, &tlen);
		ret = maps_parse_buf("fuzz.smaps", buf, cut, &s);
		fclose(diag_stream);
		diag_stream = NULL;
		if (ret) {
			cr_expect_eq(ret, -1);
			cr_expect(!strncmp(text, "fuzz.smaps", 10), "round %d: %s", round, text);
			cr_expect_eq(strchr(text, '\n'), text + tlen - 1, "round %d: %s", round, text);
		} else {
			cr_expect_eq(tlen, 0, "round %d: %s", round, text);
			for (size_t i = 0; i < s.nr; i++) {
				cr_expect_lt(s.vmas[i].start, s.vmas[i].end);
				if (i)
					cr_expect_geq(s.vmas[i].start, s.vmas[i - 1].end);
			}
		}
		maps_snapshot_free(&s);
		free(text);
	}
	free(orig);
	free(buf);
}

/*
 * The exec area: the vDSO block and the interpreter's VMAs beside it,
 * above it (top-down), below it (bottom-up), or the vDSO alone (a static
 * program); none without a [vdso].
 */
Test(maps_import, exec_area_is_the_vdso_and_the_interpreter_beside_it)
{
	struct maps_snapshot s;

	parse_ok("555555554000-555555555000 r--p 00000000 fe:00 9    /usr/bin/prog\n"
		 "7fffbfec2000-7fffbfec6000 r--p 00000000 00:00 0    [vvar]\n"
		 "7fffbfec6000-7fffbfec8000 r--p 00000000 00:00 0    [vvar_vclock]\n"
		 "7fffbfec8000-7fffbfeca000 r-xp 00000000 00:00 0    [vdso]\n"
		 "7fffbfeca000-7fffbfecb000 r--p 00000000 fe:00 7    /lib/ld.so\n"
		 "7fffbfecb000-7fffbfef1000 r-xp 00001000 fe:00 7    /lib/ld.so\n"
		 "7fffbfefd000-7fffbfeff000 rw-p 00033000 fe:00 7    /lib/ld.so\n", &s);
	/* the last ld.so VMA is not contiguous: the run ends before it */
	cr_expect(s.has_exec_area);
	cr_expect_eq(s.exec_lo, 0x7fffbfec2000);
	cr_expect_eq(s.exec_hi, 0x7fffbfef1000);
	maps_snapshot_free(&s);

	parse_ok("2aaaaaaab000-2aaaaaaac000 r--p 00000000 fe:00 7    /lib/ld.so\n"
		 "2aaaaaaac000-2aaaaaad6000 r-xp 00001000 fe:00 7    /lib/ld.so\n"
		 "2aaaaaad6000-2aaaaaada000 r--p 00000000 00:00 0    [vvar]\n"
		 "2aaaaaada000-2aaaaaadc000 r-xp 00000000 00:00 0    [vdso]\n"
		 "555555554000-555555555000 r--p 00000000 fe:00 9    /usr/bin/prog\n", &s);
	cr_expect(s.has_exec_area);
	cr_expect_eq(s.exec_lo, 0x2aaaaaaab000);
	cr_expect_eq(s.exec_hi, 0x2aaaaaadc000);
	maps_snapshot_free(&s);

	parse_ok("00400000-00401000 r-xp 00000000 fe:00 9    /usr/bin/static\n"
		 "7ffff7ff9000-7ffff7ffd000 r--p 00000000 00:00 0    [vvar]\n"
		 "7ffff7ffd000-7ffff7fff000 r-xp 00000000 00:00 0    [vdso]\n", &s);
	cr_expect(s.has_exec_area);
	cr_expect_eq(s.exec_lo, 0x7ffff7ff9000);
	cr_expect_eq(s.exec_hi, 0x7ffff7fff000);
	maps_snapshot_free(&s);

	parse_ok("00400000-00401000 r-xp 00000000 fe:00 9    /usr/bin/prog\n", &s);
	cr_expect(!s.has_exec_area);
	maps_snapshot_free(&s);
}
