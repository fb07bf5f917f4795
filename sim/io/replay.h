/*
 * replay.h - `vmsim replay`: a real program's memory calls, re-run.
 *
 * Replay rebuilds the address space a traced program had and runs every
 * memory call of an `strace -f -y` log through vmsim's own mm (sim/mm),
 * comparing each result with the one the kernel logged:
 *
 *     start.smaps ──maps_import──► mm of the traced pid
 *     strace.log  ──strace──► mmap/munmap/mprotect/brk/mremap/madvise
 *                             ├─ vmsim's result == kernel's?  (else counted,
 *                             │   recorded, and the kernel's outcome adopted)
 *                             └─ clone/fork/vfork/execve/exit: processes
 *     final mm ──mm_print_maps──► /proc/<pid>/maps of the chosen pid
 *
 * Processes: the chosen pid (the log's first, or opts.pid) starts from the
 * snapshot (or empty without one). A child made with CLONE_VM (a thread,
 * or vfork) shares its parent's mm; any other clone/fork starts as a copy
 * (mm_dup); the fd table is shared with CLONE_FILES and copied otherwise.
 * A successful execve gives the pid an address space vmsim
 * cannot know: its later calls are skipped and counted (replay_skipped),
 * as are calls of pids whose origin the log does not show. One exception:
 * an execve of the chosen pid that comes before any of its memory calls
 * is the exec that produced the snapshot, which is taken to show the
 * state right after it (the real/ programs are recorded that way).
 *
 * Mismatches never stop a replay: the traced program saw the kernel's
 * result and its later calls depend on it, so vmsim then adopts it (an
 * mmap is undone and re-done with MAP_FIXED at the kernel's address, a
 * refused brk is forced to the logged break, ...).
 *
 * Files: each openat() gives a new file identity (mm_file: mappings of one
 * open file may merge, of two opens may not); mmap's fd names its file
 * through the -y annotation, or through the fd table built from
 * openat/close when the log has no -y.
 */
#ifndef SIM_IO_REPLAY_H
#define SIM_IO_REPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "io/config.h"
#include "io/strace.h"

struct replay_opts {
	const char *maps_path;      /* start maps/smaps snapshot, or NULL */
	const char *strace_path;    /* the strace -f -y log (required) */
	int pid;                    /* pid to print; 0 = the log's first pid */
	const struct sim_config *cfg; /* machine and layout; NULL = defaults */
	FILE *out;                  /* final maps go here; NULL = not printed */
	bool events;                /* keep one record per memory call */
};

/* One replayed memory call, for events.csv. */
struct replay_event {
	unsigned line;              /* log line of the call */
	int pid;                    /* caller */
	enum strace_sys sys;        /* which call */
	char *args;                 /* argument text as logged (owned) */
	int64_t vmsim_ret;          /* vmsim's result: address, value or -errno */
	int64_t kernel_ret;         /* the logged result */
	bool mismatch;              /* they differ */
};

struct replay_result {
	uint64_t lines;             /* log lines read */
	uint64_t calls;             /* memory calls replayed */
	uint64_t by_sys[STRACE_SYS__COUNT]; /* records seen, by kind */
	uint64_t replay_mismatches; /* vmsim's result != the kernel's */
	uint64_t replay_skipped;    /* memory calls of unknown address spaces */
	uint64_t unsupported;       /* calls vmsim could not run or adopt */
	uint64_t unknown_syscalls;  /* other syscalls in the log (skipped) */
	uint64_t processes;         /* pids seen */
	int pid;                    /* the pid whose maps were printed */
	unsigned first_mismatch_line; /* 0 if none */
	struct replay_event *events; /* when opts.events: one per memory call */
	size_t nr_events;           /* entries in events */
	size_t cap_events;          /* allocated entries */
};

/*
 * Replays o->strace_path from o->maps_path and prints the chosen pid's
 * final maps to o->out. *r is filled (and must be released with
 * replay_result_free(), also after a failure). Returns 0, or -1 after a
 * diag_error() for bad input (the caller exits 2).
 */
int replay_run(const struct replay_opts *o, struct replay_result *r);

struct maps_snapshot;
struct mm_struct;

/*
 * Builds a snapshot's address space in mm (empty, created with the
 * snapshot's layout): VMAs with their VmFlags and anon_vma state, files
 * by identity, the gate VMA, start_brk/brk. Returns 0, or -1 after a
 * diag_error() naming path.
 */
int replay_import_snapshot(struct mm_struct *mm, const struct maps_snapshot *s,
			   const char *path);

/*
 * One process's memory calls run on an address space the caller owns (a
 * lackey trace's, whose log interleaves them with the accesses): each
 * call through replay_session_call(), with the same comparison and
 * adoption of the logged outcome as replay_run(), counted in *r. A pid
 * other than the session's is taken as a thread of it. cfg gives the
 * page size for brk (NULL: defaults).
 */
struct replay_session;

int replay_session_new(struct mm_struct *mm, const struct sim_config *cfg,
		       struct replay_result *r, struct replay_session **out);
/* Runs one record (a memory call, or openat/close for file identities).
 * Returns 0, or -ENOMEM. */
int replay_session_call(struct replay_session *s, const struct strace_rec *rec);
/* Frees the session; the address space stays the caller's. */
void replay_session_free(struct replay_session *s);

/* Frees the event records of *r and zeroes it. */
void replay_result_free(struct replay_result *r);

#endif /* SIM_IO_REPLAY_H */
