// No console window on Windows release builds.
#![cfg_attr(all(not(debug_assertions), target_os = "windows"), windows_subsystem = "windows")]

fn main() {
    #[cfg(target_os = "linux")]
    usable_locale();
    #[cfg(target_os = "linux")]
    lean_webkit();
    std::process::exit(lightrig_desktop::run());
}

/// WebKitGTK takes its JavaScript locale from the environment. Under the POSIX "C" locale (or
/// none: minimal systems, services, Xvfb) it reports the language tag "C", which is not a valid
/// BCP 47 tag, and every `Intl` call in the UI then throws. Give it a real one; the UI still
/// follows the user's language setting.
#[cfg(target_os = "linux")]
fn usable_locale() {
    let posix =
        |v: Option<String>| v.is_some_and(|v| v == "C" || v == "POSIX" || v.starts_with("C."));
    let all = std::env::var("LC_ALL").ok();
    let messages = std::env::var("LC_MESSAGES").ok();
    let lang = std::env::var("LANG").ok().filter(|v| !v.is_empty());
    let effective = all
        .clone()
        .filter(|v| !v.is_empty())
        .or(messages.clone().filter(|v| !v.is_empty()))
        .or(lang.clone());
    if effective.is_none() || posix(effective) {
        // SAFETY: this runs first in main, before any other thread exists.
        unsafe {
            if posix(all) {
                std::env::remove_var("LC_ALL");
            }
            if posix(messages) {
                std::env::remove_var("LC_MESSAGES");
            }
            std::env::set_var("LANG", "en_US.UTF-8");
        }
    }
}

/// Lightrig's window is a few cards and charts that change once a second at most: WebKitGTK's
/// accelerated compositing buys nothing for it, and where there is no GPU (virtual machines,
/// remote desktops, Xvfb) it composites in software, which cost about 10 % of a core and
/// 125 MiB more with the window merely open (docs/benchmarks.md). Off unless the user set the
/// variable themselves.
#[cfg(target_os = "linux")]
fn lean_webkit() {
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // SAFETY: this runs first in main, before any other thread exists.
        unsafe { std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1") };
    }
}
