# shellcheck shell=bash
# Shared by the load test scripts: the repository root, a JDK >= 21 and a check for the tools a script needs.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck disable=SC2034 # used by the scripts that source this one
LOADTEST="$ROOT/loadtest"

die() { echo "loadtest: $*" >&2; exit 1; }

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

# JAVA_HOME, the java on the PATH, then the installed JDKs newest first: the first that is 21 or newer.
find_jdk() {
  local candidates=() dir home
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  while IFS= read -r dir; do candidates+=("$dir"); done < <(
    for dir in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* \
               "$HOME"/.jdks/*; do
      [[ -x "$dir/bin/java" ]] && echo "$dir"
    done | sort -rV)
  for home in "${candidates[@]}"; do
    [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || continue
    if (( $(java_major "$home/bin/java" || echo 0) >= 21 )); then
      export JAVA_HOME="$home"
      export PATH="$JAVA_HOME/bin:$PATH"
      return
    fi
  done
  die "a JDK 21 or newer is needed and none was found; install one or set JAVA_HOME to it."
}

# require TOOL "how to get it": says every missing tool before giving up; installs nothing.
MISSING=()
require() {
  command -v "$1" >/dev/null 2>&1 || MISSING+=("$1 ($2)")
}

require_done() {
  if (( ${#MISSING[@]} > 0 )); then
    printf 'loadtest: missing: %s\n' "${MISSING[@]}" >&2
    exit 1
  fi
}

# cpu_ticks: "BUSY SERVER POSTGRES REDIS" clock ticks used so far by the whole machine (all CPUs, busy time), by the
# server under test ($SERVER_PID), by the PostgreSQL (its postmaster and children) and the Redis of a LocalBackend
# whose data folder is $OUT/data. What the machine used besides those three during a run is the load generator's
# (Gatling and the Maven that starts it).
proc_ticks() {
  local pid total=0
  for pid in "$@"; do
    [[ -r "/proc/$pid/stat" ]] || continue
    total=$(( total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }') ))
  done
  echo "$total"
}
cpu_ticks() {
  local busy
  busy="$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)"
  # shellcheck disable=SC2046 # one argument per pid
  local postmaster redis
  postmaster="$(head -1 "$OUT/data/postgres/postmaster.pid" 2>/dev/null || echo 0)"
  redis="$(cat "$OUT/data/redis/redis.pid" 2>/dev/null || echo 0)"
  # shellcheck disable=SC2046 # one argument per pid
  echo "$busy $(proc_ticks "${SERVER_PID:-0}") $(proc_ticks "$postmaster" $( (( postmaster > 0 )) && pgrep -P "$postmaster")) $(proc_ticks "$redis")"
}
