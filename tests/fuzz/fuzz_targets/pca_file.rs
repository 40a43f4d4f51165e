//! Any bytes as the PCA baseline's file: refused with an error, or a baseline whose
//! reconstructions are images, never a panic or a hang.
#![no_main]

use autoencoder_playground::analysis::baseline::PcaBaseline;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(baseline) = PcaBaseline::from_bytes(bytes) else {
        return;
    };
    let grey = vec![0.5; 784];
    for code_size in [1, baseline.max_code_size()] {
        if let Ok(image) = baseline.reconstruct(&grey, code_size) {
            assert_eq!(image.len(), 784);
            assert!(
                image.iter().all(|v| (0.0..=1.0).contains(v)),
                "not an image"
            );
        }
    }
});
