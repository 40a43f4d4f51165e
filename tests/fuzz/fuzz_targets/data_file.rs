//! Any bytes as a data file: refused with an error, or digits that write back to the same bytes
//! and read back to the same digits.
#![no_main]

use autoencoder_playground::data::Dataset;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(dataset) = Dataset::parse(bytes, "fuzzed.bin") else {
        return;
    };
    for index in 0..dataset.len() {
        assert!(dataset.image(index).iter().all(|v| (0.0..=1.0).contains(v)));
    }
    let written = dataset.to_bytes().expect("a parsed dataset writes");
    let again = Dataset::parse(&written, "rewritten.bin").expect("a written dataset parses");
    assert_eq!(again.len(), dataset.len());
    assert_eq!(again.to_bytes().unwrap(), written);
});
