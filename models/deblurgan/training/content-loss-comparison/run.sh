#!/bin/bash
cd "$(dirname "$0")/../../../.."   # repository root
for loss in l1 mse; do
  rm -rf "${RUNS:-/work/runs/cmp}"/$loss
  node dist/src/cli.js train --data "${DATA:-/work/data}"/train --val "${DATA:-/work/data}"/val --out "${RUNS:-/work/runs/cmp}"/$loss \
    --ngf 12 --blocks 4 --content $loss --adversarial none --steps 100000 --constant-fraction 1 --lr 3e-4 \
    --batch 4 --crop 96 --seed 1 --max-minutes 8 --validate-every 100 --checkpoint-every 100000 --log-every 10 --quiet > "${RUNS:-/work/runs/cmp}"/$loss.out 2>&1
done
