//! Every single-character change of a valid Monero address is refused.

use super::super::validate_monero;
use super::DONATION;

/// Codes a one-character change may produce: it breaks the checksum, the alphabet or a block.
const ACCEPTABLE: [&str; 3] =
    ["address.monero.checksum", "address.monero.invalid_char", "address.monero.encoding"];

#[test]
fn every_single_character_change_of_the_donation_address_is_refused() {
    let original: Vec<char> = DONATION.chars().collect();
    let replacements = ['1', '2', 'z', 'A', 'a', 'Q', 'o', 'l', '0'];
    let mut tried = 0;
    for position in 0..original.len() {
        for replacement in replacements {
            if original[position] == replacement {
                continue;
            }
            let mut mutated = original.clone();
            mutated[position] = replacement;
            let text: String = mutated.into_iter().collect();
            let err = validate_monero(&text, None).expect_err(&text);
            assert!(ACCEPTABLE.contains(&err.code()), "position {position}: {err:?}");
            tried += 1;
        }
    }
    assert!(tried > 95 * 7, "only {tried} mutations tried");
}

#[test]
fn swapping_two_neighbouring_characters_is_refused() {
    let original: Vec<char> = DONATION.chars().collect();
    for position in 0..original.len() - 1 {
        if original[position] == original[position + 1] {
            continue;
        }
        let mut mutated = original.clone();
        mutated.swap(position, position + 1);
        let text: String = mutated.into_iter().collect();
        let err = validate_monero(&text, None).expect_err(&text);
        assert!(ACCEPTABLE.contains(&err.code()), "position {position}: {err:?}");
    }
}
