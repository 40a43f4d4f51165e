use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;

use super::*;
use crate::architecture::DenseAutoencoderConfig;
use crate::model::{DenseAutoencoder, images_tensor};
use crate::training::dropout::MaskStream;
use crate::training::loss::binary_cross_entropy;

const ROWS: usize = 24;

/// `rows` images of a fixed pattern: some pixels 0, some 1, most in between.
fn images(rows: usize, shift: usize) -> Vec<f32> {
    (0..rows * PIXELS)
        .map(|i| ((i * 31 + shift) % 256) as f32 / 255.0)
        .collect()
}

fn by_hand_from(model: &DenseAutoencoder) -> DenseStep {
    let (encoder, decoder) = model.layer_values();
    DenseStep::new(encoder, decoder, model.leaky_slope())
}

/// The largest difference between two networks' parameters, layer by layer.
fn furthest(a: &[LinearValues], b: &[LinearValues]) -> f32 {
    assert_eq!(a.len(), b.len());
    let pairs = a.iter().zip(b).flat_map(|(a, b)| {
        assert_eq!((a.inputs, a.outputs), (b.inputs, b.outputs));
        a.weight
            .iter()
            .zip(&b.weight)
            .chain(a.bias.iter().zip(&b.bias))
    });
    pairs.map(|(a, b)| (a - b).abs()).fold(0.0, f32::max)
}

fn all_layers(model: &DenseAutoencoder) -> Vec<LinearValues> {
    let (encoder, decoder) = model.layer_values();
    [encoder, decoder].concat()
}

#[test]
fn steps_are_the_steps_burns_autodiff_and_adam_take() {
    let device = crate::device().autodiff();
    let mut model = DenseAutoencoderConfig::new(8).init(&device);
    let mut by_hand = by_hand_from(&model);
    let start = all_layers(&model);
    let mut adam = AdamConfig::new().init();
    let mut stream = MaskStream::new(1, model.dropout_rate());
    // A denoiser's kind of step: the targets are not the inputs.
    let (inputs, targets) = (images(ROWS, 0), images(ROWS, 7));
    for _ in 0..3 {
        let masks = stream.next_batch(ROWS, &model.dropped_widths());
        let keep: Vec<Tensor<2>> = (masks.rows(0..ROWS).into_iter())
            .map(|(width, mask)| Tensor::from_data(TensorData::new(mask, [ROWS, width]), &device))
            .collect();
        let rebuilt = model.forward_dropped(images_tensor(&inputs, ROWS, &device), &keep);
        let loss = binary_cross_entropy(rebuilt, images_tensor(&targets, ROWS, &device));
        let burns_loss = loss.clone().into_scalar::<f32>();
        let gradients = GradientsParams::from_grads(loss.backward(), &model);
        model = adam.step(1e-3, model, gradients);

        let shares = vec![0..8, 8..ROWS];
        let loss = (by_hand.step_in_shares(&inputs, &targets, Some(&masks), 1e-3, shares)).unwrap();
        assert!(
            (loss - burns_loss).abs() < 1e-5 * burns_loss,
            "{loss} vs burn's {burns_loss}"
        );
    }
    let moved = furthest(&start, &by_hand.values());
    let apart = furthest(&all_layers(&model), &by_hand.values());
    // Three steps of 10⁻³ move weights by up to 3·10⁻³; rounding leaves them far closer.
    assert!(moved > 2e-3, "the weights moved by up to {moved}");
    assert!(
        apart < 2e-5,
        "by hand and by burn, the weights differ by up to {apart}"
    );
}

#[test]
fn any_split_of_a_batch_takes_the_same_step() {
    let model = DenseAutoencoderConfig::new(8).init(&crate::device());
    let widths = model.dropped_widths();
    let inputs = images(ROWS, 3);
    let after_two_steps = |shares: Vec<Range<usize>>| {
        let mut by_hand = by_hand_from(&model);
        let mut stream = MaskStream::new(5, 0.5);
        let losses: Vec<f32> = (0..2)
            .map(|_| {
                let masks = stream.next_batch(ROWS, &widths);
                let shares = shares.clone();
                (by_hand.step_in_shares(&inputs, &inputs, Some(&masks), 1e-3, shares)).unwrap()
            })
            .collect();
        (losses, by_hand.values())
    };
    let (whole_losses, whole) = after_two_steps(std::iter::once(0..ROWS).collect());
    let (split_losses, split) = after_two_steps(vec![0..5, 5..13, 13..ROWS]);
    for (whole, split) in whole_losses.iter().zip(&split_losses) {
        assert!((whole - split).abs() < 1e-6, "{whole} vs {split}");
    }
    assert_ne!(whole_losses[0], whole_losses[1]);
    let apart = furthest(&whole, &split);
    assert!(apart < 1e-6, "the weights differ by up to {apart}");
}

#[test]
fn a_loss_that_is_not_finite_leaves_the_weights_as_they_were() {
    let model = DenseAutoencoderConfig::new(4).init(&crate::device());
    let mut by_hand = by_hand_from(&model);
    let before = by_hand.values();
    let mut inputs = images(2, 0);
    inputs[5] = f32::NAN;
    let error = by_hand
        .step(&inputs, &images(2, 0), None, 1e-3)
        .unwrap_err();
    assert!(error.is_nan());
    assert_eq!(by_hand.values(), before);
    assert!(
        by_hand
            .step(&images(2, 0), &images(2, 0), None, 1e-3)
            .is_ok()
    );
    assert_ne!(by_hand.values(), before);
}

#[test]
fn reconstructions_are_the_networks_with_dropout_off() {
    let device = crate::device();
    let model = DenseAutoencoderConfig::new(8).init(&device);
    // Enough rows for two chunks, the second a part one.
    let rows = 2 * reconstruct::CHUNK_ROWS - 13;
    let inputs = images(rows, 3);
    let burns = model.forward(images_tensor(&inputs, rows, &device));
    let burns: Vec<f32> = burns.into_data().iter::<f32>().collect();
    let by_hand = by_hand_from(&model).reconstruct(&inputs);
    assert_eq!(by_hand.len(), burns.len());
    let apart = (by_hand.iter().zip(&burns))
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f32::max);
    assert!(
        apart < 1e-5,
        "by hand and by burn, the reconstructions differ by up to {apart}"
    );
}
