#!/bin/bash
# How the shipped checkpoint was trained (2-core CPU, tfjs-wasm with 2 threads), in three sittings
# on one run folder. Data: scripts/make-training-data.sh (DATA defaults to /work/data).
# Each sitting resumes exactly where the last stopped (weights, Adam state, step, RNG).
cd "$(dirname "$0")/../../.."   # repository root
DATA="${DATA:-/work/data}"
RUN="${RUN:-/work/runs/deblurgan}"
common=(--data "$DATA/train" --val "$DATA/val" --out "$RUN" --ngf 12 --blocks 4 --content mse --adversarial none
        --batch 4 --crop 96 --seed 1 --quiet)

# 1. steps 0–5000: lr 3e-4, constant for 60 % of 5000 steps, then linear decay to 0
#    (first 8 minutes = the MSE arm of content-loss-comparison/, then resumed for 57 minutes)
node dist/src/cli.js train "${common[@]}" --steps 5000 --constant-fraction 0.6 --lr 3e-4 \
  --validate-every 250 --checkpoint-every 100 --log-every 10 --max-minutes 70

# 2. steps 5000–23000: the schedule restarted at lr 2e-4, constant up to step 9200 (40 % of 23000),
#    then linear decay to 0 at step 23000
node dist/src/cli.js train "${common[@]}" --steps 23000 --constant-fraction 0.4 --lr 2e-4 \
  --validate-every 1000 --checkpoint-every 200 --log-every 20 --max-minutes 200

# 3. export the checkpoint with its ONNX file (no further steps)
node dist/src/cli.js train "${common[@]}" --steps 23000 --constant-fraction 0.4 --lr 2e-4 --validate-every 1000 --export models/deblurgan

# 4. fine-tune (a new run from the step-23000 weights): 160-px crops, batch 2, on 50 kernels per
#    photo (train50, 900 pairs), lr 1e-4 constant for 40 % of 8000 steps then linear decay to 0,
#    weight average (decay 0.999) validated and exported; 4655 s
FT="${FT:-/work/runs/ft160}"
node dist/src/cli.js train --data "$DATA/train50" --val "$DATA/val" --out "$FT" \
  --init "$RUN/generator" --ngf 12 --blocks 4 --content mse --adversarial none \
  --steps 8000 --constant-fraction 0.4 --lr 1e-4 --batch 2 --crop 160 --seed 6 --ema 0.999 \
  --validate-every 1000 --checkpoint-every 200 --log-every 50 --max-minutes 90 --quiet

# 5. export with the inference tiling chosen on the validation pairs (160-px tiles, 48-px overlap);
#    (the test-set and sample-suite figures and the notes on the shipped card were added by hand)
node dist/src/cli.js train --data "$DATA/train50" --val "$DATA/val" --out "$FT" --ngf 12 --blocks 4 \
  --content mse --adversarial none --steps 8000 --constant-fraction 0.4 --lr 1e-4 --batch 2 --crop 160 \
  --seed 6 --tile 160 --tile-overlap 48 --export models/deblurgan
