# The seed's buddy-system example: 1024K of memory, 64K minimum block.
# Four programs ask for memory, two give it back, then the rest do; a
# `dump buddyinfo` after every step shows the free blocks per order
# (64K 128K 256K 512K 1024K), as /proc/buddyinfo prints them.
config ../config/seed-buddy.ini

dump buddyinfo          # one free 1024K block
kalloc A 34K            # A takes 64K at 0
dump buddyinfo
kalloc B 66K            # B takes 128K at 128K
dump buddyinfo
kalloc C 35K            # C takes 64K at 64K
dump buddyinfo
kalloc D 67K            # D takes 128K at 256K
dump buddyinfo
kfree B
dump buddyinfo
kfree D
dump buddyinfo
kfree A
dump buddyinfo
kfree C                 # everything coalesces back to one 1024K block
dump buddyinfo
dump fragindex
