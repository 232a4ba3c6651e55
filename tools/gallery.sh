#!/usr/bin/env bash
# Rebuild the README gallery in docs/ with the project's own commands:
# one still per scene (`backprop-video stills`) and one short GIF (`render --format gif`).
set -euo pipefail
cd "$(dirname "$0")/.."
cli=.venv/bin/backprop-video
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

$cli stills anatomy forward loss backward descent training --resolution 640x360 -o "$work" >/dev/null
$cli stills --module examples/xor_boundary.py XorTraining --resolution 640x360 -o "$work" >/dev/null
$cli stills --module examples/lecture_slides.py LectureForwardPass --resolution 640x360 \
    -o "$work" >/dev/null
$cli render loss --format gif --resolution 480x270 --fps 8 -o "$work" >/dev/null
# Other frame shapes: a lecture-hall projector (4:3) and a phone (9:16).
$cli stills backward --resolution 640x480 -o "$work/4x3" >/dev/null
$cli stills forward --resolution 480x854 -o "$work/9x16" >/dev/null

mkdir -p docs
cp "$work"/NetworkAnatomy-06-parameters.png docs/anatomy.png
cp "$work"/ForwardPass-04-activate.png docs/forward.png
cp "$work"/OuchMoment-05-average.png docs/loss.png
cp "$work"/Backpropagation-12-wave.png docs/backward.png
cp "$work"/GradientDescent-03-visible_steps.png docs/descent.png
cp "$work"/Training-04-result.png docs/training.png
cp "$work"/XorTraining-04-result.png docs/xor.png
cp "$work"/LectureForwardPass-07-prediction.png docs/light.png
cp "$work"/OuchMoment.gif docs/loss.gif
cp "$work"/4x3/Backpropagation-07-factors.png docs/backward-4x3.png
cp "$work"/9x16/ForwardPass-04-activate.png docs/forward-9x16.png
ls -l docs
