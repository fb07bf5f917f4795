# A real program: `ls -l /` on Debian 12 (x86-64), every memory access it
# made as valgrind's lackey tool recorded it (880,625 records: instruction
# fetches, loads, stores), run through the TLB, the page tables and the
# fault handler. The pages it touches are mapped as it first touches them
# (counted in adopted_pages), since lackey shows valgrind's layout, not
# the native one. traces/ls/COMMAND and traces/record.sh say how it was recorded;
# traces/ls/ also holds the native run's strace log with its start and end
# maps (vmsim replay --maps traces/ls/start.smaps --strace traces/ls/strace.log).
lackey traces/ls/trace.lackey.gz
