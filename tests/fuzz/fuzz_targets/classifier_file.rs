//! Any bytes as a classifier file: refused with an error, or a classifier whose answer for any
//! image is one probability per class, summing to 1, never a panic, a hang or a NaN.
#![no_main]

use autoencoder_playground::inference::Classifier;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(classifier) = Classifier::load(bytes) else {
        return;
    };
    let probabilities = classifier.classify(&[0.5; 784]).expect("a grey image is classified");
    assert_eq!(probabilities.len(), classifier.class_names().len());
    assert!(probabilities.iter().all(|p| (0.0..=1.0).contains(p)), "not probabilities");
    assert!((probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-3, "they do not sum to 1");
});
