//! Payout address validation, per chain, before a real node starts.
//!
//! A mistyped payout address silently sends a user's earnings to nobody, so every address is
//! checked against its chain's own rules (Monero's base58 and Keccak checksum, Ethereum's
//! EIP-55) and refused with a message that says in plain words what is wrong and what to do.
//! Nothing is trimmed or repaired silently: a hidden character from the clipboard is named.
//!
//! - [`validate_monero`] / [`validate_evm`]: text in, what the address is or why it is refused.
//! - [`PayoutAddress`]: the only form in which settings hold an address; built by validation.
//! - [`AddressError::code`]: a stable code per refusal, for the UI to branch on.

pub mod base58;
mod error;
mod evm;
mod monero;
mod payout;
mod text;

pub use error::{AddressError, Edge};
pub use evm::{EvmAddress, to_checksum, validate_evm};
pub use monero::{MoneroAddress, MoneroKind, MoneroNetwork, validate_monero};
pub use payout::{Evm, EvmPayoutAddress, Monero, MoneroPayoutAddress, PayoutAddress, PayoutChain};
pub use text::MAX_LEN;

#[cfg(test)]
mod tests;
