# A real program: `gzip -c /etc/services` on Debian 12 (x86-64), every
# memory access as valgrind's lackey tool recorded it (2,766,185 records),
# through the TLB, page tables and fault handler (pages mapped on first
# touch: adopted_pages). traces/gzip/COMMAND and traces/record.sh say how it was
# recorded, and traces/gzip/ the native run's strace log with its start
# and end maps.
lackey traces/gzip/trace.lackey.gz
