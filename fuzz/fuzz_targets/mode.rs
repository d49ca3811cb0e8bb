//! libFuzzer target: `notebook_fuzz::mode::run` on each input; a property it breaks is a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = notebook_fuzz::mode::run(data) {
        panic!("{broken}");
    }
});
