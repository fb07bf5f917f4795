# Physical fragmentation: fill 64M of 4K pages with 16K blocks in pairs,
# then free one block of every pair. Half the memory is free, yet no free
# block is larger than 16K, because each freed block's buddy is still in
# use: buddyinfo shows 2048 free order-2 blocks and nothing above, the
# unusable index in timeseries.csv is 1 for every order above 2, and the
# 2M requests at the end fail (kalloc_fail = 8) though 32M are free.
set memory_size=64M
set page_size=4K
set slab=false          # all 64M for the blocks: no kernel objects
set sample_interval_ns=50us

repeat 2048 {
    kalloc keep$i 16K
    kalloc hole$i 16K
}
dump buddyinfo
repeat 2048 {
    kfree hole$i
}
dump buddyinfo
dump fragindex
repeat 8 {
    kalloc big$i 2M
}
repeat 1024 {
    kfree keep$i              # free the first half of the kept blocks:
}                             # their freed neighbours now coalesce
dump buddyinfo
repeat 8 {
    kalloc late$i 2M          # and 2M blocks can be had again
}
dump buddyinfo
