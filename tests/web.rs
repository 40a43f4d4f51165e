//! Browser tests (wasm-pack test --headless --firefox): the exported API as JavaScript sees
//! it, with the shipped model and real test digits.
#![cfg(target_arch = "wasm32")]

mod common;

use autoencoder_playground::data::Split;
use autoencoder_playground::util::image::PIXELS;
use autoencoder_playground::util::metrics::mean_squared_error;
use autoencoder_playground::web::{
    AnomalyDetector, Autoencoder, Classifier, CodeClassifier, LatentPlane, MnistSubset,
    PcaBaseline, Trainer, TrainingRun, add_noise, check_model_file_size, check_picture_file_size,
    check_shape_name, drawing_to_mnist, interpolate, live_models, non_digit_probes,
    picture_to_mnist, read_shape_collection, shape_collection_file, upgrade_model_file,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn drawing_model() -> Autoencoder {
    Autoencoder::load(common::DRAWING_MODEL).js_ok()
}

/// The message of a thrown JavaScript value (an `Error`'s message, else its debug form).
fn js_message(value: &JsValue) -> String {
    match value.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.message()),
        None => format!("{value:?}"),
    }
}

/// Field `name` of a plain object the API returned.
fn field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &name.into()).expect("an object")
}

/// Field `name` of a result object, which must be a `Float32Array` (the boundary's one
/// convention for numbers inside a result, see src/web/mod.rs).
fn floats(object: &JsValue, name: &str) -> Vec<f32> {
    let value = field(object, name);
    value
        .dyn_ref::<js_sys::Float32Array>()
        .unwrap_or_else(|| panic!("{name} is not a Float32Array: {value:?}"))
        .to_vec()
}

/// Unwraps what the exported API returned; a failure shows the JavaScript error's message.
trait JsOk<T> {
    fn js_ok(self) -> T;
}

impl<T, E: Into<JsValue>> JsOk<T> for Result<T, E> {
    #[track_caller]
    fn js_ok(self) -> T {
        match self {
            Ok(value) => value,
            Err(error) => panic!("the call threw: {}", js_message(&error.into())),
        }
    }
}

/// A thrown error as JavaScript sees it: must be an `Error` whose message mentions `expected`.
fn assert_js_error<T, E: Into<JsValue>>(result: Result<T, E>, expected: &str) {
    let Err(error) = result else {
        panic!("bad input was accepted (expected an error mentioning {expected:?})");
    };
    let value: JsValue = error.into();
    assert!(
        value.is_instance_of::<js_sys::Error>(),
        "{value:?} is not an Error"
    );
    let message = js_message(&value);
    assert!(
        message.contains(expected),
        "message {message:?} lacks {expected:?}"
    );
}

#[wasm_bindgen_test]
fn shipped_model_loads_with_its_latent_size() {
    assert_eq!(drawing_model().latent_size(), 32);
    assert_eq!(
        Autoencoder::load(common::COURSE_NOTE_MODEL)
            .js_ok()
            .latent_size(),
        32
    );
}

#[wasm_bindgen_test]
fn encode_and_decode_have_the_documented_shapes() {
    let model = drawing_model();
    let digit = common::dataset().image(0);
    let code = model.encode(&digit).js_ok();
    assert_eq!(code.len(), 32);
    let image = model.decode(&code).js_ok();
    assert_eq!(image.len(), PIXELS);
    assert!(image.iter().all(|v| (0.0..=1.0).contains(v)));
    // The code carries the digit: decoded, it is close to the digit, far from another one.
    let dataset = common::dataset();
    let other = (0..dataset.len())
        .find(|&i| dataset.label(i) != dataset.label(0))
        .map(|i| dataset.image(i))
        .expect("the data holds more than one digit");
    assert!(mean_squared_error(&image, &digit) < 0.5 * mean_squared_error(&image, &other));
}

#[wasm_bindgen_test]
fn real_test_digits_reconstruct_closely() {
    let model = drawing_model();
    let dataset = common::dataset();
    let test = dataset.indices(Split::Test);
    for &index in test.iter().step_by(100) {
        let digit = dataset.image(index);
        let error = mean_squared_error(&model.reconstruct(&digit).js_ok(), &digit);
        assert!(
            error < 0.06,
            "test digit {index} (a {}): MSE {error}",
            dataset.label(index)
        );
    }
    let mean: f32 = test
        .iter()
        .map(|&i| dataset.image(i))
        .map(|d| mean_squared_error(&model.reconstruct(&d).js_ok(), &d))
        .sum::<f32>()
        / test.len() as f32;
    assert!(mean < 0.019, "mean test MSE {mean}");
}

#[wasm_bindgen_test]
fn bad_input_throws_an_error_and_the_instance_keeps_working() {
    let model = drawing_model();
    let digit = common::dataset().image(7);
    let expected = model.reconstruct(&digit).js_ok();

    assert_js_error(model.encode(&[0.5; 100]), "expected exactly 784");
    assert_js_error(model.encode(&[]), "0 numbers");
    let mut with_nan = digit.clone();
    with_nan[300] = f32::NAN;
    assert_js_error(model.encode(&with_nan), "index 300");
    assert_js_error(model.reconstruct(&with_nan), "non-finite");
    let mut too_bright = digit.clone();
    too_bright[5] = 3.0;
    assert_js_error(model.reconstruct(&too_bright), "0…1");
    assert_js_error(model.decode(&[0.0; 31]), "exactly 32");
    assert_js_error(model.decode(&[f32::INFINITY; 32]), "non-finite");

    assert_eq!(model.reconstruct(&digit).js_ok(), expected);
}

#[wasm_bindgen_test]
fn damaged_model_files_throw_clear_errors() {
    let good = common::DRAWING_MODEL;
    assert_js_error(Autoencoder::load(&[]), "empty");
    assert_js_error(Autoencoder::load(&good[..1000]), "truncated");
    assert_js_error(Autoencoder::load(&good[..good.len() - 1]), "truncated");
    assert_js_error(
        Autoencoder::load(b"GIF89a not a model at all, just some bytes"),
        "magic",
    );
    let mut corrupt = good.to_vec();
    corrupt[good.len() / 2] ^= 0xff;
    assert_js_error(Autoencoder::load(&corrupt), "checksum");
    let mut newer = good.to_vec();
    newer[8] = 9;
    assert_js_error(Autoencoder::load(&newer), "newer build");
    // A file too large to be a model is refused by its size, before the page reads it.
    assert!(check_model_file_size(good.len() as f64).is_ok());
    assert_js_error(check_model_file_size(4e9), "larger than any model file");
    // The module is still usable after all those rejections.
    assert_eq!(drawing_model().latent_size(), 32);
}

#[wasm_bindgen_test]
fn an_upgraded_model_file_rebuilds_what_the_original_did() {
    // The page's inference module hands old files to this; here a current file goes through
    // it: the same weights, now in f16.
    let upgraded = upgrade_model_file(common::DRAWING_MODEL).js_ok();
    let (original, again) = (drawing_model(), Autoencoder::load(&upgraded).js_ok());
    let dataset = common::dataset();
    let digit = dataset.image(dataset.indices(Split::Test)[3]);
    let difference = mean_squared_error(
        &original.reconstruct(&digit).js_ok(),
        &again.reconstruct(&digit).js_ok(),
    );
    assert!(
        difference < 1e-6,
        "upgrading moved the output by {difference}"
    );
    assert!(upgrade_model_file(b"not a model").is_err());
}

#[wasm_bindgen_test]
fn data_file_is_validated_and_gives_test_digits() {
    let subset = MnistSubset::load(common::data_file(), None).js_ok();
    assert_eq!(subset.length(), 10_000);
    assert_eq!(subset.test_indices().len(), 1_996);
    assert_js_error(
        MnistSubset::load(&common::data_file()[..5000], Some("digits.bin".into())),
        "digits.bin: truncated",
    );
    assert_js_error(subset.image(10_000), "does not exist");
    assert_js_error(subset.images(&[3, 10_000]), "does not exist");
    assert_js_error(subset.drawn_images(&[3, 10_000]), "does not exist");
}

#[wasm_bindgen_test]
fn the_page_test_and_training_files_join_into_one_set() {
    let dataset = common::dataset();
    let part = |split| {
        let bytes = dataset.part(split).to_bytes().expect("a part is one split");
        MnistSubset::load(&bytes, None).js_ok()
    };
    let mut joined = part(Split::Test);
    assert_eq!(joined.test_indices().len(), 1_996);
    assert!(joined.train_indices().is_empty());
    joined.append(&part(Split::Train));
    assert_eq!(joined.length(), 10_000);
    assert_eq!(joined.test_indices(), (0..1_996).collect::<Vec<u32>>());
    assert_eq!(joined.train_indices().len(), 8_004);
    // The first test digit of the whole file is the joined set's first digit.
    let first_test = dataset.indices(Split::Test)[0];
    assert_eq!(joined.image(0).js_ok(), dataset.image(first_test));
    let plan = js_sys::JSON::parse(r#"{"epochs": 1, "subsetSize": 64}"#).unwrap();
    let mut run = TrainingRun::new(&joined, JsValue::UNDEFINED, plan).js_ok();
    assert_eq!(run.train_digits(), 64);
    run.step().js_ok();
}

#[wasm_bindgen_test]
fn test_digits_as_drawn_are_the_same_digits_with_the_pad_stroke() {
    let subset = MnistSubset::load(common::data_file(), None).js_ok();
    let indices: [u32; 2] = [4, 9];
    let stored = subset.images(&indices).js_ok();
    let drawn = subset.drawn_images(&indices).js_ok();
    assert_eq!(drawn.len(), 2 * PIXELS);
    assert_ne!(drawn, stored);
    // Converted once, then served from the cache: the same pixels every time.
    assert_eq!(subset.drawn_images(&indices).js_ok(), drawn);
    // Still the same digit: the drawing model rebuilds it about as well as the stored one.
    let model = drawing_model();
    let errors = model.reconstruction_errors(&drawn).js_ok();
    assert!(errors.iter().all(|&e| e < 0.05), "{errors:?}");
}

#[wasm_bindgen_test]
fn batches_of_digits_encode_row_by_row() {
    let model = drawing_model();
    let subset = MnistSubset::load(common::data_file(), None).js_ok();
    let indices: [u32; 3] = [4, 9, 14];
    let batch = subset.images(&indices).js_ok();
    assert_eq!(batch.len(), 3 * PIXELS);
    let codes = model.encode_many(&batch).js_ok();
    for (row, &index) in indices.iter().enumerate() {
        let code = model.encode(&subset.image(index as usize).js_ok()).js_ok();
        assert_eq!(&codes[row * 32..(row + 1) * 32], &code[..]);
    }
    assert_js_error(model.encode_many(&batch[..PIXELS + 5]), "multiple of 784");
    assert_eq!(
        model.stage_sizes(),
        [784, 512, 256, 128, 64, 32, 64, 128, 256, 512, 784]
    );
}

#[wasm_bindgen_test]
fn drawings_convert_to_centred_digits_or_nothing() {
    let (width, height) = (100, 60);
    let mut rgba = vec![0u8; width * height * 4];
    assert!(drawing_to_mnist(&rgba, width, height).js_ok().is_none());
    // A filled 6×10 block in a corner: lands centred, 20 px tall.
    for y in 2..12 {
        for x in 3..9 {
            rgba[(y * width + x) * 4 + 3] = 255;
        }
    }
    let pixels = drawing_to_mnist(&rgba, width, height).js_ok().unwrap();
    assert_eq!(pixels.len(), PIXELS);
    assert_eq!(pixels[14 * 28 + 14], 1.0);
    assert_eq!(pixels[2 * 28 + 14], 0.0);
    assert_js_error(drawing_to_mnist(&rgba[..100], width, height), "ink values");
}

/// Real train-split digits, `count` of them, as one batch.
fn train_batch(from: usize, count: usize) -> Vec<f32> {
    let dataset = common::dataset();
    let train = dataset.indices(Split::Train);
    dataset.images(&train[from..from + count])
}

fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("valid JSON")
}

#[wasm_bindgen_test]
fn training_in_the_browser_lowers_the_loss() {
    let mut trainer =
        Trainer::new(options(r#"{"latentSize": 16, "dropout": 0, "seed": 3}"#)).js_ok();
    let test = train_batch(7000, 100);
    let before = trainer.evaluate(&test).js_ok();
    let losses: Vec<f32> = (0..50)
        .map(|i| trainer.step(&train_batch(i * 64, 64)).js_ok())
        .collect();
    let first = losses[..5].iter().sum::<f32>() / 5.0;
    let last = losses[45..].iter().sum::<f32>() / 5.0;
    assert!(last < first * 0.75, "BCE went from {first} to {last}");
    let after = trainer.evaluate(&test).js_ok();
    assert!(after < before * 0.8, "MSE went from {before} to {after}");
    assert_eq!(trainer.steps(), 50.0);
}

#[wasm_bindgen_test]
fn a_saved_trainer_reloads_to_the_live_reconstructions_within_half_precision() {
    let mut trainer = Trainer::new(options(r#"{"latentSize": 8}"#)).js_ok();
    for i in 0..3 {
        trainer.step(&train_batch(i * 32, 32)).js_ok();
    }
    let bytes = trainer.save().js_ok();
    let reloaded = Autoencoder::load(&bytes).js_ok();
    assert_eq!(reloaded.latent_size(), 8);
    // The file holds the weights in half precision: each reloaded reconstruction is the live
    // model's up to that rounding.
    let live_model = trainer.model().js_ok();
    let dataset = common::dataset();
    for index in [11, 12, 13, 14, 15] {
        let digit = dataset.image(index);
        let live = live_model.reconstruct(&digit).js_ok();
        let from_file = reloaded.reconstruct(&digit).js_ok();
        let worst = live
            .iter()
            .zip(&from_file)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(
            worst < 2e-3,
            "digit {index}: reloaded model differs by up to {worst}"
        );
    }
    // Saving changes nothing: the same file, bit for bit, and the same live weights.
    assert_eq!(trainer.save().js_ok(), bytes);
    let digit = dataset.image(11);
    assert_eq!(
        trainer.model().js_ok().reconstruct(&digit).js_ok(),
        live_model.reconstruct(&digit).js_ok()
    );
}

#[wasm_bindgen_test]
fn bad_training_options_and_batches_throw_and_keep_the_weights() {
    assert_js_error(
        Trainer::new(options(r#"{"learningRate": -1}"#)),
        "learning rate",
    );
    assert_js_error(Trainer::new(options(r#"{"latentSize": 0}"#)), "latent");
    assert_js_error(
        Trainer::new(options(r#"{"latentSize": "big"}"#)),
        "training options",
    );
    assert_js_error(
        Trainer::new(options(r#"{"batchsize": 64}"#)),
        "unknown field `batchsize`",
    );
    assert_js_error(Trainer::new(options("[1, 2]")), "expected an object");

    let mut trainer = Trainer::new(JsValue::UNDEFINED).js_ok();
    let digit = common::dataset().image(5);
    let before = trainer.model().js_ok().reconstruct(&digit).js_ok();
    let mut batch = train_batch(0, 4);
    assert_js_error(trainer.step(&batch[..1000]), "multiple of 784");
    batch[100] = f32::NAN;
    assert_js_error(trainer.step(&batch), "non-finite");
    assert_eq!(trainer.steps(), 0.0);
    assert_eq!(trainer.model().js_ok().reconstruct(&digit).js_ok(), before);
}

#[wasm_bindgen_test]
fn a_training_run_steps_through_its_plan() {
    let subset = MnistSubset::load(common::data_file(), None).js_ok();
    let plan = options(r#"{"epochs": 1, "subsetSize": 100, "evaluationSize": 50}"#);
    let mut run = TrainingRun::new(&subset, options(r#"{"batchSize": 64}"#), plan).js_ok();
    assert_eq!((run.train_digits(), run.total_steps()), (100, 2));
    assert!(run.test_mse().js_ok() > 0.0);
    run.step().js_ok();
    let last = run.step().js_ok();
    let finished = js_sys::Reflect::get(&last, &"finished".into()).unwrap();
    assert_eq!(finished.as_bool(), Some(true));
    assert_js_error(run.step(), "finished");
    assert_js_error(
        TrainingRun::new(&subset, JsValue::UNDEFINED, options(r#"{"epochs": 0}"#)),
        "epochs",
    );
}

#[wasm_bindgen_test]
fn codes_map_onto_a_plane_and_back() {
    let model = drawing_model();
    let subset = MnistSubset::load(common::data_file(), None).js_ok();
    let test = subset.test_indices();
    let codes = model
        .encode_many(&subset.images(&test[..300]).js_ok())
        .js_ok();
    let plane = LatentPlane::fit(&codes, 32).js_ok();
    assert!(plane.is_pca());
    assert!((0.0..=1.0).contains(&plane.explained_variance()));
    let points = plane.project(&codes).js_ok();
    assert_eq!(points.len(), 600);
    // A clicked point decodes from a code that projects back onto the same point.
    let code = plane.unproject(points[0], points[1]).js_ok();
    let again = plane.project(&code).js_ok();
    assert!((again[0] - points[0]).abs() < 1e-3 && (again[1] - points[1]).abs() < 1e-3);
    assert_eq!(model.decode(&code).js_ok().len(), PIXELS);
    assert_js_error(plane.project(&codes[..40]), "multiple of 32");
    assert_js_error(LatentPlane::fit(&codes[..32], 32), "at least two");

    let path = interpolate(&codes[..32], &codes[32..64], 9).js_ok();
    assert_eq!(&path[..32], &codes[..32]);
    assert_eq!(&path[8 * 32..], &codes[32..64]);
    assert_js_error(interpolate(&codes[..32], &codes[..31], 9), "exactly");
}

#[wasm_bindgen_test]
fn the_conv_model_shows_its_feature_maps_and_the_dense_model_refuses() {
    let conv = Autoencoder::load(common::CONV_MODEL).js_ok();
    assert_eq!(conv.architecture(), "conv");
    let digit = common::dataset().image(9);
    // Plain objects in a plain array: nothing for the page to free.
    let stages: Vec<JsValue> = js_sys::Array::from(&conv.feature_maps(&digit).js_ok())
        .iter()
        .collect();
    let number = |stage: &JsValue, name| field(stage, name).as_f64().unwrap() as usize;
    let shapes: Vec<(usize, usize)> = stages
        .iter()
        .map(|s| (number(s, "channels"), number(s, "side")))
        .collect();
    assert_eq!(
        shapes,
        [
            (1, 28),
            (16, 14),
            (32, 7),
            (1, 0),
            (32, 7),
            (16, 14),
            (1, 28)
        ]
    );
    assert_eq!(floats(&stages[3], "values"), conv.encode(&digit).js_ok());
    assert_eq!(floats(&stages[1], "values").len(), 16 * 14 * 14);
    assert_eq!(field(&stages[3], "name").as_string().unwrap(), "code (32)");
    assert!(mean_squared_error(&conv.reconstruct(&digit).js_ok(), &digit) < 0.03);
    assert_js_error(drawing_model().feature_maps(&digit), "convolutional");
}

#[wasm_bindgen_test]
fn noise_is_seeded_and_the_denoiser_removes_it() {
    let denoiser = Autoencoder::load(common::DENOISER_MODEL).js_ok();
    let plain = drawing_model();
    let dataset = common::dataset();
    let (mut denoised, mut kept) = (0.0, 0.0);
    for &index in dataset.indices(Split::Test).iter().step_by(50) {
        let clean = dataset.image(index);
        let noisy = add_noise(&clean, 0.8, index as u32).js_ok();
        assert_eq!(add_noise(&clean, 0.8, index as u32).js_ok(), noisy);
        denoised += mean_squared_error(&denoiser.reconstruct(&noisy).js_ok(), &clean);
        kept += mean_squared_error(&plain.reconstruct(&noisy).js_ok(), &clean);
    }
    assert!(denoised < 0.7 * kept, "denoiser {denoised} vs plain {kept}");
    assert_js_error(add_noise(&dataset.image(0), 2.0, 1), "outside 0…1");
}

/// The exported detector, fitted on every test digit of `subset` with `model`.
fn fitted_detector(model: &Autoencoder, subset: &MnistSubset) -> AnomalyDetector {
    let mut detector = AnomalyDetector::new(model, subset, None).js_ok();
    while !detector.fit_some(subset, 1000).js_ok() {}
    detector
}

#[wasm_bindgen_test]
fn anomaly_scores_rank_against_the_test_digits() {
    let model = drawing_model();
    let subset = MnistSubset::load(common::data_file(), None).js_ok();
    let mut detector = fitted_detector(&model, &subset);
    let test = subset.test_indices();
    let errors = detector.scores(&subset.images(&test).js_ok()).js_ok();
    assert_eq!(errors.len(), test.len());
    // By construction about 1 % of the reference digits lie above their 99th percentile.
    let flagged = errors
        .iter()
        .filter(|&&e| detector.is_anomalous(e).js_ok())
        .count();
    assert!((10..=40).contains(&flagged), "{flagged} of 1,996 flagged");
    let lowest = errors.iter().cloned().fold(f32::INFINITY, f32::min);
    assert_eq!(detector.percentile(lowest).js_ok(), 0.0);
    let blank_with_noise = add_noise(&[0.0; PIXELS], 1.0, 5).js_ok();
    let error = detector.scores(&blank_with_noise).js_ok()[0];
    assert!(
        detector.is_anomalous(error).js_ok(),
        "noise scored {error}, threshold {}",
        detector.threshold().js_ok()
    );

    // A lower flag percentile flags more of the references; a bad one is refused and kept out.
    assert_eq!(detector.flag_percentile(), 99.0);
    let at_99 = detector.references_flagged().js_ok();
    detector.set_flag_percentile(90.0).js_ok();
    let at_90 = detector.references_flagged().js_ok();
    assert!(at_90 > 5.0 * at_99, "{at_99} → {at_90}");
    let flagged_at_90 = errors
        .iter()
        .filter(|&&e| detector.is_anomalous(e).js_ok())
        .count();
    assert_eq!(flagged_at_90 as f64 / test.len() as f64, at_90);
    assert_js_error(detector.set_flag_percentile(120.0), "between 50 and 100");
    assert_js_error(detector.set_flag_percentile(f64::NAN), "between 50 and 100");
    assert_eq!(detector.flag_percentile(), 90.0);
}

#[derive(serde::Deserialize)]
struct ProbeView {
    kind: String,
    name: String,
    image: Vec<f32>,
    scored: Vec<f32>,
}

#[wasm_bindgen_test]
fn the_non_digit_probes_reach_the_page_and_noise_is_flagged() {
    let probes: Vec<ProbeView> =
        serde_wasm_bindgen::from_value(non_digit_probes().js_ok()).unwrap();
    let count = |kind: &str| probes.iter().filter(|p| p.kind == kind).count();
    assert_eq!(
        (count("letter"), count("strokes"), count("noise")),
        (20, 30, 20)
    );
    assert!(probes.iter().any(|p| p.name == "letter H"));
    for probe in &probes {
        assert_eq!((probe.image.len(), probe.scored.len()), (PIXELS, PIXELS));
        assert!(
            probe.scored.iter().all(|v| (0.0..=1.0).contains(v)),
            "{}",
            probe.name
        );
    }
    // Ranked among real test digits scored the same way, every noise probe is flagged.
    let subset = MnistSubset::load(common::data_file(), None).js_ok();
    let detector = fitted_detector(&drawing_model(), &subset);
    for probe in probes.iter().filter(|p| p.kind == "noise") {
        let [error] = detector.scores(&probe.image).js_ok()[..] else {
            panic!("one score per image");
        };
        assert!(
            detector.is_anomalous(error).js_ok(),
            "{} passed as a digit",
            probe.name
        );
    }
}

#[wasm_bindgen_test]
fn the_pca_baseline_rebuilds_test_digits_better_with_more_numbers() {
    let baseline = PcaBaseline::load(common::PCA_BASELINE).js_ok();
    assert_eq!(baseline.max_code_size(), 64);
    let dataset = common::dataset();
    let digits: Vec<Vec<f32>> = dataset.indices(Split::Test)[..50]
        .iter()
        .map(|&i| dataset.image(i))
        .collect();
    let mean_error = |code_size: usize| {
        digits
            .iter()
            .map(|digit| {
                let rebuilt = baseline.reconstruct(digit, code_size).js_ok();
                assert!(rebuilt.iter().all(|v| (0.0..=1.0).contains(v)));
                mean_squared_error(&rebuilt, digit) as f64
            })
            .sum::<f64>()
            / digits.len() as f64
    };
    let (two, thirty_two) = (mean_error(2), mean_error(32));
    // The manifest's figures on all 1,996 test digits: 0.056 and 0.015.
    assert!(
        two > 0.04 && thirty_two < 0.025 && thirty_two < two / 2.5,
        "{two} {thirty_two}"
    );
    let code = baseline.encode(&digits[0], 8).js_ok();
    assert_eq!(code.len(), 8);
    assert_eq!(
        baseline.decode(&code).js_ok(),
        baseline.reconstruct(&digits[0], 8).js_ok()
    );

    assert_js_error(baseline.reconstruct(&digits[0], 65), "64 axes");
    assert_js_error(baseline.reconstruct(&digits[0], 0), "not 0");
    assert_js_error(baseline.encode(&[0.5; 100], 2), "expected exactly 784");
    assert_js_error(
        PcaBaseline::load(&common::PCA_BASELINE[..500]),
        "PCA baseline file",
    );
    assert_js_error(PcaBaseline::load(common::DRAWING_MODEL), "magic");
}

#[wasm_bindgen_test]
fn the_vae_dreams_the_same_digits_for_a_seed_and_a_plain_model_says_why_it_cannot() {
    let vae = Autoencoder::load(common::GENERATOR_MODEL).js_ok();
    assert!(vae.is_variational());
    assert_eq!(vae.architecture(), "vae");
    let dreams = vae.sample(3, 7).js_ok();
    assert_eq!(dreams.len(), 3 * PIXELS);
    assert_eq!(dreams, vae.sample(3, 7).js_ok());
    assert_ne!(dreams, vae.sample(3, 8).js_ok());
    assert!(dreams.iter().all(|p| (0.0..=1.0).contains(p)));

    let dataset = common::dataset();
    let digit = dataset.image(dataset.indices(Split::Test)[0]);
    let code = vae.encode_distribution(&digit).js_ok();
    assert_eq!(floats(&code, "mean"), vae.encode(&digit).js_ok());
    assert_eq!(floats(&code, "logVariance").len(), 16);
    // Where the code carries the digit, its spread is far inside the prior's (σ = 1); the
    // numbers the model left unused keep the prior's spread, and none is wider.
    let sigma: Vec<f32> = floats(&code, "logVariance")
        .iter()
        .map(|v| (0.5 * v).exp())
        .collect();
    assert!(sigma.iter().any(|&s| s < 0.2), "{sigma:?}");
    assert!(sigma.iter().all(|&s| s < 1.2), "{sigma:?}");

    let plain = drawing_model();
    assert!(!plain.is_variational());
    assert_js_error(plain.sample(3, 7), "needs a variational model");
    assert_js_error(
        plain.encode_distribution(&digit),
        "needs a variational model",
    );
    assert_js_error(vae.sample(0, 1), "samples");
    assert_js_error(vae.encode_distribution(&digit[..100]), "784");
    // Refusals leave both instances working.
    assert_eq!(plain.encode(&digit).js_ok().len(), 32);
    assert_eq!(vae.sample(1, 7).js_ok(), dreams[..PIXELS]);
}

#[wasm_bindgen_test]
fn a_vae_trains_in_the_browser() {
    let json = r#"{"architecture": "vae", "latentSize": 8, "dropout": 0, "beta": 1, "seed": 3}"#;
    let mut trainer = Trainer::new(options(json)).js_ok();
    let test = train_batch(7000, 100);
    let before = trainer.evaluate(&test).js_ok();
    for i in 0..40 {
        assert!(trainer.step(&train_batch(i * 64, 64)).js_ok().is_finite());
    }
    assert!(trainer.evaluate(&test).js_ok() < before);
    let model = trainer.model().js_ok();
    assert!(model.is_variational());
    assert_eq!(model.sample(2, 1).js_ok().len(), 2 * PIXELS);
    assert_js_error(
        Trainer::new(options(
            r#"{"architecture": "vae", "dropout": 0, "beta": -1}"#,
        )),
        "β",
    );
    assert_js_error(
        Trainer::new(options(r#"{"beta": 4}"#)),
        "variational model only",
    );
}

#[wasm_bindgen_test]
fn the_exported_detector_scores_by_the_core_rule() {
    use autoencoder_playground::analysis::anomaly::{AnomalyScale, anomaly_scores};
    use autoencoder_playground::analysis::anomaly_score::{AnomalyMeasure, AnomalyScorer};
    use autoencoder_playground::inference::InferenceModel;

    // The detector role's model, which the page scores with (it flags the letter H; the
    // sharper drawing model rebuilds it too well).
    let model = Autoencoder::load(common::DETECTOR_MODEL).js_ok();
    let subset = MnistSubset::load(common::data_file(), None).js_ok();
    let mut detector = AnomalyDetector::new(&model, &subset, None).js_ok();
    assert_eq!(detector.measure(), "reconstructionError");
    assert!(detector.description().contains("as drawn"));
    let digit = common::dataset().image(common::dataset().indices(Split::Test)[20]);
    assert_js_error(detector.score(&digit), "not fitted yet");
    // In slices, as the page spreads it over frames.
    let mut slices = 0;
    while !detector.fit_some(&subset, 500).js_ok() {
        slices += 1;
        assert!(detector.progress() < 1.0);
    }
    assert_eq!((slices, detector.fitted()), (3, true));

    // The core rule: the scorer's score of each image as drawn, ranked among the test digits'
    // scores. The page's gauge and probe sheet call only the export, so a change of the Rust
    // measure changes what the page shows.
    let core = InferenceModel::load(common::DETECTOR_MODEL).unwrap();
    let dataset = common::dataset();
    let scorer = AnomalyScorer::new(&core, AnomalyMeasure::ReconstructionError, &dataset).unwrap();
    let test = dataset.indices(Split::Test);
    let scale = AnomalyScale::fit(&scorer.scores(&dataset.images(&test)).unwrap()).unwrap();
    let probes: Vec<ProbeView> =
        serde_wasm_bindgen::from_value(non_digit_probes().js_ok()).unwrap();
    let letter = &probes.iter().find(|p| p.name == "letter H").unwrap().image;
    for image in [&digit, letter] {
        let expected = scorer.scores(image).unwrap()[0];
        assert_eq!(expected, anomaly_scores(&core, image).unwrap()[0]);
        let score = detector.score(image).js_ok();
        assert_eq!(field(&score, "error").as_f64().unwrap() as f32, expected);
        assert_eq!(
            field(&score, "percentile").as_f64().unwrap(),
            scale.percentile(expected)
        );
        assert_eq!(
            field(&score, "flagged").as_bool().unwrap(),
            scale.is_anomalous(expected)
        );
        assert_eq!(
            field(&score, "threshold").as_f64().unwrap() as f32,
            scale.threshold()
        );
        assert_eq!(
            floats(&score, "rebuilt"),
            model.reconstruct(&floats(&score, "scored")).js_ok()
        );
        assert_eq!(detector.scores(image).js_ok(), [expected]);
    }
    // As drawn, not as stored: the stored digit's own reconstruction error is another number.
    let score = detector.score(&digit).js_ok();
    assert_ne!(
        field(&score, "error").as_f64().unwrap() as f32,
        model.reconstruction_errors(&digit).js_ok()[0]
    );
    assert!(
        field(&detector.score(letter).js_ok(), "flagged")
            .as_bool()
            .unwrap()
    );

    // The flag percentile moves the threshold and the false alarms with it.
    assert_eq!(detector.flag_percentile(), 99.0);
    let at_99 = detector.references_flagged().js_ok();
    detector.set_flag_percentile(90.0).js_ok();
    assert!(detector.references_flagged().js_ok() > 5.0 * at_99);
    assert!(detector.threshold().js_ok() < scale.threshold());
    assert_js_error(detector.set_flag_percentile(20.0), "between 50 and 100");
    assert_eq!(detector.flag_percentile(), 90.0);
    // A measure the model cannot give is refused by name.
    assert_js_error(
        AnomalyDetector::new(&model, &subset, Some("negativeElbo".into())),
        "not a measure of a dense model",
    );
    assert_js_error(
        AnomalyDetector::new(&model, &subset, Some("loudness".into())),
        "no anomaly measure",
    );
}

#[wasm_bindgen_test]
fn the_live_model_count_follows_loads_and_frees() {
    let before = live_models();
    let model = drawing_model();
    let trained = Trainer::new(options(r#"{"latentSize": 4}"#))
        .js_ok()
        .model()
        .js_ok();
    assert_eq!(live_models(), before + 2);
    // Freed as the page frees it: the JavaScript object's free().
    for freed in [JsValue::from(model), JsValue::from(trained)] {
        let free: js_sys::Function = field(&freed, "free").dyn_into().unwrap();
        free.call0(&freed).unwrap();
    }
    assert_eq!(live_models(), before);
    assert_js_error(Autoencoder::load(b"GIF89a not a model at all"), "magic");
    assert_eq!(live_models(), before, "a refused file counts nothing");
}

#[wasm_bindgen_test]
fn the_network_seen_from_inside_crosses_as_plain_objects_and_refuses_bad_input() {
    let model = drawing_model();
    let digit = common::dataset().image(7);
    let layers: Vec<JsValue> = js_sys::Array::from(&model.layers(&digit).js_ok()).to_vec();
    let widths: Vec<usize> = layers.iter().map(|l| floats(l, "values").len()).collect();
    assert_eq!(widths, [784, 512, 256, 128, 64, 32, 64, 128, 256, 512, 784]);
    assert_eq!(field(&layers[5], "place").as_string().unwrap(), "code");
    assert_eq!(field(&layers[10], "rule").as_string().unwrap(), "sigmoid");
    assert_eq!(
        floats(&layers[10], "values"),
        model.reconstruct(&digit).js_ok()
    );
    assert_eq!(model.incoming_weights(3).js_ok().len(), PIXELS);
    assert_eq!(model.strongest_units(5).js_ok().len(), 5);
    let code = model.encode(&digit).js_ok();
    assert_eq!(model.code_step_effect(&code, 0, 1.0).js_ok().len(), PIXELS);

    assert_js_error(model.layers(&[0.5; 10]), "784");
    assert_js_error(model.incoming_weights(512), "not 512");
    assert_js_error(model.code_step_effect(&code, 32, 1.0), "not 32");
    assert_js_error(model.code_step_effect(&code[..5], 0, 1.0), "exactly 32");
    let conv = Autoencoder::load(common::CONV_MODEL).js_ok();
    assert_js_error(conv.layers(&digit), "feature maps");
    // The instance keeps working after each refusal.
    assert_eq!(
        floats(&layers[10], "values"),
        floats(
            &js_sys::Array::from(&model.layers(&digit).js_ok()).get(10),
            "values"
        )
    );
}

#[wasm_bindgen_test]
fn a_neighbour_map_refuses_damaged_files_and_bad_codes_and_keeps_working() {
    use autoencoder_playground::analysis::neighbour_map::map_file;
    use autoencoder_playground::web::NeighbourMap;
    let positions: Vec<f32> = (0..6).flat_map(|i| [i as f32, -(i as f32)]).collect();
    let bytes = map_file(&positions).unwrap();
    let codes: Vec<f32> = (0..12).map(|i| i as f32).collect(); // six codes of L = 2
    let map = NeighbourMap::load(&bytes, codes.clone(), 2).js_ok();
    assert_eq!(map.positions(), positions);
    let placed = map.place(&[4.0, 5.0]).js_ok();
    assert!((field(&placed, "x").as_f64().unwrap() - 2.0).abs() < 1e-3);
    assert_eq!(map.nearest_point(3.1, -3.0), 3);

    assert_js_error(
        NeighbourMap::load(&bytes, codes[..10].to_vec(), 2),
        "another data file",
    );
    let mut damaged = bytes.clone();
    damaged[25] ^= 1;
    assert_js_error(NeighbourMap::load(&damaged, codes.clone(), 2), "checksum");
    assert_js_error(NeighbourMap::load(&bytes[..30], codes, 2), "map file");
    assert_js_error(map.place(&[1.0]), "exactly 2");
    assert_js_error(map.place(&[f32::NAN, 0.0]), "non-finite");
    assert_eq!(
        field(&map.place(&[4.0, 5.0]).js_ok(), "x").as_f64(),
        field(&placed, "x").as_f64()
    );
}

/// A `side`² RGBA picture: white paper, a black bar across its middle third.
fn picture_of_a_bar(side: usize) -> Vec<u8> {
    let mut rgba = vec![255u8; side * side * 4];
    for y in side / 3..2 * side / 3 {
        for x in side / 6..side - side / 6 {
            rgba[(y * side + x) * 4..(y * side + x) * 4 + 3].fill(0);
        }
    }
    rgba
}

#[wasm_bindgen_test]
fn pictures_convert_like_drawings_and_bad_ones_throw_their_reason() {
    let picture = picture_to_mnist(&picture_of_a_bar(90), 90, 90).js_ok();
    assert_eq!(picture.len(), PIXELS);
    assert_eq!(picture[14 * 28 + 14], 1.0);
    assert_js_error(picture_to_mnist(&[255; 40 * 40 * 4], 40, 40), "blank");
    assert_js_error(picture_to_mnist(&[0; 10], 40, 40), "RGBA bytes");
    assert_js_error(picture_to_mnist(&[], 9_000, 9_000), "too large");
    assert_js_error(check_picture_file_size(50e6), "too large");
    assert_js_error(check_picture_file_size(f64::NAN), "not a file size");
    check_picture_file_size(2e5).js_ok();
    // Nothing is kept between calls: a good picture after the bad ones converts the same.
    assert_eq!(
        picture_to_mnist(&picture_of_a_bar(90), 90, 90).js_ok(),
        picture
    );
}

#[wasm_bindgen_test]
fn a_shape_collection_file_round_trips_and_damage_is_refused() {
    let examples = picture_to_mnist(&picture_of_a_bar(60), 60, 60).js_ok();
    let examples = [examples.clone(), examples].concat();
    let bytes = shape_collection_file(" bar ", examples.clone()).js_ok();
    let read = read_shape_collection(&bytes).js_ok();
    assert_eq!(field(&read, "name").as_string().as_deref(), Some("bar"));
    assert_eq!(field(&read, "count").as_f64(), Some(2.0));
    assert_eq!(floats(&read, "examples"), examples);
    assert_js_error(
        read_shape_collection(&bytes[..bytes.len() - 1]),
        "truncated",
    );
    let mut flipped = bytes.clone();
    flipped[100] ^= 1;
    assert_js_error(read_shape_collection(&flipped), "checksum");
    let mut future = bytes.clone();
    future[8] = 9;
    assert_js_error(read_shape_collection(&future), "newer build");
    assert_js_error(
        shape_collection_file("bar", vec![0.5; 10]),
        "multiple of 784",
    );
    assert_js_error(shape_collection_file("bar", vec![0.0; PIXELS]), "blank");
    assert_js_error(check_shape_name(&"x".repeat(41)), "at most 40");
    assert_eq!(check_shape_name("  K ").js_ok(), "K");
}

#[wasm_bindgen_test]
fn a_run_on_examples_fine_tunes_a_model_file_and_bad_input_throws() {
    let subset = MnistSubset::load(common::data_file(), None).js_ok();
    let example = picture_to_mnist(&picture_of_a_bar(60), 60, 60).js_ok();
    let plan =
        || options(r#"{"epochs": 1, "subsetSize": 64, "evaluationSize": 50, "exampleShare": 0.5}"#);
    let start = |model: Option<Vec<u8>>, examples: Vec<f32>| {
        TrainingRun::on_examples(&subset, model, options("{}"), plan(), examples)
    };
    assert_js_error(start(None, vec![0.5; 100]), "multiple of 784");
    assert_js_error(start(None, vec![f32::NAN; PIXELS]), "non-finite");
    assert_js_error(
        start(Some(b"not a model".to_vec()), example.clone()),
        "model file",
    );
    assert_js_error(
        TrainingRun::on_examples(
            &subset,
            None,
            options("{}"),
            options(r#"{"exampleShare": 0}"#),
            example.clone(),
        ),
        "never be shown",
    );
    let mut run = start(Some(common::DRAWING_MODEL.to_vec()), example.clone()).js_ok();
    assert_eq!((run.example_count(), run.total_steps()), (1, 1));
    let before = run.example_mse().js_ok().unwrap();
    let report = run.step().js_ok();
    assert_eq!(field(&report, "batchExamples").as_f64(), Some(32.0));
    assert_eq!(field(&report, "batchDigits").as_f64(), Some(32.0));
    assert_ne!(run.example_mse().js_ok().unwrap(), before);
    let model = run.model().js_ok();
    assert_eq!(model.latent_size(), drawing_model().latent_size());

    // The gauge recalibrated on the new mix ranks among the test digits and the examples.
    assert_js_error(
        AnomalyDetector::recalibrated(&model, &subset, vec![0.5; 10]),
        "multiple of 784",
    );
    // (A whole fit scores every test digit: the other detector tests do that once already.)
    assert_js_error(
        AnomalyDetector::recalibrated(&model, &subset, Vec::new()),
        "empty",
    );
    let mut detector = AnomalyDetector::recalibrated(&model, &subset, example.clone()).js_ok();
    assert!(!detector.fit_some(&subset, 10).js_ok());
    let references = subset.test_indices().len() + 1;
    assert_eq!(detector.progress(), 10.0 / references as f64);
}

/// Test digits `from..from + count` of the data file and their labels.
fn test_digits(subset: &MnistSubset, from: usize, count: usize) -> (Vec<f32>, Vec<u32>) {
    let indices = &subset.test_indices()[from..from + count];
    (
        subset.images(indices).js_ok(),
        subset.labels(indices).js_ok(),
    )
}

fn digit_names() -> Vec<String> {
    (0..10).map(|d| d.to_string()).collect()
}

#[wasm_bindgen_test]
fn the_shipped_classifier_reads_test_digits_and_refuses_bad_input() {
    let classifier = Classifier::load(common::CLASSIFIER_MODEL).js_ok();
    assert_eq!(classifier.labels_used(), 100);
    assert_eq!(classifier.class_names(), digit_names());
    let subset = MnistSubset::load(common::data_file(), None).js_ok();
    let (images, labels) = test_digits(&subset, 0, 50);
    let right = images
        .chunks_exact(PIXELS)
        .zip(&labels)
        .filter(|(image, label)| {
            let p = classifier.classify(image).js_ok();
            assert_eq!(p.len(), 10);
            assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
            let best = (0..10).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap();
            best as u32 == **label
        })
        .count();
    assert!(right >= 40, "{right} of 50 test digits");
    assert_js_error(classifier.classify(&[0.5; 100]), "784");
    assert_js_error(classifier.classify(&[1.5; PIXELS]), "0…1");
    assert_eq!(classifier.classify(&images[..PIXELS]).js_ok().len(), 10);
    assert_js_error(
        Classifier::load(common::DRAWING_MODEL),
        "not a classifier file",
    );
    assert_js_error(
        Classifier::load(&common::CLASSIFIER_MODEL[..1000]),
        "truncated",
    );
}

#[wasm_bindgen_test]
fn a_code_classifier_fits_in_the_page_takes_named_classes_and_refuses_bad_input() {
    let model = drawing_model();
    let subset = MnistSubset::load(common::data_file(), None).js_ok();
    let indices = subset.labelled_draw(Some(10), 1);
    let (images, labels) = (
        subset.images(&indices).js_ok(),
        subset.labels(&indices).js_ok(),
    );
    let fitted =
        CodeClassifier::fit(&model, &images, &labels, digit_names(), JsValue::UNDEFINED).js_ok();
    assert_eq!(fitted.examples(), 100);
    let (test, test_labels) = test_digits(&subset, 0, 200);
    let accuracy = fitted.accuracy(&test, &test_labels).js_ok();
    assert!(accuracy > 0.7, "{accuracy}");

    // A class the page names beside the digits, from images of its own.
    let mut names = digit_names();
    names.push("square".into());
    let mut square = vec![0.0f32; PIXELS];
    for i in 6..22 {
        for j in [6, 21] {
            square[i * 28 + j] = 1.0;
            square[j * 28 + i] = 1.0;
        }
    }
    let mut with_shapes = images.clone();
    let mut shape_labels = labels.clone();
    for _ in 0..5 {
        with_shapes.extend(&square);
        shape_labels.push(10);
    }
    let shapes = CodeClassifier::fit(
        &model,
        &with_shapes,
        &shape_labels,
        names,
        JsValue::UNDEFINED,
    )
    .js_ok();
    assert_eq!(shapes.class_names().last().unwrap(), "square");
    let p = shapes.classify(&square).js_ok();
    assert!(p[10] > 0.5, "{p:?}");

    let fit = |images: &[f32], labels: &[u32], names: Vec<String>, options: JsValue| {
        CodeClassifier::fit(&model, images, labels, names, options)
    };
    assert_js_error(
        fit(&images[..100], &labels, digit_names(), JsValue::UNDEFINED),
        "784",
    );
    assert_js_error(
        fit(&images, &labels[1..], digit_names(), JsValue::UNDEFINED),
        "labels",
    );
    assert_js_error(
        fit(
            &images,
            &labels,
            digit_names()[..9].to_vec(),
            JsValue::UNDEFINED,
        ),
        "names no class",
    );
    assert_js_error(
        fit(&images, &labels, digit_names(), options(r#"{"stepz": 3}"#)),
        "stepz",
    );
    assert_js_error(
        fit(&images, &labels, digit_names(), options(r#"{"steps": 0}"#)),
        "steps",
    );
    assert_js_error(
        fit(
            &images,
            &labels,
            digit_names(),
            options(r#"{"steps": 2.5}"#),
        ),
        "whole number",
    );
    assert_js_error(
        fit(
            &images,
            &labels,
            digit_names(),
            options(r#"{"l2": "strong"}"#),
        ),
        "not a number",
    );
    assert_js_error(fitted.classify(&[0.5; 10]), "784");
    assert_js_error(fitted.classify(&[-1.0; PIXELS]), "0…1");
    assert_js_error(fitted.accuracy(&test, &test_labels[1..]), "labels");
    assert!(fitted.classify(&test[..PIXELS]).js_ok().len() == 10);
}
