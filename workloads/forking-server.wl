# A pre-forking server (Apache's prefork, PostgreSQL's postmaster): the
# server loads a 4M read-mostly cache and a 1M table of counters, then
# forks eight workers, one every 200us. Each worker reads the cache a lot
# (shared with the server: no copy), bumps a few counters (each first
# write to a shared page copies it: cow_faults), serves from a buffer of
# its own, and exits. summary.csv has a row per process: the server's
# forks, each worker's cow_faults and pgfault, and the total; with
# --set asid=true the context switches stop flushing the TLB.
config ../config/x86_64.ini

spawn server text=2M data=256K bss=512K stack=132K {
    cache = mmap any 4M r private,anon
    access read seq cache 4M 1024 4K        # loaded (read-only, zero pages)
    counters = mmap any 1M rw private,anon
    access write seq counters 1M 256 4K     # initialised
    repeat 8 {
        fork worker {
            buf = mmap any 256K rw private,anon
            access write seq buf 256K 64 4K
            access read zipf cache 4M 20000
            access write uniform counters 1M 16
            munmap buf
            exit
        }
        sleep 200us
    }
    sleep 2ms
}
