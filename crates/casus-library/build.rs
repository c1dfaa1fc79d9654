// include_dir! does not tell cargo which files it read; this makes any change under
// library/ (including new files) rebuild the embedded copy.
fn main() {
    println!("cargo:rerun-if-changed=../../library");
}
