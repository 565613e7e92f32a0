//! The committed C header is what cbindgen generates from the crate today.
//! `REGENERATE=1 cargo test -p sladd-capi --test capi header` rewrites it.

use std::path::Path;

#[test]
pub(crate) fn header_is_current() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .unwrap();
    let mut fresh = Vec::new();
    bindings.write(&mut fresh);
    let committed_path = crate_dir.join("../../include/sladd.h");
    if std::env::var_os("REGENERATE").is_some() {
        std::fs::write(&committed_path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read(&committed_path).unwrap_or_default();
    assert!(
        committed == fresh,
        "include/sladd.h differs from a fresh cbindgen generation; \
         run `REGENERATE=1 cargo test -p sladd-capi --test capi header` and commit it\n\
         --- fresh ---\n{}",
        String::from_utf8_lossy(&fresh)
    );
}
