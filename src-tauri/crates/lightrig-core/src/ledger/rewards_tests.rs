use super::*;
use crate::ledger::test_support::temp_ledger;

fn reward(key: &str, atomic: i128, state: RewardState) -> Reward {
    Reward {
        node_id: "xmrig-1".into(),
        key: key.into(),
        at: 1_000,
        asset: Asset { code: "XMR".into(), decimals: 12 },
        atomic,
        state,
        source: "p2pool local/stratum".into(),
        simulated: false,
    }
}

fn total(totals: &[RewardTotal], asset: &str, state: RewardState) -> Option<(i128, u64)> {
    totals.iter().find(|t| t.asset_code == asset && t.state == state).map(|t| (t.atomic, t.count))
}

#[test]
fn replayed_reward_is_not_counted_twice() {
    let (_dir, ledger) = temp_ledger();
    let r = reward("tx-1", 600_000_000, RewardState::Pending);
    assert_eq!(ledger.record_reward(&r).unwrap(), RewardWrite::Inserted);
    let before = ledger.reward_totals(None, 0, i64::MAX).unwrap();
    assert_eq!(ledger.record_reward(&r).unwrap(), RewardWrite::Duplicate);
    // A replay with a different figure is still a duplicate: the first figure stays.
    let changed = Reward { atomic: 1, ..r.clone() };
    assert_eq!(ledger.record_reward(&changed).unwrap(), RewardWrite::Duplicate);
    assert_eq!(ledger.reward_totals(None, 0, i64::MAX).unwrap(), before);
    assert_eq!(total(&before, "XMR", RewardState::Pending), Some((600_000_000, 1)));
    assert_eq!(ledger.rewards(None, 0, i64::MAX, 10).unwrap().len(), 1);
}

#[test]
fn pending_then_paid_are_separate_rows_never_added_together() {
    let (_dir, ledger) = temp_ledger();
    let pending = reward("payout-7", 5, RewardState::Pending);
    let paid = Reward { at: 2_000, ..reward("payout-7", 5, RewardState::Paid) };
    let writes = ledger.record_rewards(&[pending.clone(), paid.clone()]).unwrap();
    assert_eq!(writes, [RewardWrite::Inserted, RewardWrite::Inserted]);
    let again = ledger.record_rewards(&[pending, paid.clone()]).unwrap();
    assert_eq!(again, [RewardWrite::Duplicate, RewardWrite::Duplicate]);

    let totals = ledger.reward_totals(Some("xmrig-1"), 0, i64::MAX).unwrap();
    assert_eq!(totals.len(), 2);
    assert_eq!(total(&totals, "XMR", RewardState::Pending), Some((5, 1)));
    assert_eq!(total(&totals, "XMR", RewardState::Paid), Some((5, 1)));

    let listed = ledger.rewards(Some("xmrig-1"), 0, i64::MAX, 10).unwrap();
    assert_eq!(listed[0].reward, paid, "newest first, stored losslessly");
}

#[test]
fn totals_keep_assets_states_and_simulated_apart() {
    let (_dir, ledger) = temp_ledger();
    let sim = Reward {
        asset: Asset::simulated(),
        simulated: true,
        ..reward("sim-1", 100, RewardState::Estimated)
    };
    let est = reward("est-1", 7, RewardState::Estimated);
    let storj = Reward {
        asset: Asset { code: "STORJ".into(), decimals: 8 },
        ..reward("storj-1", 9, RewardState::Estimated)
    };
    let real_sim_code = Reward { simulated: true, ..reward("est-2", 11, RewardState::Estimated) };
    for r in [&sim, &est, &storj, &real_sim_code] {
        ledger.record_reward(r).unwrap();
    }
    let totals = ledger.reward_totals(None, 0, i64::MAX).unwrap();
    assert_eq!(totals.len(), 4, "{totals:?}");
    let xmr: Vec<_> = totals.iter().filter(|t| t.asset_code == "XMR").collect();
    assert_eq!(xmr.len(), 2);
    assert!(xmr.iter().any(|t| !t.simulated && t.atomic == 7));
    assert!(xmr.iter().any(|t| t.simulated && t.atomic == 11));
    assert_eq!(total(&totals, "SIM", RewardState::Estimated), Some((100, 1)));
    assert_eq!(total(&totals, "STORJ", RewardState::Estimated), Some((9, 1)));
    // The range and node filters apply.
    assert!(ledger.reward_totals(None, 1_001, i64::MAX).unwrap().is_empty());
    assert!(ledger.reward_totals(Some("other"), 0, i64::MAX).unwrap().is_empty());
}

#[test]
fn amounts_beyond_i64_are_stored_and_summed_exactly() {
    let (_dir, ledger) = temp_ledger();
    // 10^20 wei is 100 MYST: more than i64 holds; two of them sum past 2^64 too.
    let big: i128 = 100_000_000_000_000_000_000;
    let myst = |key: &str, atomic: i128| Reward {
        asset: Asset { code: "MYST".into(), decimals: 18 },
        ..reward(key, atomic, RewardState::Paid)
    };
    ledger.record_rewards(&[myst("a", big), myst("b", big + 1), myst("c", -3)]).unwrap();
    let totals = ledger.reward_totals(None, 0, i64::MAX).unwrap();
    assert_eq!(total(&totals, "MYST", RewardState::Paid), Some((2 * big - 2, 3)));

    let extreme = myst("max", i128::MAX);
    ledger.record_reward(&extreme).unwrap();
    let listed = ledger.rewards(None, 0, i64::MAX, 10).unwrap();
    assert!(listed.iter().any(|r| r.reward == extreme), "i128::MAX round-trips");
    let err = ledger.reward_totals(None, 0, i64::MAX).unwrap_err();
    assert!(matches!(err, LedgerError::TotalOverflow { .. }), "{err}");
}

#[test]
fn invalid_rewards_are_refused_with_a_reason() {
    let (_dir, ledger) = temp_ledger();
    let no_key = reward("", 1, RewardState::Paid);
    let err = ledger.record_reward(&no_key).unwrap_err();
    assert!(err.to_string().contains("key is empty"), "{err}");
    let too_fine = Reward {
        asset: Asset { code: "X".into(), decimals: 39 },
        ..reward("k", 1, RewardState::Paid)
    };
    assert!(ledger.record_rewards(&[reward("ok", 1, RewardState::Paid), too_fine]).is_err());
    assert!(ledger.rewards(None, 0, i64::MAX, 10).unwrap().is_empty(), "all or nothing");
}

#[test]
fn rewards_are_append_only() {
    let (_dir, ledger) = temp_ledger();
    ledger.record_reward(&reward("k", 1, RewardState::Paid)).unwrap();
    let conn = ledger.writer();
    assert!(conn.execute("UPDATE rewards SET atomic = '2'", []).is_err());
    assert!(conn.execute("DELETE FROM rewards", []).is_err());
    assert!(
        conn.execute(
            "INSERT INTO rewards (node_id, key, at_ms, asset, decimals, atomic, state, \
             source, simulated, recorded_at_ms) VALUES ('n', 'k2', 0, 'X', 0, '1.5', 'paid', \
             's', 0, 0)",
            [],
        )
        .is_err(),
        "the amount column takes integers only"
    );
}
