# The worked example of README.md: one page written on the i386 preset,
# then its translation told step by step (segment, indices, TLB, each
# table entry, the physical address).
config ../config/i386.ini

buf = mmap 0x0804a000 8K rw private,anon,fixed
explain buf+0x123 write       # before: no page table yet
write buf+0x123
explain buf+0x123 write       # after: the two-level walk
read buf+0x1008
explain buf+0x1008
