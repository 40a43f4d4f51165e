//! Any bytes as a model file: refused with an error, or a model whose reconstructions are
//! images (784 values in 0…1), never a panic, a hang or a NaN.
#![no_main]

use autoencoder_playground::inference::InferenceModel;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(model) = InferenceModel::load(bytes) else {
        return;
    };
    let grey = vec![0.5; 784];
    if let Ok(image) = model.reconstruct(&grey) {
        assert_eq!(image.len(), 784);
        assert!(
            image.iter().all(|v| (0.0..=1.0).contains(v)),
            "not an image"
        );
    }
});
