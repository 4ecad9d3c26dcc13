#!/usr/bin/env bash
# "No slower than before", measured: the suite at HEAD against the suite at a baseline revision, both
# built here and run alternately in this one invocation on the same machine, so load hits both alike.
#   scripts/bench-baseline.sh [BASE_REV]      (default a78bbda, the last commit before the crate split)
# Prints, for each side: the default run's wall time (all cases, embedded reference; best of ROUNDS)
# and the same-request throughput (GET of an unknown object, 8 in flight) as a ratio to oha's against
# the same reference server; then HEAD/baseline for both. BENCH_ROUNDS (default 3) runs per side.
# BENCH_FUZZ=1 adds fuzz exec/s per target (scripts/bench-fuzz.sh of each side, one process);
# With valgrind, 1b and 2b count instructions (callgrind) for the default run and per same request.
# BENCH_SKIP_SUITE=1 skips the suite figures (1 and 2). With BENCH_FUZZ=1 and valgrind, 4. fuzzes with
# both sides' binaries from the same seeds (BENCH_FUZZ_SEEDS, default "1") and counts instructions per
# input (callgrind), a figure the machine's other load does not move.
# Network: loopback only; every server it starts is stopped on exit; every tool runs under a time bound.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=true
BASE=${1:-a78bbda}
ROUNDS=${BENCH_ROUNDS:-3}
# oha is only needed for the suite figures (2.), not for a fuzz-only run.
if [ "${BENCH_SKIP_SUITE:-0}" != 1 ] && ! command -v oha >/dev/null; then
  echo "bench: installing oha" >&2; cargo install --locked oha >/dev/null 2>&1
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { python3 -c 'import time; print(time.time())'; }
ratio() { python3 -c "print(f'{$1 / max($2, 1e-9):.2f}')"; }
since() { python3 -c "import time; print(f'{time.time() - $1:.2f}')"; }

work=target/bench-baseline
mkdir -p "$work"
wt="$work/tree"
[ -d "$wt" ] || git worktree add -q --detach "$wt" "$BASE"
git -C "$wt" checkout -q --detach "$BASE"
trap 'git worktree remove --force "$wt" 2>/dev/null || true; [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true' EXIT
# The baseline predates the `embedded` feature (the reference was always linked then).
build() { (cd "$1" && CARGO_TARGET_DIR="$2" cargo build --release --locked -q -p journey-conformance -p journey-reference \
  --features journey-conformance/embedded 2>/dev/null) || (cd "$1" && CARGO_TARGET_DIR="$2" cargo build --release --locked -q \
  -p journey-conformance -p journey-reference); }
if [ "${BENCH_SKIP_SUITE:-0}" != 1 ]; then
build "$wt" "$PWD/$work/target"
build . "$PWD/target"
declare -A suite=([base]="$work/target/release/journey-conformance" [head]="target/release/journey-conformance")
echo "== $(nproc) cores; head $(git rev-parse --short HEAD), baseline $(git rev-parse --short "$BASE")"

# 1. Default run, best of ROUNDS, sides alternating.
declare -A best=([base]=1e9 [head]=1e9)
for _ in $(seq 1 "$ROUNDS"); do
  for side in base head; do
    t=$(now); timeout 600 "${suite[$side]}" >/dev/null 2>&1 || true; s=$(since "$t")
    best[$side]=$(python3 -c "print(min(${best[$side]}, $s))")
  done
done
echo "1. default run (best of $ROUNDS): baseline ${best[base]}s, head ${best[head]}s; head/baseline $(python3 -c "print(f'{${best[head]} / ${best[base]}:.2f}')")"

# 1b. The default run under callgrind: instructions of the whole process (suite and embedded reference),
# which the machine's load does not move.
if command -v valgrind >/dev/null; then
  declare -A total=()
  for side in base head; do
    total[$side]=$(timeout 900 valgrind --tool=callgrind --callgrind-out-file=/dev/null "${suite[$side]}" 2>&1 >/dev/null \
      | grep -o 'Collected : [0-9]*' | awk '{print $3}')
  done
  echo "1b. default run under callgrind: instructions baseline ${total[base]}, head ${total[head]};" \
    "head/baseline $(ratio "${total[head]:-0}" "${total[base]:-1}")"
fi

# 2. Same request, suite vs oha, per side; oha measured between them so both ratios share its figure.
port=$(free_port); account=benchacct; password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
target/release/journey-reference --listen "127.0.0.1:$port" --account "$account:$password" >/dev/null 2>&1 &
server=$!
base_url="http://127.0.0.1:$port/api/v4/$account"
for _ in $(seq 1 100); do curl -fsS -o /dev/null -u "$account:$password" "$base_url/datamodel.json" 2>/dev/null && break; sleep 0.1; done
rps() {
  local out
  out=$(JOURNEY_API_URL="$base_url" JOURNEY_API_USER="$account" JOURNEY_API_PASSWORD="$password" timeout 300 \
    "$1" --case ids/unknown/GET-nil-uuid --concurrency 8 --repeat 20000 2>/dev/null || true)
  echo "$out" | awk '/^ran /{gsub("s","",$5); if ($5 > 0) printf "%.0f\n", $2 / $5}'
}
oha_rps() {
  timeout 120 oha -n 20000 -c 8 --no-tui --output-format json -a "$account:$password" \
    "$base_url/objects/task/00000000-0000-0000-0000-000000000000.json" \
    | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["summary"]["requestsPerSec"]))'
}
declare -A ratios=([base]="" [head]="")
for _ in $(seq 1 "$ROUNDS"); do
  for side in base head; do
    s=$(rps "${suite[$side]}"); o=$(oha_rps)
    r=$(python3 -c "print(f'{${s:-0} / max(${o:-1}, 1):.3f}')")
    echo "   $side: suite ${s:-?} req/s, oha $o req/s, suite/oha $r"
    ratios[$side]="${ratios[$side]} $r"
  done
done
# Best and median: on a shared machine single rounds move by half, so the best alone picks outliers.
stat() { python3 -c "import statistics as s; v=[float(x) for x in '$1'.split()]; print(f'{max(v):.3f} {s.median(v):.3f}')"; }
read -r best_b med_b <<<"$(stat "${ratios[base]}")"
read -r best_h med_h <<<"$(stat "${ratios[head]}")"
echo "2. same request, suite/oha over $ROUNDS rounds: best baseline $best_b, head $best_h (head/baseline" \
  "$(ratio "$best_h" "$best_b")); median baseline $med_b, head $med_h (head/baseline $(ratio "$med_h" "$med_b"))"

# 2b. The same request under callgrind: the suite's instructions per request (the difference between
# --repeat 2500 and --repeat 500, so start-up and setup cancel out), which the machine's load does not
# move; the target is the same reference server in its own process, not counted.
if command -v valgrind >/dev/null; then
  instr() {
    JOURNEY_API_URL="$base_url" JOURNEY_API_USER="$account" JOURNEY_API_PASSWORD="$password" timeout 900 \
      valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" --case ids/unknown/GET-nil-uuid --concurrency 8 \
      --repeat "$2" 2>&1 >/dev/null | grep -o 'Collected : [0-9]*' | awk '{print $3}'
  }
  declare -A per=()
  for side in base head; do
    long=$(instr "${suite[$side]}" 2500); short=$(instr "${suite[$side]}" 500)
    per[$side]=$(python3 -c "print(round((${long:-0} - ${short:-0}) / 2000))")
  done
  echo "2b. same request under callgrind: suite instructions/request baseline ${per[base]}, head ${per[head]};" \
    "requests/s head/baseline $(ratio "${per[base]}" "${per[head]}")"
fi

fi

# 3. Fuzz exec/s (BENCH_FUZZ=1): scripts/bench-fuzz.sh of each side, one process, alternating.
# BENCH_FUZZ_WALL=0 skips these (section 4 alone, which load cannot move).
if [ "${BENCH_FUZZ:-0}" = 1 ]; then
  for dir in "$wt" .; do
    # Each fuzz/ is its own workspace with its own target dir; a CARGO_TARGET_DIR from the caller
    # would put both sides' binaries in one place.
    (cd "$dir/fuzz" && env -u CARGO_TARGET_DIR cargo +nightly fuzz build -O -s none >/dev/null 2>&1) \
      || { echo "bench: fuzz build failed in $dir" >&2; exit 1; }
  done
fi
if [ "${BENCH_FUZZ:-0}" = 1 ] && [ "${BENCH_FUZZ_WALL:-1}" != 0 ]; then
  secs=${BENCH_FUZZ_SECONDS:-15}
  for _ in $(seq 1 "$ROUNDS"); do
    for side in base head; do
      dir=$([ "$side" = base ] && echo "$wt" || echo .)
      FUZZ_WORKERS=1 "$dir/scripts/bench-fuzz.sh" "$secs" 2>/dev/null | awk -v s="$side" 'NR > 1 && $1 !~ /^logs:/ {print "   " s ": " $1 " " $3 " exec/s"}'
    done
  done
fi

# 4. Fuzzing under callgrind (BENCH_FUZZ=1, valgrind): each side's binary fuzzes from an empty corpus
# for a fixed number of runs with a fixed seed; instructions per run are the inverse of exec/s, counted
# the same whatever else the machine is doing (section 3's wall-clock figures move with the load).
# BENCH_FUZZ_SEEDS (default "1") lists the seeds; each gives its own line, since the seed decides which
# inputs the fuzzer makes and so how many of them become requests.
if [ "${BENCH_FUZZ:-0}" = 1 ] && command -v valgrind >/dev/null; then
  runs=${BENCH_FUZZ_RUNS:-20000}
  triple=$(rustc -vV | sed -n 's/^host: //p')
  fz="$PWD/$work/fuzz"; rm -rf "$fz"
  for t in ${FUZZ_TARGETS:-request batch filename json_body}; do
    declare -A bin=([base]="$wt/fuzz/target/$triple/release/$t" [head]="fuzz/target/$triple/release/$t")
    [ -x "${bin[base]}" ] && [ -x "${bin[head]}" ] || { echo "4. $t: a fuzz binary is missing"; continue; }
    for seed in ${BENCH_FUZZ_SEEDS:-1}; do
      declare -A ir=()
      for side in base head; do
        out="$fz/$t/$seed/$side"; mkdir -p "$out"
        timeout 1800 valgrind --tool=callgrind --callgrind-out-file=/dev/null "${bin[$side]}" "$out" \
          -runs="$runs" -seed="$seed" -dict=fuzz/dict/json_http.dict >"$out.log" 2>&1 || true
        ir[$side]=$(grep -o 'Collected : [0-9]*' "$out.log" | awk '{print $3}')
      done
      python3 -c "b, h = ${ir[base]:-0} / $runs, ${ir[head]:-0} / $runs; print(f'4. $t: {$runs} runs (seed $seed), instructions/run baseline {b:,.0f}, head {h:,.0f}; exec/s head/baseline {b / max(h, 1):.2f}')"
    done
  done
fi
