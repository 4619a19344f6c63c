module ecoplan.invalid/bench/hjt212driver

go 1.19

require github.com/teafull/hjt212 v0.0.0

// The peer checkout is given at build time: benchmarks/sources_decode.py copies this
// directory to a temporary one and runs `go mod edit -replace
// github.com/teafull/hjt212=<--peer DIR or $HJT212_DIR>` there. No peer code is committed.
replace github.com/teafull/hjt212 => ./peer
