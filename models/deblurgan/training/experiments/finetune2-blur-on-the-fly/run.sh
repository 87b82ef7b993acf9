#!/bin/bash
# A second fine-tune of the shipped checkpoint (trained, not shipped): every 160-px crop of the 18
# training photos blurred on the fly with a new trajectory kernel, lr 5e-5, validation in the
# checkpoint's 160-px tiles. 4000 steps, ~38 min.
cd "$(dirname "$0")/../../../../.."   # repository root
DATA="${DATA:-/work/data}"
RUN="${RUN:-/work/runs/ft2}"
node dist/src/cli.js train --data "$DATA/wallpapers/sharp" --blur-on-the-fly trajectory --val "$DATA/val" --out "$RUN" \
  --init models/deblurgan --ngf 12 --blocks 4 --content mse --adversarial none \
  --steps 4000 --constant-fraction 0.3 --lr 5e-5 --batch 2 --crop 160 --seed 7 --ema 0.999 --tile 160 --tile-overlap 48 \
  --validate-every 1000 --checkpoint-every 200 --log-every 50 --max-minutes 38 --quiet
