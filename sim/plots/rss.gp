# rss.gp - resident memory over time for every workload of a sweep, one
# panel per workload, a line per page size (scons plots). Called with:
#   gnuplot -e "dir='...'; out='...png'; names='a b c'; sizes='4096 8192'" rss.gp
# Each dir/rss-NAME-SIZE.dat holds time_ns and rss_bytes.
n = words(names)
cols = n < 3 ? n : 3
rows = (n + cols - 1) / cols
set terminal pngcairo size 420*cols,300*rows font ",9"
set output out
set multiplot layout rows,cols title "RSS over time by page size (vmsim sweep)"
set grid
set key top left
set format y "%.1s %cB"
set xlabel "simulated time (ms)"
do for [w in names] {
	set title w
	plot for [ps in sizes] sprintf("%s/rss-%s-%s.dat", dir, w, ps) \
		using ($1/1e6):2 with steps title sprintf("%s B pages", ps)
}
unset multiplot
