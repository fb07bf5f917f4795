# A real program: `sort /etc/services` on Debian 12 (x86-64), every memory
# access as valgrind's lackey tool recorded it (654,881 records), through
# the TLB, page tables and fault handler (pages mapped on first touch:
# adopted_pages). traces/sort/COMMAND and traces/record.sh say how it was recorded,
# and traces/sort/ the native run's strace log with its start and end maps.
lackey traces/sort/trace.lackey.gz
