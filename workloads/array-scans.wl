# Scans of large arrays: a 256M array of doubles is initialised (first
# touch: one fault per page), then read sequentially twice (one TLB miss
# per page, the rest hits), then read at uniformly random places (nearly
# every access misses the TLB and walks all levels), then through a
# zipf-skewed index (a few hot pages, mostly hits). The same workload at
# 8K pages halves the faults and the misses of the sequential scans and
# doubles the reach of the TLB for the random ones.
config ../config/x86_64.ini

a = mmap any 256M rw private,anon
access write seq a 256M 65536 4K        # initialise, a page at a time
access read seq a 256M 4000000          # sequential, 8-byte doubles
access read seq a 256M 4000000
access read uniform a 256M 2000000      # random gather
access read zipf a 256M 2000000         # skewed lookups
