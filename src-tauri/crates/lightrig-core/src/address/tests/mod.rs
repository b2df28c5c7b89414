//! Tests of payout address validation. Builders here assemble Monero addresses from chosen keys
//! (the encoder is cross-checked against the published donation address), so every network and
//! kind is covered without relying on example addresses nobody can vouch for.

mod base58;
mod evm;
mod monero;
mod mutations;
mod payout;
mod props;
mod text;

use super::base58 as b58;
use super::monero::monero_checksum;
use super::{MoneroKind, MoneroNetwork};

/// The Monero General Fund's donation address, published on getmonero.org.
pub(super) const DONATION: &str = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

/// The EIP-55 specification's mixed-case test vectors.
pub(super) const EIP55_MIXED: [&str; 4] = [
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
];

/// Monero's varint, little-endian base 128.
pub(super) fn varint(mut value: u64) -> Vec<u8> {
    let mut out = Vec::new();
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
    out
}

/// Prefix + body + Keccak checksum, in Monero base58: any address layout, valid or not.
pub(super) fn build(prefix: u64, body: &[u8]) -> String {
    let mut bytes = varint(prefix);
    bytes.extend_from_slice(body);
    let checksum = monero_checksum(&bytes);
    bytes.extend_from_slice(&checksum);
    b58::encode(&bytes)
}

/// A valid address of `network` and `kind` from keys derived from `seed`.
pub(super) fn make(network: MoneroNetwork, kind: MoneroKind, seed: u8) -> String {
    let mut body: Vec<u8> = (0..64u8).map(|i| i.wrapping_mul(31).wrapping_add(seed)).collect();
    if kind == MoneroKind::Integrated {
        body.extend_from_slice(&payment_id(seed));
    }
    build(network.prefix(kind), &body)
}

pub(super) fn payment_id(seed: u8) -> [u8; 8] {
    [seed, 1, 2, 3, 4, 5, 6, 0xff]
}

pub(super) const NETWORKS: [MoneroNetwork; 3] =
    [MoneroNetwork::Mainnet, MoneroNetwork::Testnet, MoneroNetwork::Stagenet];
pub(super) const KINDS: [MoneroKind; 3] =
    [MoneroKind::Standard, MoneroKind::Integrated, MoneroKind::Subaddress];
