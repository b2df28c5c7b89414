//! Monero addresses: standard, integrated and subaddress, on mainnet, testnet and stagenet.
//!
//! Layout of the decoded bytes: a varint network prefix, the 32-byte public spend key, the
//! 32-byte public view key, for integrated addresses an 8-byte payment ID, and a 4-byte checksum
//! (the first bytes of Keccak-256 of everything before it). Keys are not checked to be curve
//! points: the checksum already catches typing and copying mistakes, which is what this guards.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha3::{Digest, Keccak256};

use super::base58::{self, Base58Error};
use super::error::AddressError;
use super::text::check_text;

const KEY_LEN: usize = 32;
const PAYMENT_ID_LEN: usize = 8;
const CHECKSUM_LEN: usize = 4;

/// Which Monero network an address belongs to. A node mining on one network cannot pay out to
/// another's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MoneroNetwork {
    Mainnet,
    Testnet,
    Stagenet,
}

impl fmt::Display for MoneroNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Mainnet => "mainnet",
            Self::Testnet => "testnet",
            Self::Stagenet => "stagenet",
        })
    }
}

/// The three address kinds. Integrated addresses carry a payment ID; subaddresses are derived
/// from a wallet's main keys so one wallet can hand out many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MoneroKind {
    Standard,
    Integrated,
    Subaddress,
}

impl MoneroKind {
    const ALL: [MoneroKind; 3] = [Self::Standard, Self::Integrated, Self::Subaddress];

    /// Length in characters of an address of this kind (with a one-byte network prefix, which
    /// every known network uses).
    pub fn encoded_len(self) -> usize {
        match self {
            Self::Standard | Self::Subaddress => 95,
            Self::Integrated => 106,
        }
    }

    /// "a standard address", "an integrated address", "a subaddress": for messages.
    pub fn with_article(self) -> &'static str {
        match self {
            Self::Standard => "a standard address",
            Self::Integrated => "an integrated address",
            Self::Subaddress => "a subaddress",
        }
    }

    fn payment_id_len(self) -> usize {
        if self == Self::Integrated { PAYMENT_ID_LEN } else { 0 }
    }
}

impl fmt::Display for MoneroKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Standard => "standard",
            Self::Integrated => "integrated",
            Self::Subaddress => "subaddress",
        })
    }
}

impl MoneroNetwork {
    const ALL: [MoneroNetwork; 3] = [Self::Mainnet, Self::Testnet, Self::Stagenet];

    /// The varint prefix that starts an address of `kind` on this network (Monero's
    /// `cryptonote_config.h`).
    pub fn prefix(self, kind: MoneroKind) -> u64 {
        match (self, kind) {
            (Self::Mainnet, MoneroKind::Standard) => 18,
            (Self::Mainnet, MoneroKind::Integrated) => 19,
            (Self::Mainnet, MoneroKind::Subaddress) => 42,
            (Self::Testnet, MoneroKind::Standard) => 53,
            (Self::Testnet, MoneroKind::Integrated) => 54,
            (Self::Testnet, MoneroKind::Subaddress) => 63,
            (Self::Stagenet, MoneroKind::Standard) => 24,
            (Self::Stagenet, MoneroKind::Integrated) => 25,
            (Self::Stagenet, MoneroKind::Subaddress) => 36,
        }
    }

    /// The network and kind a prefix stands for.
    fn from_prefix(prefix: u64) -> Option<(MoneroNetwork, MoneroKind)> {
        Self::ALL
            .into_iter()
            .flat_map(|network| MoneroKind::ALL.into_iter().map(move |kind| (network, kind)))
            .find(|(network, kind)| network.prefix(*kind) == prefix)
    }
}

/// What a valid Monero address is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MoneroAddress {
    pub network: MoneroNetwork,
    pub kind: MoneroKind,
    /// Present exactly when `kind` is `Integrated`.
    pub payment_id: Option<[u8; 8]>,
}

/// Validates a Monero address. With `expected`, an address of another network is refused, so a
/// stagenet address never reaches a node mining on mainnet.
///
/// The checksum is verified before the prefix is read: a mistyped first character can turn a
/// mainnet prefix into a stagenet one, and "checksum does not match" is then the true story.
pub fn validate_monero(
    text: &str,
    expected: Option<MoneroNetwork>,
) -> Result<MoneroAddress, AddressError> {
    check_text(text)?;
    if looks_like_evm(text) {
        return Err(AddressError::WrongChain { found: "an Ethereum-style", expected: "a Monero" });
    }
    // Characters before length: "contains the character 'l'" is more useful than a length
    // complaint when both apply, and the length must be known before decoding.
    if let Some((index, ch)) = text.chars().enumerate().find(|(_, c)| base58::digit(*c).is_none()) {
        return Err(AddressError::MoneroCharacter { ch, position: index + 1 });
    }
    let len = text.chars().count();
    if len != MoneroKind::Standard.encoded_len() && len != MoneroKind::Integrated.encoded_len() {
        return Err(AddressError::MoneroLength { len });
    }
    let bytes = base58::decode(text).map_err(|e| match e {
        Base58Error::InvalidChar { ch, position } => AddressError::MoneroCharacter { ch, position },
        Base58Error::BlockLength { .. } => AddressError::MoneroLength { len },
        Base58Error::Overflow { position } => AddressError::MoneroEncoding { position },
    })?;

    let (body, checksum) = bytes
        .split_at_checked(bytes.len().saturating_sub(CHECKSUM_LEN))
        .ok_or(AddressError::MoneroLength { len })?;
    if checksum != &monero_checksum(body)[..] {
        return Err(AddressError::MoneroChecksum);
    }

    let (prefix, prefix_len) =
        read_varint(body).ok_or(AddressError::MoneroEncoding { position: 1 })?;
    let (network, kind) =
        MoneroNetwork::from_prefix(prefix).ok_or(AddressError::MoneroUnknownNetwork { prefix })?;
    if body.len() != prefix_len + 2 * KEY_LEN + kind.payment_id_len() {
        return Err(AddressError::MoneroKindLength { kind, len });
    }
    if let Some(expected) = expected.filter(|e| *e != network) {
        return Err(AddressError::MoneroWrongNetwork { found: network, expected });
    }
    let payment_id = match kind {
        MoneroKind::Integrated => {
            let start = prefix_len + 2 * KEY_LEN;
            body.get(start..start + PAYMENT_ID_LEN).and_then(|id| <[u8; 8]>::try_from(id).ok())
        }
        MoneroKind::Standard | MoneroKind::Subaddress => None,
    };
    Ok(MoneroAddress { network, kind, payment_id })
}

/// First four bytes of Keccak-256 (the original Keccak padding, not NIST SHA3-256).
pub(crate) fn monero_checksum(body: &[u8]) -> [u8; CHECKSUM_LEN] {
    let hash = Keccak256::digest(body);
    [hash[0], hash[1], hash[2], hash[3]]
}

/// Monero's varint (little-endian base 128). Non-canonical encodings (a zero final byte after
/// the first) are refused, as Monero itself does, so each prefix has exactly one spelling.
pub(crate) fn read_varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (index, &byte) in bytes.iter().enumerate().take(10) {
        if index > 0 && byte == 0 {
            return None;
        }
        let part = u64::from(byte & 0x7f);
        let shift = 7 * u32::try_from(index).ok()?;
        if shift == 63 && part > 1 {
            return None;
        }
        value |= part << shift;
        if byte & 0x80 == 0 {
            return Some((value, index + 1));
        }
    }
    None
}

/// The shape of an Ethereum-style address, to point out a pasted address of the wrong chain
/// instead of complaining about its characters.
fn looks_like_evm(text: &str) -> bool {
    text.len() == 42
        && text.starts_with("0x")
        && text.bytes().skip(2).all(|b| b.is_ascii_hexdigit())
}
