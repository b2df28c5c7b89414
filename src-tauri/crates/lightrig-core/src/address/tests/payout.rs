//! `PayoutAddress`: built only by validation, serialized as the plain string.

use serde::{Deserialize, Serialize};

use super::super::{
    AddressError, EvmPayoutAddress, MoneroKind, MoneroNetwork, MoneroPayoutAddress,
};
use super::{DONATION, EIP55_MIXED, make};

#[derive(Debug, Serialize, Deserialize)]
struct Settings {
    monero: MoneroPayoutAddress,
    storj: EvmPayoutAddress,
}

#[test]
fn parses_reads_back_and_serializes_as_the_entered_string() {
    let monero = MoneroPayoutAddress::parse(DONATION).expect("valid");
    assert_eq!(monero.as_str(), DONATION);
    assert_eq!(monero.to_string(), DONATION);
    assert_eq!(monero.network(), MoneroNetwork::Mainnet);
    assert_eq!(monero.details().kind, MoneroKind::Standard);
    assert_eq!(serde_json::to_string(&monero).expect("json"), format!("\"{DONATION}\""));

    let lower = EIP55_MIXED[1].to_ascii_lowercase();
    let evm = EvmPayoutAddress::parse(&lower).expect("valid");
    assert_eq!(evm.as_str(), lower);
    assert_eq!(evm.checksummed_form(), EIP55_MIXED[1]);
    assert!(!evm.details().checksummed);
}

#[test]
fn settings_round_trip_through_toml() {
    let text = format!("monero = \"{DONATION}\"\nstorj = \"{}\"\n", EIP55_MIXED[2]);
    let settings: Settings = toml::from_str(&text).expect("valid settings");
    assert_eq!(settings.storj.as_str(), EIP55_MIXED[2]);
    assert_eq!(toml::to_string(&settings).expect("serialize"), text);
}

#[test]
fn deserializing_validates_and_reports_the_code() {
    let text = format!("monero = \"{} \"\nstorj = \"{}\"\n", DONATION, EIP55_MIXED[2]);
    let err = toml::from_str::<Settings>(&text).expect_err("refused").to_string();
    assert!(err.contains("address.surrounding_space"), "{err}");
    assert!(err.contains("ends with a space"), "{err}");

    let json = format!("\"{}\"", EIP55_MIXED[0].to_ascii_lowercase().replacen('a', "A", 1));
    let err = serde_json::from_str::<EvmPayoutAddress>(&json).expect_err("refused").to_string();
    assert!(err.contains("address.evm.checksum"), "{err}");
    // A Monero address where an Ethereum-style one belongs.
    let json = format!("\"{DONATION}\"");
    assert!(serde_json::from_str::<EvmPayoutAddress>(&json).is_err());
}

#[test]
fn the_network_is_checked_before_a_node_starts() {
    let stagenet = make(MoneroNetwork::Stagenet, MoneroKind::Subaddress, 4);
    let address = MoneroPayoutAddress::parse(&stagenet).expect("valid on stagenet");
    assert_eq!(address.require_network(MoneroNetwork::Stagenet), Ok(()));
    assert_eq!(
        address.require_network(MoneroNetwork::Mainnet),
        Err(AddressError::MoneroWrongNetwork {
            found: MoneroNetwork::Stagenet,
            expected: MoneroNetwork::Mainnet
        })
    );
    assert!(MoneroPayoutAddress::parse_for(&stagenet, MoneroNetwork::Mainnet).is_err());
    assert!(MoneroPayoutAddress::parse_for(&stagenet, MoneroNetwork::Stagenet).is_ok());
}
