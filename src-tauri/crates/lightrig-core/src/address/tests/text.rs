//! Checks every address gets, whatever its chain: nothing trimmed, hidden characters named.

use std::collections::HashSet;

use super::super::{
    AddressError, Edge, MAX_LEN, MoneroKind, MoneroNetwork, validate_evm, validate_monero,
};
use super::{DONATION, EIP55_MIXED};

/// Runs `text` through both validators, which must agree on chain-independent problems.
fn both(text: &str) -> AddressError {
    let monero = validate_monero(text, None).err();
    let evm = validate_evm(text).err();
    assert_eq!(monero, evm, "validators disagree on {text:?}");
    monero.expect("both validators refuse")
}

#[test]
fn empty_and_blank_input_asks_for_an_address() {
    assert_eq!(both(""), AddressError::Empty);
    assert_eq!(both(" \t\n"), AddressError::Empty);
    assert!(AddressError::Empty.to_string().contains("paste your payout address"));
}

#[test]
fn absurdly_long_input_is_refused_before_anything_else() {
    let long = "4".repeat(MAX_LEN + 1);
    assert_eq!(both(&long), AddressError::TooLong { len: MAX_LEN + 1 });
    // At the limit the text checks pass and the chain's own rules speak.
    let limit = "4".repeat(MAX_LEN);
    assert_eq!(validate_monero(&limit, None), Err(AddressError::MoneroLength { len: MAX_LEN }));
}

#[test]
fn a_leading_space_is_not_trimmed_but_named() {
    let err = both(&format!(" {DONATION}"));
    assert_eq!(err, AddressError::SurroundingWhitespace { at: Edge::Start, what: "a space" });
    assert!(err.to_string().starts_with("the address starts with a space"), "{err}");
}

#[test]
fn a_trailing_line_break_is_named() {
    let err = both(&format!("{}\n", EIP55_MIXED[0]));
    assert_eq!(err, AddressError::SurroundingWhitespace { at: Edge::End, what: "a line break" });
    assert_eq!(
        both(&format!("{DONATION}\u{a0}")),
        AddressError::SurroundingWhitespace { at: Edge::End, what: "a non-breaking space" }
    );
}

#[test]
fn inner_whitespace_is_named_with_its_position() {
    let text = format!("{} {}", &DONATION[..10], &DONATION[10..]);
    assert_eq!(both(&text), AddressError::InnerWhitespace { position: 11, what: "a space" });
    let text = format!("{}\t{}", &DONATION[..3], &DONATION[3..]);
    assert_eq!(both(&text), AddressError::InnerWhitespace { position: 4, what: "a tab" });
}

#[test]
fn a_hidden_zero_width_space_is_named() {
    let text = format!("{}\u{200b}{}", &DONATION[..50], &DONATION[50..]);
    let err = both(&text);
    assert_eq!(
        err,
        AddressError::HiddenCharacter { position: 51, ch: '\u{200b}', name: "zero-width space" }
    );
    let message = err.to_string();
    assert!(message.contains("zero-width space, U+200B") && message.contains("51"), "{message}");
}

#[test]
fn byte_order_marks_and_direction_overrides_are_named() {
    let cases = [
        (format!("\u{feff}{DONATION}"), 1, '\u{feff}', "zero-width no-break space"),
        (format!("\u{202e}{}", EIP55_MIXED[1]), 1, '\u{202e}', "text direction control"),
        (format!("{}\u{200f}", EIP55_MIXED[2]), 43, '\u{200f}', "text direction mark"),
        (format!("0x\u{2066}{}", &EIP55_MIXED[3][2..]), 3, '\u{2066}', "text direction control"),
        ("44\u{ad}AFF".to_owned(), 3, '\u{ad}', "soft hyphen"),
    ];
    for (text, position, ch, name) in cases {
        assert_eq!(both(&text), AddressError::HiddenCharacter { position, ch, name }, "{text:?}");
    }
}

#[test]
fn control_characters_are_named() {
    let text = format!("{}\u{7}{}", &DONATION[..5], &DONATION[5..]);
    let err = both(&text);
    assert_eq!(err, AddressError::ControlCharacter { position: 6, ch: '\u{7}' });
    assert!(err.to_string().contains("U+0007"), "{err}");
}

#[test]
fn every_variant_has_its_own_stable_code_and_a_message() {
    let all = [
        AddressError::Empty,
        AddressError::TooLong { len: 300 },
        AddressError::SurroundingWhitespace { at: Edge::End, what: "a space" },
        AddressError::InnerWhitespace { position: 3, what: "a space" },
        AddressError::ControlCharacter { position: 3, ch: '\u{1}' },
        AddressError::HiddenCharacter { position: 3, ch: '\u{200b}', name: "zero-width space" },
        AddressError::WrongChain { found: "a Monero", expected: "an Ethereum-style" },
        AddressError::MoneroCharacter { ch: 'l', position: 3 },
        AddressError::MoneroLength { len: 94 },
        AddressError::MoneroEncoding { position: 12 },
        AddressError::MoneroChecksum,
        AddressError::MoneroUnknownNetwork { prefix: 12 },
        AddressError::MoneroKindLength { kind: MoneroKind::Integrated, len: 95 },
        AddressError::MoneroWrongNetwork {
            found: MoneroNetwork::Stagenet,
            expected: MoneroNetwork::Mainnet,
        },
        AddressError::EvmPrefix,
        AddressError::EvmCharacter { ch: 'g', position: 3 },
        AddressError::EvmLength { len: 41 },
        AddressError::EvmChecksum,
    ];
    let codes: HashSet<&str> = all.iter().map(AddressError::code).collect();
    assert_eq!(codes.len(), all.len(), "codes must be distinct: {codes:?}");
    for err in &all {
        assert!(err.code().starts_with("address."), "{}", err.code());
        assert!(err.to_string().len() > 30, "{}: message too thin: {err}", err.code());
    }
}
