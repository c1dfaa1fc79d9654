//! Empty: this crate only aligns dependency features (see its Cargo.toml).
