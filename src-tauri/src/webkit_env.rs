//! What WebKitGTK is told before it starts (Linux only). Lightrig's window is a few cards and
//! charts that change once a second at most; WebKit's defaults are made for a browser.
//!
//! Every variable here is left alone when the user set it, so a user (or a distribution's
//! wrapper) can always turn a choice back. The figures behind each choice are in
//! docs/benchmarks.md (section "Desktop app").

/// The variables to set, given how the environment reads now and whether the machine has a DRM
/// render node (a GPU the kernel exposes under /dev/dri). Pure, so it is tested without
/// touching the process environment.
pub fn plan(
    get: impl Fn(&str) -> Option<String>,
    has_render_node: bool,
) -> Vec<(&'static str, &'static str)> {
    let mut set = Vec::new();
    let unset = |key: &str| get(key).is_none();
    // Accelerated compositing buys nothing for this window, and where there is no GPU
    // (virtual machines, remote desktops, Xvfb) WebKit composites in software: about 10 % of a
    // core and 125 MiB more with the window merely open.
    if unset("WEBKIT_DISABLE_COMPOSITING_MODE") {
        set.push(("WEBKIT_DISABLE_COMPOSITING_MODE", "1"));
    }
    let compositing_off =
        get("WEBKIT_DISABLE_COMPOSITING_MODE").map(|v| !v.is_empty() && v != "0").unwrap_or(true);
    if compositing_off {
        // Without compositing the web process paints into shared memory and the window draws
        // it with cairo: nothing is handed over as a GPU buffer, and GTK's own OpenGL is never
        // used. Saying so keeps the shell from loading the OpenGL stack (on a machine without
        // a GPU, Mesa's llvmpipe: about 24 MiB) only to probe it.
        if unset("WEBKIT_DISABLE_DMABUF_RENDERER") {
            set.push(("WEBKIT_DISABLE_DMABUF_RENDERER", "1"));
        }
        if unset("GDK_GL") {
            set.push(("GDK_GL", "disable"));
        }
        // The shell also opens an EGL display just to learn which render node the web process
        // should use. Where there is none, say so: the web process then takes the surfaceless
        // display it would have taken anyway. Where there is one, WebKit picks it itself (on a
        // machine with two GPUs the choice matters, and it is WebKit's to make).
        if !has_render_node && unset("WEBKIT_WEB_RENDER_DEVICE_FILE") {
            set.push(("WEBKIT_WEB_RENDER_DEVICE_FILE", NO_RENDER_NODE));
        }
    }
    // The page's scripts are small and mostly wait; JavaScriptCore's JIT tiers keep compiled
    // code and their own heaps for them (about 12 MiB of the web process) and made the idle
    // window no cheaper. The interpreter runs them; the window stays under 1 % of a core.
    if unset("JSC_useJIT") {
        set.push(("JSC_useJIT", "false"));
    }
    set
}

/// A path that names no device: WebKit opens it, fails, and goes on without a render node.
pub const NO_RENDER_NODE: &str = "/dev/dri/no-render-node";

/// Whether the kernel exposes a DRM render node (`/dev/dri/renderD*`).
pub fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// Applies [`plan`] to this process's environment (inherited by WebKit's processes).
///
/// # Safety
/// Must run before any other thread exists (first thing in `main`).
pub unsafe fn apply() {
    let vars = plan(|k| std::env::var(k).ok(), has_render_node());
    for (key, value) in vars {
        // SAFETY: the caller guarantees no other thread reads the environment yet.
        unsafe { std::env::set_var(key, value) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn plan_with(env: &[(&str, &str)], render_node: bool) -> HashMap<&'static str, &'static str> {
        let env: HashMap<String, String> =
            env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        plan(|k| env.get(k).cloned(), render_node).into_iter().collect()
    }

    #[test]
    fn a_bare_environment_gets_the_lean_set() {
        let set = plan_with(&[], false);
        assert_eq!(set.get("WEBKIT_DISABLE_COMPOSITING_MODE"), Some(&"1"));
        assert_eq!(set.get("WEBKIT_DISABLE_DMABUF_RENDERER"), Some(&"1"));
        assert_eq!(set.get("GDK_GL"), Some(&"disable"));
        assert_eq!(set.get("WEBKIT_WEB_RENDER_DEVICE_FILE"), Some(&NO_RENDER_NODE));
        assert_eq!(set.get("JSC_useJIT"), Some(&"false"));
    }

    #[test]
    fn with_a_gpu_webkit_chooses_the_render_node() {
        let set = plan_with(&[], true);
        assert!(!set.contains_key("WEBKIT_WEB_RENDER_DEVICE_FILE"));
        assert_eq!(set.get("GDK_GL"), Some(&"disable"));
    }

    #[test]
    fn what_the_user_set_is_kept() {
        let set = plan_with(
            &[
                ("GDK_GL", "gles"),
                ("WEBKIT_DISABLE_DMABUF_RENDERER", "0"),
                ("WEBKIT_WEB_RENDER_DEVICE_FILE", "/dev/dri/renderD129"),
                ("JSC_useJIT", "true"),
            ],
            false,
        );
        for key in [
            "GDK_GL",
            "WEBKIT_DISABLE_DMABUF_RENDERER",
            "WEBKIT_WEB_RENDER_DEVICE_FILE",
            "JSC_useJIT",
        ] {
            assert!(!set.contains_key(key), "{key} overridden");
        }
        assert_eq!(set.get("WEBKIT_DISABLE_COMPOSITING_MODE"), Some(&"1"));
    }

    #[test]
    fn a_user_who_wants_compositing_keeps_the_gpu_path_whole() {
        let set = plan_with(&[("WEBKIT_DISABLE_COMPOSITING_MODE", "0")], false);
        assert_eq!(set.keys().copied().collect::<Vec<_>>(), vec!["JSC_useJIT"]);
    }
}
