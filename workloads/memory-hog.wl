# Out of memory: a 64M machine runs an editor (4M), a database (24M) and
# a memory hog that maps and fills 1M after 1M. When no frame is left for
# a fault, the OOM killer takes the process with the largest RSS (the
# hog, with some 9,000 pages against the database's 6,144), its memory
# comes back, and the others run on. events.csv (--events) names the
# victim (oom_kill); oom_kills and the per-process rows of summary.csv
# show who survived.
config ../config/x86_64.ini
set memory_size=64M

spawn editor {
    doc = mmap any 4M rw private,anon
    access write seq doc 4M 1024 4K
    sleep 5ms
    access read uniform doc 4M 10000
}
spawn database {
    pool = mmap any 24M rw private,anon
    access write seq pool 24M 6144 4K
    sleep 5ms
    access read zipf pool 24M 20000
}
spawn hog {
    @ 1ms
    repeat 64 {
        chunk$i = mmap any 1M rw private,anon
        access write seq chunk$i 1M 256 4K
    }
}
