//! Why an address was refused, in words for a casual user, with a stable code for the UI.

use std::fmt;

use thiserror::Error;

use super::monero::{MoneroKind, MoneroNetwork};

/// Which end of the text a stray space sits at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Start,
    End,
}

impl fmt::Display for Edge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Edge::Start => "starts",
            Edge::End => "ends",
        })
    }
}

/// Why an address was refused. Each message says what is wrong and what to do; positions count
/// characters from 1. `code()` gives a stable identifier the UI can branch on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AddressError {
    #[error("no address was entered: paste your payout address from your wallet")]
    Empty,
    #[error(
        "the text is {len} characters long, far more than any payout address (at most 256): \
         check that you copied only the address"
    )]
    TooLong { len: usize },
    #[error("the address {at} with {what}: remove it, an address never starts or ends with spaces")]
    SurroundingWhitespace { at: Edge, what: &'static str },
    #[error(
        "the address contains {what} at position {position}: an address is one unbroken word, \
         copy it again as one piece"
    )]
    InnerWhitespace { position: usize, what: &'static str },
    #[error(
        "the address contains an invisible control character ({}) at position {position}: \
         delete the address and paste or type it again",
        codepoint(*ch)
    )]
    ControlCharacter { position: usize, ch: char },
    #[error(
        "the address contains a hidden character ({name}, {}) at position {position}, which \
         often comes along when copying from a web page or chat: delete the address and paste \
         or type it again",
        codepoint(*ch)
    )]
    HiddenCharacter { position: usize, ch: char, name: &'static str },
    #[error("this looks like {found} address, but this node pays out to {expected} address")]
    WrongChain { found: &'static str, expected: &'static str },

    #[error(
        "contains the character {} at position {position}, which Monero addresses never use{}: \
         check for a mistyped character",
        shown(*ch),
        monero_char_hint(*ch)
    )]
    MoneroCharacter { ch: char, position: usize },
    #[error(
        "address is {len} characters long; a Monero address has 95 (or 106 if integrated): \
         part of it was probably left out or added when copying"
    )]
    MoneroLength { len: usize },
    #[error(
        "the characters from position {position} do not decode to a Monero address: a character \
         was probably mistyped, copy the address again from your wallet"
    )]
    MoneroEncoding { position: usize },
    #[error(
        "checksum does not match: a character was probably mistyped, copy the address again \
         from your wallet"
    )]
    MoneroChecksum,
    #[error(
        "this address belongs to another coin built like Monero (network code {prefix}), \
         not to Monero: Monero addresses start with 4 or 8"
    )]
    MoneroUnknownNetwork { prefix: u64 },
    #[error(
        "this Monero address is marked as {} but has {len} characters instead of {}: copy it \
         again from your wallet",
        kind.with_article(),
        kind.encoded_len()
    )]
    MoneroKindLength { kind: MoneroKind, len: usize },
    #[error(
        "this is a {found} address but the node mines on {expected}: use an address from a \
         {expected} wallet"
    )]
    MoneroWrongNetwork { found: MoneroNetwork, expected: MoneroNetwork },

    #[error(
        "an Ethereum-style address starts with 0x followed by 40 characters 0-9 and a-f; this \
         one does not start with 0x (if your wallet shows 40 characters without it, add 0x in \
         front)"
    )]
    EvmPrefix,
    #[error(
        "contains the character {} at position {position}, which Ethereum-style addresses never \
         use: after 0x they have only 0-9 and a-f",
        shown(*ch)
    )]
    EvmCharacter { ch: char, position: usize },
    #[error(
        "address is {len} characters long; an Ethereum-style address has 42 (0x and 40 \
         characters): part of it was probably left out or added when copying"
    )]
    EvmLength { len: usize },
    #[error(
        "the capital and small letters do not match the address's checksum: a character was \
         probably mistyped, copy the address again from your wallet"
    )]
    EvmChecksum,
}

impl AddressError {
    /// A stable identifier per variant, for the UI to branch on and for translations.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "address.empty",
            Self::TooLong { .. } => "address.too_long",
            Self::SurroundingWhitespace { .. } => "address.surrounding_space",
            Self::InnerWhitespace { .. } => "address.inner_space",
            Self::ControlCharacter { .. } => "address.control_char",
            Self::HiddenCharacter { .. } => "address.hidden_char",
            Self::WrongChain { .. } => "address.wrong_chain",
            Self::MoneroCharacter { .. } => "address.monero.invalid_char",
            Self::MoneroLength { .. } => "address.monero.length",
            Self::MoneroEncoding { .. } => "address.monero.encoding",
            Self::MoneroChecksum => "address.monero.checksum",
            Self::MoneroUnknownNetwork { .. } => "address.monero.unknown_network",
            Self::MoneroKindLength { .. } => "address.monero.kind_length",
            Self::MoneroWrongNetwork { .. } => "address.monero.wrong_network",
            Self::EvmPrefix => "address.evm.prefix",
            Self::EvmCharacter { .. } => "address.evm.invalid_char",
            Self::EvmLength { .. } => "address.evm.length",
            Self::EvmChecksum => "address.evm.checksum",
        }
    }
}

/// `U+200B`: how a character nobody can see is named in a message.
fn codepoint(ch: char) -> String {
    format!("U+{:04X}", u32::from(ch))
}

/// A character as a user can recognise it: quoted, plus its code point when it is not plain
/// ASCII (a Cyrillic 'а' looks just like a Latin 'a').
fn shown(ch: char) -> String {
    if ch.is_ascii_graphic() { format!("'{ch}'") } else { format!("'{ch}' ({})", codepoint(ch)) }
}

fn monero_char_hint(ch: char) -> &'static str {
    if matches!(ch, '0' | 'O' | 'I' | 'l') {
        " (they leave out 0, O, I and l because they look alike)"
    } else {
        ""
    }
}
