//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the same property checks the fuzz
//! targets run, so every `make test` re-checks each input the fuzzers kept.

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(
            outcome.is_ok(),
            "{target}: input {} breaks a property",
            path.display()
        );
        n += 1;
    }
    assert!(
        n >= 10,
        "{target}: only {n} corpus inputs in {}",
        dir.display()
    );
}

#[test]
fn envelope_corpus() {
    replay("envelope", flarekit::testing::fuzz::envelope);
}

#[test]
fn credentials_corpus() {
    replay("credentials", flarekit::testing::fuzz::credentials);
}

#[test]
fn path_corpus() {
    replay("path", flarekit::testing::fuzz::path);
}

#[test]
fn query_corpus() {
    replay("query", flarekit::testing::fuzz::query);
}
