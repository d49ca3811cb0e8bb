//! The engine's wasm module gets an 8 MiB stack: Boa's calls from native code back into
//! JavaScript (a callback of `map` calling `map`) nest on it, up to the recursion limit.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size=8388608");
    }
}
