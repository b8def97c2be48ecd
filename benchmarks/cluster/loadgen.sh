#!/usr/bin/env bash
# Prints the path of the cluster benchmark's load generator jar, building it first when needed:
# the shared load generator (../shared/bench/loadgen, read only) copied to a writable work dir,
# with loadgen-nodes.patch applied (--url a,b and --watch NAME=PID; see the patch's header).
# Rebuilt whenever the shared sources or the patch change. Progress goes to stderr.
#
# Environment: RELAY_BENCH_SRC (the shared harness, default <repo>/../shared/bench),
#              CLUSTER_LOADGEN_WORK (the work dir, default ${TMPDIR:-/tmp}/relay-cluster-loadgen).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
src="${RELAY_BENCH_SRC:-$repo/../shared/bench}/loadgen"
work="${CLUSTER_LOADGEN_WORK:-${TMPDIR:-/tmp}/relay-cluster-loadgen}"
die() { echo "cluster-loadgen: $*" >&2; exit 2; }
[ -f "$src/pom.xml" ] || die "no shared load generator at $src (set RELAY_BENCH_SRC)"

sum="$( (cd "$src" && find pom.xml src -type f -print0 | sort -z | xargs -0 cat; cat "$here/loadgen-nodes.patch") | sha256sum | cut -c1-16)"
jar="$work/target/loadgen.jar"
if [ ! -f "$jar" ] || [ "$(cat "$work/.built-from" 2>/dev/null)" != "$sum" ]; then
  echo "cluster-loadgen: building the shared load generator with loadgen-nodes.patch in $work" >&2
  rm -rf "$work"
  mkdir -p "$work"
  (cd "$src" && tar cf - --exclude=target pom.xml src) | (cd "$work" && tar xf -)
  chmod -R u+w "$work"
  patch -p1 --forward --no-backup-if-mismatch -d "$work" <"$here/loadgen-nodes.patch" >&2 \
    || die "loadgen-nodes.patch no longer applies to $src: port its hunks (see $work/*.rej)"
  (cd "$work" && { mvn -B -q -o package -DskipTests >&2 || mvn -B -q package -DskipTests >&2; }) \
    || die "load generator build failed in $work"
  echo "$sum" >"$work/.built-from"
fi
echo "$jar"
