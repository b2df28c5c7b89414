//! Rules every export keeps, each pinned on a small ledger of its own.

use super::fixture::{self, date, hour, ms, reward};
use crate::export::{
    DateRange, ExportError, ExportFormat, ExportRequest, Lang, NoPrices, export, parse_date,
    time_zone,
};
use crate::ledger::export_queries::insert_energy_row;
use crate::model::RewardState;

fn export_all(
    ledger: &crate::ledger::Ledger,
    request: &ExportRequest,
) -> Vec<(ExportFormat, String)> {
    ExportFormat::ALL
        .into_iter()
        .map(|format| {
            let request = ExportRequest { format, ..request.clone() };
            let bytes = export(ledger, &request, &fixture::prices()).unwrap();
            (format, String::from_utf8(bytes).unwrap())
        })
        .collect()
}

#[test]
fn text_that_could_be_a_formula_is_defused_in_every_csv() {
    let (_dir, ledger) = crate::ledger::test_support::temp_ledger();
    let hostile = ["=HYPERLINK(\"http://x\")", "+SUM(1,2)", "-2+3", "@cmd"];
    for (i, text) in hostile.iter().enumerate() {
        let mut r = reward(
            text,
            &format!("{text}#{i}"),
            "2026-03-28T10:00:00Z",
            ("XMR", 12),
            1,
            RewardState::Paid,
        );
        r.source = (*text).to_owned();
        r.asset.code = (*text).to_owned();
        ledger.record_reward(&r).unwrap();
    }
    insert_energy_row(
        &ledger,
        &crate::ledger::EnergyRow {
            tariff: Some("=tariff".into()),
            power_source: Some("@sensor".into()),
            currency: Some("EUR".into()),
            ..hour("=node", "2026-03-28T10:00:00Z", Some(1), Some(1))
        },
    );
    let request = fixture::request(ExportFormat::Full);
    for (format, text) in export_all(&ledger, &request) {
        if format == ExportFormat::Summary {
            continue;
        }
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let mut cells = 0;
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                cells += 1;
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{format}: cell {cell:?} would run as a formula"
                );
            }
        }
        assert!(cells > 0, "{format} has rows");
        assert!(text.contains("'=HYPERLINK"), "{format} keeps the text, defused:\n{text}");
    }
}

#[test]
fn the_summary_escapes_text_and_has_no_scripts_or_outside_assets() {
    let (_dir, ledger) = crate::ledger::test_support::temp_ledger();
    let r = reward(
        "n",
        "k",
        "2026-03-28T10:00:00Z",
        ("<script>alert(1)</script>", 0),
        3,
        RewardState::Paid,
    );
    ledger.record_reward(&r).unwrap();
    let html = String::from_utf8(
        export(&ledger, &fixture::request(ExportFormat::Summary), &NoPrices).unwrap(),
    )
    .unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    let lower = html.to_lowercase();
    for banned in ["<script", "src=", "href=", "url(", "@import", "http://", "https://"] {
        assert!(!lower.contains(banned), "the page must be self-contained: found {banned}");
    }
    assert!(html.contains("@media print"));
    assert!(html.contains("This is a record, not tax advice."));
}

#[test]
fn the_summary_never_adds_states_and_marks_simulated_rewards() {
    let (_dir, ledger) = fixture::ledger();
    let html = String::from_utf8(
        export(&ledger, &fixture::request(ExportFormat::Summary), &fixture::prices()).unwrap(),
    )
    .unwrap();
    // XMR: pending 1.234567890123, paid 1.234567890123, estimated 0.000005: three lines, never
    // one of 2.469...
    assert!(
        html.contains("<td>XMR</td><td>pending</td><td class=\"n\">1.234567890123</td>"),
        "{html}"
    );
    assert!(html.contains("<td>XMR</td><td>paid</td><td class=\"n\">1.234567890123</td>"));
    assert!(html.contains("<td>XMR</td><td>estimated</td><td class=\"n\">0.000005000000</td>"));
    assert!(!html.contains("2.469135780246"), "states must not be added together");
    assert!(html.contains("SIM (simulated, not money)"));
    assert!(html.contains("class=\"banner\""));
    // MYST has no price: the paid income, and so the net, are not available.
    assert!(html.contains("not available: 1 reward without a price"));
    // The 30th has energy without a price: the month's cost is not available, not a partial sum.
    assert!(html.contains("<td>2026-03</td><td class=\"n\">0.080</td><td class=\"n\">not available: some energy has no price</td>"), "{html}");
}

#[test]
fn the_net_is_paid_income_minus_energy_cost_when_both_are_known() {
    let (_dir, ledger) = crate::ledger::test_support::temp_ledger();
    ledger
        .record_rewards(&[
            reward(
                "xmrig-1",
                "a",
                "2026-03-28T09:15:30Z",
                ("XMR", 12),
                1_234_567_890_123,
                RewardState::Paid,
            ),
            // Pending and estimated rewards are not income yet: not in the net.
            reward(
                "xmrig-1",
                "b",
                "2026-03-28T10:00:00Z",
                ("XMR", 12),
                9_000_000_000_000,
                RewardState::Pending,
            ),
        ])
        .unwrap();
    insert_energy_row(
        &ledger,
        &hour("xmrig-1", "2026-03-28T12:00:00Z", Some(3_600_000_000_000), Some(300_000_000)),
    );
    let html = String::from_utf8(
        export(&ledger, &fixture::request(ExportFormat::Summary), &fixture::prices()).unwrap(),
    )
    .unwrap();
    assert!(html.contains("<td class=\"n\">189.41 EUR</td>"), "paid income: {html}");
    assert!(html.contains("<td class=\"n\">0.30 EUR</td>"), "energy cost");
    assert!(html.contains("<strong>189.11 EUR</strong>"), "net");
}

#[test]
fn tax_exports_hold_paid_real_rewards_only() {
    let (_dir, ledger) = fixture::ledger();
    for format in [ExportFormat::Koinly, ExportFormat::CoinTracker, ExportFormat::BittyTax] {
        assert!(format.is_tax_tool());
        let text = String::from_utf8(
            export(&ledger, &fixture::request(format), &fixture::prices()).unwrap(),
        )
        .unwrap();
        for absent in ["SIM", "0.000005000000", "share-1001", "0.000000000007"] {
            assert!(!text.contains(absent), "{format} must leave out {absent}:\n{text}");
        }
        assert_eq!(text.lines().count(), 5, "{format}: a header and four paid rewards");
    }
}

#[test]
fn ranges_are_whole_local_days_and_bad_input_says_what_is_wrong() {
    let berlin = time_zone("Europe/Berlin").unwrap();
    let range = DateRange::parse("2026-03-28", "2026-03-30").unwrap();
    assert_eq!(
        range.millis(&berlin).unwrap(),
        (ms("2026-03-27T23:00:00Z"), ms("2026-03-30T22:00:00Z"))
    );
    let one_day = DateRange::parse("2026-03-29", "2026-03-29").unwrap();
    let (from, to) = one_day.millis(&berlin).unwrap();
    assert_eq!(to - from, 23 * fixture::HOUR_MS, "the spring-forward day is 23 hours long");

    assert!(matches!(
        DateRange::parse("2026-03-30", "2026-03-28"),
        Err(ExportError::ReversedRange { .. })
    ));
    for bad in ["2026-02-30", "2026-3-1", "28.03.2026", "", "2026-03-28T00:00"] {
        let e = parse_date(bad).unwrap_err();
        assert_eq!(e.code(), "export.bad_date", "{bad}");
        assert!(e.to_string().contains(bad), "the message names the input: {e}");
    }
    let e = "pdf".parse::<ExportFormat>().unwrap_err();
    assert!(e.to_string().contains("full, koinly, cointracker, bittytax, summary"), "{e}");
    assert_eq!(e.code(), "export.unknown_format");
    assert_eq!("CoinTracker".parse::<ExportFormat>().unwrap(), ExportFormat::CoinTracker);
    let e = time_zone("Mars/Olympus").unwrap_err();
    assert_eq!(e.code(), "export.unknown_time_zone");
    assert_eq!(
        DateRange::year(2026).unwrap(),
        DateRange::new(date("2026-01-01"), date("2026-12-31")).unwrap()
    );
    assert_eq!(
        ExportFormat::Koinly.suggested_file_name(&range),
        "lightrig-koinly-2026-03-28-to-2026-03-30.csv"
    );
}

#[test]
fn an_empty_ledger_gives_a_header_and_an_honest_summary() {
    let (_dir, ledger) = crate::ledger::test_support::temp_ledger();
    let request = ExportRequest { lang: Lang::En, ..fixture::request(ExportFormat::Full) };
    for (format, text) in export_all(&ledger, &request) {
        if format == ExportFormat::Summary {
            assert!(text.contains("No rewards in this period."));
            assert!(text.contains("not available: no energy recorded"));
        } else {
            assert_eq!(text.lines().count(), 1, "{format}: the header only");
        }
    }
}

#[test]
fn rewards_stream_across_pages_each_once_and_in_order() {
    let (_dir, ledger) = crate::ledger::test_support::temp_ledger();
    let n = 2 * crate::export::records::PAGE as usize + 1;
    let start = ms("2026-03-28T00:00:00Z");
    // Rewards come in threes per instant, so a page ends inside an instant (rows 1998–2000).
    let list: Vec<_> = (0..n)
        .map(|i| {
            let mut r = reward(
                "xmrig-1",
                &format!("share-{i}"),
                "2026-03-28T00:00:00Z",
                ("XMR", 12),
                i as i128 + 1,
                RewardState::Paid,
            );
            r.at = start + (i as i64 / 3) * 1000;
            r
        })
        .collect();
    ledger.record_rewards(&list).unwrap();
    let bytes = export(&ledger, &fixture::request(ExportFormat::CoinTracker), &NoPrices).unwrap();
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let amounts: Vec<i128> =
        reader.records().map(|r| r.unwrap()[1].replace('.', "").parse::<i128>().unwrap()).collect();
    assert_eq!(amounts, (1..=n as i128).collect::<Vec<_>>());
}
