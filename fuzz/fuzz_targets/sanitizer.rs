#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    servicekb_fuzz::sanitizer(data);
});
