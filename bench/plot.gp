# gnuplot -e "data='latest.dat'; out='latest.png'" bench/plot.gp
# Milliseconds per call (log scale), median with min-max bars: client, bare libcurl, naive.
set terminal pngcairo size 1400,700 noenhanced font ",11"
set output out
set title "snapstate-cpp: time per call against bare libcurl and a naive nlohmann client (median, min-max)"
set ylabel "ms per call (log scale)"
set logscale y
set yrange [0.01:*]
set grid ytics
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set datafile missing "-"
set xtics rotate by -25
set key top left
plot data using 2:3:4:xtic(1) title "snapstate client" lc rgb "#1f77b4", \
     ''   using 5:6:7 title "bare libcurl (the limit)" lc rgb "#7f7f7f", \
     ''   using 8:9:10 title "naive (nlohmann dump/parse)" lc rgb "#d62728"
