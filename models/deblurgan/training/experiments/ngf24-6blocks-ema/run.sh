#!/bin/bash
# A larger generator trained from scratch (2-core CPU, tfjs-wasm with 2 threads and the native
# OpenBLAS convolutions), in two sittings on one run folder. Not shipped: no better than the
# shipped ngf-12 checkpoint on the held-out test set, and 3× slower to run (see ../../../README.md).
# Data: scripts/make-training-data.sh (DATA defaults to /work/data).
# Each sitting resumes exactly where the last stopped (weights, Adam state, step, RNG).
cd "$(dirname "$0")/../../../../.."   # repository root
DATA="${DATA:-/work/data}"
RUN="${RUN:-runs/deblurgan-ngf24}"
common=(--data "$DATA/train" --val "$DATA/val" --out "$RUN" --ngf 24 --blocks 6 --content mse --adversarial none
        --batch 2 --crop 128 --seed 4 --steps 9000 --constant-fraction 0.5 --lr 3e-4
        --validate-every 1000 --checkpoint-every 200 --log-every 20 --quiet)

# 1. steps 0–400 without a weight average (stopped at the step-400 checkpoint to add one)
node dist/src/cli.js train "${common[@]}" --max-minutes 116

# 2. steps 400–9000 with the exponential moving average of the weights (decay 0.999), which is
#    what is validated and exported; lr 3e-4 constant to step 4500, then linear decay to 0
node dist/src/cli.js train "${common[@]}" --ema 0.999 --max-minutes 107

# 3. export the averaged checkpoint with its ONNX file (no further steps), for evaluation
node dist/src/cli.js train "${common[@]}" --ema 0.999 --max-minutes 0 --export "$RUN/export"
