/*
 * test_config.c - the config key table and INI reader (sim/io/config.c).
 *
 * Every default is pinned to the value README documents; every value
 * syntax (sizes, times, unlimited, booleans) is parsed to an exact
 * number; every kind of bad input gives its exact message, captured by
 * pointing diag_stream at a memory buffer.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "diag_capture.h"
#include "io/config.h"
#include "io/diag.h"

TestSuite(config);


static unsigned key_index(const char *name)
{
	for (unsigned i = 0; i < cfg_nr_keys(); i++)
		if (!strcmp(cfg_key_name(i), name))
			return i;
	cr_assert_fail("no config key %s", name);
	return 0;
}

static const char *fmt_key(const struct sim_config *c, const char *name)
{
	static char buf[8][64];
	static unsigned n;
	char *b = buf[n++ % 8];

	cfg_format(c, key_index(name), b, 64);
	return b;
}

/* ---- the key table and its defaults ---- */

/* The table README documents: key, default text, value in cfg_format. */
static const struct {
	const char *key, *def, *value;
} documented[] = {
	{ "memory_size", "1G", "1073741824" },
	{ "page_size", "4K", "4096" },
	{ "max_order", "10", "10" },
	{ "cpus", "1", "1" },
	{ "sched", "rr", "rr" },
	{ "time_slice_ns", "4ms", "4000000" },
	{ "slab", "true", "true" },
	{ "va_bits", "48", "48" },
	{ "task_size", "0", "0" },
	{ "mmap_min_addr", "64K", "65536" },
	{ "stack_rlimit", "8M", "8388608" },
	{ "stack_guard_gap", "1M", "1048576" },
	{ "mmap_base", "0", "0" },
	{ "mmap_layout", "topdown", "topdown" },
	{ "max_map_count", "65530", "65530" },
	{ "address_space_limit", "unlimited", "unlimited" },
	{ "pte_size", "8", "8" },
	{ "pt_levels", "0", "0" },
	{ "tlb_entries", "64", "64" },
	{ "tlb_ways", "4", "4" },
	{ "tlb2_entries", "1536", "1536" },
	{ "tlb2_ways", "12", "12" },
	{ "asid", "false", "false" },
	{ "nr_asids", "6", "6" },
	{ "segmentation", "flat", "flat" },
	{ "segv", "kill", "kill" },
	{ "cost_kalloc_ns", "100ns", "100" },
	{ "cost_kfree_ns", "80ns", "80" },
	{ "cost_syscall_ns", "100ns", "100" },
	{ "cost_vma_op_ns", "500ns", "500" },
	{ "cost_fault_ns", "1000ns", "1000" },
	{ "cost_zero_page_ns", "250ns", "250" },
	{ "cost_tlb_hit_ns", "1ns", "1" },
	{ "cost_walk_level_ns", "20ns", "20" },
	{ "cost_context_switch_ns", "2us", "2000" },
	{ "sample_interval_ns", "10us", "10000" },
	{ "seed", "1", "1" },
	{ "validate", "false", "false" },
};

Test(config, key_table_is_the_documented_table_in_order)
{
	cr_assert_eq(cfg_nr_keys(), sizeof(documented) / sizeof(documented[0]));
	for (unsigned i = 0; i < cfg_nr_keys(); i++) {
		cr_assert_str_eq(cfg_key_name(i), documented[i].key);
		cr_assert_str_eq(cfg_key_default(i), documented[i].def,
				 "%s", documented[i].key);
		cr_assert_not_null(cfg_key_help(i));
		cr_assert_gt(strlen(cfg_key_help(i)), 5);
	}
	cr_assert_null(cfg_key_name(cfg_nr_keys()));
	cr_assert_null(cfg_key_default(cfg_nr_keys()));
	cr_assert_null(cfg_key_help(cfg_nr_keys()));
}

/* README.md's key table must list every key with the table's default. */
Test(config, readme_documents_every_key_with_its_default)
{
	FILE *f = fopen("README.md", "r");
	char line[512];
	unsigned found = 0;

	cr_assert_not_null(f, "README.md not found (tests run from the top)");
	while (fgets(line, sizeof(line), f)) {
		char key[64], def[64];

		if (sscanf(line, "| `%63[^`]` | `%63[^`]` |", key, def) != 2)
			continue;
		for (unsigned i = 0; i < cfg_nr_keys(); i++) {
			if (strcmp(cfg_key_name(i), key))
				continue;
			cr_expect_str_eq(def, cfg_key_default(i),
					 "README default of %s", key);
			found++;
		}
	}
	fclose(f);
	cr_assert_eq(found, cfg_nr_keys(), "README documents %u of %u keys",
		     found, cfg_nr_keys());
}

Test(config, defaults_are_the_documented_values)
{
	struct sim_config c;

	cfg_defaults(&c);
	for (unsigned i = 0; i < cfg_nr_keys(); i++)
		cr_assert_str_eq(fmt_key(&c, documented[i].key), documented[i].value,
				 "default of %s", documented[i].key);
	/* and the struct fields themselves */
	cr_assert_eq(c.memory_size, 1ull << 30);
	cr_assert_eq(c.page_size, 4096);
	cr_assert_eq(c.max_order, 10);
	cr_assert_eq(c.cpus, 1);
	cr_assert_eq(c.va_bits, 48);
	cr_assert_eq(c.task_size, 0);
	cr_assert_eq(c.mmap_min_addr, 65536);
	cr_assert_eq(c.stack_rlimit, 8ull << 20);
	cr_assert_eq(c.stack_guard_gap, 1ull << 20);
	cr_assert_eq(c.mmap_base, 0);
	cr_assert_eq(c.mmap_layout, CFG_LAYOUT_TOPDOWN);
	cr_assert_eq(c.max_map_count, 65530);
	cr_assert_eq(c.address_space_limit, CFG_UNLIMITED);
	cr_assert_eq(c.cost_kalloc_ns, 100);
	cr_assert_eq(c.cost_kfree_ns, 80);
	cr_assert_eq(c.cost_syscall_ns, 100);
	cr_assert_eq(c.cost_vma_op_ns, 500);
	cr_assert_eq(c.cost_fault_ns, 1000);
	cr_assert_eq(c.cost_zero_page_ns, 250);
	cr_assert_eq(c.cost_tlb_hit_ns, 1);
	cr_assert_eq(c.cost_walk_level_ns, 20);
	cr_assert_eq(c.cost_context_switch_ns, 2000);
	cr_assert_eq(c.sample_interval_ns, 10000);
	cr_assert_eq(c.seed, 1);
	cr_assert_eq(c.validate, false);
}

Test(config, defaults_pass_check_and_derive_x86_64_layout)
{
	struct sim_config c;

	cfg_defaults(&c);
	cr_assert_eq(cfg_check(&c, "defaults"), 0);
	cr_assert_eq(c.task_size, 0x7ffffffff000ull);
	/* 8M stack + 1M gap is below the 128M minimum gap */
	cr_assert_eq(cfg_mmap_base(&c), 0x7ffff7fff000ull);
}

Test(config, derived_task_size_per_va_bits)
{
	static const struct { unsigned bits; uint64_t page, task; } cases[] = {
		{ 32, 4096, 0xc0000000ull },
		{ 32, 8192, 0xc0000000ull },
		{ 39, 4096, 0x3ffffff000ull },
		{ 48, 4096, 0x7ffffffff000ull },
		{ 48, 8192, 0x7fffffffe000ull },
		{ 57, 4096, 0xfffffffffff000ull },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sim_config c;

		cfg_defaults(&c);
		c.va_bits = cases[i].bits;
		c.page_size = cases[i].page;
		cr_assert_eq(cfg_check(&c, "t"), 0);
		cr_assert_eq(c.task_size, cases[i].task, "va_bits %u page %llu: 0x%llx",
			     cases[i].bits, (unsigned long long)cases[i].page,
			     (unsigned long long)c.task_size);
	}
}

Test(config, mmap_base_follows_linux_rules)
{
	struct sim_config c;

	cfg_defaults(&c);
	cr_assert_eq(cfg_check(&c, "t"), 0);
	/* unlimited stack: the gap is 5/6 of the space, PAGE_ALIGN rounds up */
	c.stack_rlimit = CFG_UNLIMITED;
	cr_assert_eq(cfg_mmap_base(&c), 0x155555556000ull,
		     "unlimited: 0x%llx", (unsigned long long)cfg_mmap_base(&c));
	/* a 1G stack: gap 1G + 1M */
	c.stack_rlimit = 1ull << 30;
	cr_assert_eq(cfg_mmap_base(&c), 0x7ffffffff000ull - (1ull << 30) - (1ull << 20));
	/* legacy: bottom-up from task_size / 3 */
	c.mmap_layout = CFG_LAYOUT_LEGACY;
	cr_assert_eq(cfg_mmap_base(&c), 0x2aaaaaaab000ull);
	/* an explicit mmap_base wins */
	c.mmap_base = 0x40000000;
	cr_assert_eq(cfg_mmap_base(&c), 0x40000000);
}

/* ---- value syntax ---- */

Test(config, sizes_with_suffixes_and_hex)
{
	static const struct { const char *s; uint64_t v; } ok[] = {
		{ "0", 0 }, { "4096", 4096 }, { "4K", 4096 }, { "4k", 4096 },
		{ "4KB", 4096 }, { "4KiB", 4096 }, { "34K", 34816 },
		{ "1M", 1048576 }, { "2G", 2147483648ull }, { "1T", 1ull << 40 },
		{ "0x1000", 4096 }, { "0X1000", 4096 }, { "0x10K", 16384 },
		{ "010", 10 }, { "16777215T", 16777215ull << 40 },
		{ "18446744073709551615", UINT64_MAX },
	};
	static const char *const bad[] = {
		"", "K", "x10", "4X", "4 K", " 4K", "4K ", "-1", "+1", "4KK",
		"4Kb5", "1.5M", "0x", "18446744073709551616", "16777216T",
	};
	uint64_t v;

	for (unsigned i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = 12345;
		cr_assert_eq(cfg_parse_size(ok[i].s, &v), 0, "'%s'", ok[i].s);
		cr_assert_eq(v, ok[i].v, "'%s' -> %llu", ok[i].s, (unsigned long long)v);
	}
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(cfg_parse_size(bad[i], &v), -1, "'%s' accepted", bad[i]);
	}
	/* leading zeros are decimal, not octal */
	cr_assert_eq(cfg_parse_size("08", &v), 0);
	cr_assert_eq(v, 8);
	cr_assert_eq(cfg_parse_size("0640K", &v), 0);
	cr_assert_eq(v, 640 * 1024);
}

Test(config, times_with_units)
{
	static const struct { const char *s; uint64_t v; } ok[] = {
		{ "0", 0 }, { "100", 100 }, { "100ns", 100 }, { "2us", 2000 },
		{ "1ms", 1000000 }, { "1s", 1000000000 }, { "10us", 10000 },
		{ "0x10ns", 16 }, { "18446744073s", 18446744073000000000ull },
	};
	static const char *const bad[] = {
		"", "ns", "1 us", "1m", "1sec", "1.5us", "-1ns", "1US", "10us ",
		"18446744074s", "1h",
	};
	uint64_t v;

	for (unsigned i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cr_assert_eq(cfg_parse_time(ok[i].s, &v), 0, "'%s'", ok[i].s);
		cr_assert_eq(v, ok[i].v, "'%s' -> %llu", ok[i].s, (unsigned long long)v);
	}
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(cfg_parse_time(bad[i], &v), -1, "'%s' accepted", bad[i]);
}

Test(config, unlimited_and_bools_and_layouts, .fini = diag_reset)
{
	static const char *const yes[] = { "true", "yes", "on", "1", "TRUE", "Yes" };
	static const char *const no[] = { "false", "no", "off", "0", "OFF" };
	struct sim_config c;
	char a[64];

	cfg_defaults(&c);
	cr_assert_eq(cfg_set(&c, "stack_rlimit=unlimited", "--set"), 0);
	cr_assert_eq(c.stack_rlimit, CFG_UNLIMITED);
	cr_assert_str_eq(fmt_key(&c, "stack_rlimit"), "unlimited");
	cr_assert_eq(cfg_set(&c, "stack_rlimit=16M", "--set"), 0);
	cr_assert_eq(c.stack_rlimit, 16ull << 20);
	cr_assert_eq(cfg_set(&c, "stack_rlimit=infinity", "--set"), 0);
	cr_assert_eq(c.stack_rlimit, CFG_UNLIMITED);
	cr_assert_eq(cfg_set(&c, "address_space_limit=UNLIMITED", "--set"), 0);
	cr_assert_eq(c.address_space_limit, CFG_UNLIMITED);
	for (unsigned i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		c.validate = false;
		snprintf(a, sizeof(a), "validate=%s", yes[i]);
		cr_assert_eq(cfg_set(&c, a, "--set"), 0, "%s", a);
		cr_assert_eq(c.validate, true, "%s", a);
		cr_assert_str_eq(fmt_key(&c, "validate"), "true");
	}
	for (unsigned i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		c.validate = true;
		snprintf(a, sizeof(a), "validate=%s", no[i]);
		cr_assert_eq(cfg_set(&c, a, "--set"), 0, "%s", a);
		cr_assert_eq(c.validate, false, "%s", a);
	}
	cr_assert_eq(cfg_set(&c, "mmap_layout=legacy", "--set"), 0);
	cr_assert_eq(c.mmap_layout, CFG_LAYOUT_LEGACY);
	cr_assert_str_eq(fmt_key(&c, "mmap_layout"), "legacy");

	diag_capture();
	cr_assert_eq(cfg_set(&c, "validate=maybe", "--set"), -1);
	cr_assert_eq(cfg_set(&c, "mmap_layout=sideways", "--set"), -1);
	cr_assert_eq(cfg_set(&c, "stack_rlimit=lots", "--set"), -1);
	cr_assert_eq(cfg_set(&c, "cost_fault_ns=1.5us", "--set"), -1);
	cr_assert_eq(cfg_set(&c, "seed=0x", "--set"), -1);
	assert_diag("--set: error: validate = 'maybe': expected true or false\n"
		    "--set: error: mmap_layout = 'sideways': expected 'topdown' or 'legacy'\n"
		    "--set: error: stack_rlimit = 'lots': expected a size or 'unlimited'\n"
		    "--set: error: cost_fault_ns = '1.5us': expected a duration (e.g. 100ns, 2us, 1ms, 1s)\n"
		    "--set: error: seed = '0x': expected a number\n");
	/* a failed assignment leaves the value alone */
	cr_assert_eq(c.validate, false);
	cr_assert_eq(c.mmap_layout, CFG_LAYOUT_LEGACY);
	cr_assert_eq(c.stack_rlimit, CFG_UNLIMITED);
}

Test(config, set_overrides_one_key_and_trims_spaces)
{
	struct sim_config c, d;

	cfg_defaults(&c);
	cfg_defaults(&d);
	cr_assert_eq(cfg_set(&c, "page_size=8K", "--set"), 0);
	cr_assert_eq(c.page_size, 8192);
	cr_assert_eq(cfg_set(&c, "memory_size = 2M", "--set"), 0);
	cr_assert_eq(c.memory_size, 2ull << 20);
	cr_assert_eq(cfg_set(&c, " cost_kalloc_ns =\t3us ", "--set"), 0);
	cr_assert_eq(c.cost_kalloc_ns, 3000);
	/* nothing else moved */
	c.page_size = d.page_size;
	c.memory_size = d.memory_size;
	c.cost_kalloc_ns = d.cost_kalloc_ns;
	cr_assert_eq(memcmp(&c, &d, sizeof(c)), 0);
}

/* ---- INI files ---- */

Test(config, presets_load_and_check)
{
	struct sim_config c;

	cfg_defaults(&c);
	cr_assert_eq(cfg_load(&c, "config/seed-buddy.ini"), 0);
	cr_assert_eq(cfg_check(&c, "config/seed-buddy.ini"), 0);
	cr_assert_eq(c.memory_size, 1024 * 1024);
	cr_assert_eq(c.page_size, 64 * 1024);
	cr_assert_eq(c.max_order, 10);
	cr_assert_eq(c.sample_interval_ns, 100);

	cfg_defaults(&c);
	cr_assert_eq(cfg_load(&c, "config/i386.ini"), 0);
	cr_assert_eq(cfg_check(&c, "config/i386.ini"), 0);
	cr_assert_eq(c.va_bits, 32);
	cr_assert_eq(c.task_size, 0xc0000000ull);
	cr_assert_eq(c.memory_size, 512ull << 20);
	cr_assert_eq(c.page_size, 4096);
	cr_assert_eq(cfg_mmap_base(&c), 0xc0000000ull - (128ull << 20));

	cfg_defaults(&c);
	cr_assert_eq(cfg_load(&c, "config/x86_64.ini"), 0);
	cr_assert_eq(cfg_check(&c, "config/x86_64.ini"), 0);
	cr_assert_eq(c.task_size, 0x7ffffffff000ull);
	cr_assert_eq(c.address_space_limit, CFG_UNLIMITED);
}

Test(config, every_key_from_an_ini_file)
{
	struct sim_config c;

	cfg_defaults(&c);
	cr_assert_eq(cfg_load(&c, "tests/fixtures/ok/every-key.ini"), 0);
	cr_assert_eq(c.memory_size, 2ull << 20);   /* ; comment stripped */
	cr_assert_eq(c.page_size, 8192);
	cr_assert_eq(c.max_order, 5);
	cr_assert_eq(c.cpus, 4);
	cr_assert_eq(c.va_bits, 32);
	cr_assert_eq(c.task_size, 0xc0000000ull);
	cr_assert_eq(c.mmap_min_addr, 4096);
	cr_assert_eq(c.stack_rlimit, CFG_UNLIMITED);
	cr_assert_eq(c.stack_guard_gap, 256 * 1024);
	cr_assert_eq(c.mmap_base, 0x40000000);
	cr_assert_eq(c.mmap_layout, CFG_LAYOUT_LEGACY);
	cr_assert_eq(c.max_map_count, 1000);
	cr_assert_eq(c.address_space_limit, 3ull << 30);
	cr_assert_eq(c.cost_kalloc_ns, 1000);
	cr_assert_eq(c.cost_kfree_ns, 2000);
	cr_assert_eq(c.cost_syscall_ns, 3);
	cr_assert_eq(c.cost_vma_op_ns, 4);
	cr_assert_eq(c.cost_fault_ns, 5000000);
	cr_assert_eq(c.cost_zero_page_ns, 6);
	cr_assert_eq(c.cost_tlb_hit_ns, 0);
	cr_assert_eq(c.cost_walk_level_ns, 7);
	cr_assert_eq(c.cost_context_switch_ns, 1000000000);
	cr_assert_eq(c.sample_interval_ns, 0);
	cr_assert_eq(c.seed, 0xdeadbeef);
	cr_assert_eq(c.validate, true);
	cr_assert_eq(cfg_check(&c, "t"), 0);
	/* numbers format back in decimal bytes / ns */
	cr_assert_str_eq(fmt_key(&c, "memory_size"), "2097152");
	cr_assert_str_eq(fmt_key(&c, "task_size"), "3221225472");
	cr_assert_str_eq(fmt_key(&c, "cost_fault_ns"), "5000000");
	cr_assert_str_eq(fmt_key(&c, "seed"), "3735928559");
}

/* Loads a fixture that must fail and checks the whole diagnostic. */
static void assert_load_fails(const char *path, const char *want)
{
	struct sim_config c;

	cfg_defaults(&c);
	diag_capture();
	cr_assert_eq(cfg_load(&c, path), -1, "%s loaded", path);
	assert_diag(want);
}

Test(config, unknown_key_names_file_and_line, .fini = diag_reset)
{
	assert_load_fails("tests/fixtures/bad/unknown-key.ini",
			  "tests/fixtures/bad/unknown-key.ini:4: error: unknown config key 'page_sise'\n");
}

Test(config, bad_value_names_the_expected_syntax, .fini = diag_reset)
{
	assert_load_fails("tests/fixtures/bad/bad-value.ini",
			  "tests/fixtures/bad/bad-value.ini:3: error: page_size = '4Q': expected a size (e.g. 4096, 4K, 1M, 2G)\n");
}

Test(config, unknown_section_names_the_section_line, .fini = diag_reset)
{
	assert_load_fails("tests/fixtures/bad/unknown-section.ini",
			  "tests/fixtures/bad/unknown-section.ini:4: error: unknown section [cache] (expected [machine], [layout], [costs] or [run])\n");
}

Test(config, key_outside_any_section, .fini = diag_reset)
{
	assert_load_fails("tests/fixtures/bad/no-section.ini",
			  "tests/fixtures/bad/no-section.ini:1: error: 'memory_size' is outside any section (expected [machine], [layout], [costs] or [run])\n");
}

Test(config, page_size_not_power_of_two_names_the_line, .fini = diag_reset)
{
	assert_load_fails("tests/fixtures/bad/page-not-pow2.ini",
			  "tests/fixtures/bad/page-not-pow2.ini:3: error: page_size = '3000': not a power of two of at least 256 bytes\n");
}

Test(config, page_size_too_small_or_not_pow2_from_set, .fini = diag_reset)
{
	struct sim_config c;

	cfg_defaults(&c);
	diag_capture();
	cr_assert_eq(cfg_set(&c, "page_size=128", "--set"), -1);
	cr_assert_eq(cfg_set(&c, "page_size=12K", "--set"), -1);
	cr_assert_eq(cfg_set(&c, "page_size=0", "--set"), -1);
	assert_diag("--set: error: page_size = '128': not a power of two of at least 256 bytes\n"
		    "--set: error: page_size = '12K': not a power of two of at least 256 bytes\n"
		    "--set: error: page_size = '0': not a power of two of at least 256 bytes\n");
	cr_assert_eq(c.page_size, 4096);
	cr_assert_eq(cfg_set(&c, "page_size=256", "--set"), 0);
	cr_assert_eq(cfg_set(&c, "page_size=1G", "--set"), 0);
	cr_assert_eq(c.page_size, 1ull << 30);
}

Test(config, memory_smaller_than_a_page_fails_check, .fini = diag_reset)
{
	struct sim_config c;
	const char *path = "tests/fixtures/bad/memory-below-page.ini";

	cfg_defaults(&c);
	/* each value is fine alone: the file reads, the check refuses */
	cr_assert_eq(cfg_load(&c, path), 0);
	diag_capture();
	cr_assert_eq(cfg_check(&c, path), -1);
	assert_diag("tests/fixtures/bad/memory-below-page.ini: error: memory_size 32768 is smaller than one page (65536)\n");
}

Test(config, malformed_line_is_reported_before_later_errors, .fini = diag_reset)
{
	/* line 3 has no '=', line 4 is out of range: both reported, in order */
	assert_load_fails("tests/fixtures/bad/malformed-line.ini",
			  "tests/fixtures/bad/malformed-line.ini:3: error: malformed line (expected 'key = value' or '[section]')\n"
			  "tests/fixtures/bad/malformed-line.ini:4: error: max_order = '99': out of range (0 to 30)\n");
}

Test(config, out_of_range_value_gives_the_range, .fini = diag_reset)
{
	assert_load_fails("tests/fixtures/bad/out-of-range.ini",
			  "tests/fixtures/bad/out-of-range.ini:5: error: max_order = '31': out of range (0 to 30)\n");
}

Test(config, unreadable_file, .fini = diag_reset)
{
	assert_load_fails("tests/fixtures/bad/does-not-exist.ini",
			  "tests/fixtures/bad/does-not-exist.ini: error: cannot open config: No such file or directory\n");
}

Test(config, set_without_equals_sign, .fini = diag_reset)
{
	struct sim_config c;

	cfg_defaults(&c);
	diag_capture();
	cr_assert_eq(cfg_set(&c, "page_size", "--set"), -1);
	cr_assert_eq(cfg_set(&c, "=8K", "--set"), -1);
	assert_diag("--set: error: expected KEY=VALUE, got 'page_size'\n"
		    "--set: error: expected KEY=VALUE, got '=8K'\n");
}

Test(config, set_unknown_key_and_out_of_range, .fini = diag_reset)
{
	struct sim_config c;

	cfg_defaults(&c);
	diag_capture();
	cr_assert_eq(cfg_set(&c, "pagesize=8K", "--set"), -1);
	cr_assert_eq(cfg_set(&c, "cpus=0", "--set"), -1);
	cr_assert_eq(cfg_set(&c, "memory_size=0", "w.wl:3:5"), -1);
	assert_diag("--set: error: unknown config key 'pagesize'\n"
		    "--set: error: cpus = '0': out of range (1 to 64)\n"
		    "w.wl:3:5: error: memory_size = '0': out of range (1 to 1125899906842624)\n");
	cr_assert_eq(c.cpus, 1);
}

Test(config, check_rejects_task_size_outside_va_bits, .fini = diag_reset)
{
	struct sim_config c;

	cfg_defaults(&c);
	cr_assert_eq(cfg_set(&c, "va_bits=32", "--set"), 0);
	cr_assert_eq(cfg_set(&c, "task_size=0x200000000", "--set"), 0);
	diag_capture();
	cr_assert_eq(cfg_check(&c, "config"), -1);
	c.task_size = 0xc0000800;
	cr_assert_eq(cfg_check(&c, "config"), -1);
	c.task_size = 0xc0000000;
	c.mmap_base = 0xd0000000;
	cr_assert_eq(cfg_check(&c, "config"), -1);
	assert_diag("config: error: task_size 0x200000000 does not fit in va_bits 32\n"
		    "config: error: task_size 0xc0000800 is not page aligned\n"
		    "config: error: mmap_base 0xd0000000 is not a page-aligned address below task_size\n");
}

Test(config, load_overrides_only_the_keys_it_names)
{
	struct sim_config c, d;

	cfg_defaults(&c);
	cfg_defaults(&d);
	c.cost_fault_ns = 777;   /* not in the file: kept */
	cr_assert_eq(cfg_load(&c, "config/seed-buddy.ini"), 0);
	cr_assert_eq(c.cost_fault_ns, 777);
	cr_assert_eq(c.va_bits, d.va_bits);
	cr_assert_eq(c.page_size, 65536);
}

Test(config, long_line_keeps_line_numbers_true, .fini = diag_reset)
{
	/* line 3 is 302 bytes: reported, and line 5 is still line 5 */
	assert_load_fails("tests/fixtures/bad/long-line.ini",
			  "tests/fixtures/bad/long-line.ini:3: error: line too long\n"
			  "tests/fixtures/bad/long-line.ini:5: error: unknown config key 'page_sise'\n");
}

Test(config, several_errors_all_reported_in_line_order, .fini = diag_reset)
{
	char path[] = "/tmp/vmsim-test-config-XXXXXX";
	int fd = mkstemp(path);
	static const char text[] =
		"[cache]\n"            /* 1: unknown, reported once */
		"lines = 64\n"
		"ways = 8\n"
		"[machine]\n"
		"max_order = 40\n"     /* 5 */
		"oops\n"               /* 6: malformed */
		"cpus = none\n";       /* 7 */

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	{
		struct sim_config c;
		char want[1024];

		cfg_defaults(&c);
		diag_capture();
		cr_assert_eq(cfg_load(&c, path), -1);
		unlink(path);
		snprintf(want, sizeof(want),
			 "%s:1: error: unknown section [cache] (expected [machine], [layout], [costs] or [run])\n"
			 "%s:5: error: max_order = '40': out of range (0 to 30)\n"
			 "%s:6: error: malformed line (expected 'key = value' or '[section]')\n"
			 "%s:7: error: cpus = 'none': expected a number\n",
			 path, path, path, path);
		assert_diag(want);
	}
}
