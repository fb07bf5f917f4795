# A malloc-heavy program, as glibc's malloc drives the kernel: small objects
# come from the heap, which grows with brk by what was asked plus a 128K
# top pad (M_TOP_PAD) and is written as it fills; requests of 128K or more
# (M_MMAP_THRESHOLD) get their own anonymous mmap of the request plus a
# 16-byte header, a length that is rarely a page multiple; free() gives
# those back with munmap and trims the heap's top with a negative sbrk
# once more than 128K (M_TRIM_THRESHOLD) of it is free.
# vm_internal_frag_bytes in summary.csv is the page rounding of all that:
# it grows with the page size, while pgfault and page-table pages shrink.
config ../config/x86_64.ini

repeat 40 {
    arena$i = sbrk +150000                  # 21K of objects + the top pad
    access write seq arena$i 150000 37 4K   # the objects are written
}
repeat 24 {
    big$i = mmap any 200016 rw private,anon # malloc(200000)
    access write seq big$i 200016 49 4K
    med$i = mmap any 131088 rw private,anon # malloc(131072)
    access read uniform med$i 131088 500
}
repeat 24 {
    munmap big$i                            # free(big)
}
sbrk -3000000                               # trim the heap's free top
repeat 12 {
    munmap med$i                            # free half of the rest
}
dump maps
