# A shell runs `producer | consumer`: it forks two children that share a
# 64K pipe buffer (a MAP_SHARED anonymous mapping the shell makes and
# touches before the forks, so all three map the same frames and nothing
# is copied), waits for them, and goes on. The producer writes the buffer 16 times; the consumer reads it
# and builds its own result on the heap. Each child exits, giving its
# memory back; the shell's own pages, shared with the children while
# they ran, are its alone again.
config ../config/x86_64.ini

spawn sh text=1M data=64K bss=32K stack=132K {
    env = mmap any 128K rw private,anon
    access write seq env 128K 32 4K
    pipe = mmap any 64K rw shared,anon
    access write seq pipe 64K 16 4K         # its pages exist before the forks
    fork producer {
        repeat 16 {
            access write seq pipe 64K 16 4K
            sleep 20us
        }
        exit
    }
    fork consumer {
        out = sbrk +256K
        repeat 16 {
            sleep 10us
            access read seq pipe 64K 16 4K
            access write seq out 256K 64 4K
        }
        exit
    }
    sleep 1ms                               # wait(2) for both
    access write seq env 128K 32 4K         # no copy: the children are gone
}
