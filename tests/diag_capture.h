/*
 * diag_capture.h - catching what diag_error() prints, for the suites
 * that check bad input's exact messages: diag_capture() points
 * diag_stream at a memory buffer, diag_text() stops and returns the
 * text, diag_reset() frees it, assert_diag(want) does all three.
 */
#ifndef VMSIM_TEST_DIAG_CAPTURE_H
#define VMSIM_TEST_DIAG_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "common.h"
#include "io/diag.h"

static char *diag_buf;
static size_t diag_len;

static inline void diag_capture(void)
{
	diag_stream = open_memstream(&diag_buf, &diag_len);
	cr_assert_not_null(diag_stream);
}

static inline const char *diag_text(void)
{
	if (diag_stream) {
		fclose(diag_stream);
		diag_stream = NULL;
	}
	return diag_buf ? diag_buf : "";
}

static inline void diag_reset(void)
{
	if (diag_stream)
		fclose(diag_stream);
	diag_stream = NULL;
	free(diag_buf);
	diag_buf = NULL;
	diag_len = 0;
}

#define assert_diag(want) do {						\
	const char *got_ = diag_text();					\
	cr_assert_str_eq(got_, (want), "diagnostic:\n  got:  %s\n  want: %s", \
			 got_, (want));					\
	diag_reset();							\
} while (0)

#endif
