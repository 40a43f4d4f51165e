//! Random deformations of a digit, the augmentation that lets a model trained on 8,004 digits
//! meet a new digit as it meets its own: a small rotation, scaling and shift (affine), and on
//! top of it an elastic warp (Simard, Steinkraus and Platt, ICDAR 2003), which bends strokes the
//! way another hand would. Every choice comes from the caller's seeded generator.

use serde::{Deserialize, Serialize};

use crate::util::image::{PIXELS, SIDE};
use crate::util::rng::SplitMix64;

/// Largest rotation either way, in degrees.
const MAX_ROTATION_DEGREES: f64 = 12.0;
/// Largest change of size either way (0.1: 90 % … 110 %).
const MAX_SCALE_CHANGE: f64 = 0.1;
/// Largest shift either way, in pixels (not whole pixels: the image is resampled anyway).
const MAX_SHIFT_PIXELS: f64 = 2.0;
/// Simard's elastic field: per-pixel uniform displacements in −1…1, smoothed by a Gaussian of
/// this width (pixels) and scaled by this factor, move ink by about 0.8 pixels (root mean
/// square). Simard's α = 34 moves it by 1.4 and at times squeezes a stroke to half its ink: a
/// classifier may learn from that, but a compressor would spend its code on it.
const ELASTIC_SIGMA: f64 = 4.0;
const ELASTIC_ALPHA: f64 = 20.0;

/// How a training digit is deformed: `"none"`, `"affine"` or `"elastic"` (affine, then warped)
/// wherever it is written.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Deformation {
    /// The digit as it is.
    #[default]
    None,
    /// A random rotation, scaling and shift.
    Affine,
    /// The affine deformation and a random elastic warp.
    Elastic,
}

impl Deformation {
    /// `image` (784 pixels) deformed at random; as it is for [`Deformation::None`].
    pub fn apply(self, image: &[f32], rng: &mut SplitMix64) -> Vec<f32> {
        match self {
            Self::None => image.to_vec(),
            Self::Affine => {
                let affine = Affine::random(rng);
                resample(image, |x, y| affine.source_of(x, y))
            }
            Self::Elastic => {
                let affine = Affine::random(rng);
                let (dx, dy) = (elastic_field(rng), elastic_field(rng));
                resample(image, |x, y| {
                    let i = y as usize * SIDE + x as usize;
                    affine.source_of(x + dx[i], y + dy[i])
                })
            }
        }
    }
}

/// Where an output pixel takes its ink from: the inverse of rotating by `angle`, scaling by
/// `scale` about the centre and shifting by `shift`.
struct Affine {
    cos: f64,
    sin: f64,
    scale: f64,
    shift: (f64, f64),
}

impl Affine {
    fn random(rng: &mut SplitMix64) -> Self {
        let mut symmetric = |limit: f64| (2.0 * rng.uniform() - 1.0) * limit;
        let angle = symmetric(MAX_ROTATION_DEGREES).to_radians();
        let scale = 1.0 + symmetric(MAX_SCALE_CHANGE);
        let shift = (symmetric(MAX_SHIFT_PIXELS), symmetric(MAX_SHIFT_PIXELS));
        Self {
            cos: angle.cos(),
            sin: angle.sin(),
            scale,
            shift,
        }
    }

    fn source_of(&self, x: f64, y: f64) -> (f64, f64) {
        let centre = (SIDE as f64 - 1.0) / 2.0;
        let (u, v) = (
            (x - centre - self.shift.0) / self.scale,
            (y - centre - self.shift.1) / self.scale,
        );
        (
            centre + self.cos * u + self.sin * v,
            centre - self.sin * u + self.cos * v,
        )
    }
}

/// The image whose pixel (x, y) is `image` sampled bilinearly at `source_of(x, y)`; outside
/// the frame is paper, so ink stays in 0…1.
fn resample(image: &[f32], source_of: impl Fn(f64, f64) -> (f64, f64)) -> Vec<f32> {
    let at = |x: isize, y: isize| -> f64 {
        if (0..SIDE as isize).contains(&x) && (0..SIDE as isize).contains(&y) {
            image[y as usize * SIDE + x as usize] as f64
        } else {
            0.0
        }
    };
    let mut out = Vec::with_capacity(PIXELS);
    for y in 0..SIDE {
        for x in 0..SIDE {
            let (sx, sy) = source_of(x as f64, y as f64);
            let (left, top) = (sx.floor(), sy.floor());
            let (fx, fy) = (sx - left, sy - top);
            let (left, top) = (left as isize, top as isize);
            let value = (1.0 - fy) * ((1.0 - fx) * at(left, top) + fx * at(left + 1, top))
                + fy * ((1.0 - fx) * at(left, top + 1) + fx * at(left + 1, top + 1));
            out.push(value.clamp(0.0, 1.0) as f32);
        }
    }
    out
}

/// One coordinate of an elastic displacement field: random per pixel, smoothed by a Gaussian
/// (separably, zero beyond the frame), scaled.
fn elastic_field(rng: &mut SplitMix64) -> Vec<f64> {
    let radius = (3.0 * ELASTIC_SIGMA).ceil() as isize;
    let kernel: Vec<f64> = (-radius..=radius)
        .map(|d| (-(d * d) as f64 / (2.0 * ELASTIC_SIGMA * ELASTIC_SIGMA)).exp())
        .collect();
    let total: f64 = kernel.iter().sum();
    let kernel: Vec<f64> = kernel.iter().map(|k| k / total).collect();
    let noise: Vec<f64> = (0..PIXELS).map(|_| 2.0 * rng.uniform() - 1.0).collect();
    let blur = |field: &[f64], step: (isize, isize)| -> Vec<f64> {
        let mut out = vec![0.0; PIXELS];
        for y in 0..SIDE as isize {
            for x in 0..SIDE as isize {
                let mut sum = 0.0;
                for (k, weight) in (-radius..=radius).zip(&kernel) {
                    let (sx, sy) = (x + k * step.0, y + k * step.1);
                    if (0..SIDE as isize).contains(&sx) && (0..SIDE as isize).contains(&sy) {
                        sum += weight * field[sy as usize * SIDE + sx as usize];
                    }
                }
                out[y as usize * SIDE + x as usize] = sum;
            }
        }
        out
    };
    let smooth = blur(&blur(&noise, (1, 0)), (0, 1));
    smooth.into_iter().map(|d| ELASTIC_ALPHA * d).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plus sign of ink, strokes three pixels wide as a digit's, in the middle of the frame.
    fn plus() -> Vec<f32> {
        let mut image = vec![0.0; PIXELS];
        for i in 8..20 {
            for w in 13..16 {
                image[w * SIDE + i] = 1.0;
                image[i * SIDE + w] = 1.0;
            }
        }
        image
    }

    fn ink(image: &[f32]) -> f32 {
        image.iter().sum()
    }

    #[test]
    fn no_deformation_keeps_the_image() {
        let image = plus();
        assert_eq!(
            Deformation::None.apply(&image, &mut SplitMix64::new(1)),
            image
        );
    }

    #[test]
    fn the_identity_resampling_is_exact() {
        let image = plus();
        assert_eq!(resample(&image, |x, y| (x, y)), image);
    }

    #[test]
    fn deformations_move_ink_but_keep_about_as_much_of_it_in_range() {
        let image = plus();
        for deformation in [Deformation::Affine, Deformation::Elastic] {
            let mut rng = SplitMix64::new(7);
            let mut ratios = Vec::new();
            for _ in 0..50 {
                let deformed = deformation.apply(&image, &mut rng);
                assert_eq!(deformed.len(), PIXELS);
                assert!(deformed.iter().all(|v| (0.0..=1.0).contains(v)));
                assert_ne!(deformed, image, "{deformation}");
                ratios.push(ink(&deformed) / ink(&image));
            }
            // Scaling by up to 10 % each way changes a stroke's area by up to about 20 %; the
            // elastic warp stretches or squeezes parts of it by up to about 40 % more. On
            // average, ink is kept.
            let mean = ratios.iter().sum::<f32>() / ratios.len() as f32;
            assert!(
                (0.85..1.15).contains(&mean),
                "{deformation}: ink × {mean} on average"
            );
            assert!(
                ratios.iter().all(|r| (0.4..2.0).contains(r)),
                "{deformation}: ink × {ratios:?}"
            );
        }
    }

    #[test]
    fn deformations_are_seeded() {
        let image = plus();
        let once = Deformation::Elastic.apply(&image, &mut SplitMix64::new(3));
        let again = Deformation::Elastic.apply(&image, &mut SplitMix64::new(3));
        let other = Deformation::Elastic.apply(&image, &mut SplitMix64::new(4));
        assert_eq!(once, again);
        assert_ne!(once, other);
    }

    #[test]
    fn the_elastic_field_moves_pixels_about_a_pixel() {
        let mut rng = SplitMix64::new(11);
        let field: Vec<f64> = (0..50).flat_map(|_| elastic_field(&mut rng)).collect();
        let rms = (field.iter().map(|d| d * d).sum::<f64>() / field.len() as f64).sqrt();
        assert!((0.5..1.2).contains(&rms), "RMS displacement {rms} px");
    }

    #[test]
    fn names_parse_back() {
        use strum::VariantArray;
        let names: Vec<String> = Deformation::VARIANTS
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(names, ["none", "affine", "elastic"]);
        for &deformation in Deformation::VARIANTS {
            let name: &str = deformation.into();
            assert_eq!(name.parse(), Ok(deformation));
            assert_eq!(
                serde_json::to_string(&deformation).unwrap(),
                format!("\"{name}\"")
            );
        }
        assert!("warp".parse::<Deformation>().is_err());
    }
}
