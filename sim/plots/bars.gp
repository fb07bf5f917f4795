# bars.gp - one counter of a page-size sweep, per workload, a bar per page
# size (scons plots). Called with:
#   gnuplot -e "data='...dat'; out='...png'; metric='pgfault'; unit='faults'" bars.gp
# data: a header row "workload 4096 8192 ...", then one row per workload.
set terminal pngcairo size 1100,520 font ",10"
set output out
set title sprintf("%s by page size (vmsim sweep, log scale)", metric)
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set yrange [0.8:*]
set ylabel unit
set xtics rotate by -30 scale 0
set key top left title "page size (bytes)"
set grid ytics
ncols = system(sprintf("head -1 '%s' | wc -w", data)) + 0
plot for [i=2:ncols] data using (column(i) > 0 ? column(i) : 1/0):xtic(1) title columnhead(i)
