//! `docs/options.md` is the option table of `core/src/options.rs`, rendered; this keeps them equal
//! (`UPDATE=1 cargo test -p flarekit --test options_doc` rewrites the file).

#[test]
fn docs_options_md_is_the_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/options.md");
    let want = flarekit::options::markdown();
    if std::env::var_os("UPDATE").is_some() {
        std::fs::create_dir_all(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs")).unwrap();
        std::fs::write(path, &want).unwrap();
    }
    let got = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        got == want,
        "docs/options.md differs from the option table; run UPDATE=1 cargo test -p flarekit --test options_doc"
    );
}
