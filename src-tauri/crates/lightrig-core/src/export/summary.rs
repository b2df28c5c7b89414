//! The printable summary: one self-contained HTML page (inline CSS, no scripts, nothing fetched)
//! that prints on one A4 or Letter page for a year.
//!
//! - Income: one line per asset, state and simulated-or-not, with the exact amount, the number of
//!   rewards and the value at receipt when every reward of the line has a price in one currency.
//!   States are never added together.
//! - Energy and cost by month of the range; a month's cost only when every day with energy has
//!   its cost, in one currency.
//! - Net = paid, non-simulated income − energy cost, only when both are known in the same
//!   currency; otherwise "not available" and why.
//!
//! All text is escaped; all words come from `strings`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::civil::Date;

use super::money::{decimal, kwh3, nano_to_cents};
use super::records::{Records, RewardLine};
use super::strings::{Strings, strings};
use super::{ExportError, ExportRequest};
use crate::model::RewardState;

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "\
body{font:10.5pt/1.4 system-ui,-apple-system,\"Segoe UI\",\"Noto Sans\",\"Noto Sans CJK SC\",sans-serif;\
color:#111;background:#fff;max-width:48rem;margin:1.5rem auto;padding:0 1rem}\
h1{font-size:15pt;margin:0 0 .3rem}h2{font-size:11.5pt;margin:1rem 0 .3rem}\
p{margin:.25rem 0}.meta{color:#333}.note{color:#333;font-size:9pt}\
.banner{border:1px solid #8a6d00;background:#fff8d6;padding:.3rem .5rem}\
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #bbb;padding:.15rem .4rem;\
text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums;\
overflow-wrap:anywhere}.sim{font-style:italic}.advice{font-weight:bold;margin-top:1rem}\
@page{size:auto;margin:12mm}\
@media print{body{margin:0;max-width:none;padding:0;font-size:9.5pt}h2{break-after:avoid}\
table,tr{break-inside:avoid}.banner{background:none}}";

/// Key of an income line: asset, decimals, state, simulated.
type LineKey = (String, u8, RewardState, bool);

/// Income of one line, summed exactly.
#[derive(Debug, Default)]
struct IncomeLine {
    /// `None` if the sum does not fit 128 bits.
    atomic: Option<i128>,
    count: usize,
    /// Sum of the priced rewards, per currency.
    cents: BTreeMap<String, i128>,
    unpriced: usize,
}

/// Everything the page needs from the rewards, gathered in one pass.
#[derive(Debug, Default)]
struct Tally {
    lines: BTreeMap<LineKey, IncomeLine>,
    any_simulated: bool,
    /// Paid, real rewards without a price.
    paid_unpriced: usize,
    /// Paid, real rewards' values, per currency.
    paid_cents: BTreeMap<String, i128>,
}

impl Tally {
    fn add(&mut self, r: &RewardLine) {
        let key = (r.asset.code.clone(), r.asset.decimals, r.state, r.simulated);
        let line = self
            .lines
            .entry(key)
            .or_insert_with(|| IncomeLine { atomic: Some(0), ..IncomeLine::default() });
        line.atomic = line.atomic.and_then(|a| a.checked_add(r.atomic));
        line.count += 1;
        match &r.fiat {
            Some(f) => *line.cents.entry(f.currency.clone()).or_default() += f.cents,
            None => line.unpriced += 1,
        }
        self.any_simulated |= r.simulated;
        if r.is_taxable_income() {
            match &r.fiat {
                Some(f) => *self.paid_cents.entry(f.currency.clone()).or_default() += f.cents,
                None => self.paid_unpriced += 1,
            }
        }
    }
}

/// A money total that may be unknown, with the reason.
enum Total {
    Known { cents: i128, currency: String },
    Unknown(String),
}

pub(crate) fn render(
    records: &Records,
    rewards: impl Iterator<Item = Result<RewardLine, ExportError>>,
    request: &ExportRequest,
) -> Result<String, ExportError> {
    let mut tally = Tally::default();
    for r in rewards {
        tally.add(&r?);
    }
    let s = strings(request.lang);
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} ({})</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        s.html_lang,
        escape(s.title),
        escape(&records.range.to_string()),
    );
    let generated = request.generated_at.strftime("%Y-%m-%d %H:%M UTC").to_string();
    let _ = write!(
        html,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">{}{colon}{} · {}{colon}{} · {}{colon}{}</p>\n</header>\n",
        escape(s.title),
        escape(s.period),
        escape(&records.range.to_string()),
        escape(s.time_zone),
        escape(&records.zone_name()),
        escape(s.generated),
        escape(&generated),
        colon = escape(s.colon),
    );
    if tally.any_simulated {
        let _ = writeln!(html, "<p class=\"banner\">{}</p>", escape(s.simulated_banner));
    }
    income(&mut html, s, &tally.lines);
    let cost_total = energy(&mut html, s, records);
    net(&mut html, s, &tally, cost_total);
    let _ = write!(
        html,
        "<footer>\n<p class=\"note\">{}</p>\n<p class=\"advice\">{}</p>\n</footer>\n</body>\n</html>\n",
        escape(s.tax_exports_note),
        escape(s.not_advice),
    );
    Ok(html)
}

fn money(cents: i128, currency: &str) -> String {
    format!("{} {}", decimal(cents, 2), currency)
}

fn income(html: &mut String, s: &Strings, lines: &BTreeMap<LineKey, IncomeLine>) {
    let _ = writeln!(html, "<section>\n<h2>{}</h2>", escape(s.income_heading));
    if lines.is_empty() {
        let _ = writeln!(html, "<p>{}</p>", escape(s.no_rewards));
    } else {
        let _ = writeln!(
            html,
            "<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            escape(s.col_asset),
            escape(s.col_state),
            escape(s.col_amount),
            escape(s.col_rewards),
            escape(s.col_fiat),
        );
        for ((code, decimals, state, simulated), line) in lines {
            let asset = crate::model::Asset { code: code.clone(), decimals: *decimals };
            let amount =
                line.atomic.map_or_else(|| s.not_available.to_owned(), |a| asset.format_atomic(a));
            let fiat = if *simulated {
                s.simulated_marker.to_owned()
            } else if line.unpriced > 0 {
                (s.without_price)(line.unpriced)
            } else if line.cents.len() == 1 {
                line.cents.iter().map(|(c, v)| money(*v, c)).collect()
            } else {
                s.several_currencies.to_owned()
            };
            let (class, marker) = if *simulated {
                (" class=\"sim\"", format!(" ({})", s.simulated_marker))
            } else {
                ("", String::new())
            };
            let _ = writeln!(
                html,
                "<tr{class}><td>{}{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                escape(code),
                escape(&marker),
                escape(s.state(*state)),
                escape(&amount),
                line.count,
                escape(&fiat),
            );
        }
        html.push_str("</tbody>\n</table>\n");
    }
    let _ = writeln!(html, "<p class=\"note\">{}</p>\n</section>", escape(s.income_note));
}

/// Energy and cost of one month.
#[derive(Debug, Default)]
struct Month {
    energy_uj: Option<i128>,
    cost_nano: BTreeMap<String, i128>,
    uncosted: bool,
}

/// Renders the energy table; returns the total cost.
fn energy(html: &mut String, s: &Strings, records: &Records) -> Total {
    let mut months: BTreeMap<Date, Month> = BTreeMap::new();
    let mut month = records.range.from().first_of_month();
    while month <= records.range.to() {
        months.insert(month, Month::default());
        match month.checked_add(jiff::Span::new().months(1)) {
            Ok(next) => month = next,
            Err(_) => break,
        }
    }
    // Machine-only time (no node running) is not a cost of the node: left out here.
    for d in records.days.iter().filter(|d| !d.node_id.is_empty()) {
        let Some(uj) = d.energy_uj else { continue };
        let m = months.entry(d.date.first_of_month()).or_default();
        m.energy_uj = Some(m.energy_uj.unwrap_or(0) + uj);
        match (d.cost_nano, &d.currency) {
            (Some(nano), Some(currency)) => {
                *m.cost_nano.entry(currency.clone()).or_default() += nano
            }
            _ => m.uncosted = true,
        }
    }
    let _ = writeln!(
        html,
        "<section>\n<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        escape(s.energy_heading),
        escape(s.col_month),
        escape(s.col_energy),
        escape(s.col_cost),
    );
    let mut total_uj: Option<i128> = None;
    let mut total_cost: BTreeMap<String, i128> = BTreeMap::new();
    let mut uncosted = false;
    for (start, m) in &months {
        let energy = m.energy_uj.map_or_else(|| s.not_available.to_owned(), kwh3);
        let cost = match m.energy_uj {
            None => s.not_available.to_owned(),
            Some(_) if m.uncosted => s.cost_incomplete.to_owned(),
            Some(_) if m.cost_nano.len() != 1 => s.several_currencies.to_owned(),
            Some(_) => m.cost_nano.iter().map(|(c, n)| money(nano_to_cents(*n), c)).collect(),
        };
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            start.strftime("%Y-%m"),
            escape(&energy),
            escape(&cost),
        );
        if let Some(uj) = m.energy_uj {
            total_uj = Some(total_uj.unwrap_or(0) + uj);
            uncosted |= m.uncosted;
            for (c, n) in &m.cost_nano {
                *total_cost.entry(c.clone()).or_default() += n;
            }
        }
    }
    html.push_str("</tbody>\n</table>\n");
    let _ = writeln!(html, "<p class=\"note\">{}</p>\n</section>", escape(s.energy_note));
    if total_uj.is_none() {
        Total::Unknown(s.no_energy.to_owned())
    } else if uncosted {
        Total::Unknown(s.cost_incomplete.to_owned())
    } else if total_cost.len() != 1 {
        Total::Unknown(s.several_currencies.to_owned())
    } else {
        total_cost
            .into_iter()
            .next()
            .map(|(currency, nano)| Total::Known { cents: nano_to_cents(nano), currency })
            .unwrap_or_else(|| Total::Unknown(s.not_available.to_owned()))
    }
}

fn net(html: &mut String, s: &Strings, tally: &Tally, cost: Total) {
    let income = if tally.paid_unpriced > 0 {
        Total::Unknown((s.without_price)(tally.paid_unpriced))
    } else if tally.paid_cents.len() > 1 {
        Total::Unknown(s.several_currencies.to_owned())
    } else if let Some((currency, cents)) = tally.paid_cents.iter().next() {
        Total::Known { cents: *cents, currency: currency.clone() }
    } else {
        // No paid rewards at all: the income is zero, in the currency of the cost if known.
        match &cost {
            Total::Known { currency, .. } => Total::Known { cents: 0, currency: currency.clone() },
            Total::Unknown(_) => Total::Unknown(s.not_available.to_owned()),
        }
    };
    let show = |t: &Total| match t {
        Total::Known { cents, currency } => money(*cents, currency),
        Total::Unknown(why) => why.clone(),
    };
    let result = match (&income, &cost) {
        (Total::Known { cents: i, currency: a }, Total::Known { cents: c, currency: b })
            if a == b =>
        {
            money(i - c, a)
        }
        (Total::Known { .. }, Total::Known { .. }) => s.several_currencies.to_owned(),
        _ => s.not_available.to_owned(),
    };
    let _ = writeln!(
        html,
        "<section>\n<h2>{}</h2>\n<table>\n<tbody>\n\
         <tr><td>{}</td><td class=\"n\">{}</td></tr>\n\
         <tr><td>{}</td><td class=\"n\">{}</td></tr>\n\
         <tr><th>{}</th><td class=\"n\"><strong>{}</strong></td></tr>\n\
         </tbody>\n</table>\n<p class=\"note\">{}</p>\n</section>",
        escape(s.net_heading),
        escape(s.net_income),
        escape(&show(&income)),
        escape(s.net_cost),
        escape(&show(&cost)),
        escape(s.net_result),
        escape(&result),
        escape(s.net_note),
    );
}
