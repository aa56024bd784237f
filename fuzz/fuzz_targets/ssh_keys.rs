//! Arbitrary bytes from an SSH channel: the key decoder never panics, and splitting the same
//! bytes into two packets at any point yields the same keys and pastes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thidua::ssh::input::Decoder;

fuzz_target!(|data: &[u8]| {
    let Some((&cut, bytes)) = data.split_first() else {
        return;
    };
    let mut whole = Decoder::new();
    let mut one = whole.feed(bytes);
    one.extend(whole.timeout());

    let at = usize::from(cut) % (bytes.len() + 1);
    let mut split = Decoder::new();
    let mut two = split.feed(&bytes[..at]);
    two.extend(split.feed(&bytes[at..]));
    two.extend(split.timeout());
    assert_eq!(one, two);
});
