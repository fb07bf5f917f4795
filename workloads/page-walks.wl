# Translation: how the same memory costs in TLB misses, page walks and
# faults under three access patterns. Try it with --set page_size=8K.
config ../config/x86_64.ini

big = mmap any 64M rw private,anon
# first touch: one write per page, every one a fault
access write seq big 64M 16384 4K
# a sequential scan of 64-bit words: one TLB miss per page
access read seq big 64M 1000000
# uniform over 64M: nearly every access misses the 64+1536-entry TLB
access read uniform big 64M 1000000
# zipf: a few hot pages, so most accesses hit
access read zipf big 64M 1000000 4K
dump maps
