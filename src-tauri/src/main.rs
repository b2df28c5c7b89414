// No console window on Windows release builds.
#![cfg_attr(all(not(debug_assertions), target_os = "windows"), windows_subsystem = "windows")]

fn main() {
    #[cfg(target_os = "linux")]
    usable_locale();
    // SAFETY: first thing in main, before any other thread exists.
    #[cfg(target_os = "linux")]
    unsafe {
        lightrig_desktop::webkit_env::apply()
    };
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
