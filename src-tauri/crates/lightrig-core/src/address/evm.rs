//! Ethereum-style addresses (Storj and Mysterium pay out in ERC-20 tokens): `0x` and 40 hex
//! digits, with the EIP-55 mixed-case checksum when the letters are of both cases.

use serde::Serialize;
use sha3::{Digest, Keccak256};

use super::base58;
use super::error::AddressError;
use super::text::check_text;

const HEX_LEN: usize = 40;

/// A valid Ethereum-style address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvmAddress {
    /// Whether the text was already in its EIP-55 form. All-lowercase or all-uppercase text
    /// carries no checksum, so the UI can offer `normalized` instead, which does. (The rare
    /// address whose EIP-55 form has no letters of one case counts as checksummed either way.)
    pub checksummed: bool,
    /// The EIP-55 form, `0x` and 40 mixed-case hex digits.
    pub normalized: String,
}

/// Validates an Ethereum-style address. Mixed case must match the EIP-55 checksum; a single
/// case is accepted and reported as `checksummed: false`.
pub fn validate_evm(text: &str) -> Result<EvmAddress, AddressError> {
    check_text(text)?;
    if looks_like_monero(text) {
        return Err(AddressError::WrongChain { found: "a Monero", expected: "an Ethereum-style" });
    }
    let Some(hex) = text.strip_prefix("0x") else {
        return Err(AddressError::EvmPrefix);
    };
    if let Some((index, ch)) = hex.chars().enumerate().find(|(_, c)| !c.is_ascii_hexdigit()) {
        return Err(AddressError::EvmCharacter { ch, position: index + 3 });
    }
    if hex.len() != HEX_LEN {
        return Err(AddressError::EvmLength { len: text.chars().count() });
    }
    let mut bytes = [0u8; 20];
    for (byte, pair) in bytes.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
        *byte = (nibble(pair[0]) << 4) | nibble(pair[1]);
    }
    let normalized = to_checksum(&bytes);
    let has_upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    let matches = normalized[2..] == *hex;
    if has_upper && has_lower && !matches {
        return Err(AddressError::EvmChecksum);
    }
    Ok(EvmAddress { checksummed: matches, normalized })
}

/// The EIP-55 form of a 20-byte address: the hex of Keccak-256 over the lowercase hex digits
/// decides each letter's case (upper when the hash's nibble at that position is 8 or more).
pub fn to_checksum(address: &[u8; 20]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let lower: Vec<u8> = address
        .iter()
        .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0x0f)]])
        .collect();
    let hash = Keccak256::digest(&lower);
    let mut out = String::with_capacity(2 + HEX_LEN);
    out.push_str("0x");
    for (index, &digit) in lower.iter().enumerate() {
        let byte = hash[index / 2];
        let hash_nibble = if index % 2 == 0 { byte >> 4 } else { byte & 0x0f };
        let ch = char::from(digit);
        out.push(if hash_nibble >= 8 { ch.to_ascii_uppercase() } else { ch });
    }
    out
}

/// Value of an ASCII hex digit; the caller has checked it is one.
fn nibble(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        b'A'..=b'F' => digit - b'A' + 10,
        _ => 0,
    }
}

/// The shape of a Monero address, to point out a pasted address of the wrong chain.
fn looks_like_monero(text: &str) -> bool {
    matches!(text.len(), 95 | 106)
        && text.starts_with(['4', '8', '5', '7', '9', 'A', 'B'])
        && text.chars().all(|c| base58::digit(c).is_some())
}
