//! Ethereum-style addresses against the EIP-55 specification's test vectors.

use super::super::{AddressError, EvmAddress, to_checksum, validate_evm};
use super::{DONATION, EIP55_MIXED};

/// The specification's vectors whose checksummed form happens to be all one case.
const EIP55_ONE_CASE: [&str; 4] = [
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
];

fn bytes_of(text: &str) -> [u8; 20] {
    let mut out = [0u8; 20];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 + 2 * i..4 + 2 * i], 16).expect("hex");
    }
    out
}

#[test]
fn specification_vectors_are_checksummed() {
    for text in EIP55_MIXED.into_iter().chain(EIP55_ONE_CASE) {
        assert_eq!(
            validate_evm(text),
            Ok(EvmAddress { checksummed: true, normalized: text.to_owned() }),
            "{text}"
        );
        assert_eq!(to_checksum(&bytes_of(text)), text);
    }
}

#[test]
fn one_case_text_is_accepted_but_reported_unchecksummed() {
    for text in EIP55_MIXED {
        let lower = text.to_ascii_lowercase();
        let upper = format!("0x{}", text[2..].to_ascii_uppercase());
        for variant in [lower, upper] {
            assert_eq!(
                validate_evm(&variant),
                Ok(EvmAddress { checksummed: false, normalized: text.to_owned() }),
                "{variant}"
            );
        }
    }
}

#[test]
fn flipping_the_case_of_any_one_letter_breaks_the_checksum() {
    for text in EIP55_MIXED {
        let mut flipped_any = false;
        for (index, ch) in text.char_indices().skip(2).filter(|(_, c)| c.is_ascii_alphabetic()) {
            let flipped = if ch.is_ascii_uppercase() {
                ch.to_ascii_lowercase()
            } else {
                ch.to_ascii_uppercase()
            };
            let mut mutated = text.to_owned();
            mutated.replace_range(index..=index, &flipped.to_string());
            // Flipping the only letter of one case would leave a one-case text, which carries
            // no checksum to break; the vectors have several letters of each case.
            let err = validate_evm(&mutated).expect_err(&mutated);
            assert_eq!(err, AddressError::EvmChecksum, "{mutated}");
            flipped_any = true;
        }
        assert!(flipped_any);
    }
    let message = AddressError::EvmChecksum.to_string();
    assert!(message.contains("copy the address again from your wallet"), "{message}");
}

#[test]
fn a_missing_or_capital_prefix_is_refused() {
    assert_eq!(validate_evm(&EIP55_MIXED[0][2..]), Err(AddressError::EvmPrefix));
    assert_eq!(validate_evm(&EIP55_MIXED[0].replacen("0x", "0X", 1)), Err(AddressError::EvmPrefix));
    assert!(AddressError::EvmPrefix.to_string().contains("add 0x in front"));
}

#[test]
fn non_hex_characters_are_named_with_their_position() {
    let text = format!("0x5g{}", &EIP55_MIXED[0][4..]);
    let err = validate_evm(&text).expect_err("refused");
    assert_eq!(err, AddressError::EvmCharacter { ch: 'g', position: 4 });
    assert!(err.to_string().starts_with("contains the character 'g' at position 4"), "{err}");
}

#[test]
fn wrong_lengths_say_how_long_the_text_is() {
    assert_eq!(validate_evm(&EIP55_MIXED[0][..41]), Err(AddressError::EvmLength { len: 41 }));
    let longer = format!("{}a", EIP55_MIXED[0]);
    assert_eq!(validate_evm(&longer), Err(AddressError::EvmLength { len: 43 }));
    assert_eq!(validate_evm("0x"), Err(AddressError::EvmLength { len: 2 }));
}

#[test]
fn a_monero_address_in_an_ethereum_field_is_recognised() {
    let err = validate_evm(DONATION).expect_err("refused");
    assert_eq!(err, AddressError::WrongChain { found: "a Monero", expected: "an Ethereum-style" });
}
