# freeblocks.gp - the buddy allocator over time for one sweep point
# (scons plots): free blocks of each order (top) and the unusable free
# space index of each order (bottom, 0 = every free page can serve a
# request of that order, 1 = none can). Called with:
#   gnuplot -e "data='...dat'; out='...png'; label='...'; orders=11" freeblocks.gp
# data: time_ns, free_blocks_order0..N, unusable_index_order0..N.
set terminal pngcairo size 1000,760 font ",10"
set output out
set multiplot layout 2,1 title label
set key outside right title "order"
set palette defined (0 "#1f3a93", 0.35 "#1e9e6a", 0.7 "#e0a500", 1 "#c0392b")
unset colorbox
set grid
set xlabel "simulated time (ms)"
set ylabel "free blocks"
set logscale y
plot for [o=0:orders-1] data using (column(1)/1e6):(column(2+o) > 0 ? column(2+o) : 1/0) \
	with steps lw 2 lc palette frac (o / (orders - 1.0)) title sprintf("%d", o)
unset logscale y
set ylabel "unusable free space index"
set yrange [0:1.05]
plot for [o=0:orders-1] data using (column(1)/1e6):(column(2+orders+o)) \
	with steps lw 2 lc palette frac (o / (orders - 1.0)) title sprintf("%d", o)
unset multiplot
