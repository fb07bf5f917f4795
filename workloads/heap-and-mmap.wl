# A malloc-like process on x86-64: the heap grows with sbrk in 128K steps
# (glibc's default top pad), large buffers come from anonymous mmap below
# mmap_base, and freeing gives both back. dump maps shows the address space
# as /proc/<pid>/maps would.
config ../config/x86_64.ini

repeat 8 {
    heap$i = sbrk +128K
}
big = mmap any 1M rw private,anon
table = mmap any 256K r private,anon
dump maps
mprotect big+64K 64K r          # a guard in the middle splits the VMA
dump maps
mprotect big+64K 64K rw         # and the split merges back
munmap table
sbrk -512K                      # the heap shrinks
dump maps
munmap big
dump maps
