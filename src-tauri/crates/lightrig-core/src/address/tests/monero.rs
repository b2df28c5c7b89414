//! Monero addresses: the published donation address, built addresses of every network and
//! kind, and each way a Monero address can be wrong.

use super::super::monero::read_varint;
use super::super::{AddressError, MoneroAddress, MoneroKind, MoneroNetwork, validate_monero};
use super::{DONATION, EIP55_MIXED, KINDS, NETWORKS, b58, build, make, payment_id};

#[test]
fn the_donation_address_is_a_mainnet_standard_address() {
    let address = validate_monero(DONATION, Some(MoneroNetwork::Mainnet));
    assert_eq!(
        address,
        Ok(MoneroAddress {
            network: MoneroNetwork::Mainnet,
            kind: MoneroKind::Standard,
            payment_id: None
        })
    );
}

#[test]
fn encoder_rebuilds_the_donation_address_from_its_keys() {
    let bytes = b58::decode(DONATION).expect("decodes");
    assert_eq!(bytes.len(), 1 + 64 + 4);
    assert_eq!(bytes[0], 18);
    assert_eq!(build(18, &bytes[1..65]), DONATION);
}

#[test]
fn built_addresses_of_every_network_and_kind_validate() {
    // First characters are the ones Monero's documentation lists for each prefix.
    let first = |network, kind| match (network, kind) {
        (MoneroNetwork::Mainnet, MoneroKind::Subaddress) => '8',
        (MoneroNetwork::Mainnet, _) => '4',
        (MoneroNetwork::Testnet, MoneroKind::Standard) => '9',
        (MoneroNetwork::Testnet, MoneroKind::Integrated) => 'A',
        (MoneroNetwork::Testnet, MoneroKind::Subaddress) => 'B',
        (MoneroNetwork::Stagenet, MoneroKind::Subaddress) => '7',
        (MoneroNetwork::Stagenet, _) => '5',
    };
    for network in NETWORKS {
        for kind in KINDS {
            let text = make(network, kind, 7);
            assert_eq!(text.len(), kind.encoded_len(), "{network} {kind}");
            assert!(text.starts_with(first(network, kind)), "{network} {kind}: {text}");
            let expected_id = (kind == MoneroKind::Integrated).then(|| payment_id(7));
            assert_eq!(
                validate_monero(&text, Some(network)),
                Ok(MoneroAddress { network, kind, payment_id: expected_id }),
                "{text}"
            );
        }
    }
}

#[test]
fn a_stagenet_address_is_refused_for_a_mainnet_node() {
    let stagenet = make(MoneroNetwork::Stagenet, MoneroKind::Standard, 1);
    let err = validate_monero(&stagenet, Some(MoneroNetwork::Mainnet)).expect_err("refused");
    assert_eq!(
        err,
        AddressError::MoneroWrongNetwork {
            found: MoneroNetwork::Stagenet,
            expected: MoneroNetwork::Mainnet
        }
    );
    assert!(
        err.to_string().starts_with("this is a stagenet address but the node mines on mainnet"),
        "{err}"
    );
    // Without an expectation, any network is fine.
    assert!(validate_monero(&stagenet, None).is_ok());
    let testnet = make(MoneroNetwork::Testnet, MoneroKind::Subaddress, 1);
    assert_eq!(
        validate_monero(&testnet, Some(MoneroNetwork::Stagenet)).map_err(|e| e.code()),
        Err("address.monero.wrong_network")
    );
}

#[test]
fn truncated_and_extended_addresses_say_how_long_they_are() {
    let err = validate_monero(&DONATION[..94], None).expect_err("refused");
    assert_eq!(err, AddressError::MoneroLength { len: 94 });
    assert!(
        err.to_string().starts_with(
            "address is 94 characters long; a Monero address has 95 (or 106 if integrated)"
        ),
        "{err}"
    );
    let extended = format!("{DONATION}1");
    assert_eq!(validate_monero(&extended, None), Err(AddressError::MoneroLength { len: 96 }));
    let integrated = make(MoneroNetwork::Mainnet, MoneroKind::Integrated, 2);
    assert_eq!(
        validate_monero(&integrated[..105], None),
        Err(AddressError::MoneroLength { len: 105 })
    );
    // Cut to a length that happens to be a valid one: the checksum no longer matches.
    assert_eq!(validate_monero(&integrated[..95], None), Err(AddressError::MoneroChecksum));
}

#[test]
fn a_kind_with_the_wrong_length_is_refused() {
    // Integrated prefix, but no payment ID: 95 characters with a valid checksum.
    let keys = [9u8; 64];
    let short = build(MoneroNetwork::Mainnet.prefix(MoneroKind::Integrated), &keys);
    assert_eq!(short.len(), 95);
    let err = validate_monero(&short, None).expect_err("refused");
    assert_eq!(err, AddressError::MoneroKindLength { kind: MoneroKind::Integrated, len: 95 });
    assert!(err.to_string().contains("an integrated address but has 95 characters instead of 106"));
    // Standard prefix with a payment ID: 106 characters.
    let long = build(MoneroNetwork::Stagenet.prefix(MoneroKind::Standard), &[9u8; 72]);
    assert_eq!(
        validate_monero(&long, None),
        Err(AddressError::MoneroKindLength { kind: MoneroKind::Standard, len: 106 })
    );
}

#[test]
fn other_cryptonote_prefixes_are_refused_as_another_coin() {
    let other = build(12, &[3u8; 64]);
    assert_eq!(
        validate_monero(&other, None),
        Err(AddressError::MoneroUnknownNetwork { prefix: 12 })
    );
    // A two-byte varint prefix with a body one byte shorter keeps the 95-character length.
    let two_byte = build(200, &[3u8; 63]);
    assert_eq!(two_byte.len(), 95);
    assert_eq!(
        validate_monero(&two_byte, None),
        Err(AddressError::MoneroUnknownNetwork { prefix: 200 })
    );
}

#[test]
fn a_mistyped_first_character_is_a_checksum_error_not_a_network_error() {
    // '4' → '5' turns the prefix byte from mainnet's 18 into stagenet's 24. The checksum is
    // checked first, so the user hears the true story rather than "this is a stagenet address".
    let typo = format!("5{}", &DONATION[1..]);
    let prefix = b58::decode(&typo).expect("decodes")[0];
    assert_eq!(u64::from(prefix), MoneroNetwork::Stagenet.prefix(MoneroKind::Standard));
    let err = validate_monero(&typo, Some(MoneroNetwork::Mainnet)).expect_err("refused");
    assert_eq!(err, AddressError::MoneroChecksum);
    assert!(
        err.to_string().starts_with("checksum does not match: a character was probably mistyped")
    );
}

#[test]
fn characters_monero_never_uses_are_named() {
    let typo = format!("{}l{}", &DONATION[..11], &DONATION[12..]);
    let err = validate_monero(&typo, None).expect_err("refused");
    assert_eq!(err, AddressError::MoneroCharacter { ch: 'l', position: 12 });
    let message = err.to_string();
    assert!(message.starts_with("contains the character 'l'"), "{message}");
    assert!(message.contains("which Monero addresses never use"), "{message}");
    // A look-alike from another script is shown with its code point.
    let cyrillic = format!("{}\u{430}{}", &DONATION[..20], &DONATION[21..]);
    let err = validate_monero(&cyrillic, None).expect_err("refused");
    assert!(err.to_string().contains("(U+0430)"), "{err}");
}

#[test]
fn a_block_value_too_large_is_an_encoding_error() {
    let text = format!("zzzzzzzzzzz{}", &DONATION[11..]);
    assert_eq!(validate_monero(&text, None), Err(AddressError::MoneroEncoding { position: 1 }));
}

#[test]
fn an_ethereum_address_in_a_monero_field_is_recognised() {
    let err = validate_monero(EIP55_MIXED[0], None).expect_err("refused");
    assert_eq!(err.code(), "address.wrong_chain");
    assert!(
        err.to_string().contains("an Ethereum-style address, but this node pays out to a Monero")
    );
}

#[test]
fn varints_are_read_canonically() {
    assert_eq!(read_varint(&[18, 0xff]), Some((18, 1)));
    assert_eq!(read_varint(&[0xc8, 0x01]), Some((200, 2)));
    assert_eq!(read_varint(&[0x92, 0x00]), None, "overlong spelling of 18");
    assert_eq!(read_varint(&[0x80]), None, "unterminated");
    assert_eq!(read_varint(&[]), None);
    assert_eq!(
        read_varint(&[0xff; 9].iter().copied().chain([0x01]).collect::<Vec<_>>()),
        Some((u64::MAX, 10))
    );
    assert_eq!(read_varint(&[0xff; 9].iter().copied().chain([0x02]).collect::<Vec<_>>()), None);
}
