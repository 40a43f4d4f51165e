//! The shipped t-SNE maps of the test digits: each fits its model's test digits, keeps a
//! digit's neighbours the same digit far better than PCA's plane of the same codes (as the
//! manifest says), and places a test digit's own code at its own point.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use autoencoder_playground::analysis::neighbour_map::NeighbourMap;
use autoencoder_playground::analysis::pca::PlaneProjection;
use autoencoder_playground::analysis::tsne::neighbourhood_agreement;
use autoencoder_playground::data::Split;
use autoencoder_playground::inference::InferenceModel;
use autoencoder_playground::manifest::Role;

#[test]
fn the_drawing_models_map_keeps_neighbours_that_pca_loses() {
    let manifest = common::manifest();
    let entry = manifest.role(Role::Drawing).unwrap();
    let map_entry = entry.map.as_ref().expect("the drawing model has a map");
    let model = InferenceModel::load(common::model(Role::Drawing)).unwrap();
    let data = common::dataset();
    let test = data.indices(Split::Test);
    let labels: Vec<u8> = test.iter().map(|&i| data.label(i)).collect();
    let codes = model.encode_many(&data.images(&test)).unwrap();
    let latent = model.latent_size();

    let map =
        NeighbourMap::new(common::shipped_file(&map_entry.file), codes.clone(), latent).unwrap();
    let on_map = neighbourhood_agreement(map.positions(), 2, &labels, map_entry.k).unwrap();
    let plane = PlaneProjection::fit(&codes, latent)
        .unwrap()
        .project(&codes)
        .unwrap();
    let on_plane = neighbourhood_agreement(&plane, 2, &labels, map_entry.k).unwrap();
    assert_eq!(
        on_map, map_entry.agreement_map,
        "the manifest's figure is the file's"
    );
    assert!((on_plane - map_entry.agreement_pca).abs() < 1e-3);
    assert!(
        on_map > 0.8 && on_map > on_plane + 0.3,
        "map {on_map:.3}, PCA plane {on_plane:.3}"
    );

    // A test digit's own code lands on its own point, among digits like it.
    for &digit in &[0usize, 17, 500] {
        let placed = map
            .place(&codes[digit * latent..(digit + 1) * latent])
            .unwrap();
        assert_eq!(placed.neighbours[0], digit);
        let same = placed
            .neighbours
            .iter()
            .filter(|&&n| labels[n] == labels[digit])
            .count();
        assert!(
            same >= 7,
            "digit {digit}: {same} of 10 neighbours share its label"
        );
    }
}

#[test]
fn every_map_fits_its_models_test_digits() {
    let manifest = common::manifest();
    let data = common::dataset();
    let test_count = data.indices(Split::Test).len();
    for entry in &manifest.models {
        let Some(map) = &entry.map else {
            assert!(
                entry.latent_size <= 2,
                "{} (L = {}) has no map",
                entry.id,
                entry.latent_size
            );
            continue;
        };
        let bytes = common::shipped_file(&map.file);
        assert_eq!(bytes.len(), map.file_bytes, "{}", entry.id);
        let codes = vec![0.0; test_count * entry.latent_size];
        NeighbourMap::new(bytes, codes, entry.latent_size)
            .unwrap_or_else(|e| panic!("{}: {e}", entry.id));
        assert!(map.agreement_map > map.agreement_pca, "{}", entry.id);
    }
}
