# ls: re-record the bundled traces (run as root, in the output directory).
# Recorded on Linux 6.18.44-fc-v1272 x86-64, valgrind-3.19.0, strace -- version 6.1, Debian 12.11.
# stdout (and, in the strace run, stderr) go to /dev/null, so the log names no tty/file.

# 1. valgrind lackey access trace (lackey's own layout; ASLR irrelevant)
env -i PATH=/usr/bin:/bin HOME=/root LANG=C \
  valgrind --tool=lackey --trace-mem=yes --log-file=trace.lackey /usr/bin/ls -l / >/dev/null
gzip -9n trace.lackey
# check (vmsim wants a regular file: a .gz path is fine, <(...) is not):
#   vmsim replay --lackey trace.lackey.gz -o out-ls
#   vmsim replay --set page_size=8K --lackey trace.lackey.gz -o out-ls-8K

# 2. one native run, ASLR off, minimal env, under strace. strace holds the
#    tracee 1 s at its first brk(NULL) (first syscall after execve, so the
#    layout is still the execve one; identical to gdb 'starti' maps) and at
#    exit_group(); /proc/PID/maps is copied during those holds.
env -i PATH=/usr/bin:/bin HOME=/root LANG=C \
  setarch "$(uname -m)" -R \
  strace -f -y -e trace=memory,openat,close,execve,clone,clone3,fork,vfork,exit_group \
    -e inject=brk:delay_enter=1000000:when=1 \
    -e inject=exit_group:delay_enter=1000000 \
    -o strace.log /usr/bin/ls -l / >/dev/null 2>/dev/null &
tracer=$!
until child=$(pgrep -P $tracer); do sleep 0.01; done
wait_nr() { until read -r nr _ < /proc/$child/syscall && [ "$nr" = $1 ]; do sleep 0.005; done; }
wait_nr 12;  cat /proc/$child/maps > start.maps; cat /proc/$child/smaps > start.smaps  # in brk
wait_nr 231; cat /proc/$child/maps > end.maps                               # in exit_group
wait $tracer
# check:
#   vmsim replay --maps start.maps --strace strace.log -o rep-ls > rep-ls.stdout   # replay_mismatches = 0
#   (scons test compares the printed maps with end.maps: tests/test_replay.c)
