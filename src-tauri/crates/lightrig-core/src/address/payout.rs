//! A payout address that has passed its chain's validation, and can be built no other way.
//!
//! Settings hold `PayoutAddress<Monero>` or `PayoutAddress<Evm>` rather than strings, so an
//! unvalidated address never reaches a node's command line: the fields are private, the only
//! constructors validate, and deserializing (from the settings file or the UI) validates too.

use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::AddressError;
use super::evm::{EvmAddress, validate_evm};
use super::monero::{MoneroAddress, MoneroNetwork, validate_monero};

mod sealed {
    pub trait Sealed {}
}

/// A chain whose addresses `PayoutAddress` can hold. Sealed: the validators live here.
pub trait PayoutChain: sealed::Sealed + fmt::Debug + Clone + Copy + PartialEq + Eq {
    /// What validation learns about an address (network, kind, checksum form...).
    type Details: fmt::Debug + Clone + PartialEq + Eq;

    /// Validates `text` as an address of this chain.
    fn validate(text: &str) -> Result<Self::Details, AddressError>;
}

/// Monero: payouts of XMRig and P2Pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Monero;

/// Ethereum-style: Storj and Mysterium payouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evm;

impl sealed::Sealed for Monero {}
impl sealed::Sealed for Evm {}

impl PayoutChain for Monero {
    type Details = MoneroAddress;

    /// Any network is accepted here; the node checks it with
    /// [`PayoutAddress::require_network`] before it starts.
    fn validate(text: &str) -> Result<MoneroAddress, AddressError> {
        validate_monero(text, None)
    }
}

impl PayoutChain for Evm {
    type Details = EvmAddress;

    fn validate(text: &str) -> Result<EvmAddress, AddressError> {
        validate_evm(text)
    }
}

/// A validated payout address, kept exactly as the user entered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutAddress<C: PayoutChain> {
    text: String,
    details: C::Details,
    chain: PhantomData<C>,
}

/// A Monero payout address.
pub type MoneroPayoutAddress = PayoutAddress<Monero>;
/// An Ethereum-style payout address.
pub type EvmPayoutAddress = PayoutAddress<Evm>;

impl<C: PayoutChain> PayoutAddress<C> {
    /// Validates `text` and keeps it.
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        let details = C::validate(text)?;
        Ok(Self { text: text.to_owned(), details, chain: PhantomData })
    }

    /// The address as entered, ready for a command line or a config file.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// What validation found out about the address.
    pub fn details(&self) -> &C::Details {
        &self.details
    }
}

impl PayoutAddress<Monero> {
    /// Validates `text` as an address on `network`.
    pub fn parse_for(text: &str, network: MoneroNetwork) -> Result<Self, AddressError> {
        let details = validate_monero(text, Some(network))?;
        Ok(Self { text: text.to_owned(), details, chain: PhantomData })
    }

    pub fn network(&self) -> MoneroNetwork {
        self.details.network
    }

    /// Refuses the address when it belongs to another network than the node's; for addresses
    /// loaded from settings, which may predate a switch of network.
    pub fn require_network(&self, network: MoneroNetwork) -> Result<(), AddressError> {
        if self.details.network == network {
            Ok(())
        } else {
            Err(AddressError::MoneroWrongNetwork { found: self.details.network, expected: network })
        }
    }
}

impl PayoutAddress<Evm> {
    /// The EIP-55 form, for the UI to suggest when the entered text was not checksummed.
    pub fn checksummed_form(&self) -> &str {
        &self.details.normalized
    }
}

impl<C: PayoutChain> fmt::Display for PayoutAddress<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<C: PayoutChain> AsRef<str> for PayoutAddress<C> {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

/// Serialized as the plain string, as entered.
impl<C: PayoutChain> Serialize for PayoutAddress<C> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

/// Deserialized only through validation; the error carries the code and the plain message.
impl<'de, C: PayoutChain> Deserialize<'de> for PayoutAddress<C> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text)
            .map_err(|e| serde::de::Error::custom(format_args!("{} [{}]", e, e.code())))
    }
}
