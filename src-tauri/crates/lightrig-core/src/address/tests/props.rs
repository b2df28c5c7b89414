//! Properties over random input: the codec round-trips, and nothing panics on any text.

use proptest::prelude::*;

use super::super::{MoneroAddress, MoneroKind, base58, validate_evm, validate_monero};
use super::{KINDS, NETWORKS, build};

/// Strings drawn from the base58 alphabet, so they get past the character checks and reach the
/// decoder, the checksum and the prefix logic.
fn base58_text(len: impl Into<prop::collection::SizeRange>) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(
            b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".to_vec(),
        ),
        len,
    )
    .prop_map(|bytes| bytes.into_iter().map(char::from).collect())
}

proptest! {
    #[test]
    fn base58_round_trips_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = base58::encode(&bytes);
        prop_assert_eq!(base58::decode(&text), Ok(bytes));
    }

    #[test]
    fn built_addresses_from_random_keys_validate(
        keys in prop::array::uniform32(any::<u8>()),
        view in prop::array::uniform32(any::<u8>()),
        id in prop::array::uniform8(any::<u8>()),
        network_index in 0..3usize,
        kind_index in 0..3usize,
    ) {
        let (network, kind) = (NETWORKS[network_index], KINDS[kind_index]);
        let mut body = [keys, view].concat();
        let payment_id = (kind == MoneroKind::Integrated).then_some(id);
        if let Some(id) = payment_id {
            body.extend_from_slice(&id);
        }
        let text = build(network.prefix(kind), &body);
        prop_assert_eq!(
            validate_monero(&text, Some(network)),
            Ok(MoneroAddress { network, kind, payment_id })
        );
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = validate_monero(&text, None);
        let _ = validate_evm(&text);
        let _ = base58::decode(&text);
    }

    #[test]
    fn base58_text_of_address_lengths_never_panics(text in base58_text(90..110)) {
        let _ = validate_monero(&text, None);
        let _ = validate_evm(&text);
    }

    #[test]
    fn hex_like_text_never_panics(text in "0x[0-9a-fA-Fg ]{0,44}") {
        let _ = validate_evm(&text);
        let _ = validate_monero(&text, None);
    }
}
