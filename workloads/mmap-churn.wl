# mmap/munmap churn: 2000 anonymous mappings of mixed sizes, then every
# third one unmapped, then more mappings that fall into the holes (Linux
# takes the highest gap that fits below mmap_base). nr_vmas and
# total_vm_pages in summary.csv show the result; events.csv (--events)
# shows where each mapping landed.
config ../config/x86_64.ini

repeat 1000 {
    a$i = mmap any 8K rw private,anon
    b$i = mmap any 24K r private,anon
}
repeat 1000 {
    munmap b$i
}
repeat 500 {
    c$i = mmap any 16K rw private,anon
}
dump maps
