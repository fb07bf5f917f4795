#!/bin/sh
# Records a bundled real-program trace into the current directory, as the
# ones in workloads/traces/*/ were (Linux 6.18 x86-64, Debian 12: valgrind
# 3.19.0, strace 6.1; run as root):
#
#     mkdir -p workloads/traces/ls && cd workloads/traces/ls
#     sh ../record.sh /usr/bin/ls -l /
#
# 1. trace.lackey.gz: every memory access, from valgrind's lackey tool (in
#    valgrind's own layout, so ASLR does not matter), compressed.
# 2. strace.log, start.maps, start.smaps, end.maps: one native run, ASLR
#    off, under strace. strace holds the program for a second at its first
#    brk(NULL) (the first call after execve: the layout is still exec's)
#    and at exit_group(), and /proc/PID/maps (and smaps) is copied then.
# Both runs get the same small environment; stdout and stderr go to
# /dev/null so the log names no terminal.
#
# Check: vmsim replay --maps start.smaps --strace strace.log prints
# end.maps (tests/test_replay.c checks it), and a workload with the line
# `lackey traces/NAME/trace.lackey.gz` runs the accesses.
set -eu
[ $# -ge 1 ] || { echo "usage: sh record.sh PROGRAM [ARG]..." >&2; exit 2; }

env -i PATH=/usr/bin:/bin HOME=/root LANG=C \
	valgrind --tool=lackey --trace-mem=yes --log-file=trace.lackey "$@" >/dev/null
gzip -9nf trace.lackey

env -i PATH=/usr/bin:/bin HOME=/root LANG=C \
	setarch "$(uname -m)" -R \
	strace -f -y -e trace=memory,openat,close,execve,clone,clone3,fork,vfork,exit_group \
		-e inject=brk:delay_enter=1000000:when=1 \
		-e inject=exit_group:delay_enter=1000000 \
		-o strace.log "$@" >/dev/null 2>/dev/null &
tracer=$!
until child=$(pgrep -P $tracer); do sleep 0.01; done
# the syscall the program is held in: 12 is brk, 231 exit_group (x86-64)
wait_nr() { until read -r nr _ < /proc/$child/syscall && [ "$nr" = "$1" ]; do sleep 0.005; done; }
wait_nr 12
cat /proc/$child/maps > start.maps
cat /proc/$child/smaps > start.smaps
wait_nr 231
cat /proc/$child/maps > end.maps
wait $tracer
