#!/usr/bin/env bash
# scaling.sh: trace size and CLI time of big scenarios, delta records vs --full-states
# (issue 14). The scenarios are generated here, into a temporary directory; none is added to
# the catalogue.
#
#   tools/scaling.sh            # every row of README's scaling table
#   tools/scaling.sh ru100 sts  # some rows: ru100 ru1000 ru10000 sts
#   FULL=0 tools/scaling.sh     # skip the --full-states runs (slow at 10,000 replicas)
#
# Columns: pods (every pod the run created), state records, changes (entries written in
# delta records: new or changed entries plus removals), the bytes of the state records alone
# and of the whole JSONL trace, with deltas and with --full-states, and the wall time of each
# `kubesim run -o jsonl` (output to a file in $TMPDIR).
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/kubesim" ./cmd/kubesim

nodes() { # nodes N: N nodes of 4 CPUs over three zones
	echo "nodes:"
	for ((i = 1; i <= $1; i++)); do
		echo "  - {name: node-$i, cpu: \"4\", memory: 16Gi, labels: {topology.kubernetes.io/zone: zone-$((i % 3))}}"
	done
}

# rolling REPLICAS NODES: Deployments of REPLICAS pods in all (250m each, 16 per node fit;
# at most 5,000 per Deployment, kubesim's limit) rolled from web:1.0 to web:2.0 at 60 s in 20
# waves (maxSurge 5%, maxUnavailable 0), each new pod Ready after its readiness probe passes.
rolling() {
	local n=$((($1 + 4999) / 5000)) d
	cat <<EOF
apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: rolling-$1}
title: "Rolling update of $1 replicas on $2 nodes"
seed: 1
until: 4m
$(nodes "$2")
images:
  web:1.0: {pull: 2s, start: 3s}
  web:2.0: {pull: 2s, start: 3s}
timeline:
  - {at: 0s, apply: all}
$(for ((d = 1; d <= n; d++)); do echo "  - {at: 60s, kubectl: \"set image deployment/web-$d web=web:2.0\"}"; done)
EOF
	for ((d = 1; d <= n; d++)); do
		cat <<EOF
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-$d, labels: {app: web-$d}}
spec:
  replicas: $(($1 / n))
  selector: {matchLabels: {app: web-$d}}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 5%, maxUnavailable: 0}
  template:
    metadata: {labels: {app: web-$d}}
    spec:
      terminationGracePeriodSeconds: 5
      containers:
        - name: web
          image: web:1.0
          ports: [{containerPort: 8080}]
          resources: {requests: {cpu: 250m, memory: 128Mi}}
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
            periodSeconds: 2
EOF
	done
}

# statefulset REPLICAS NODES: an OrderedReady StatefulSet behind a headless Service (one DNS
# answer per ready pod), created one pod at a time, each Ready 2-4 s after it starts.
statefulset() {
	cat <<EOF
apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: sts-$1}
title: "OrderedReady StatefulSet of $1 replicas on $2 nodes"
seed: 1
until: $(($1 * 2 + 120))s
$(nodes "$2")
images:
  nginx:1.25: {pull: 0s, start: 1s}
timeline:
  - {at: 0s, apply: all}
---
apiVersion: v1
kind: Service
metadata: {name: nginx}
spec:
  clusterIP: None
  selector: {app: nginx}
  ports: [{name: web, port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: $1
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers:
        - name: nginx
          image: nginx:1.25
          ports: [{containerPort: 80}]
          resources: {requests: {cpu: 100m, memory: 64Mi}}
          readinessProbe:
            httpGet: {path: /, port: 80}
            initialDelaySeconds: 2
            periodSeconds: 2
EOF
}

# timed OUT ARGS...: runs kubesim with ARGS, its stdout into OUT; prints the wall seconds.
timed() {
	local out=$1 start end
	shift
	start=$(date +%s.%N)
	"$tmp/kubesim" "$@" >"$out"
	end=$(date +%s.%N)
	echo "$end - $start" | bc -l | xargs printf '%.1f'
}

mib() { echo "$1 / 1048576" | bc -l | xargs printf '%.2f MiB'; }

statebytes() { grep '"type":"\(state\|delta\)"' "$1" | wc -c; }

row() { # row NAME FILE
	local f=$2 td tf="-" sd sf="-" std stf="-" pods states changes
	td=$(timed "$tmp/d.jsonl" run "$f" -o jsonl)
	sd=$(mib "$(stat -c %s "$tmp/d.jsonl")")
	std=$(mib "$(statebytes "$tmp/d.jsonl")")
	states=$(grep -c '"type":"\(state\|delta\)"' "$tmp/d.jsonl")
	read -r pods changes < <(jq -rs '[.[] | select(.type == "state" or .type == "delta")] |
		([.[].pods[]?.name] | unique | length | tostring) + " " +
		([.[] | select(.type == "delta") | (del(.t, .type, .removed) | [.[] | length] | add // 0)
		+ ([.removed[] | length] | add // 0)] | add // 0 | tostring)' "$tmp/d.jsonl")
	if [[ ${FULL:-1} == 1 ]]; then
		tf=$(timed "$tmp/f.jsonl" run "$f" -o jsonl --full-states)s
		sf=$(mib "$(stat -c %s "$tmp/f.jsonl")")
		stf=$(mib "$(statebytes "$tmp/f.jsonl")")
		rm -f "$tmp/f.jsonl"
	fi
	printf '| %s | %s | %s | %s | %s / %s | %s / %s | %ss / %s |\n' "$1" "$pods" "$states" "$changes" "$std" "$stf" "$sd" "$sf" "$td" "$tf"
}

rows=("$@")
[[ ${#rows[@]} -gt 0 ]] || rows=(ru100 ru1000 ru10000 sts)
echo "| scenario | pods | state records | changes | state records: deltas / full | whole JSONL: deltas / full | run -o jsonl: deltas / full |"
echo "|---|---|---|---|---|---|---|"
for r in "${rows[@]}"; do
	case $r in
	ru100) rolling 100 10 >"$tmp/s.yaml" && row "rolling update, 100 replicas, 10 nodes" "$tmp/s.yaml" ;;
	ru1000) rolling 1000 100 >"$tmp/s.yaml" && row "rolling update, 1,000 replicas, 100 nodes" "$tmp/s.yaml" ;;
	ru10000) rolling 10000 1000 >"$tmp/s.yaml" && row "rolling update, 10,000 replicas, 1,000 nodes" "$tmp/s.yaml" ;;
	sts) statefulset 1000 100 >"$tmp/s.yaml" && row "StatefulSet OrderedReady, 1,000 replicas, 100 nodes" "$tmp/s.yaml" ;;
	*) echo "unknown row $r: want ru100 ru1000 ru10000 sts" >&2 && exit 1 ;;
	esac
done
