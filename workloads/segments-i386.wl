# Segmentation as teaching texts draw it: an i386 process with its own
# code, data and (expand-down) stack segments. A logical address SEG:OFFSET
# becomes linear = base + offset after the limit and type checks, then
# goes through the page tables. Faults are counted (segv = skip).
config ../config/i386.ini
set segmentation=segmented
set segv=skip

segment cs 0x08048000 64K code
segment ds 0x08100000 1M data
segment ss 0xbffff000 64K stack        # top at 0xbffff000, grows down
text = mmap 0x08048000 64K rx private,anon,fixed
data = mmap 0x08100000 1M rw private,anon,fixed
stk = mmap 0xbffef000 64K rw private,anon,fixed

exec cs:0x100                          # linear 0x08048100
access write seq ds:0 1M 256 4K        # touch every data page
write ss:0xfffffff0                    # 16 bytes below the top
explain ss:0xfffffff0 write
read cs:0x10000                        # beyond cs's 64K limit: SIGSEGV
write cs:0x10                          # code is not writable: SIGSEGV
explain ds:0x100000                    # beyond ds's limit
