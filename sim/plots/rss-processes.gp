# rss-processes.gp - resident memory of each process of one sweep point
# over time, a line per process (scons plots). Called with:
#   gnuplot -e "dir='...'; prefix='rssproc-W-P'; out='...png'; pids='1:server 2:worker'; title='...'" rss-processes.gp
# Each dir/PREFIX-PID.dat holds time_ns and rss_bytes while the process lived.
set terminal pngcairo size 900,480 font ",10"
set output out
set title title
set grid
set key outside right
set format y "%.1s %cB"
set xlabel "simulated time (ms)"
set ylabel "RSS"
plot for [w in pids] sprintf("%s/%s-%s.dat", dir, prefix, w[1:strstrt(w, ":") - 1]) \
	using ($1/1e6):2 with steps lw 2 title sprintf("pid %s", w)
