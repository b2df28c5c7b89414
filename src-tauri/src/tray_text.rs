//! The tray menu's words, in the language the window uses (English or Simplified Chinese), with
//! the same state names as the dashboard (ui/src/i18n), so the tray and the window never speak
//! of the node differently.

use lightrig_core::supervisor::NodeState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// The settings' language ("en", "zh-CN"), or the system's (`LANG`, `LC_ALL`,
    /// `LC_MESSAGES`) when the user left it to the system.
    pub fn pick(setting: Option<&str>) -> Lang {
        let system = || {
            ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .filter_map(|k| std::env::var(k).ok())
                .find(|v| !v.is_empty())
                .unwrap_or_default()
        };
        let tag = setting.map(str::to_owned).unwrap_or_else(system);
        if tag.to_ascii_lowercase().starts_with("zh") { Lang::Zh } else { Lang::En }
    }
}

pub struct TrayText {
    pub start: &'static str,
    pub stop: &'static str,
    pub open: &'static str,
    pub quit: &'static str,
    /// Before the first status arrives.
    pub idle: &'static str,
}

pub fn text(lang: Lang) -> TrayText {
    match lang {
        Lang::En => TrayText {
            start: "Start",
            stop: "Stop",
            open: "Open Lightrig",
            quit: "Quit (stops the node)",
            idle: "Node: Stopped",
        },
        Lang::Zh => TrayText {
            start: "启动",
            stop: "停止",
            open: "打开 Lightrig",
            quit: "退出（会停止节点）",
            idle: "节点：已停止",
        },
    }
}

/// The state as the dashboard names it.
pub fn state_name(lang: Lang, state: &NodeState) -> &'static str {
    let (en, zh) = match state {
        NodeState::Stopped { .. } => ("Stopped", "已停止"),
        NodeState::Starting { .. } => ("Starting…", "正在启动…"),
        NodeState::Running { .. } => ("Running", "运行中"),
        NodeState::Paused { .. } => ("Paused", "已暂停"),
        NodeState::Stopping { .. } => ("Stopping…", "正在停止…"),
        NodeState::Backoff { .. } => ("Waiting to restart", "等待重启"),
        NodeState::Failed { .. } => ("Failed", "运行失败"),
    };
    if lang == Lang::Zh { zh } else { en }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_wins_and_the_system_decides_only_without_one() {
        assert_eq!(Lang::pick(Some("zh-CN")), Lang::Zh);
        assert_eq!(Lang::pick(Some("en")), Lang::En);
    }

    #[test]
    fn the_tray_uses_the_dashboards_words_for_each_state() {
        let en = include_str!("../../ui/src/i18n/en.ts");
        let zh = include_str!("../../ui/src/i18n/zh-CN.ts");
        let r = String::new;
        let states = [
            ("stopped", NodeState::Stopped { reason: r() }),
            ("starting", NodeState::Starting { since_ms: 0, attempt: 1 }),
            ("running", NodeState::Running { since_ms: 0 }),
            ("paused", NodeState::Paused { since_ms: 0, reason: r() }),
            ("stopping", NodeState::Stopping { reason: r() }),
            ("backoff", NodeState::Backoff { until_ms: 0, attempt: 1, reason: r() }),
            ("failed", NodeState::Failed { reason: r(), exit: None, last_lines: vec![] }),
        ];
        for (key, state) in states {
            let en_line = format!("\"state.{key}\": \"{}\"", state_name(Lang::En, &state));
            let zh_line = format!("\"state.{key}\": \"{}\"", state_name(Lang::Zh, &state));
            assert!(en.contains(&en_line), "{en_line} is not in en.ts");
            assert!(zh.contains(&zh_line), "{zh_line} is not in zh-CN.ts");
        }
    }
}
