#!/usr/bin/env bash
# Retrains the shipped models from scratch and records them in www/models/manifest.json.
# Deterministic for a given seed on a given machine; takes about an hour on 2 cores.
# Settings were chosen on a validation part of the train split (--validation 0.1), never on
# the test split; the shipped runs then train on the whole train split.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

"$ROOT/pkg-scripts/fetch-data.sh"
# The dev profile is optimised (opt-level 3, see Cargo.toml); --release would add an LTO build
# of burn that takes longer than the training and changes nothing but link-time inlining.
train() { cargo run --quiet --bin train -- "$@"; }

train --id course-note-l32 --out www/models/course-note-l32.aepg --role courseNote \
  --name "Course note" \
  --description "Exactly the course note's network: Dense 784-512-256-128-64-32 and its mirror, LeakyReLU (slope 0.3), Dropout 0.5 after every hidden layer. Dropout that strong on every layer blurs its reconstructions." \
  --latent 32 --dropout 0.5 --epochs 40 --schedule cosine --lr 1e-3 --batch-size 64 --seed 1

# What the denoiser is compared with: the same recipe on clean digits.
train --id tuned-l32 --out www/models/tuned-l32.aepg --role denoiserBaseline \
  --name "Tuned" \
  --description "The same layers, trained without dropout and with a cosine-decaying learning rate for longer: dropout helps classifiers generalise, but an autoencoder needs every unit to carry detail through the bottleneck." \
  --latent 32 --dropout 0 --epochs 60 --schedule cosine --lr 1e-3 --batch-size 64 --seed 1

# The latent-size study: one recipe (same data, epochs, schedule and seed) at every L, so the
# only difference between these models is the size of the bottleneck. The tuned layers for 200
# epochs at twice the tuned learning rate: 150 epochs on digits deformed afresh at every epoch (a
# random rotation, scaling and shift, and an elastic warp), so that 8,004 digits teach more than
# themselves, then 50 on the digits as they are, so that the network ends on the distribution
# it is tested on. Chosen on validation digits at L = 2 and 64 (BENCHMARKS.md, "what helped").
# The best of them at L = 32 is the model the page draws with (and compares the conv model
# with); L = 2's codes are the plane "Dream up digits" decodes.
for latent in 2 4 8 16 32 64; do
  roles=()
  [ "$latent" = 32 ] && roles=(--role drawing --role convBaseline)
  [ "$latent" = 2 ] && roles=(--role codePlane)
  train --id "dense-l$latent" --out "www/models/dense-l$latent.aepg" --latent-size-study "${roles[@]}" \
    --name "Dense L=$latent" \
    --description "Latent-size study: the tuned layers with a $latent-number bottleneck, trained 200 epochs: 150 on randomly deformed digits, then 50 on the digits as they are." \
    --latent "$latent" --dropout 0 --epochs 200 --deform elastic --deform-epochs 150 --schedule cosine --lr 2e-3 --batch-size 64 --seed 1
done

# The drawing model is fetched before the first view: its 7-bit file (the trainer's fewest bits
# within 0.9 % of the float weights) re-quantised to 5 bits by GPTQ, 0.74 MB instead of 1.03,
# for a test MSE 7 % higher (still the best dense model at L = 32 by far).
cargo run --quiet --bin requantize -- --id dense-l32 --bits 5

# The convolutional autoencoder: downsampling by strided convolutions, upsampling by resizing
# and convolving. Batch 32 and lr 2e-3: in two short runs on 2,000 digits, batch 64 at lr 3e-3
# stayed on the mean-digit plateau (training BCE flat) while batch 32 at lr 2e-3 left it at once.
# 80 epochs, the study's way: 60 on deformed digits, then 20 on the digits as they are (60 epochs,
# 45 deformed, reached 0.31 × PCA's test MSE at L = 32; the target is 0.3).
train --id conv-l32 --out www/models/conv-l32.aepg --role conv \
  --name "Convolutional" \
  --description "Strided 3×3 convolutions downsample 28×28 → 14×14 → 7×7, a Dense layer makes the 32-number code; the decoder upsamples back with nearest-neighbour resizing and 3×3 convolutions. A tenth of the dense model's parameters." \
  --architecture conv --latent 32 --dropout 0 --epochs 80 --deform elastic --deform-epochs 60 --schedule cosine --lr 2e-3 --batch-size 32 --seed 1

# The denoiser: the tuned dense recipe, trained on corrupted inputs with clean targets.
train --id denoiser-l32 --out www/models/denoiser-l32.aepg --role denoiser \
  --name "Denoiser" \
  --description "The tuned dense model trained as a denoiser: its inputs carry Gaussian noise, salt-and-pepper and an erased patch (a random amount per digit), its targets are the clean digits." \
  --denoise --latent 32 --dropout 0 --epochs 60 --schedule cosine --lr 1e-3 --batch-size 64 --seed 1

# The variational autoencoders: the dense trunk with a mean and a log-variance head, trained on
# BCE plus the KL divergence from N(0, I) (β = 1), so that codes drawn from N(0, I) decode to
# digits (the page's "Dream up digits"). On the digits as they are: a generator should learn
# the digits' own distribution, not that of their deformations. L = 2 for the grid over the
# plane, L = 16 for the dreams.
for latent in 2 16; do
  role=generator
  [ "$latent" = 2 ] && role=generatorPlane
  train --id "vae-l$latent" --out "www/models/vae-l$latent.aepg" --role "$role" \
    --name "VAE L=$latent" \
    --description "A variational autoencoder: the dense trunk with a mean and a log-variance head, trained on reconstruction BCE plus the KL divergence of each code's distribution from N(0, I) (β = 1), so that codes drawn from N(0, I) decode to digits." \
    --architecture vae --latent "$latent" --dropout 0 --beta 1 --epochs 150 --schedule cosine --lr 1e-3 --batch-size 64 --seed 1
done

# What the latent-size study is measured against: PCA of the same training digits,
# with as many axes as the study's largest L, and k-nearest-neighbour classification with
# every model's codes, PCA's and the raw pixels; the figures go into the manifest.
cargo run --quiet --bin study-baselines

# The latent map's second view: a t-SNE map of the test digits' codes for every model with more
# than two latent numbers (written beside it, <id>.map), and how well it and PCA's plane keep a
# digit's neighbours the same digit; the figures go into the manifest. About 10 s per model.
cargo run --quiet --release --bin map-report
# Transfer learning: what 10 to 8,004 labels make of the drawing model's encoder (a softmax on
# pixels, PCA codes and frozen codes; the encoder fine-tuned, against the same network from
# random weights, with and without deformations), into the manifest's `transfer` figures; and
# the classifier fine-tuned on 100 labels, shipped with the `classifier` role. About 15 minutes
# on two busy cores.
cargo run --quiet --bin transfer-report -- --write classifier-100-labels
