//! Every word of the printed summary, in English and Simplified Chinese. Add a language by adding
//! a `Strings` value here; nothing else in the summary holds text.

use super::Lang;
use crate::model::RewardState;

/// The summary's text in one language.
#[derive(Debug)]
pub(crate) struct Strings {
    /// BCP 47 tag for `<html lang>`.
    pub html_lang: &'static str,
    pub title: &'static str,
    pub period: &'static str,
    pub time_zone: &'static str,
    pub generated: &'static str,
    /// Between a label and its value.
    pub colon: &'static str,
    pub simulated_banner: &'static str,
    pub income_heading: &'static str,
    pub income_note: &'static str,
    pub col_asset: &'static str,
    pub col_state: &'static str,
    pub col_amount: &'static str,
    pub col_rewards: &'static str,
    pub col_fiat: &'static str,
    pub no_rewards: &'static str,
    pub simulated_marker: &'static str,
    pub energy_heading: &'static str,
    pub col_month: &'static str,
    pub col_energy: &'static str,
    pub col_cost: &'static str,
    pub energy_note: &'static str,
    pub net_heading: &'static str,
    pub net_income: &'static str,
    pub net_cost: &'static str,
    pub net_result: &'static str,
    pub net_note: &'static str,
    pub not_available: &'static str,
    /// "not available: N rewards without a price".
    pub without_price: fn(usize) -> String,
    pub several_currencies: &'static str,
    pub cost_incomplete: &'static str,
    pub no_energy: &'static str,
    pub tax_exports_note: &'static str,
    pub not_advice: &'static str,
    pub state_estimated: &'static str,
    pub state_pending: &'static str,
    pub state_paid: &'static str,
}

impl Strings {
    pub fn state(&self, state: RewardState) -> &'static str {
        match state {
            RewardState::Estimated => self.state_estimated,
            RewardState::Pending => self.state_pending,
            RewardState::Paid => self.state_paid,
        }
    }
}

pub(crate) fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::En => &EN,
        Lang::ZhCn => &ZH_CN,
    }
}

static EN: Strings = Strings {
    html_lang: "en",
    title: "Lightrig — summary of records",
    period: "Period",
    time_zone: "Time zone",
    generated: "Generated",
    colon: ": ",
    simulated_banner: "Some rewards in this period are simulated (practice node). They are not money and are left out of every total of money below.",
    income_heading: "Income by asset and state",
    income_note: "Estimated, pending and paid amounts are shown apart and never added together. Values are at receipt, from the price source in the full CSV.",
    col_asset: "Asset",
    col_state: "State",
    col_amount: "Amount",
    col_rewards: "Rewards",
    col_fiat: "Value at receipt",
    no_rewards: "No rewards in this period.",
    simulated_marker: "simulated, not money",
    energy_heading: "Energy and its cost by month",
    col_month: "Month",
    col_energy: "Energy (kWh)",
    col_cost: "Cost",
    energy_note: "Energy as measured or estimated by Lightrig while a node ran (time without a node is left out); hours without a reading are not guessed.",
    net_heading: "Net",
    net_income: "Paid income (value at receipt)",
    net_cost: "Energy cost",
    net_result: "Net (paid income − energy cost)",
    net_note: "The net is given only where both figures are known in the same currency.",
    not_available: "not available",
    without_price: |n| {
        if n == 1 {
            "not available: 1 reward without a price".to_owned()
        } else {
            format!("not available: {n} rewards without a price")
        }
    },
    several_currencies: "not available: several currencies",
    cost_incomplete: "not available: some energy has no price",
    no_energy: "not available: no energy recorded",
    tax_exports_note: "The Koinly, CoinTracker and BittyTax exports hold only paid rewards that are not simulated; estimated and pending rewards are not income yet. Electricity is not in those files; it is in the full CSV and on this page.",
    not_advice: "This is a record, not tax advice.",
    state_estimated: "estimated",
    state_pending: "pending",
    state_paid: "paid",
};

static ZH_CN: Strings = Strings {
    html_lang: "zh-CN",
    title: "Lightrig — 记录汇总",
    period: "期间",
    time_zone: "时区",
    generated: "生成时间",
    colon: "：",
    simulated_banner: "本期间部分收益为模拟收益（练习节点），不是真实资金，不计入下方任何金额合计。",
    income_heading: "按资产和状态列出的收益",
    income_note: "预估、待付和已付金额分开列出，从不相加。价值按收到时计算，价格来源见完整 CSV。",
    col_asset: "资产",
    col_state: "状态",
    col_amount: "数量",
    col_rewards: "笔数",
    col_fiat: "收到时价值",
    no_rewards: "本期间没有收益。",
    simulated_marker: "模拟，不是资金",
    energy_heading: "按月列出的电量和电费",
    col_month: "月份",
    col_energy: "电量（千瓦时）",
    col_cost: "电费",
    energy_note: "电量为节点运行期间 Lightrig 测量或估算的值（不含未运行节点的时间）；没有读数的小时不做猜测。",
    net_heading: "净额",
    net_income: "已付收益（收到时价值）",
    net_cost: "电费",
    net_result: "净额（已付收益 − 电费）",
    net_note: "只有两项数字都已知且币种相同时才给出净额。",
    not_available: "无数据",
    without_price: |n| format!("无数据：{n} 笔收益没有价格"),
    several_currencies: "无数据：涉及多种币种",
    cost_incomplete: "无数据：部分电量没有电价",
    no_energy: "无数据：没有电量记录",
    tax_exports_note: "Koinly、CoinTracker 和 BittyTax 导出文件只包含已付且非模拟的收益；预估和待付收益尚不是收入。这些文件不含电费，电费见完整 CSV 和本页。",
    not_advice: "这是一份记录，不是税务建议。",
    state_estimated: "预估",
    state_pending: "待付",
    state_paid: "已付",
};
