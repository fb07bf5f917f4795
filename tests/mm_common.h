/*
 * mm_common.h - what the address-space suites (test_mm.c, test_vma.c)
 * share: the flag shorthands and a fresh x86-64 space with validation on.
 */
#ifndef VMSIM_TEST_MM_COMMON_H
#define VMSIM_TEST_MM_COMMON_H

#include <sys/mman.h>

#include "common.h"
#include "mm/mm.h"

#define PG 4096ULL
#define RW (PROT_READ | PROT_WRITE)
#define PAF (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* An empty space with Linux's x86-64 defaults; mm_validate after each call. */
static inline struct mm_struct *new_mm(void)
{
	struct mm_params p;
	struct mm_struct *mm;

	mm_params_default(&p);
	cr_assert_eq(mm_create(&p, &mm), 0);
	mm_set_validate(mm, true);
	return mm;
}

#endif
