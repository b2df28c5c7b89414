//! The block codec against Monero's own base58 test vectors (tests/unit_tests/base58.cpp).

use super::b58::{Base58Error, decode, encode};

const VECTORS: [(&[u8], &str); 14] = [
    (b"", ""),
    (b"\x00", "11"),
    (b"\x39", "1z"),
    (b"\xFF", "5Q"),
    (b"\x01\x00", "15R"),
    (b"\xFF\xFF", "LUv"),
    (b"\xFF\xFF\xFF", "2UzHL"),
    (b"\xFF\xFF\xFF\xFF", "7YXq9G"),
    (b"\xFF\xFF\xFF\xFF\xFF", "VtB5VXc"),
    (b"\xFF\xFF\xFF\xFF\xFF\xFF", "3CUsUpv9t"),
    (b"\xFF\xFF\xFF\xFF\xFF\xFF\xFF", "Ahg1opVcGW"),
    (b"\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", "jpXCZedGfVQ"),
    (b"\x06\x15\x60\x13\x76\x28\x79\xF7", "22222222222"),
    (b"\x06\x15\x60\x13\x76\x28\x79\xF7\xFF\xFF\xFF\xFF\xFF", "22222222222VtB5VXc"),
];

#[test]
fn encodes_and_decodes_monero_vectors() {
    for (bytes, text) in VECTORS {
        assert_eq!(encode(bytes), text, "encode {bytes:02x?}");
        assert_eq!(decode(text).as_deref(), Ok(bytes), "decode {text}");
    }
}

#[test]
fn leading_zero_bytes_keep_their_width() {
    assert_eq!(encode(&[0; 9]), "1111111111111");
    assert_eq!(decode("1111111111111"), Ok(vec![0; 9]));
}

#[test]
fn last_block_lengths_no_byte_count_produces_are_refused() {
    for (text, len) in [("1", 1), ("zzzz", 4), ("11111111", 8), ("jpXCZedGfVQ1111", 4)] {
        assert_eq!(decode(text), Err(Base58Error::BlockLength { len }), "{text}");
    }
}

#[test]
fn block_values_too_large_for_their_bytes_are_refused_with_position() {
    for text in ["5R", "zz", "LUw", "2UzHM", "7YXq9H", "VtB5VXd", "3CUsUpv9u", "Ahg1opVcGX"] {
        assert_eq!(decode(text), Err(Base58Error::Overflow { position: 1 }), "{text}");
    }
    assert_eq!(decode("jpXCZedGfVR"), Err(Base58Error::Overflow { position: 1 }));
    assert_eq!(decode("zzzzzzzzzzz"), Err(Base58Error::Overflow { position: 1 }));
    // The second block overflows: its first character is the 12th.
    assert_eq!(decode("11111111111zz"), Err(Base58Error::Overflow { position: 12 }));
}

#[test]
fn characters_outside_the_alphabet_are_named_with_their_position() {
    for (text, ch, position) in [
        ("01111111111", '0', 1),
        ("11111111110", '0', 11),
        ("I1111111111", 'I', 1),
        ("O1111111111", 'O', 1),
        ("1l111111111", 'l', 2),
        ("_1111111111", '_', 1),
        // Positions count characters, not bytes: 'é' is two bytes in UTF-8.
        ("éé1", 'é', 1),
        ("1\u{430}", '\u{430}', 2),
    ] {
        assert_eq!(decode(text), Err(Base58Error::InvalidChar { ch, position }), "{text}");
    }
}
